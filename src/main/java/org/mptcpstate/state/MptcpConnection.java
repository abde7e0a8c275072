package org.mptcpstate.state;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A live MPTCP connection of the namespace and its TCP subflows, as sock_diag reports them ({@code ss -M}, {@code
 * ss -ti}): the MPTCP socket's addresses, state and {@code struct mptcp_info}, and the subflows whose local token
 * is the connection's.
 *
 * @param state    the TCP state number of the MPTCP socket (1 established)
 * @param token    the connection's local token
 * @param info     what {@code struct mptcp_info} says of it
 * @param subflows its TCP subflows, in any state
 */
public record MptcpConnection(
        InetAddress localAddress,
        int localPort,
        InetAddress remoteAddress,
        int remotePort,
        int state,
        long token,
        Info info,
        List<Subflow> subflows) {
    public static final int ESTABLISHED = 1;

    public MptcpConnection {
        subflows = List.copyOf(subflows);
    }

    /**
     * The counters and limits of {@code struct mptcp_info}. {@code subflows} counts the additional subflows (not
     * the first), including a join still being opened; the limits are the namespace's as the connection saw them.
     * Fields an older kernel does not send are -1.
     */
    public record Info(
            int subflows,
            int addAddrSignal,
            int addAddrAccepted,
            int subflowsMax,
            int addAddrSignalMax,
            int addAddrAcceptedMax,
            int flags,
            long bytesSent,
            long bytesReceived) {
        /** mptcpi_flags: the connection fell back to plain TCP; no subflow can ever be added. */
        public static final int FLAG_FALLBACK = 0x1;
    }

    /**
     * One TCP subflow. {@code interfaceIndex} is the device the socket is bound to (0: unbound, routed by the
     * tables); {@code localId} and {@code remoteId} are the MPTCP address ids (0 for the first subflow's address);
     * {@code flags} are the kernel's MPTCP_SUBFLOW_FLAG_* bits; the byte counters come from {@code struct
     * tcp_info} (-1 when absent).
     */
    public record Subflow(
            InetAddress localAddress,
            int localPort,
            InetAddress remoteAddress,
            int remotePort,
            int state,
            int interfaceIndex,
            int localId,
            int remoteId,
            int flags,
            long bytesAcked,
            long bytesReceived) {
        /** MP_CAPABLE sent by this side: the first subflow of a connection this side opened. */
        public static final int FLAG_MCAP_LOCAL = 0x2;
        /** MP_JOIN sent by this side: a join this side opened. */
        public static final int FLAG_JOIN_LOCAL = 0x8;

        public boolean established() {
            return state == ESTABLISHED;
        }

        /** This side opened the subflow (it is the client of this subflow). */
        public boolean openedHere() {
            return (flags & (FLAG_MCAP_LOCAL | FLAG_JOIN_LOCAL)) != 0;
        }

        /** Data went through it: bytes acknowledged by the peer or received from it. */
        public boolean carriedData() {
            return bytesAcked > 0 || bytesReceived > 0;
        }
    }

    public boolean established() {
        return state == ESTABLISHED;
    }

    /** This side opened the connection (its subflows carry MP_CAPABLE or MP_JOIN sent from here). */
    public boolean openedHere() {
        for (Subflow subflow : subflows) {
            if (subflow.openedHere()) {
                return true;
            }
        }
        return false;
    }

    /** The subflows in the established state. */
    public List<Subflow> establishedSubflows() {
        List<Subflow> established = new ArrayList<>();
        for (Subflow subflow : subflows) {
            if (subflow.established()) {
                established.add(subflow);
            }
        }
        return established;
    }
}
