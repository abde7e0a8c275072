package org.mptcpstate.check;

import org.junit.jupiter.api.Test;
import org.mptcpstate.kernel.NetworkFacts.Neighbour;
import org.mptcpstate.kernel.NetworkFacts.RouteLookup;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpConnection;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Checker's rules on hand-made snapshots and facts, without a kernel. The host: eth0 (index 2)
 * 192.0.2.10/24 with the default route, eth1 (3) 198.51.100.10/24 and 2001:db8:1::10/64.
 */
class CheckTest {
    private static final EndpointFlags SUBFLOW = EndpointFlags.of(MptcpFlag.SUBFLOW);
    private static final EndpointFlags SIGNAL = EndpointFlags.of(MptcpFlag.SIGNAL);
    private static final EndpointFlags FULLMESH = EndpointFlags.of(MptcpFlag.SUBFLOW, MptcpFlag.FULLMESH);
    private static final String PROBE = "203.0.113.254";
    private static final List<Link> LINKS = List.of(
            new Link(1, "lo", null, true, true, 772, Snapshot.OperState.UNKNOWN),
            new Link(2, "eth0", "veth", true, false, 1, Snapshot.OperState.UP),
            new Link(3, "eth1", "veth", true, false, 1, Snapshot.OperState.UP));
    private static final List<LinkAddress> ADDRESSES = List.of(
            new LinkAddress(2, ip("192.0.2.10"), 24, 0, LinkAddress.PERMANENT),
            new LinkAddress(3, ip("198.51.100.10"), 24, 0, LinkAddress.PERMANENT),
            new LinkAddress(3, ip("2001:db8:1::10"), 64, 0, LinkAddress.PERMANENT));
    private static final KernelEndpoint BOUND = new KernelEndpoint(1, ip("198.51.100.10"), 0, SUBFLOW, 3);

    @Test
    void aCleanStateHasNoFindings() {
        Snapshot snapshot = snapshot(true, "kernel", 2, 2, List.of(BOUND));
        Facts facts = new Facts().rp(0, "eth1", 0).initial(PROBE).route("198.51.100.10", PROBE, 3, 3, 100);
        assertThat(Checker.check(snapshot, facts.of(snapshot))).isEmpty();
    }

    @Test
    void everySysctlAndLimitTrapAtOnce() {
        Snapshot snapshot = snapshot(false, "userspace", 0, 0, List.of(BOUND));
        Facts facts = new Facts().initial(PROBE).route("198.51.100.10", PROBE, 3, 3, 100);
        List<Finding> findings = Checker.check(snapshot, facts.of(snapshot));
        assertThat(codes(findings)).containsExactly("mptcp-disabled", "path-manager", "subflow-limit");
        assertThat(findings.get(1).severity()).isEqualTo(Finding.Severity.ERROR);
        assertThat(findings.get(2).reason())
                .isEqualTo("the endpoints need 2 subflows with 1 peer address (a remote peer (203.0.113.254, as no"
                        + " --peer is given and there is no live connection)): 1 join beyond the first subflow"
                        + " (198.51.100.10 -> 203.0.113.254); the subflows limit is 0: 1 subflow forms, 1 never does");
    }

    @Test
    void userspacePathManagerWithoutEndpointsIsOnlyAWarning() {
        Snapshot snapshot = snapshot(true, "userspace", 2, 2, List.of());
        List<Finding> findings = Checker.check(snapshot, new Facts().of(snapshot));
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).severity()).isEqualTo(Finding.Severity.WARNING);
    }

    @Test
    void rpFilterCountsTheLargerOfAllAndTheInterface() {
        Snapshot snapshot =
                snapshot(true, "kernel", 2, 2, List.of(new KernelEndpoint(1, ip("198.51.100.10"), 0, SIGNAL, 0)));
        assertThat(codes(Checker.check(snapshot, new Facts().rp(1, "eth1", 0).of(snapshot))))
                .containsExactly("rp-filter");
        assertThat(codes(Checker.check(snapshot, new Facts().rp(0, "eth1", 1).of(snapshot))))
                .containsExactly("rp-filter");
        // 2 (loose) in "all" is larger than 1 on the interface: loose wins
        assertThat(Checker.check(snapshot, new Facts().rp(2, "eth1", 1).of(snapshot)))
                .isEmpty();
        assertThat(Checker.check(snapshot, new Facts().rp(0, "eth1", 2).of(snapshot)))
                .isEmpty();
    }

    /** Issue 15, case 1: 2 fullmesh addresses x 2 peer addresses = 4 subflows, 3 joins. */
    @Test
    void fullmeshWantsEveryLocalAddressTimesEveryPeerAddress() {
        List<KernelEndpoint> endpoints = List.of(
                new KernelEndpoint(1, ip("192.0.2.10"), 0, FULLMESH, 2),
                new KernelEndpoint(2, ip("198.51.100.10"), 0, FULLMESH, 3));
        Facts facts = new Facts().peers("203.0.113.1", "203.0.113.65").initial("203.0.113.1");
        for (String peer : List.of("203.0.113.1", "203.0.113.65")) {
            facts.route("192.0.2.10", peer, 2, 2, 254).route("198.51.100.10", peer, 3, 3, 100);
        }
        Snapshot limited = snapshot(true, "kernel", 2, 1, endpoints);
        List<Finding> findings = Checker.check(limited, facts.of(limited));
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).toString())
                .isEqualTo("error subflow-limit limits subflows: fullmesh needs 4 subflows with 2 peer addresses"
                        + " (--peer 203.0.113.1, 203.0.113.65): 3 joins beyond the first subflow (198.51.100.10 ->"
                        + " 203.0.113.1, 192.0.2.10 -> 203.0.113.65, 198.51.100.10 -> 203.0.113.65); the subflows"
                        + " limit is 2: 3 subflows form, 1 never does; fix: ip mptcp limits set subflows 3, or in"
                        + " the state file: mptcp: {limits: {subflows: 3}}; the peer's subflows limit must accept 3"
                        + " joins too");
        Snapshot enough = snapshot(true, "kernel", 3, 1, endpoints);
        assertThat(Checker.check(enough, facts.of(enough))).isEmpty();
        // the second peer address is announced: with add-addr-accepted 0 it is ignored
        Snapshot ignoring = snapshot(true, "kernel", 3, 0, endpoints);
        List<Finding> ignored = Checker.check(ignoring, facts.of(ignoring));
        assertThat(codes(ignored)).containsExactly("add-addr-accepted");
        assertThat(ignored.get(0).reason())
                .isEqualTo("the peer's 1 other address (--peer 203.0.113.1, 203.0.113.65) can only be learnt from"
                        + " its announcements (ADD_ADDR), and add-addr-accepted is 0: 1 of them is ignored, no"
                        + " subflow goes there");
    }

    /** An endpoint on the address the connection starts from makes no join: it is the first subflow's. */
    @Test
    void theConnectionsOwnAddressOpensNoJoin() {
        List<KernelEndpoint> endpoints = List.of(new KernelEndpoint(1, ip("192.0.2.10"), 0, SUBFLOW, 2), BOUND);
        Facts facts = new Facts().initial(PROBE).route("198.51.100.10", PROBE, 3, 3, 100);
        Snapshot one = snapshot(true, "kernel", 1, 0, endpoints);
        assertThat(Checker.check(one, facts.of(one))).isEmpty();
        Snapshot none = snapshot(true, "kernel", 0, 0, endpoints);
        assertThat(codes(Checker.check(none, facts.of(none)))).containsExactly("subflow-limit");
    }

    /** Issue 15, cases 4 and 5: a bound endpoint with no route through its device; the evidence decides. */
    @Test
    void aBoundEndpointWithoutARouteThroughItsDeviceIsJudgedByTheEvidence() {
        Snapshot snapshot = snapshot(true, "kernel", 2, 0, List.of(BOUND));
        Facts facts =
                new Facts().peers("203.0.113.1").initial("203.0.113.1").route("198.51.100.10", "203.0.113.1", 3, 3, 0);
        Finding guess = only(Checker.check(snapshot, facts.of(snapshot)));
        assertThat(guess.toString())
                .startsWith("error no-route-via-device eth1 198.51.100.10: subflows from 198.51.100.10 are bound to"
                        + " eth1 and no route to 203.0.113.1 goes through eth1 (ip route get 203.0.113.1 from"
                        + " 198.51.100.10 oif eth1 finds none: the kernel assumes 203.0.113.1 is on the link of"
                        + " eth1): neighbour resolution for 203.0.113.1 on eth1 fails")
                .contains("(evidence: the route lookup only");

        facts.neighbour(3, "203.0.113.1", 0x20);
        assertThat(only(Checker.check(snapshot, facts.of(snapshot))).reason())
                .endsWith("(evidence: the neighbour entry of 203.0.113.1 on eth1 is FAILED)");

        facts.neighbours.clear();
        facts.neighbour(3, "203.0.113.1", 0x02);
        Finding onLink = only(Checker.check(snapshot, facts.of(snapshot)));
        assertThat(onLink.severity()).isEqualTo(Finding.Severity.INFO);
        assertThat(onLink.toString())
                .isEqualTo("info on-link-peer eth1 198.51.100.10: no route to 203.0.113.1 goes through eth1 (ip"
                        + " route get 203.0.113.1 from 198.51.100.10 oif eth1 finds none: the kernel assumes"
                        + " 203.0.113.1 is on the link of eth1), and it is: its neighbour entry on eth1 is REACHABLE;"
                        + " subflows from 198.51.100.10 to 203.0.113.1 work without a per-source rule");

        facts.neighbours.clear();
        facts.connections.add(connection(
                "192.0.2.10",
                40000,
                "203.0.113.1",
                1,
                2,
                0x2,
                subflow("192.0.2.10", 40000, "203.0.113.1", 0, 0x2, 1000),
                subflow("198.51.100.10", 40001, "203.0.113.1", 3, 0x8, 5000)));
        assertThat(only(Checker.check(snapshot, facts.of(snapshot))).reason())
                .contains("and it is: a live subflow 198.51.100.10:40001 -> 203.0.113.1:5201 carried 5000 bytes on"
                        + " eth1");
    }

    @Test
    void anUnboundEndpointFollowsTheRoutesFromItsAddress() {
        Snapshot snapshot =
                snapshot(true, "kernel", 2, 0, List.of(new KernelEndpoint(1, ip("198.51.100.10"), 0, SUBFLOW, 0)));
        Facts facts = new Facts().initial(PROBE).route("198.51.100.10", PROBE, 0, 2, 254);
        assertThat(only(Checker.check(snapshot, facts.of(snapshot))).toString())
                .startsWith("error policy-routing eth1 198.51.100.10: packets from 198.51.100.10 to 203.0.113.254"
                        + " leave through eth0, not eth1 (ip route get 203.0.113.254 from 198.51.100.10): there is no"
                        + " policy-routing rule for this source address");
    }

    /** Issue 15, case 3: replies from a signal address follow the routes, not its interface. */
    @Test
    void repliesFromASignalAddressThroughAnotherInterface() {
        Snapshot snapshot =
                snapshot(true, "kernel", 2, 0, List.of(new KernelEndpoint(1, ip("198.51.100.10"), 0, SIGNAL, 3)));
        Facts facts = new Facts().route("198.51.100.10", PROBE, 0, 2, 254);
        assertThat(only(Checker.check(snapshot, facts.of(snapshot))).toString())
                .startsWith("error signal-routing eth1 198.51.100.10: replies from the announced address"
                        + " 198.51.100.10 to 203.0.113.254 leave through eth0, not eth1");
        // a client's subflow to the announced address: that client is the peer, and the data went through eth0
        facts.connections.add(connection(
                "192.0.2.10",
                5201,
                "192.0.2.99",
                1,
                4,
                0,
                subflow("192.0.2.10", 5201, "192.0.2.99", 0, 0x1, 10),
                subflow("198.51.100.10", 5201, "192.0.2.99", 0, 0x4, 7000)));
        facts.route("198.51.100.10", "192.0.2.99", 0, 2, 254);
        assertThat(only(Checker.check(snapshot, facts.of(snapshot))).reason())
                .startsWith("replies from the announced address 198.51.100.10 to 192.0.2.99 leave through eth0")
                .endsWith("; a live subflow 198.51.100.10:5201 <- 192.0.2.99:5201 has carried 7000 bytes this way");
        facts.route("198.51.100.10", "192.0.2.99", 0, 3, 100);
        assertThat(Checker.check(snapshot, facts.of(snapshot))).isEmpty();
    }

    @Test
    void noRouteToAProbeIsAWarningToAKnownPeerAnError() {
        Snapshot snapshot =
                snapshot(true, "kernel", 2, 0, List.of(new KernelEndpoint(1, ip("198.51.100.10"), 0, SUBFLOW, 0)));
        Facts facts = new Facts().initial(PROBE).unreachable("198.51.100.10", PROBE);
        Finding probe = only(Checker.check(snapshot, facts.of(snapshot)));
        assertThat(probe.severity()).isEqualTo(Finding.Severity.WARNING);
        assertThat(probe.reason())
                .isEqualTo("no route from 198.51.100.10 to 203.0.113.254 (ip route get 203.0.113.254 from"
                        + " 198.51.100.10: Network is unreachable (ENETUNREACH)): subflows from it reach on-link peers"
                        + " only");
        Facts known =
                new Facts().peers("203.0.113.1").initial("203.0.113.1").unreachable("198.51.100.10", "203.0.113.1");
        Finding peer = only(Checker.check(snapshot, known.of(snapshot)));
        assertThat(peer.severity()).isEqualTo(Finding.Severity.ERROR);
        assertThat(peer.reason()).endsWith(": no subflow from it to 203.0.113.1 can be made");
    }

    /** Issue 15, case 2: a connection accepted here at the subflows limit while the kernel refuses joins. */
    @Test
    void aServerAtItsSubflowLimitRefusingJoins() {
        Snapshot snapshot = snapshot(true, "kernel", 2, 0, List.of());
        Facts facts = new Facts();
        facts.connections.add(connection(
                "192.0.2.10",
                5201,
                "203.0.113.7",
                2,
                2,
                0,
                subflow("192.0.2.10", 5201, "203.0.113.7", 0, 0x1, 10),
                subflow("198.51.100.10", 5201, "203.0.113.7", 0, 0x4, 10),
                subflow("198.51.100.10", 5201, "203.0.113.8", 0, 0x4, 10)));
        assertThat(Checker.check(snapshot, facts.of(snapshot))).isEmpty();
        facts.counters.put("MPJoinRejected", 1L);
        assertThat(only(Checker.check(snapshot, facts.of(snapshot))).toString())
                .isEqualTo("error join-limit limits subflows: 1 connection accepted here has reached the subflows"
                        + " limit (2 joins; e.g. 192.0.2.10:5201 <- 203.0.113.7:5201 with 3 subflows), and the kernel"
                        + " refused 1 join (MPTcpExtMPJoinRejected, counted since the namespace was made): peers want"
                        + " more subflows than this side accepts; fix: ip mptcp limits set subflows 3 or more (at most"
                        + " 8), or in the state file: mptcp: {limits: {subflows: 3}}");
    }

    @Test
    void moreAnnouncedAddressesThanTheSubflowsLimitLetsIn() {
        List<KernelEndpoint> signal = List.of(
                new KernelEndpoint(1, ip("192.0.2.10"), 0, SIGNAL, 2),
                new KernelEndpoint(2, ip("198.51.100.10"), 0, SIGNAL, 3),
                new KernelEndpoint(3, ip("2001:db8:1::10"), 0, SIGNAL, 3));
        Facts facts = new Facts()
                .route("192.0.2.10", PROBE, 0, 2, 254)
                .route("198.51.100.10", PROBE, 0, 3, 100)
                .route("2001:db8:1::10", "2001:db8:ffff:ffff::1", 0, 3, 254);
        Snapshot one = snapshot(true, "kernel", 1, 0, signal);
        assertThat(only(Checker.check(one, facts.of(one))).toString())
                .isEqualTo("warning join-limit limits subflows: this side announces at least 2 addresses to each"
                        + " client (3 signal endpoints, one of which may be the address it connected to), a client"
                        + " opens a join to each one it accepts, and the subflows limit 1 lets in 1 join: the others"
                        + " are refused; fix: ip mptcp limits set subflows 2, or in the state file: mptcp: {limits:"
                        + " {subflows: 2}}");
        Snapshot two = snapshot(true, "kernel", 2, 0, signal);
        assertThat(Checker.check(two, facts.of(two))).isEmpty();
    }

    @Test
    void aLiveConnectionWithFewerSubflowsThanItsEndpointsWant() {
        Snapshot snapshot = snapshot(true, "kernel", 2, 0, List.of(BOUND));
        Facts facts = new Facts().route("198.51.100.10", "203.0.113.1", 3, 3, 100);
        facts.connections.add(connection(
                "192.0.2.10", 40000, "203.0.113.1", 0, 2, 0x2, subflow("192.0.2.10", 40000, "203.0.113.1", 0, 0x2, 1)));
        Finding missing = only(Checker.check(snapshot, facts.of(snapshot)));
        assertThat(missing.toString())
                .isEqualTo("warning subflows-missing connection 192.0.2.10:40000 -> 203.0.113.1:5201: the connection"
                        + " has 1 subflow where its endpoints and 1 peer address want 2; missing: 198.51.100.10 ->"
                        + " 203.0.113.1; its own subflows limit (2) is not reached: the peer refused the join (its"
                        + " subflows limit caps the joins it accepts) or the join failed on the way; fix: run"
                        + " mptcpstate check on the peer, and see the routing findings for the source addresses");
        // a file's plan is checked against new connections, not the live ones
        assertThat(Checker.check(snapshot, facts.planned().of(snapshot))).isEmpty();
    }

    @Test
    void announcementsCountedWhileAddAddrAcceptedIsZero() {
        Snapshot snapshot = snapshot(true, "kernel", 2, 0, List.of());
        Facts facts = new Facts();
        assertThat(Checker.check(snapshot, facts.of(snapshot))).isEmpty();
        facts.counters.put("AddAddr", 3L);
        assertThat(only(Checker.check(snapshot, facts.of(snapshot))).toString())
                .startsWith("warning add-addr-accepted limits add-addr-accepted: peers announced 3 addresses"
                        + " (MPTcpExtAddAddr, counted since the namespace was made) and add-addr-accepted is 0");
        Snapshot accepting = snapshot(true, "kernel", 2, 1, List.of());
        assertThat(Checker.check(accepting, facts.of(accepting))).isEmpty();
    }

    /** Issue 15, point 7: a fix never names an endpoint id that exists only in a plan's simulation. */
    @Test
    void anEndpointOnlyAPlanWouldMakeIsNamedByItsAddress() {
        KernelEndpoint missing = new KernelEndpoint(3, ip("203.0.113.9"), 0, SUBFLOW, 0);
        Snapshot snapshot = snapshot(true, "kernel", 2, 0, List.of(missing));
        Finding real = only(Checker.check(snapshot, new Facts().of(snapshot)));
        assertThat(real.code()).isEqualTo("address-not-on-host");
        assertThat(real.fix()).contains("ip mptcp endpoint delete id 3");
        Finding planned = only(
                Checker.check(snapshot, new Facts().planned().kernel(List.of()).of(snapshot)));
        assertThat(planned.reason()).startsWith("the endpoint is on an address the host does not have");
        assertThat(planned.fix()).doesNotContain("id").contains("leave 203.0.113.9 out of the state file");
    }

    @Test
    void theProbeAddressIsOutsideEveryLocalPrefix() {
        Snapshot snapshot = snapshot(true, "kernel", 2, 2, List.of());
        assertThat(Peers.probeFor(snapshot, true)).isEqualTo(ip("203.0.113.254"));
        List<LinkAddress> addresses = new ArrayList<>(ADDRESSES);
        addresses.add(new LinkAddress(2, ip("203.0.113.1"), 24, 0, 0));
        Snapshot more = new Snapshot(
                snapshot.sysctls(), snapshot.limits(), List.of(), LINKS, addresses, snapshot.defaultRoutes());
        // every documentation /24 is local here: no probe, so no routing verdict
        assertThat(Peers.probeFor(more, true)).isNull();
        assertThat(Peers.probeFor(snapshot, false)).isEqualTo(ip("2001:db8:ffff:ffff::1"));
    }

    /** The facts of a test: nothing known unless set. */
    private static final class Facts {
        private int all;
        private final Map<String, Integer> rp = new HashMap<>();
        private final List<InetAddress> peers = new ArrayList<>();
        private final List<MptcpConnection> connections = new ArrayList<>();
        private final List<Neighbour> neighbours = new ArrayList<>();
        private final Map<String, Long> counters = new HashMap<>();
        private final Map<CheckFacts.Route, RouteLookup> lookups = new HashMap<>();
        private List<KernelEndpoint> kernel;
        private boolean planned;

        Facts rp(int all, String name, int value) {
            this.all = all;
            rp.put(name, value);
            return this;
        }

        Facts peers(String... addresses) {
            for (String address : addresses) {
                peers.add(ip(address));
            }
            return this;
        }

        /** The kernel picks 192.0.2.10 (eth0, the default route) for connections to the peer. */
        Facts initial(String peer) {
            lookups.put(
                    new CheckFacts.Route(null, ip(peer), 0),
                    new RouteLookup(2, 254, ip("192.0.2.1"), ip("192.0.2.10"), null));
            return this;
        }

        Facts route(String source, String destination, int oif, int out, int table) {
            lookups.put(
                    new CheckFacts.Route(ip(source), ip(destination), oif),
                    new RouteLookup(out, table, null, ip(source), null));
            return this;
        }

        Facts unreachable(String source, String destination) {
            lookups.put(
                    new CheckFacts.Route(ip(source), ip(destination), 0),
                    new RouteLookup(0, 0, null, null, "Network is unreachable (ENETUNREACH)"));
            return this;
        }

        Facts neighbour(int index, String address, int state) {
            neighbours.add(new Neighbour(index, ip(address), state));
            return this;
        }

        Facts planned() {
            planned = true;
            return this;
        }

        Facts kernel(List<KernelEndpoint> endpoints) {
            kernel = endpoints;
            return this;
        }

        CheckFacts of(Snapshot snapshot) {
            return new CheckFacts(
                    all,
                    rp,
                    Set.of(2, 3),
                    Set.of(3),
                    peers,
                    connections,
                    neighbours,
                    counters,
                    kernel == null ? snapshot.endpoints() : kernel,
                    planned,
                    lookups);
        }
    }

    private static MptcpConnection connection(
            String local,
            int localPort,
            String remote,
            int joins,
            int subflowsMax,
            int flags,
            MptcpConnection.Subflow... subflows) {
        return new MptcpConnection(
                ip(local),
                localPort,
                ip(remote),
                5201,
                MptcpConnection.ESTABLISHED,
                0x1234,
                new MptcpConnection.Info(joins, 0, 0, subflowsMax, 0, 0, flags, -1, -1),
                List.of(subflows));
    }

    /** An established subflow to port 5201 (local port 5201: accepted); flags 0x2 MP_CAPABLE sent, 0x8 MP_JOIN sent. */
    private static MptcpConnection.Subflow subflow(
            String local, int localPort, String remote, int device, int flags, long bytesAcked) {
        return new MptcpConnection.Subflow(
                ip(local),
                localPort,
                ip(remote),
                5201,
                MptcpConnection.ESTABLISHED,
                device,
                0,
                0,
                flags,
                bytesAcked,
                0);
    }

    private static Snapshot snapshot(
            boolean enabled, String pm, int subflows, int addAddr, List<KernelEndpoint> endpoints) {
        return new Snapshot(
                new Snapshot.Sysctls(enabled, pm),
                new Snapshot.Limits(subflows, addAddr),
                endpoints,
                LINKS,
                ADDRESSES,
                new Snapshot.DefaultRoutes(Set.of(2), Set.of()));
    }

    private static Finding only(List<Finding> findings) {
        assertThat(findings).hasSize(1);
        return findings.get(0);
    }

    private static List<String> codes(List<Finding> findings) {
        List<String> codes = new ArrayList<>();
        for (Finding finding : findings) {
            codes.add(finding.code());
        }
        return codes;
    }

    private static InetAddress ip(String text) {
        return IpAddresses.parse(text);
    }
}
