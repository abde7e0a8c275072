package org.mptcpstate.kernel;

import org.mptcpstate.netlink.GenericNetlink;
import org.mptcpstate.netlink.InetDiag;
import org.mptcpstate.netlink.MalformedMessageException;
import org.mptcpstate.netlink.NetlinkMessage;
import org.mptcpstate.netlink.NetlinkTestAccess;
import org.mptcpstate.netlink.RtNetlink;

import java.util.List;

/** Every decoder of the product, for tests that feed them captured, cut or mutated messages. */
final class Decoders {
    static final int GENL_ID_CTRL = 0x10;
    private static final int MPTCP_CMD_GET_LIMITS = MptcpPm.CMD_GET_LIMITS;

    private Decoders() {}

    /** Whether a capture was made on a NETLINK_ROUTE socket (message types are numbered per protocol). */
    static boolean isRoute(String capture) {
        return capture.startsWith("rtnl-");
    }

    /**
     * The decoder that fits the message's type on its protocol (mptcp_pm replies by genl command); null for
     * types no decoder reads.
     */
    static Object decode(NetlinkMessage message, boolean route, int mptcpFamily) {
        int type = message.type();
        if (type == NetlinkMessage.NLMSG_ERROR || type == NetlinkMessage.NLMSG_DONE) {
            return NetlinkTestAccess.extendedAckMessage(message);
        }
        if (!route) {
            if (type == GENL_ID_CTRL) {
                return NetlinkTestAccess.parseFamily(message);
            }
            if (type == mptcpFamily) {
                GenericNetlink.Message genl =
                        GenericNetlink.messages(List.of(message)).get(0);
                return genl.command() == MPTCP_CMD_GET_LIMITS
                        ? MptcpPm.decodeLimits(genl)
                        : MptcpPm.decodeEndpoint(genl);
            }
            return null;
        }
        if (type == RtNetlink.RTM_NEWLINK) {
            return RtNetlink.parseLink(message);
        }
        if (type == RtNetlink.RTM_NEWADDR) {
            return RtNetlink.parseAddress(message);
        }
        if (type == RtNetlink.RTM_NEWROUTE) {
            return RtNetlink.parseRoute(message);
        }
        return null;
    }

    /** The fixed header in front of the attributes of a message of this type. */
    static int fixedHeader(int type, boolean route, int mptcpFamily) {
        if (type < 0x10) {
            return 0;
        }
        if (!route) {
            return type == GENL_ID_CTRL || type == mptcpFamily ? GenericNetlink.GENL_HEADER : 0;
        }
        return switch (type) {
            case RtNetlink.RTM_NEWLINK -> 16;
            case RtNetlink.RTM_NEWADDR -> 8;
            case RtNetlink.RTM_NEWROUTE -> 12;
            default -> 0;
        };
    }

    /**
     * Runs every decoder on the message, whatever its type. Each may refuse it with
     * {@link MalformedMessageException}; anything else thrown escapes to the caller.
     */
    static void decodeWithAll(NetlinkMessage message) {
        attempt(() -> RtNetlink.parseLink(message));
        attempt(() -> RtNetlink.parseAddress(message));
        attempt(() -> RtNetlink.parseRoute(message));
        attempt(() -> RtNetlink.parseNeighbour(message));
        attempt(() -> {
            InetDiag.Socket socket = InetDiag.parse(message);
            return MptcpDiag.connections(List.of(socket), List.of(socket));
        });
        attempt(() -> NetlinkTestAccess.parseFamily(message));
        attempt(() -> NetlinkTestAccess.extendedAckMessage(message));
        attempt(() -> {
            GenericNetlink.Message genl =
                    GenericNetlink.messages(List.of(message)).get(0);
            attempt(() -> MptcpPm.decodeEndpoint(genl));
            attempt(() -> MptcpPm.decodeLimits(genl));
            return genl;
        });
    }

    private interface Decoding {
        Object run();
    }

    private static void attempt(Decoding decoding) {
        try {
            decoding.run();
        } catch (MalformedMessageException expected) {
            // the one failure a decoder may report
        }
    }
}
