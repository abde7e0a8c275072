package org.mptcpstate.kernel;

import org.mptcpstate.netlink.Errno;
import org.mptcpstate.netlink.GenericNetlink;
import org.mptcpstate.netlink.KernelErrorException;
import org.mptcpstate.netlink.NetlinkSocket;
import org.mptcpstate.netlink.RtNetlink;
import org.mptcpstate.netlink.SystemCallException;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.DefaultRoutes;
import org.mptcpstate.state.Snapshot.Endpoint;
import org.mptcpstate.state.Snapshot.Limits;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;
import org.mptcpstate.state.Snapshot.OperState;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel port over netlink, for the namespace of the thread that opened it: one rtnetlink and one generic
 * netlink socket, one dump per object kind.
 */
public final class NetlinkKernel implements MptcpKernel {
    private final NetlinkSocket route;
    private final NetlinkSocket generic;
    private final Path sysctlRoot;
    private GenericNetlink.Family mptcpPm;

    private NetlinkKernel(NetlinkSocket route, NetlinkSocket generic, Path sysctlRoot) {
        this.route = route;
        this.generic = generic;
        this.sysctlRoot = sysctlRoot;
    }

    /** Opens the sockets in the calling thread's network namespace. */
    public static NetlinkKernel open() {
        return open(MptcpSysctls.DEFAULT_ROOT);
    }

    static NetlinkKernel open(Path sysctlRoot) {
        NetlinkSocket route = NetlinkSocket.open(NetlinkSocket.NETLINK_ROUTE);
        try {
            return new NetlinkKernel(route, NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC), sysctlRoot);
        } catch (RuntimeException e) {
            route.close();
            throw e;
        }
    }

    @Override
    public Snapshot query() {
        Snapshot.Sysctls sysctls = MptcpSysctls.read(sysctlRoot);
        Limits limits = limits();
        List<Endpoint> endpoints = endpoints();
        List<Link> links = links();
        List<LinkAddress> addresses = addresses();
        return new Snapshot(sysctls, limits, endpoints, links, addresses, defaultRoutes());
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

    List<Endpoint> endpoints() {
        List<Endpoint> endpoints = new ArrayList<>();
        for (GenericNetlink.Message message : guarded("reading MPTCP endpoints", () ->
                GenericNetlink.dump(generic, family(), MptcpPm.CMD_GET_ADDR, MptcpPm.noAttributes()))) {
            endpoints.add(MptcpPm.decodeEndpoint(message));
        }
        return endpoints;
    }

    Limits limits() {
        List<GenericNetlink.Message> replies = guarded("reading MPTCP limits", () ->
                GenericNetlink.request(generic, family(), MptcpPm.CMD_GET_LIMITS, MptcpPm.noAttributes()));
        if (replies.isEmpty()) {
            throw new org.mptcpstate.netlink.MalformedMessageException("mptcp_pm get-limits sent no reply");
        }
        return MptcpPm.decodeLimits(replies.get(0));
    }

    private List<Link> links() {
        List<Link> links = new ArrayList<>();
        for (RtNetlink.Link link : RtNetlink.dumpLinks(route)) {
            links.add(new Link(link.index(), link.name(), link.kind(), (link.flags() & RtNetlink.Link.IFF_UP) != 0,
                    (link.flags() & RtNetlink.Link.IFF_LOOPBACK) != 0
                            || link.hardwareType() == RtNetlink.Link.ARPHRD_LOOPBACK,
                    link.hardwareType(), OperState.of(link.operState())));
        }
        return links;
    }

    private List<LinkAddress> addresses() {
        List<LinkAddress> addresses = new ArrayList<>();
        for (RtNetlink.Address address : RtNetlink.dumpAddresses(route)) {
            if (address.family() == RtNetlink.AF_INET || address.family() == RtNetlink.AF_INET6) {
                addresses.add(new LinkAddress(address.index(), address.local(), address.prefixLength(),
                        address.scope(), address.flags()));
            }
        }
        return addresses;
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

    /** Turns EPERM/EACCES into a message that names the capability that is missing. */
    private static <T> T guarded(String what, KernelCall<T> call) {
        try {
            return call.run();
        } catch (KernelErrorException e) {
            if (Errno.isPermission(e.errno())) {
                throw new PermissionDeniedException(what + " needs root or CAP_NET_ADMIN on this kernel", e);
            }
            throw e;
        } catch (SystemCallException e) {
            if (Errno.isPermission(e.errno())) {
                throw new PermissionDeniedException(what + " needs root or CAP_NET_ADMIN on this kernel", e);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            route.close();
        } finally {
            generic.close();
        }
    }
}
