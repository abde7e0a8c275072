package org.mptcpstate.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** rtnetlink dumps of links, addresses and routes, decoded into plain records. */
public final class RtNetlink {
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;
    public static final int RTM_NEWNEIGH = 28;
    public static final int RTM_GETNEIGH = 30;

    public static final int AF_UNSPEC = 0;
    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;

    public static final int RT_TABLE_MAIN = 254;
    public static final int RTN_UNICAST = 1;

    static final int IFINFOMSG = 16;
    static final int IFADDRMSG = 8;
    static final int RTMSG = 12;
    static final int NDMSG = 12;

    /** rtm_flags of a lookup: report the table the lookup really used (0 when no route matched, see below). */
    public static final int RTM_F_LOOKUP_TABLE = 0x1000;

    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_OPERSTATE = 16;
    private static final int IFLA_LINKINFO = 18;
    private static final int IFLA_INFO_KIND = 1;
    private static final int IFLA_EXT_MASK = 29;
    private static final int RTEXT_FILTER_SKIP_STATS = 1 << 3;

    private static final int IFA_ADDRESS = 1;
    private static final int IFA_LOCAL = 2;
    private static final int IFA_LABEL = 3;
    private static final int IFA_FLAGS = 8;

    private static final int RTA_DST = 1;
    private static final int RTA_SRC = 2;
    private static final int RTA_OIF = 4;
    private static final int RTA_GATEWAY = 5;
    private static final int RTA_PRIORITY = 6;
    private static final int RTA_PREFSRC = 7;
    private static final int RTA_MULTIPATH = 9;
    private static final int RTA_TABLE = 15;

    private static final int NDA_DST = 1;

    private RtNetlink() {}

    /** A network interface as RTM_NEWLINK describes it. */
    public record Link(int index, String name, String kind, int flags, int hardwareType, int operState) {
        public static final int IFF_UP = 0x1;
        public static final int IFF_LOOPBACK = 0x8;
        public static final int ARPHRD_ETHER = 1;
        public static final int ARPHRD_LOOPBACK = 772;
    }

    /**
     * An interface address as RTM_NEWADDR describes it. {@code flags} is IFA_FLAGS when present (it supersedes
     * the 8-bit header field); {@code local} is IFA_LOCAL when present, else IFA_ADDRESS.
     */
    public record Address(
            int family, int prefixLength, int flags, int scope, int index, InetAddress local, String label) {
        public static final int IFA_F_SECONDARY = 0x01;
        public static final int IFA_F_DADFAILED = 0x08;
        public static final int IFA_F_DEPRECATED = 0x20;
        public static final int IFA_F_TENTATIVE = 0x40;
        public static final int IFA_F_PERMANENT = 0x80;
    }

    /** A route as RTM_NEWROUTE describes it; {@code outputInterfaces} holds RTA_OIF or every nexthop's. */
    public record Route(
            int family,
            int destinationLength,
            int table,
            int protocol,
            int scope,
            int type,
            InetAddress destination,
            InetAddress gateway,
            InetAddress preferredSource,
            int priority,
            List<Integer> outputInterfaces) {
        public Route {
            outputInterfaces = List.copyOf(outputInterfaces);
        }

        public boolean isDefault() {
            return destinationLength == 0 && type == RTN_UNICAST;
        }
    }

    public static List<Link> dumpLinks(NetlinkSocket socket) {
        byte[] attributes = new AttributeEncoder()
                .u32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS)
                .toBytes();
        ByteBuffer request = ByteBuffer.allocate(IFINFOMSG + attributes.length).order(ByteOrder.nativeOrder());
        request.put((byte) AF_UNSPEC).position(IFINFOMSG).put(attributes);
        List<Link> links = new ArrayList<>();
        for (NetlinkMessage message : socket.dump(RTM_GETLINK, request.array())) {
            if (message.type() == RTM_NEWLINK) {
                links.add(parseLink(message));
            }
        }
        return links;
    }

    public static List<Address> dumpAddresses(NetlinkSocket socket) {
        byte[] request = new byte[IFADDRMSG];
        List<Address> addresses = new ArrayList<>();
        for (NetlinkMessage message : socket.dump(RTM_GETADDR, request)) {
            if (message.type() == RTM_NEWADDR) {
                addresses.add(parseAddress(message));
            }
        }
        return addresses;
    }

    /** Routes of one table (strict checking makes the kernel filter by table), both address families. */
    public static List<Route> dumpRoutes(NetlinkSocket socket, int table) {
        byte[] request = new byte[RTMSG];
        request[4] = (byte) Math.min(table, 255);
        List<Route> routes = new ArrayList<>();
        for (NetlinkMessage message : socket.dump(RTM_GETROUTE, request)) {
            if (message.type() == RTM_NEWROUTE) {
                Route route = parseRoute(message);
                if (route.table() == table) {
                    routes.add(route);
                }
            }
        }
        return routes;
    }

    /**
     * The kernel's own route lookup (RTM_GETROUTE, not a dump; what {@code ip route get DST from SRC oif DEV}
     * does): the route packets from {@code source} (may be null) to {@code destination} would take, policy rules
     * included, restricted to {@code outputInterface} when it is not 0 (as for a socket bound to a device). It
     * asks for RTM_F_LOOKUP_TABLE, so {@link Route#table()} is the table whose route matched; it is 0 when none
     * did and the kernel fell back to assuming the destination is on the link of {@code outputInterface}. A
     * destination without a route throws {@link KernelErrorException} (ENETUNREACH, EHOSTUNREACH, ...).
     */
    public static Route lookupRoute(
            NetlinkSocket socket, InetAddress source, InetAddress destination, int outputInterface) {
        int family = destination.getAddress().length == 4 ? AF_INET : AF_INET6;
        int bits = family == AF_INET ? 32 : 128;
        AttributeEncoder attributes = new AttributeEncoder().bytes(RTA_DST, destination.getAddress());
        if (source != null) {
            attributes.bytes(RTA_SRC, source.getAddress());
        }
        if (outputInterface != 0) {
            attributes.u32(RTA_OIF, outputInterface);
        }
        byte[] encoded = attributes.toBytes();
        ByteBuffer request = ByteBuffer.allocate(RTMSG + encoded.length).order(ByteOrder.nativeOrder());
        request.put(0, (byte) family);
        request.put(1, (byte) bits);
        request.put(2, (byte) (source == null ? 0 : bits));
        request.putInt(8, RTM_F_LOOKUP_TABLE);
        request.put(RTMSG, encoded);
        for (NetlinkMessage message : socket.request(RTM_GETROUTE, 0, request.array())) {
            if (message.type() == RTM_NEWROUTE) {
                return parseRoute(message);
            }
        }
        throw new MalformedMessageException("RTM_GETROUTE for " + destination.getHostAddress() + " got no route");
    }

    /**
     * A neighbour (ARP or NDP) entry as RTM_NEWNEIGH describes it; {@code state} is the NUD_* bitmask, {@code
     * destination} null for entries without one.
     */
    public record Neighbour(int family, int interfaceIndex, int state, int flags, InetAddress destination) {
        public static final int NUD_INCOMPLETE = 0x01;
        public static final int NUD_REACHABLE = 0x02;
        public static final int NUD_STALE = 0x04;
        public static final int NUD_DELAY = 0x08;
        public static final int NUD_PROBE = 0x10;
        public static final int NUD_FAILED = 0x20;
        public static final int NUD_NOARP = 0x40;
        public static final int NUD_PERMANENT = 0x80;
    }

    /** The neighbour tables of both address families, every interface. */
    public static List<Neighbour> dumpNeighbours(NetlinkSocket socket) {
        List<Neighbour> neighbours = new ArrayList<>();
        for (NetlinkMessage message : socket.dump(RTM_GETNEIGH, new byte[NDMSG])) {
            if (message.type() == RTM_NEWNEIGH) {
                neighbours.add(parseNeighbour(message));
            }
        }
        return neighbours;
    }

    public static Neighbour parseNeighbour(NetlinkMessage message) {
        ByteBuffer header = header(message, NDMSG, "neighbour");
        int family = Byte.toUnsignedInt(header.get(0));
        int index = header.getInt(4);
        int state = Short.toUnsignedInt(header.getShort(8));
        int flags = Byte.toUnsignedInt(header.get(10));
        AttributeDecoder attributes = AttributeDecoder.of(message.payloadFrom(NDMSG), "neighbour on link " + index);
        InetAddress destination = null;
        while (attributes.next()) {
            if (attributes.type() == NDA_DST && (family == AF_INET || family == AF_INET6)) {
                destination = toInet(attributes.bytes(), family, attributes);
            }
        }
        attributes.check();
        return new Neighbour(family, index, state, flags, destination);
    }

    /** Routes of every table, both address families. */
    public static List<Route> dumpAllRoutes(NetlinkSocket socket) {
        List<Route> routes = new ArrayList<>();
        for (NetlinkMessage message : socket.dump(RTM_GETROUTE, new byte[RTMSG])) {
            if (message.type() == RTM_NEWROUTE) {
                routes.add(parseRoute(message));
            }
        }
        return routes;
    }

    public static Link parseLink(NetlinkMessage message) {
        ByteBuffer header = header(message, IFINFOMSG, "link");
        int type = Short.toUnsignedInt(header.getShort(2));
        int index = header.getInt(4);
        int flags = header.getInt(8);
        AttributeDecoder attributes = AttributeDecoder.of(message.payloadFrom(IFINFOMSG), "link " + index);
        String name = null;
        String kind = null;
        int operState = 0;
        while (attributes.next()) {
            switch (attributes.type()) {
                case IFLA_IFNAME -> name = attributes.string();
                case IFLA_OPERSTATE -> operState = attributes.u8();
                case IFLA_LINKINFO -> {
                    AttributeDecoder info = attributes.nested();
                    while (info.next()) {
                        if (info.type() == IFLA_INFO_KIND) {
                            kind = info.string();
                        }
                    }
                }
                default -> {}
            }
        }
        if (name == null) {
            attributes.reject("has no IFLA_IFNAME");
        }
        attributes.check();
        return new Link(index, name, kind, flags, type, operState);
    }

    public static Address parseAddress(NetlinkMessage message) {
        ByteBuffer header = header(message, IFADDRMSG, "address");
        int family = Byte.toUnsignedInt(header.get(0));
        int prefixLength = Byte.toUnsignedInt(header.get(1));
        int flags = Byte.toUnsignedInt(header.get(2));
        int scope = Byte.toUnsignedInt(header.get(3));
        int index = header.getInt(4);
        AttributeDecoder attributes = AttributeDecoder.of(message.payloadFrom(IFADDRMSG), "address on link " + index);
        byte[] address = null;
        byte[] local = null;
        String label = null;
        while (attributes.next()) {
            switch (attributes.type()) {
                case IFA_ADDRESS -> address = attributes.bytes();
                case IFA_LOCAL -> local = attributes.bytes();
                case IFA_LABEL -> label = attributes.string();
                case IFA_FLAGS -> flags = attributes.u32();
                default -> {}
            }
        }
        byte[] chosen = local != null ? local : address;
        InetAddress inet = chosen == null ? null : toInet(chosen, family, attributes);
        if (chosen == null) {
            attributes.reject("has neither IFA_LOCAL nor IFA_ADDRESS");
        }
        attributes.check();
        return new Address(family, prefixLength, flags, scope, index, inet, label);
    }

    public static Route parseRoute(NetlinkMessage message) {
        ByteBuffer header = header(message, RTMSG, "route");
        int family = Byte.toUnsignedInt(header.get(0));
        int destinationLength = Byte.toUnsignedInt(header.get(1));
        int table = Byte.toUnsignedInt(header.get(4));
        int protocol = Byte.toUnsignedInt(header.get(5));
        int scope = Byte.toUnsignedInt(header.get(6));
        int type = Byte.toUnsignedInt(header.get(7));
        AttributeDecoder attributes = AttributeDecoder.of(message.payloadFrom(RTMSG), "route");
        InetAddress destination = null;
        InetAddress gateway = null;
        InetAddress preferredSource = null;
        int priority = 0;
        List<Integer> interfaces = new ArrayList<>(1);
        while (attributes.next()) {
            switch (attributes.type()) {
                case RTA_TABLE -> table = attributes.u32();
                case RTA_OIF -> interfaces.add(attributes.u32());
                case RTA_DST -> destination = toInet(attributes.bytes(), family, attributes);
                case RTA_GATEWAY -> gateway = toInet(attributes.bytes(), family, attributes);
                case RTA_PREFSRC -> preferredSource = toInet(attributes.bytes(), family, attributes);
                case RTA_PRIORITY -> priority = attributes.u32();
                case RTA_MULTIPATH -> readNexthops(attributes, interfaces);
                default -> {}
            }
        }
        attributes.check();
        return new Route(
                family,
                destinationLength,
                table,
                protocol,
                scope,
                type,
                destination,
                gateway,
                preferredSource,
                priority,
                interfaces);
    }

    /** RTA_MULTIPATH is a packed array of rtnexthop (len u16, flags u8, hops u8, ifindex s32, attributes). */
    private static void readNexthops(AttributeDecoder attributes, List<Integer> interfaces) {
        ByteBuffer hops = attributes.value();
        while (hops.remaining() >= 8) {
            int start = hops.position();
            int length = Short.toUnsignedInt(hops.getShort(start));
            if (length < 8 || length > hops.remaining()) {
                attributes.reject("RTA_MULTIPATH nexthop claims length " + length);
                return;
            }
            interfaces.add(hops.getInt(start + 4));
            hops.position(start + Math.min(AttributeDecoder.align(length), hops.remaining()));
        }
    }

    private static ByteBuffer header(NetlinkMessage message, int size, String what) {
        if (message.payload().remaining() < size) {
            throw new MalformedMessageException(what + " message (type " + message.type() + ") of "
                    + message.payload().remaining() + " bytes is shorter than its " + size + "-byte header");
        }
        return message.payload();
    }

    static InetAddress toInet(byte[] bytes, int family, AttributeDecoder errors) {
        int expected = family == AF_INET ? 4 : family == AF_INET6 ? 16 : -1;
        if (bytes.length != expected) {
            errors.reject("address of " + bytes.length + " bytes for family " + family);
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            errors.reject("address of " + bytes.length + " bytes");
            return null;
        }
    }
}
