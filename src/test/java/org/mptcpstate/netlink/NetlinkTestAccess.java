package org.mptcpstate.netlink;

/** Opens the package-private decoders of this package to tests in other packages. */
public final class NetlinkTestAccess {
    private NetlinkTestAccess() {}

    public static GenericNetlink.Family parseFamily(NetlinkMessage reply) {
        return GenericNetlink.parseFamily(reply);
    }

    public static String extendedAckMessage(NetlinkMessage message) {
        return NetlinkSocket.extendedAckMessage(message);
    }
}
