package org.mptcpstate.netlink;

/** Base of every failure raised by the netlink layer. */
public class NetlinkException extends RuntimeException {
    public NetlinkException(String message) {
        super(message);
    }

    public NetlinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
