package org.mptcpstate.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * sock_diag dumps of inet sockets (what {@code ss} reads): the request {@code struct inet_diag_req_v2}, the reply
 * {@code struct inet_diag_msg} and the attributes a caller asks for, undecoded ({@code INET_DIAG_INFO}, the ULP
 * nest). The meaning of those payloads belongs to the caller.
 */
public final class InetDiag {
    public static final int SOCK_DIAG_BY_FAMILY = 20;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_MPTCP = 262;

    /** {@code idiag_ext} bit asking for INET_DIAG_INFO (1 << (INET_DIAG_INFO - 1)). */
    public static final int EXT_INFO = 1 << (2 - 1);

    /** Every TCP state: {@code idiag_states} is a bitmask of 1 << state. */
    public static final int ALL_STATES = 0xffffffff;

    /** TCP state numbers (include/net/tcp_states.h), which MPTCP sockets use too. */
    public static final int TCP_ESTABLISHED = 1;

    public static final int TCP_SYN_SENT = 2;
    public static final int TCP_LISTEN = 10;

    static final int REQUEST = 56;
    static final int MESSAGE = 72;

    private static final int INET_DIAG_REQ_PROTOCOL = 3;
    private static final int INET_DIAG_INFO = 2;
    private static final int INET_DIAG_ULP_INFO = 19;
    private static final int INET_ULP_INFO_NAME = 1;
    private static final int INET_ULP_INFO_MPTCP = 3;

    private InetDiag() {}

    /**
     * One socket of a dump. {@code info} is the INET_DIAG_INFO payload ({@code struct tcp_info} for TCP, {@code
     * struct mptcp_info} for MPTCP) or null; {@code ulpName} and {@code ulpMptcp} come from INET_DIAG_ULP_INFO
     * (the ULP's name, and its INET_ULP_INFO_MPTCP nest as raw attributes), or null.
     */
    public record Socket(
            int family,
            int state,
            InetAddress localAddress,
            int localPort,
            InetAddress remoteAddress,
            int remotePort,
            int interfaceIndex,
            ByteBuffer info,
            String ulpName,
            ByteBuffer ulpMptcp) {}

    /**
     * Dumps the sockets of one family and protocol in the given states. Protocols above 255 (IPPROTO_MPTCP) do
     * not fit the request's byte: as {@code ss} does, the byte holds the low 8 bits and the request attribute
     * INET_DIAG_REQ_PROTOCOL the full number, which the kernel prefers.
     */
    public static List<Socket> dump(NetlinkSocket socket, int family, int protocol, int extensions, int states) {
        List<Socket> sockets = new ArrayList<>();
        for (NetlinkMessage message : socket.dump(SOCK_DIAG_BY_FAMILY, request(family, protocol, extensions, states))) {
            if (message.type() == SOCK_DIAG_BY_FAMILY) {
                sockets.add(parse(message));
            }
        }
        return sockets;
    }

    static byte[] request(int family, int protocol, int extensions, int states) {
        byte[] attributes = protocol > 0xff
                ? new AttributeEncoder().u32(INET_DIAG_REQ_PROTOCOL, protocol).toBytes()
                : new byte[0];
        ByteBuffer request = ByteBuffer.allocate(REQUEST + attributes.length).order(ByteOrder.nativeOrder());
        request.put(0, (byte) family);
        request.put(1, (byte) (protocol & 0xff));
        request.put(2, (byte) extensions);
        request.putInt(4, states);
        request.put(REQUEST, attributes);
        return request.array();
    }

    public static Socket parse(NetlinkMessage message) {
        ByteBuffer header = message.payload();
        if (header.remaining() < MESSAGE) {
            throw new MalformedMessageException("inet_diag message of " + header.remaining()
                    + " bytes is shorter than its " + MESSAGE + "-byte header");
        }
        int base = header.position();
        int family = Byte.toUnsignedInt(header.get(base));
        int state = Byte.toUnsignedInt(header.get(base + 1));
        int localPort = bigEndian16(header, base + 4);
        int remotePort = bigEndian16(header, base + 6);
        InetAddress local = address(header, base + 8, family);
        InetAddress remote = address(header, base + 24, family);
        int interfaceIndex = header.getInt(base + 40);
        AttributeDecoder attributes = AttributeDecoder.of(message.payloadFrom(MESSAGE), "inet_diag socket");
        ByteBuffer info = null;
        String ulpName = null;
        ByteBuffer ulpMptcp = null;
        while (attributes.next()) {
            if (attributes.type() == INET_DIAG_INFO) {
                info = attributes.value();
            } else if (attributes.type() == INET_DIAG_ULP_INFO) {
                AttributeDecoder ulp = attributes.nested();
                while (ulp.next()) {
                    if (ulp.type() == INET_ULP_INFO_NAME) {
                        ulpName = ulp.string();
                    } else if (ulp.type() == INET_ULP_INFO_MPTCP) {
                        ulpMptcp = ulp.value();
                    }
                }
            }
        }
        attributes.check();
        return new Socket(family, state, local, localPort, remote, remotePort, interfaceIndex, info, ulpName, ulpMptcp);
    }

    private static int bigEndian16(ByteBuffer buffer, int at) {
        return Byte.toUnsignedInt(buffer.get(at)) << 8 | Byte.toUnsignedInt(buffer.get(at + 1));
    }

    private static InetAddress address(ByteBuffer buffer, int at, int family) {
        int length = family == RtNetlink.AF_INET ? 4 : family == RtNetlink.AF_INET6 ? 16 : 0;
        if (length == 0) {
            throw new MalformedMessageException("inet_diag socket of address family " + family);
        }
        byte[] bytes = new byte[length];
        buffer.get(at, bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new MalformedMessageException("inet_diag address of " + length + " bytes");
        }
    }
}
