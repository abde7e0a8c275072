package org.mptcpstate.kernel;

import java.net.InetAddress;

/**
 * One event of the {@code mptcp_pm_events} multicast group. Fields the event does not carry are null. Local
 * means this host's side: saddr/sport; remote the peer's: daddr/dport (ports are big-endian on the wire, here
 * plain numbers). {@code interfaceName} is resolved from {@code interfaceIndex} through rtnetlink, null when
 * the link is gone.
 */
public record MptcpEvent(
        int type,
        Long token,
        Integer family,
        Integer localId,
        Integer remoteId,
        InetAddress localAddress,
        Integer localPort,
        InetAddress remoteAddress,
        Integer remotePort,
        Boolean backup,
        Integer interfaceIndex,
        String interfaceName,
        Integer error,
        Integer flags,
        Long timeout,
        Long resetReason,
        Long resetFlags,
        Boolean serverSide) {
    public static final int CREATED = 1;
    public static final int ESTABLISHED = 2;
    public static final int CLOSED = 3;
    public static final int ANNOUNCED = 6;
    public static final int REMOVED = 7;
    public static final int SUB_ESTABLISHED = 10;
    public static final int SUB_CLOSED = 11;
    public static final int SUB_PRIORITY = 13;
    public static final int LISTENER_CREATED = 15;
    public static final int LISTENER_CLOSED = 16;

    /** The event's name as mptcpstate prints it; {@code event-N} for a type this version does not know. */
    public String name() {
        return switch (type) {
            case CREATED -> "created";
            case ESTABLISHED -> "established";
            case CLOSED -> "closed";
            case ANNOUNCED -> "announced";
            case REMOVED -> "removed";
            case SUB_ESTABLISHED -> "sub-established";
            case SUB_CLOSED -> "sub-closed";
            case SUB_PRIORITY -> "sub-priority";
            case LISTENER_CREATED -> "listener-created";
            case LISTENER_CLOSED -> "listener-closed";
            default -> "event-" + type;
        };
    }

    /** The connection token as 8 hex digits (as ss and ip mptcp monitor print it), or null. */
    public String tokenHex() {
        return token == null ? null : String.format("%08x", token);
    }

    /** "ipv4", "ipv6", or the number of another family; null when absent. */
    public String familyName() {
        if (family == null) {
            return null;
        }
        return family == MptcpPm.AF_INET ? "ipv4" : family == MptcpPm.AF_INET6 ? "ipv6" : String.valueOf(family);
    }

    public MptcpEvent withInterfaceName(String name) {
        return new MptcpEvent(
                type,
                token,
                family,
                localId,
                remoteId,
                localAddress,
                localPort,
                remoteAddress,
                remotePort,
                backup,
                interfaceIndex,
                name,
                error,
                flags,
                timeout,
                resetReason,
                resetFlags,
                serverSide);
    }
}
