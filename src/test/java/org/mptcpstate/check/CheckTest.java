package org.mptcpstate.check;

import org.junit.jupiter.api.Test;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The Checker's rules on hand-made snapshots and facts, without a kernel. */
class CheckTest {
    private static final EndpointFlags SUBFLOW = EndpointFlags.of(MptcpFlag.SUBFLOW);
    private static final EndpointFlags SIGNAL = EndpointFlags.of(MptcpFlag.SIGNAL);
    private static final List<Link> LINKS = List.of(
            new Link(1, "lo", null, true, true, 772, Snapshot.OperState.UNKNOWN),
            new Link(2, "eth0", "veth", true, false, 1, Snapshot.OperState.UP),
            new Link(3, "eth1", "veth", true, false, 1, Snapshot.OperState.UP));
    private static final List<LinkAddress> ADDRESSES = List.of(
            new LinkAddress(2, ip("192.0.2.10"), 24, 0, LinkAddress.PERMANENT),
            new LinkAddress(3, ip("198.51.100.10"), 24, 0, LinkAddress.PERMANENT),
            new LinkAddress(3, ip("2001:db8:1::10"), 64, 0, LinkAddress.PERMANENT));

    @Test
    void aCleanStateHasNoFindings() {
        Snapshot snapshot =
                snapshot(true, "kernel", 2, 2, List.of(new KernelEndpoint(1, ip("198.51.100.10"), 0, SUBFLOW, 3)));
        assertThat(Checker.check(snapshot, facts(0, Map.of("eth1", 0), lookup("198.51.100.10", 3))))
                .isEmpty();
    }

    @Test
    void everySysctlAndLimitTrapAtOnce() {
        Snapshot snapshot =
                snapshot(false, "userspace", 0, 0, List.of(new KernelEndpoint(1, ip("198.51.100.10"), 0, SUBFLOW, 3)));
        List<String> codes = codes(Checker.check(snapshot, facts(0, Map.of("eth1", 0), lookup("198.51.100.10", 3))));
        assertThat(codes).containsExactly("mptcp-disabled", "path-manager", "subflow-limit", "add-addr-accepted");
        List<Finding> findings = Checker.check(snapshot, facts(0, Map.of(), lookup("198.51.100.10", 3)));
        assertThat(findings.get(1).severity()).isEqualTo(Finding.Severity.ERROR);
        assertThat(findings.get(3).severity()).isEqualTo(Finding.Severity.WARNING);
    }

    @Test
    void userspacePathManagerWithoutEndpointsIsOnlyAWarning() {
        List<Finding> findings = Checker.check(snapshot(true, "userspace", 2, 2, List.of()), facts(0, Map.of()));
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).severity()).isEqualTo(Finding.Severity.WARNING);
    }

    @Test
    void rpFilterCountsTheLargerOfAllAndTheInterface() {
        Snapshot snapshot =
                snapshot(true, "kernel", 2, 2, List.of(new KernelEndpoint(1, ip("198.51.100.10"), 0, SIGNAL, 0)));
        assertThat(codes(Checker.check(snapshot, facts(1, Map.of("eth1", 0))))).containsExactly("rp-filter");
        assertThat(codes(Checker.check(snapshot, facts(0, Map.of("eth1", 1))))).containsExactly("rp-filter");
        // 2 (loose) in "all" is larger than 1 on the interface: loose wins
        assertThat(Checker.check(snapshot, facts(2, Map.of("eth1", 1)))).isEmpty();
        assertThat(Checker.check(snapshot, facts(0, Map.of("eth1", 2)))).isEmpty();
    }

    @Test
    void policyRoutingNoRouteAndMissingAddress() {
        Snapshot snapshot = snapshot(
                true,
                "kernel",
                4,
                2,
                List.of(
                        new KernelEndpoint(1, ip("198.51.100.10"), 0, SUBFLOW, 3),
                        new KernelEndpoint(2, ip("2001:db8:1::10"), 0, SUBFLOW, 0),
                        new KernelEndpoint(3, ip("203.0.113.9"), 0, SUBFLOW, 0)));
        CheckFacts facts = new CheckFacts(
                0,
                Map.of(),
                Map.of(ip("198.51.100.10"), new CheckFacts.Lookup(ip("203.0.113.254"), 2, null)),
                Set.of(2, 3),
                Set.of());
        List<Finding> findings = Checker.check(snapshot, facts);
        assertThat(codes(findings)).containsExactly("policy-routing", "no-route", "address-not-on-host");
        assertThat(findings.get(0).toString())
                .startsWith(
                        "error policy-routing eth1 198.51.100.10: packets from"
                                + " 198.51.100.10 leave through eth0, not eth1 (ip route get 203.0.113.254 from 198.51.100.10)");
        assertThat(findings.get(1).interfaceName()).isEqualTo("eth1");
        assertThat(findings.get(1).reason()).contains("no IPv6 route");
        assertThat(findings.get(2).concerns()).isEqualTo("203.0.113.9");
    }

    @Test
    void anUnreachableRemoteIsAWarning() {
        Snapshot snapshot =
                snapshot(true, "kernel", 2, 2, List.of(new KernelEndpoint(1, ip("198.51.100.10"), 0, SUBFLOW, 3)));
        CheckFacts facts = new CheckFacts(
                0,
                Map.of(),
                Map.of(ip("198.51.100.10"), new CheckFacts.Lookup(ip("203.0.113.254"), 0, "Network is unreachable")),
                Set.of(3),
                Set.of());
        List<Finding> findings = Checker.check(snapshot, facts);
        assertThat(codes(findings)).containsExactly("no-remote-route");
        assertThat(findings.get(0).severity()).isEqualTo(Finding.Severity.WARNING);
    }

    @Test
    void theProbeAddressIsOutsideEveryLocalPrefix() {
        Snapshot snapshot = snapshot(true, "kernel", 2, 2, List.of());
        assertThat(Checker.probeFor(snapshot, true)).isEqualTo(ip("203.0.113.254"));
        List<LinkAddress> addresses = new ArrayList<>(ADDRESSES);
        addresses.add(new LinkAddress(2, ip("203.0.113.1"), 24, 0, 0));
        Snapshot more = new Snapshot(
                snapshot.sysctls(), snapshot.limits(), List.of(), LINKS, addresses, snapshot.defaultRoutes());
        // every documentation /24 is local here: no probe, so no policy-routing verdict
        assertThat(Checker.probeFor(more, true)).isNull();
        assertThat(Checker.probeFor(snapshot, false)).isEqualTo(ip("2001:db8:ffff:ffff::1"));
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

    private static CheckFacts facts(int all, Map<String, Integer> rp) {
        return new CheckFacts(all, rp, Map.of(), Set.of(2, 3), Set.of(3));
    }

    private static CheckFacts facts(int all, Map<String, Integer> rp, Map<InetAddress, CheckFacts.Lookup> lookups) {
        return new CheckFacts(all, rp, lookups, Set.of(2, 3), Set.of(3));
    }

    private static Map<InetAddress, CheckFacts.Lookup> lookup(String source, int output) {
        return Map.of(ip(source), new CheckFacts.Lookup(ip("203.0.113.254"), output, null));
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
