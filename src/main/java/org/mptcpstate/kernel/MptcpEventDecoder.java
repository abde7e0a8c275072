package org.mptcpstate.kernel;

import org.mptcpstate.netlink.AttributeDecoder;
import org.mptcpstate.netlink.GenericNetlink;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;

/**
 * Decodes {@code mptcp_pm_events} messages (uapi linux/mptcp_pm.h, enum mptcp_event_attr): the genl command is
 * the event type. Ports (SPORT, DPORT) are big-endian, unlike the endpoint port attribute. Attributes of
 * newer kernels are skipped; a malformed attribute throws {@link org.mptcpstate.netlink.MalformedMessageException}.
 */
public final class MptcpEventDecoder {
    static final int ATTR_TOKEN = 1; // u32
    static final int ATTR_FAMILY = 2; // u16
    static final int ATTR_LOC_ID = 3; // u8
    static final int ATTR_REM_ID = 4; // u8
    static final int ATTR_SADDR4 = 5; // be32
    static final int ATTR_SADDR6 = 6; // in6_addr
    static final int ATTR_DADDR4 = 7; // be32
    static final int ATTR_DADDR6 = 8; // in6_addr
    static final int ATTR_SPORT = 9; // be16
    static final int ATTR_DPORT = 10; // be16
    static final int ATTR_BACKUP = 11; // u8
    static final int ATTR_ERROR = 12; // u8
    static final int ATTR_FLAGS = 13; // u16
    static final int ATTR_TIMEOUT = 14; // u32
    static final int ATTR_IF_IDX = 15; // s32
    static final int ATTR_RESET_REASON = 16; // u32
    static final int ATTR_RESET_FLAGS = 17; // u32
    static final int ATTR_SERVER_SIDE = 18; // u8

    private MptcpEventDecoder() {}

    public static MptcpEvent decode(GenericNetlink.Message message) {
        AttributeDecoder attributes = message.decoder("mptcp_pm event " + message.command());
        Long token = null;
        Integer family = null;
        Integer localId = null;
        Integer remoteId = null;
        InetAddress local = null;
        Integer localPort = null;
        InetAddress remote = null;
        Integer remotePort = null;
        Boolean backup = null;
        Integer interfaceIndex = null;
        Integer error = null;
        Integer flags = null;
        Long timeout = null;
        Long resetReason = null;
        Long resetFlags = null;
        Boolean serverSide = null;
        while (attributes.next()) {
            switch (attributes.type()) {
                case ATTR_TOKEN -> token = attributes.u32AsLong();
                case ATTR_FAMILY -> family = attributes.u16();
                case ATTR_LOC_ID -> localId = attributes.u8();
                case ATTR_REM_ID -> remoteId = attributes.u8();
                case ATTR_SADDR4 -> local = address(attributes, 4, "saddr4");
                case ATTR_SADDR6 -> local = address(attributes, 16, "saddr6");
                case ATTR_DADDR4 -> remote = address(attributes, 4, "daddr4");
                case ATTR_DADDR6 -> remote = address(attributes, 16, "daddr6");
                case ATTR_SPORT -> localPort = attributes.u16BigEndian();
                case ATTR_DPORT -> remotePort = attributes.u16BigEndian();
                case ATTR_BACKUP -> backup = attributes.u8() != 0;
                case ATTR_ERROR -> error = attributes.u8();
                case ATTR_FLAGS -> flags = attributes.u16();
                case ATTR_TIMEOUT -> timeout = attributes.u32AsLong();
                case ATTR_IF_IDX -> interfaceIndex = attributes.s32();
                case ATTR_RESET_REASON -> resetReason = attributes.u32AsLong();
                case ATTR_RESET_FLAGS -> resetFlags = attributes.u32AsLong();
                case ATTR_SERVER_SIDE -> serverSide = attributes.u8() != 0;
                default -> {
                    // attributes of newer kernels
                }
            }
        }
        attributes.check();
        return new MptcpEvent(
                message.command(),
                token,
                family,
                localId,
                remoteId,
                local,
                localPort,
                remote,
                remotePort,
                backup,
                interfaceIndex,
                null,
                error,
                flags,
                timeout,
                resetReason,
                resetFlags,
                serverSide);
    }

    private static InetAddress address(AttributeDecoder attributes, int length, String what) {
        byte[] bytes = attributes.bytes();
        if (bytes.length != length) {
            attributes.reject(what + " is " + bytes.length + " bytes, not " + length);
            return null;
        }
        try {
            // keep a v4-mapped IPv6 address as IPv6, as the kernel sent it
            return length == 16
                    ? Inet6Address.getByAddress(null, bytes, (NetworkInterface) null)
                    : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            attributes.reject(what + " is unreadable");
            return null;
        }
    }
}
