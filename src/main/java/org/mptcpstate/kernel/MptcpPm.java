package org.mptcpstate.kernel;

import org.mptcpstate.netlink.AttributeDecoder;
import org.mptcpstate.netlink.AttributeEncoder;
import org.mptcpstate.netlink.GenericNetlink;
import org.mptcpstate.netlink.MalformedMessageException;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot.Limits;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;

/** The attributes and commands of the {@code mptcp_pm} generic netlink family (in-kernel path manager). */
final class MptcpPm {
    static final String FAMILY = "mptcp_pm";
    static final String EVENTS_GROUP = "mptcp_pm_events";

    static final int CMD_ADD_ADDR = 1;
    static final int CMD_DEL_ADDR = 2;
    static final int CMD_GET_ADDR = 3;
    static final int CMD_FLUSH_ADDRS = 4;
    static final int CMD_SET_LIMITS = 5;
    static final int CMD_GET_LIMITS = 6;
    static final int CMD_SET_FLAGS = 7;

    static final int ATTR_ADDR = 1;
    static final int ATTR_RCV_ADD_ADDRS = 2;
    static final int ATTR_SUBFLOWS = 3;

    static final int ADDR_FAMILY = 1;
    static final int ADDR_ID = 2;
    static final int ADDR_ADDR4 = 3;
    static final int ADDR_ADDR6 = 4;
    static final int ADDR_PORT = 5;
    static final int ADDR_FLAGS = 6;
    static final int ADDR_IF_IDX = 7;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    private MptcpPm() {}

    /** Decodes one get-addr reply: a top-level ADDR nest holding the endpoint. */
    static KernelEndpoint decodeEndpoint(GenericNetlink.Message message) {
        AttributeDecoder top = message.decoder("mptcp_pm get-addr reply");
        KernelEndpoint endpoint = null;
        while (top.next()) {
            if (top.type() == ATTR_ADDR) {
                endpoint = decodeAddress(top.nested());
            }
        }
        top.check();
        if (endpoint == null) {
            throw new MalformedMessageException("mptcp_pm get-addr reply carries no address attribute");
        }
        return endpoint;
    }

    static KernelEndpoint decodeAddress(AttributeDecoder nest) {
        int family = 0;
        int id = 0;
        byte[] address = null;
        int port = 0;
        int flags = 0;
        int interfaceIndex = 0;
        while (nest.next()) {
            switch (nest.type()) {
                case ADDR_FAMILY -> family = nest.u16();
                case ADDR_ID -> id = nest.u8();
                case ADDR_ADDR4, ADDR_ADDR6 -> address = nest.bytes();
                case ADDR_PORT -> port = nest.u16();
                case ADDR_FLAGS -> flags = nest.u32();
                case ADDR_IF_IDX -> interfaceIndex = nest.s32();
                default -> {
                    // attributes of newer kernels: nothing in them changes what an endpoint is
                }
            }
        }
        InetAddress inet = null;
        if (address == null) {
            nest.reject("endpoint " + id + " has no address");
        } else if (!(family == AF_INET && address.length == 4) && !(family == AF_INET6 && address.length == 16)) {
            nest.reject("endpoint " + id + " has a " + address.length + "-byte address for family " + family);
        } else {
            try {
                // Inet6Address keeps a v4-mapped ::ffff:a.b.c.d as IPv6, as the kernel holds it;
                // InetAddress.getByAddress would turn it into the IPv4 address
                inet = family == AF_INET6
                        ? Inet6Address.getByAddress(null, address, (NetworkInterface) null)
                        : InetAddress.getByAddress(address);
            } catch (UnknownHostException e) {
                nest.reject("endpoint " + id + " has an unreadable address");
            }
        }
        nest.check();
        return new KernelEndpoint(id, inet, port, new EndpointFlags(flags), interfaceIndex);
    }

    /** Decodes the get-limits reply. */
    static Limits decodeLimits(GenericNetlink.Message message) {
        AttributeDecoder top = message.decoder("mptcp_pm get-limits reply");
        int subflows = -1;
        int addAddrAccepted = -1;
        while (top.next()) {
            switch (top.type()) {
                case ATTR_SUBFLOWS -> subflows = top.u32();
                case ATTR_RCV_ADD_ADDRS -> addAddrAccepted = top.u32();
                default -> {}
            }
        }
        if (subflows < 0 || addAddrAccepted < 0) {
            top.reject("limits reply lacks " + (subflows < 0 ? "subflows" : "add_addr_accepted"));
        }
        top.check();
        return new Limits(subflows, addAddrAccepted);
    }

    /**
     * add-addr: the ADDR nest as iproute2 builds it (NLA_F_NESTED set): id only when one is chosen (id 0 is never
     * sent), flags only when some are set, if-idx and port only when not 0, then family and the address.
     */
    static byte[] encodeAddEndpoint(int id, InetAddress address, int port, EndpointFlags flags, int interfaceIndex) {
        AttributeEncoder nest = new AttributeEncoder();
        if (id != 0) {
            nest.u8(ADDR_ID, id);
        }
        if (!flags.isEmpty()) {
            nest.u32(ADDR_FLAGS, flags.bits());
        }
        if (interfaceIndex != 0) {
            nest.s32(ADDR_IF_IDX, interfaceIndex);
        }
        if (port != 0) {
            nest.u16(ADDR_PORT, port); // host byte order: the kernel applies htons itself
        }
        boolean v4 = address instanceof Inet4Address;
        nest.u16(ADDR_FAMILY, v4 ? AF_INET : AF_INET6);
        nest.bytes(v4 ? ADDR_ADDR4 : ADDR_ADDR6, address.getAddress());
        return new AttributeEncoder().nested(ATTR_ADDR, nest).toBytes();
    }

    /**
     * del-addr: the ADDR nest with the id alone, as {@code ip mptcp endpoint delete id N} sends it. The kernel
     * looks the endpoint up by id; a request without an id (id 0) would take its special path for the id-0
     * address of live connections and be acknowledged without deleting anything.
     */
    static byte[] encodeEndpointId(int id) {
        return new AttributeEncoder()
                .nested(ATTR_ADDR, new AttributeEncoder().u8(ADDR_ID, id))
                .toBytes();
    }

    /**
     * set-flags: the ADDR nest with id and flags, as {@code ip mptcp endpoint change id N ...} sends it. Without a
     * family the kernel looks the endpoint up by id; it takes backup and fullmesh from the flags and replaces
     * both. The flags are sent even when 0 (iproute2 leaves them out then, which the kernel reads as 0 too).
     */
    static byte[] encodeSetFlags(int id, EndpointFlags flags) {
        return new AttributeEncoder()
                .nested(ATTR_ADDR, new AttributeEncoder().u8(ADDR_ID, id).u32(ADDR_FLAGS, flags.bits()))
                .toBytes();
    }

    /** set-limits: each limit only when given, add_addr_accepted first as iproute2 does. */
    static byte[] encodeLimits(Integer subflows, Integer addAddrAccepted) {
        AttributeEncoder attributes = new AttributeEncoder();
        if (addAddrAccepted != null) {
            attributes.u32(ATTR_RCV_ADD_ADDRS, addAddrAccepted);
        }
        if (subflows != null) {
            attributes.u32(ATTR_SUBFLOWS, subflows);
        }
        return attributes.toBytes();
    }

    static byte[] noAttributes() {
        return new AttributeEncoder().toBytes();
    }
}
