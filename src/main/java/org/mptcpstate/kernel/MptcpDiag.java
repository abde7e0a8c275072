package org.mptcpstate.kernel;

import org.mptcpstate.netlink.AttributeDecoder;
import org.mptcpstate.netlink.InetDiag;
import org.mptcpstate.netlink.NetlinkSocket;
import org.mptcpstate.netlink.RtNetlink;
import org.mptcpstate.state.MptcpConnection;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The namespace's MPTCP connections and their subflows over sock_diag, as {@code ss -M} and {@code ss -ti} read
 * them: one MPTCP dump per address family ({@code struct mptcp_info} of each connection), one TCP dump per family
 * (the subflows are the TCP sockets whose ULP is mptcp, tied to their connection by the local token). Layouts
 * are decoded by the length the kernel sent: an older kernel's shorter struct leaves the later fields at -1.
 */
final class MptcpDiag {
    /** Subflow states worth reading: established, and joins being opened or accepted. */
    private static final int SUBFLOW_STATES =
            1 << InetDiag.TCP_ESTABLISHED | 1 << InetDiag.TCP_SYN_SENT | 1 << 3; // TCP_SYN_RECV

    // INET_ULP_INFO_MPTCP attributes (include/uapi/linux/mptcp.h, MPTCP_SUBFLOW_ATTR_*)
    private static final int SUBFLOW_TOKEN_LOCAL = 2;
    private static final int SUBFLOW_FLAGS = 8;
    private static final int SUBFLOW_ID_REMOTE = 9;
    private static final int SUBFLOW_ID_LOCAL = 10;

    // struct tcp_info offsets (stable since Linux 4.x)
    private static final int TCPI_BYTES_ACKED = 120;
    private static final int TCPI_BYTES_RECEIVED = 128;

    // struct mptcp_info offsets
    private static final int MPTCPI_FLAGS = 8;
    private static final int MPTCPI_TOKEN = 12;
    private static final int MPTCPI_BYTES_SENT = 56;
    private static final int MPTCPI_BYTES_RECEIVED = 64;

    private MptcpDiag() {}

    static List<MptcpConnection> connections(NetlinkSocket socket) {
        List<InetDiag.Socket> mptcp = new ArrayList<>();
        List<InetDiag.Socket> tcp = new ArrayList<>();
        for (int family : new int[] {RtNetlink.AF_INET, RtNetlink.AF_INET6}) {
            tcp.addAll(InetDiag.dump(socket, family, InetDiag.IPPROTO_TCP, InetDiag.EXT_INFO, SUBFLOW_STATES));
            mptcp.addAll(InetDiag.dump(socket, family, InetDiag.IPPROTO_MPTCP, InetDiag.EXT_INFO, InetDiag.ALL_STATES));
        }
        return connections(mptcp, tcp);
    }

    /** The connections of an MPTCP dump (listeners left out), each with the subflows of a TCP dump it owns. */
    static List<MptcpConnection> connections(List<InetDiag.Socket> mptcp, List<InetDiag.Socket> tcp) {
        Map<Long, List<MptcpConnection.Subflow>> byToken = new LinkedHashMap<>();
        for (InetDiag.Socket socket : tcp) {
            if (socket.ulpMptcp() != null && "mptcp".equals(socket.ulpName())) {
                subflow(socket, byToken);
            }
        }
        List<MptcpConnection> connections = new ArrayList<>();
        for (InetDiag.Socket socket : mptcp) {
            if (socket.state() == InetDiag.TCP_LISTEN || socket.info() == null) {
                continue;
            }
            ByteBuffer info = socket.info();
            long token = u32(info, MPTCPI_TOKEN);
            List<MptcpConnection.Subflow> subflows = byToken.get(token);
            connections.add(new MptcpConnection(
                    socket.localAddress(),
                    socket.localPort(),
                    socket.remoteAddress(),
                    socket.remotePort(),
                    socket.state(),
                    token,
                    new MptcpConnection.Info(
                            u8(info, 0),
                            u8(info, 1),
                            u8(info, 2),
                            u8(info, 3),
                            u8(info, 4),
                            u8(info, 5),
                            (int) u32(info, MPTCPI_FLAGS),
                            u64(info, MPTCPI_BYTES_SENT),
                            u64(info, MPTCPI_BYTES_RECEIVED)),
                    subflows == null ? List.of() : subflows));
        }
        return connections;
    }

    private static void subflow(InetDiag.Socket tcp, Map<Long, List<MptcpConnection.Subflow>> byToken) {
        AttributeDecoder attributes = AttributeDecoder.of(tcp.ulpMptcp(), "mptcp subflow");
        long token = -1;
        int flags = 0;
        int localId = 0;
        int remoteId = 0;
        while (attributes.next()) {
            switch (attributes.type()) {
                case SUBFLOW_TOKEN_LOCAL -> token = attributes.u32AsLong();
                case SUBFLOW_FLAGS -> flags = attributes.u32();
                case SUBFLOW_ID_REMOTE -> remoteId = attributes.u8();
                case SUBFLOW_ID_LOCAL -> localId = attributes.u8();
                default -> {}
            }
        }
        attributes.check();
        ByteBuffer info = tcp.info();
        byToken.computeIfAbsent(token, NEW_LIST)
                .add(new MptcpConnection.Subflow(
                        tcp.localAddress(),
                        tcp.localPort(),
                        tcp.remoteAddress(),
                        tcp.remotePort(),
                        tcp.state(),
                        tcp.interfaceIndex(),
                        localId,
                        remoteId,
                        flags,
                        info == null ? -1 : u64(info, TCPI_BYTES_ACKED),
                        info == null ? -1 : u64(info, TCPI_BYTES_RECEIVED)));
    }

    /** A class, not a lambda (start-up time). */
    private static final java.util.function.Function<Long, List<MptcpConnection.Subflow>> NEW_LIST =
            new java.util.function.Function<>() {
                @Override
                public List<MptcpConnection.Subflow> apply(Long token) {
                    return new ArrayList<>();
                }
            };

    private static int u8(ByteBuffer buffer, int offset) {
        return buffer.remaining() >= offset + 1 ? Byte.toUnsignedInt(buffer.get(buffer.position() + offset)) : -1;
    }

    private static long u32(ByteBuffer buffer, int offset) {
        return buffer.remaining() >= offset + 4
                ? Integer.toUnsignedLong(buffer.getInt(buffer.position() + offset))
                : -1;
    }

    private static long u64(ByteBuffer buffer, int offset) {
        return buffer.remaining() >= offset + 8 ? buffer.getLong(buffer.position() + offset) : -1;
    }
}
