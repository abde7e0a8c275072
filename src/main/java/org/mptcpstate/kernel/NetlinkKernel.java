package org.mptcpstate.kernel;

import org.mptcpstate.netlink.Errno;
import org.mptcpstate.netlink.GenericNetlink;
import org.mptcpstate.netlink.KernelErrorException;
import org.mptcpstate.netlink.MalformedMessageException;
import org.mptcpstate.netlink.NetlinkException;
import org.mptcpstate.netlink.NetlinkSocket;
import org.mptcpstate.netlink.RtNetlink;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpConnection;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.DefaultRoutes;
import org.mptcpstate.state.Snapshot.Limits;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;
import org.mptcpstate.state.Snapshot.OperState;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The kernel port over netlink, for the namespace of the thread that opened it: one rtnetlink and one generic
 * netlink socket, one dump per object kind; writes are acknowledged mptcp_pm requests, and a write of
 * /proc/sys/net/mptcp/enabled. It also reads the {@link NetworkFacts} check needs (rp_filter, route lookups, endpoint managers).
 * What the netlink layer throws leaves it as a {@link KernelException}.
 *
 * <p><b>One thread, one namespace.</b> A NetlinkKernel belongs to the network namespace of the thread that
 * opened it: its sockets were created there. The /proc/sys/net files it reads and writes, however, resolve per
 * thread, in the namespace of whichever thread touches them. Called from another thread, it would mix the
 * sockets' namespace with that thread's sysctls. So every call must come from the thread that opened it, which is
 * checked: any other thread gets {@link IllegalStateException}. The CLI runs the whole kernel work of a command
 * inside one {@link org.mptcpstate.netlink.NetworkNamespace#call} (open, query, write, verify, close).
 * {@link #close()} is the one call not checked, so that cleanup never throws; it belongs on that thread too.
 */
public final class NetlinkKernel implements MptcpKernel, NetworkFacts {
    static final Path IPV4_CONF = Path.of("/proc/sys/net/ipv4/conf");
    /** The calling thread's namespace: /proc/self/net would be the main thread's, not the one entered. */
    static final Path NETSTAT = Path.of("/proc/thread-self/net/netstat");

    private static final int RT_TABLE_LOCAL = 255;

    private final NetlinkSocket route;
    private final NetlinkSocket generic;
    /** Opened on first use: only check, and diff or apply when they remove an endpoint, read sockets. */
    private NetlinkSocket sockDiag;

    private final Path sysctlRoot;
    private final Thread owner;
    private GenericNetlink.Family mptcpPm;
    private volatile boolean closed;

    private NetlinkKernel(NetlinkSocket route, NetlinkSocket generic, Path sysctlRoot) {
        this.route = route;
        this.generic = generic;
        this.sysctlRoot = sysctlRoot;
        this.owner = Thread.currentThread();
    }

    /**
     * Starts loading the native binding in the background, so that the first socket does not wait for its
     * start-up. Harmless when it is already loaded; a failure is reported by the first socket.
     */
    public static void prepare() {
        NetlinkSocket.prepare();
    }

    /** Opens the sockets in the calling thread's network namespace; use it on this thread only. */
    public static NetlinkKernel open() {
        return open(MptcpSysctls.DEFAULT_ROOT);
    }

    static NetlinkKernel open(Path sysctlRoot) {
        try {
            NetlinkSocket route = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE);
            try {
                return new NetlinkKernel(route, NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC), sysctlRoot);
            } catch (RuntimeException e) {
                route.close();
                throw e;
            }
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate("opening a netlink socket", e);
        }
    }

    @Override
    public Snapshot query() {
        checkUsable();
        try {
            Snapshot.Sysctls sysctls = MptcpSysctls.read(sysctlRoot);
            Limits limits = limits();
            List<KernelEndpoint> endpoints = dumpEndpoints();
            List<Link> links = links();
            List<LinkAddress> addresses = addresses();
            return new Snapshot(sysctls, limits, endpoints, links, addresses, defaultRoutes());
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate("reading the network namespace", e);
        }
    }

    @Override
    public int rpFilter(String interfaceName) {
        checkUsable();
        try {
            return Integer.parseInt(
                    Files.readString(IPV4_CONF.resolve(interfaceName).resolve("rp_filter"))
                            .trim());
        } catch (IOException | NumberFormatException | java.nio.file.InvalidPathException e) {
            return -1;
        }
    }

    @Override
    public RouteLookup lookupRoute(InetAddress source, InetAddress destination, int outputInterface) {
        checkUsable();
        try {
            RtNetlink.Route found = RtNetlink.lookupRoute(route, source, destination, outputInterface);
            return new RouteLookup(
                    found.outputInterfaces().isEmpty()
                            ? 0
                            : found.outputInterfaces().get(0),
                    found.table(),
                    found.gateway(),
                    found.preferredSource(),
                    null);
        } catch (KernelErrorException e) {
            return new RouteLookup(0, 0, null, null, Errno.explain(e.errno(), e.kernelMessage()));
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate("looking up a route", e);
        }
    }

    @Override
    public List<MptcpConnection> connections() {
        checkUsable();
        try {
            if (sockDiag == null) {
                sockDiag = NetlinkSocket.open(NetlinkSocket.NETLINK_SOCK_DIAG);
            }
            return MptcpDiag.connections(sockDiag);
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate("reading MPTCP connections", e);
        }
    }

    @Override
    public List<Neighbour> neighbours() {
        checkUsable();
        List<Neighbour> neighbours = new ArrayList<>();
        try {
            for (RtNetlink.Neighbour entry : RtNetlink.dumpNeighbours(route)) {
                if (entry.destination() != null) {
                    neighbours.add(new Neighbour(entry.interfaceIndex(), entry.destination(), entry.state()));
                }
            }
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate("reading neighbours", e);
        }
        return neighbours;
    }

    @Override
    public Map<String, Long> mptcpCounters() {
        checkUsable();
        return MptcpCounters.read(NETSTAT);
    }

    @Override
    public Set<Integer> routedInterfaces(boolean ipv6) {
        checkUsable();
        Set<Integer> routed = new HashSet<>();
        try {
            for (RtNetlink.Route r : RtNetlink.dumpAllRoutes(route)) {
                if (r.type() == RtNetlink.RTN_UNICAST
                        && r.table() != RT_TABLE_LOCAL
                        && r.family() == (ipv6 ? RtNetlink.AF_INET6 : RtNetlink.AF_INET)) {
                    routed.addAll(r.outputInterfaces());
                }
            }
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate("reading routes", e);
        }
        return routed;
    }

    @Override
    public List<EndpointManager> endpointManagers() {
        checkUsable();
        return EndpointManagers.find(EndpointManagers.PROC);
    }

    @Override
    public void setEnabled(boolean enabled) {
        checkUsable();
        MptcpSysctls.writeEnabled(sysctlRoot, enabled);
    }

    @Override
    public void setLimits(Integer subflows, Integer addAddrAccepted) {
        checkUsable();
        KernelArguments.checkLimit("subflows", subflows);
        KernelArguments.checkLimit("add_addr_accepted", addAddrAccepted);
        write("setting MPTCP limits", MptcpPm.CMD_SET_LIMITS, MptcpPm.encodeLimits(subflows, addAddrAccepted));
    }

    @Override
    public void addEndpoint(int id, InetAddress address, int port, EndpointFlags flags, int interfaceIndex) {
        checkUsable();
        KernelArguments.checkNewEndpoint(id, address, port, flags, interfaceIndex);
        write(
                "adding an MPTCP endpoint",
                MptcpPm.CMD_ADD_ADDR,
                MptcpPm.encodeAddEndpoint(id, address, port, flags, interfaceIndex));
    }

    @Override
    public void deleteEndpoint(int id) {
        checkUsable();
        KernelArguments.checkEndpointId(id);
        write("deleting an MPTCP endpoint", MptcpPm.CMD_DEL_ADDR, MptcpPm.encodeEndpointId(id));
    }

    @Override
    public void setEndpointFlags(int id, EndpointFlags flags) {
        checkUsable();
        KernelArguments.checkEndpointId(id);
        Objects.requireNonNull(flags, "flags");
        write("changing MPTCP endpoint flags", MptcpPm.CMD_SET_FLAGS, MptcpPm.encodeSetFlags(id, flags));
    }

    /** An acknowledged mptcp_pm write; a refusal throws with the kernel's errno and text. */
    private void write(String what, int command, byte[] attributes) {
        guarded(what, new Write(command, attributes));
    }

    /** A class, not a lambda: lambdas are spun at run time, costing start-up time. */
    private final class Write implements KernelCall<List<GenericNetlink.Message>> {
        private final int command;
        private final byte[] attributes;

        Write(int command, byte[] attributes) {
            this.command = command;
            this.attributes = attributes;
        }

        @Override
        public List<GenericNetlink.Message> run() {
            return GenericNetlink.request(generic, family(), command, attributes);
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("NetlinkKernel is closed");
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("NetlinkKernel opened by thread '" + owner.getName()
                    + "' used from thread '" + Thread.currentThread().getName()
                    + "': its sockets and the /proc/sys files would be of different network namespaces");
        }
    }

    private GenericNetlink.Family family() {
        if (mptcpPm == null) {
            try {
                mptcpPm = GenericNetlink.resolve(generic, MptcpPm.FAMILY);
            } catch (KernelErrorException e) {
                if (e.errno() == Errno.ENOENT) {
                    throw new MptcpUnsupportedException("the kernel has no mptcp_pm generic netlink family:"
                            + " it was built without MPTCP (CONFIG_MPTCP)");
                }
                throw e;
            }
        }
        return mptcpPm;
    }

    @Override
    public List<KernelEndpoint> endpoints() {
        checkUsable();
        try {
            return dumpEndpoints();
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate("reading MPTCP endpoints", e);
        }
    }

    List<KernelEndpoint> dumpEndpoints() {
        List<KernelEndpoint> endpoints = new ArrayList<>();
        for (GenericNetlink.Message message : guarded(
                "reading MPTCP endpoints",
                () -> GenericNetlink.dump(generic, family(), MptcpPm.CMD_GET_ADDR, MptcpPm.noAttributes()))) {
            endpoints.add(MptcpPm.decodeEndpoint(message));
        }
        return endpoints;
    }

    Limits limits() {
        List<GenericNetlink.Message> replies = guarded(
                "reading MPTCP limits",
                () -> GenericNetlink.request(generic, family(), MptcpPm.CMD_GET_LIMITS, MptcpPm.noAttributes()));
        if (replies.isEmpty()) {
            throw new MalformedMessageException("mptcp_pm get-limits sent no reply");
        }
        return MptcpPm.decodeLimits(replies.get(0));
    }

    private List<Link> links() {
        List<Link> links = new ArrayList<>();
        for (RtNetlink.Link link : RtNetlink.dumpLinks(route)) {
            links.add(link(link));
        }
        return links;
    }

    /** A link as the snapshot holds it: from a dump, or from an RTM_NEWLINK event ({@link NetlinkEvents}). */
    static Link link(RtNetlink.Link link) {
        return new Link(
                link.index(),
                link.name(),
                link.kind(),
                (link.flags() & RtNetlink.Link.IFF_UP) != 0,
                (link.flags() & RtNetlink.Link.IFF_LOOPBACK) != 0
                        || link.hardwareType() == RtNetlink.Link.ARPHRD_LOOPBACK,
                link.hardwareType(),
                OperState.of(link.operState()));
    }

    private List<LinkAddress> addresses() {
        List<LinkAddress> addresses = new ArrayList<>();
        for (RtNetlink.Address address : RtNetlink.dumpAddresses(route)) {
            LinkAddress converted = address(address);
            if (converted != null) {
                addresses.add(converted);
            }
        }
        return addresses;
    }

    /** An address as the snapshot holds it (from a dump or an event); null for a family other than IPv4/IPv6. */
    static LinkAddress address(RtNetlink.Address address) {
        if (address.family() != RtNetlink.AF_INET && address.family() != RtNetlink.AF_INET6) {
            return null;
        }
        return new LinkAddress(
                address.index(), address.local(), address.prefixLength(), address.scope(), address.flags());
    }

    private DefaultRoutes defaultRoutes() {
        Set<Integer> ipv4 = new HashSet<>();
        Set<Integer> ipv6 = new HashSet<>();
        for (RtNetlink.Route route : RtNetlink.dumpRoutes(this.route, RtNetlink.RT_TABLE_MAIN)) {
            if (route.isDefault()) {
                (route.family() == RtNetlink.AF_INET ? ipv4 : ipv6).addAll(route.outputInterfaces());
            }
        }
        return new DefaultRoutes(ipv4, ipv6);
    }

    private interface KernelCall<T> {
        T run();
    }

    /** The port's failure for what the call throws; EPERM/EACCES name the capability that is missing. */
    private static <T> T guarded(String what, KernelCall<T> call) {
        try {
            return call.run();
        } catch (NetlinkException e) {
            throw NetlinkFailures.translate(what, e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            route.close();
        } finally {
            try {
                generic.close();
            } finally {
                if (sockDiag != null) {
                    sockDiag.close();
                }
            }
        }
    }
}
