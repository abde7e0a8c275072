package org.mptcpstate.kernel;

import org.mptcpstate.state.Snapshot.DefaultRoutes;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;
import org.mptcpstate.state.Snapshot.OperState;
import org.mptcpstate.testing.Netns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Set;

/**
 * The one namespace layout every contract test starts from, described once for both kernels: {@link #build}
 * makes it in a real namespace with iproute2, {@link #fake()} describes it to {@link FakeKernel}. Both hold
 * {@code lo} (127.0.0.1/8, ::1), a veth pair {@code va0}/{@code vb0} (made as {@code ip link add va0 type veth
 * peer name vb0}, which gives vb0 index 2 and va0 index 3), documentation addresses without DAD, and default
 * routes through va0. {@code NetlinkKernelContractIT#layoutMatchesTheFixture} checks that the description is
 * what the kernel really shows.
 */
final class ContractNamespace {
    static final String VA0 = "va0";
    static final String VB0 = "vb0";
    static final InetAddress VA0_V4 = ip("192.0.2.1");
    static final InetAddress VA0_V6 = ip("2001:db8::1");
    static final InetAddress VA0_LINK_LOCAL = ip("fe80::a0:ff:fe00:1");
    static final InetAddress VB0_V4 = ip("198.51.100.1");
    static final InetAddress VB0_V6 = ip("2001:db8:1::1");
    /** On no interface of the namespace. */
    static final InetAddress ELSEWHERE_V4 = ip("203.0.113.9");

    static final InetAddress ELSEWHERE_V6 = ip("2001:db8:ff::9");

    private static final int SCOPE_UNIVERSE = 0;
    private static final int SCOPE_LINK = 253;
    private static final int SCOPE_HOST = 254;
    private static final int PERMANENT = LinkAddress.PERMANENT;
    private static final int NODAD = 0x02;

    private ContractNamespace() {}

    /**
     * Lays the namespace out with iproute2. Duplicate address detection is off in the namespace before the links
     * exist, so that their link-local addresses are usable at once (no test waits a second for DAD).
     */
    static void build(Netns ns) {
        ns.sysctl("net.ipv6.conf.default.accept_dad", "0");
        ns.ip("link", "set", "lo", "up");
        ns.ip(
                "link",
                "add",
                VA0,
                "address",
                "02:a0:00:00:00:01",
                "type",
                "veth",
                "peer",
                "name",
                VB0,
                "address",
                "02:b0:00:00:00:01");
        ns.ip("link", "set", VA0, "up");
        ns.ip("link", "set", VB0, "up");
        ns.ip("addr", "add", "192.0.2.1/24", "dev", VA0);
        ns.ip("addr", "add", "2001:db8::1/64", "dev", VA0, "nodad");
        ns.ip("addr", "add", "198.51.100.1/24", "dev", VB0);
        ns.ip("addr", "add", "2001:db8:1::1/64", "dev", VB0, "nodad");
        ns.ip("route", "add", "default", "via", "192.0.2.254", "dev", VA0);
        ns.ip("-6", "route", "add", "default", "via", "2001:db8::fe", "dev", VA0);
        ns.awaitAddressesSettled();
    }

    /** The same layout as the kernel shows it, for {@link FakeKernel#freshNamespace}. */
    static FakeKernel fake() {
        return FakeKernel.freshNamespace(links(), addresses(), defaultRoutes());
    }

    static List<Link> links() {
        return List.of(
                new Link(1, "lo", null, true, true, 772, OperState.UNKNOWN),
                new Link(2, VB0, "veth", true, false, 1, OperState.UP),
                new Link(3, VA0, "veth", true, false, 1, OperState.UP));
    }

    static List<LinkAddress> addresses() {
        return List.of(
                new LinkAddress(1, ip("127.0.0.1"), 8, SCOPE_HOST, PERMANENT),
                new LinkAddress(3, VA0_V4, 24, SCOPE_UNIVERSE, PERMANENT),
                new LinkAddress(2, VB0_V4, 24, SCOPE_UNIVERSE, PERMANENT),
                new LinkAddress(1, ip("::1"), 128, SCOPE_HOST, PERMANENT | NODAD),
                new LinkAddress(3, VA0_V6, 64, SCOPE_UNIVERSE, PERMANENT | NODAD),
                new LinkAddress(3, VA0_LINK_LOCAL, 64, SCOPE_LINK, PERMANENT),
                new LinkAddress(2, VB0_V6, 64, SCOPE_UNIVERSE, PERMANENT | NODAD),
                new LinkAddress(2, ip("fe80::b0:ff:fe00:1"), 64, SCOPE_LINK, PERMANENT));
    }

    static DefaultRoutes defaultRoutes() {
        return new DefaultRoutes(Set.of(3), Set.of(3));
    }

    /**
     * A literal address; anything with a colon stays IPv6, v4-mapped too (InetAddress.getByName would turn
     * ::ffff:a.b.c.d into IPv4, the kernel keeps it IPv6).
     */
    static InetAddress ip(String literal) {
        try {
            InetAddress parsed = InetAddress.getByName(literal);
            if (literal.contains(":") && parsed instanceof Inet4Address) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
                return Inet6Address.getByAddress(null, mapped, (java.net.NetworkInterface) null);
            }
            return parsed;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
