package org.mptcpstate.kernel;

import org.mptcpstate.netlink.Errno;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.KernelRules;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.DefaultRoutes;
import org.mptcpstate.state.Snapshot.Limits;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;
import org.mptcpstate.state.Snapshot.Sysctls;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An in-memory kernel for one network namespace that obeys the rules of the real one (Linux 6.18, measured, and
 * checked by the same contract suite as {@link NetlinkKernel}): the same refusals with the same errno and
 * extended-ack text, the same id allocation, the same dump order.
 *
 * <p>Links, addresses and default routes are fixed: mptcpstate never changes them. Sysctls, limits and
 * endpoints start as given and change only through the writes. Not thread-safe. Test code: the contract suite runs it, and the start-up training applies a file to it.
 */
public final class FakeKernel implements MptcpKernel {

    private static final int SIGNAL = MptcpFlag.SIGNAL.bit();
    private static final int SUBFLOW = MptcpFlag.SUBFLOW.bit();
    private static final int FULLMESH = MptcpFlag.FULLMESH.bit();
    private static final int IMPLICIT = MptcpFlag.IMPLICIT.bit();

    private final List<Link> links;
    private final List<LinkAddress> addresses;
    private final DefaultRoutes defaultRoutes;
    private Sysctls sysctls;
    private Limits limits;
    /** By id: the kernel dumps endpoints in id order. */
    private final TreeMap<Integer, KernelEndpoint> endpoints = new TreeMap<>();
    /** The kernel's next_id: the highest id handed out or asked for since the last wrap, 1 at the start. */
    private int nextId = 1;

    private boolean closed;

    /**
     * A kernel holding {@code initial}: its links, addresses and default routes for good, its sysctls, limits
     * and endpoints to start from. The kernel's hidden allocation cursor starts at the highest endpoint id, as if
     * the endpoints had been added in id order.
     */
    public FakeKernel(Snapshot initial) {
        links = initial.links();
        addresses = initial.addresses();
        defaultRoutes = initial.defaultRoutes();
        sysctls = initial.sysctls();
        limits = initial.limits();
        for (KernelEndpoint endpoint : initial.endpoints()) {
            if (endpoints.put(endpoint.id(), endpoint) != null) {
                throw new IllegalArgumentException("two initial endpoints have id " + endpoint.id());
            }
            nextId = Math.max(nextId, endpoint.id());
        }
        if (endpoints.size() > KernelRules.MAX_ENDPOINTS) {
            throw new IllegalArgumentException("a kernel holds at most " + KernelRules.MAX_ENDPOINTS + " endpoints");
        }
    }

    /** A namespace as the kernel makes it: MPTCP enabled, kernel path manager, subflows 2, add_addr_accepted 0. */
    public static FakeKernel freshNamespace(List<Link> links, List<LinkAddress> addresses, DefaultRoutes routes) {
        return new FakeKernel(
                new Snapshot(new Sysctls(true, Sysctls.KERNEL), new Limits(2, 0), List.of(), links, addresses, routes));
    }

    @Override
    public Snapshot query() {
        checkOpen();
        return new Snapshot(sysctls, limits, new ArrayList<>(endpoints.values()), links, addresses, defaultRoutes);
    }

    @Override
    public void setEnabled(boolean enabled) {
        checkOpen();
        sysctls = new Sysctls(enabled, sysctls.pathManager());
    }

    @Override
    public void setLimits(Integer subflows, Integer addAddrAccepted) {
        checkOpen();
        KernelArguments.checkLimit("subflows", subflows);
        KernelArguments.checkLimit("add_addr_accepted", addAddrAccepted);
        // the kernel checks add_addr_accepted first, and writes nothing unless both are fine
        for (Integer value : Arrays.asList(addAddrAccepted, subflows)) {
            if (value != null && value > KernelRules.MAX_LIMIT) {
                throw refused(Errno.EINVAL, "limit greater than maximum (" + KernelRules.MAX_LIMIT + ")");
            }
        }
        limits = new Limits(
                subflows == null ? limits.subflows() : subflows,
                addAddrAccepted == null ? limits.addAddrAccepted() : addAddrAccepted);
    }

    @Override
    public void addEndpoint(int id, InetAddress address, int port, EndpointFlags flags, int interfaceIndex) {
        checkOpen();
        KernelArguments.checkNewEndpoint(id, address, port, flags, interfaceIndex);
        int bits = flags.bits() & KernelRules.KNOWN_FLAGS;
        if (port != 0 && (bits & (SIGNAL | SUBFLOW)) != SIGNAL) {
            throw refused(Errno.EINVAL, "flags must have signal and not subflow when using port");
        }
        if ((bits & SIGNAL) != 0 && (bits & FULLMESH) != 0) {
            throw refused(Errno.EINVAL, "flags mustn't have both signal and fullmesh");
        }
        if ((bits & IMPLICIT) != 0) {
            throw refused(Errno.EINVAL, "can't create IMPLICIT endpoint");
        }
        if (port != 0) {
            int error = listenError(address, port);
            if (error != 0) {
                throw refused(error, "create listen socket error: -" + error);
            }
        }
        if (nextId == KernelRules.MAX_ENDPOINT_ID) {
            nextId = 1;
        }
        if (endpoints.size() >= KernelRules.MAX_ENDPOINTS) {
            throw tooMany(Errno.ERANGE);
        }
        if (endpoints.containsKey(id)) {
            throw tooMany(Errno.EBUSY);
        }
        for (KernelEndpoint other : endpoints.values()) {
            // the port counts when either side has one: two port-less endpoints have equal ports too
            if (sameAddress(other.address(), address) && other.port() == port) {
                // only an implicit endpoint (made by a connection) gives way, and only when no id was asked for
                if ((other.flags().bits() & IMPLICIT) == 0) {
                    throw tooMany(Errno.EEXIST);
                }
                if (id != 0) {
                    throw tooMany(Errno.EINVAL);
                }
                id = other.id();
                endpoints.remove(id);
                break;
            }
        }
        if (id == 0) {
            id = freeId(nextId);
            if (id == 0 && nextId != 1) {
                nextId = 1;
                id = freeId(1);
            }
        }
        nextId = Math.max(nextId, id);
        endpoints.put(id, new KernelEndpoint(id, address, port, new EndpointFlags(bits), interfaceIndex));
    }

    @Override
    public void deleteEndpoint(int id) {
        checkOpen();
        KernelArguments.checkEndpointId(id);
        if (endpoints.remove(id) == null) {
            throw refused(Errno.EINVAL, "address not found");
        }
    }

    @Override
    public void setEndpointFlags(int id, EndpointFlags flags) {
        checkOpen();
        KernelArguments.checkEndpointId(id);
        Objects.requireNonNull(flags, "flags");
        KernelEndpoint endpoint = endpoints.get(id);
        if (endpoint == null) {
            throw refused(Errno.EINVAL, "address not found");
        }
        int current = endpoint.flags().bits();
        if ((flags.bits() & FULLMESH) != 0 && (current & (SIGNAL | IMPLICIT)) != 0) {
            throw refused(Errno.EINVAL, "invalid addr flags");
        }
        endpoints.put(
                id,
                new KernelEndpoint(
                        id,
                        endpoint.address(),
                        endpoint.port(),
                        endpoint.flags().changedInPlaceTo(flags),
                        endpoint.interfaceIndex()));
    }

    @Override
    public void close() {
        closed = true;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("kernel is closed");
        }
    }

    /** The lowest free id from {@code from} to 255, or 0. */
    private int freeId(int from) {
        for (int id = from; id <= KernelRules.MAX_ENDPOINT_ID; id++) {
            if (!endpoints.containsKey(id)) {
                return id;
            }
        }
        return 0;
    }

    private static KernelRefusedException refused(int errno, String text) {
        return new KernelRefusedException(errno, text);
    }

    private static KernelRefusedException tooMany(int errno) {
        return refused(errno, "too many addresses or duplicate one: -" + errno);
    }

    // ------------------------------------------------------------- the listening socket of an endpoint with a port

    /**
     * The errno the kernel's listening socket for a port endpoint gets from bind(2), or 0. Modelled: the addresses
     * of the namespace (IPv6 ones only once DAD is over), the wildcards, IPv4 multicast, a subnet's broadcast
     * address, the whole prefix of an address on a loopback link (127/8); IPv6 link-local needs a scope the kernel
     * does not give (EINVAL); another endpoint listening on the same port and an overlapping address (EADDRINUSE).
     */
    private int listenError(InetAddress address, int port) {
        byte[] v4 = ipv4(address);
        if (v4 == null) {
            if (address.isLinkLocalAddress()) {
                return Errno.EINVAL;
            }
            if (!address.isAnyLocalAddress() && !hasIpv6Address(address.getAddress())) {
                return Errno.EADDRNOTAVAIL;
            }
        } else if (!isLocalIpv4(v4)) {
            return Errno.EADDRNOTAVAIL;
        }
        for (KernelEndpoint other : endpoints.values()) {
            if (other.port() == port && bindsOverlap(other.address(), address)) {
                return Errno.EADDRINUSE;
            }
        }
        return 0;
    }

    private boolean hasIpv6Address(byte[] address) {
        for (LinkAddress own : addresses) {
            if (own.address() instanceof Inet6Address
                    && Arrays.equals(own.address().getAddress(), address)
                    && !own.has(LinkAddress.TENTATIVE)
                    && !own.has(LinkAddress.DADFAILED)) {
                return true;
            }
        }
        return false;
    }

    private boolean isLocalIpv4(byte[] address) {
        int value = toInt(address);
        if (value == 0 || (address[0] & 0xf0) == 0xe0) {
            return true; // wildcard, multicast
        }
        for (LinkAddress own : addresses) {
            if (!(own.address() instanceof Inet4Address)) {
                continue;
            }
            int mine = toInt(own.address().getAddress());
            int mask = own.prefixLength() == 0 ? 0 : -1 << (32 - own.prefixLength());
            boolean sameSubnet = (mine & mask) == (value & mask);
            if (mine == value
                    || sameSubnet && own.prefixLength() <= 30 && (value | mask) == -1
                    || sameSubnet && onLoopback(own.interfaceIndex())) {
                return true;
            }
        }
        return false;
    }

    private boolean onLoopback(int interfaceIndex) {
        return links.stream().anyMatch(link -> link.index() == interfaceIndex && link.loopback());
    }

    /** Two listening sockets on one port clash on the same address, or when one of them is a wildcard. */
    private static boolean bindsOverlap(InetAddress a, InetAddress b) {
        if (isIpv6Any(a) || isIpv6Any(b)) {
            return true; // [::] listens on IPv4 too
        }
        byte[] a4 = ipv4(a);
        byte[] b4 = ipv4(b);
        if (a4 != null && b4 != null) {
            return Arrays.equals(a4, b4) || toInt(a4) == 0 || toInt(b4) == 0;
        }
        return a4 == null && b4 == null && Arrays.equals(a.getAddress(), b.getAddress());
    }

    // ------------------------------------------------------------- addresses

    /** The kernel's mptcp_addresses_equal: IPv4 and its v4-mapped IPv6 form are the same address. */
    private static boolean sameAddress(InetAddress a, InetAddress b) {
        return IpAddresses.kernelIdentity(a).equals(IpAddresses.kernelIdentity(b));
    }

    /** The IPv4 address of an IPv4 or v4-mapped IPv6 address, or null. */
    private static byte[] ipv4(InetAddress address) {
        InetAddress identity = IpAddresses.kernelIdentity(address);
        return identity instanceof Inet4Address ? identity.getAddress() : null;
    }

    private static boolean isIpv6Any(InetAddress address) {
        return address instanceof Inet6Address && address.isAnyLocalAddress();
    }

    private static int toInt(byte[] v4) {
        return (v4[0] & 0xff) << 24 | (v4[1] & 0xff) << 16 | (v4[2] & 0xff) << 8 | v4[3] & 0xff;
    }
}
