package org.mptcpstate.check;

import org.mptcpstate.check.Finding.Severity;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;

import java.net.Inet4Address;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Each endpoint on its own: its address is on the host ({@code address-not-on-host}), its interface does not
 * filter subflows strictly ({@code rp-filter}) and has a route at all ({@code no-route}).
 */
final class EndpointRules {
    private EndpointRules() {}

    static void check(CheckContext context, List<Finding> findings) {
        Set<Integer> rpChecked = new HashSet<>();
        for (KernelEndpoint endpoint : context.snapshot.endpoints()) {
            endpoint(context, endpoint, rpChecked, findings);
        }
    }

    private static void endpoint(
            CheckContext context, KernelEndpoint endpoint, Set<Integer> rpChecked, List<Finding> findings) {
        CheckFacts facts = context.facts;
        String address = IpAddresses.format(endpoint.address());
        LinkAddress home = context.homeOf(endpoint);
        Link bound = context.link(endpoint.interfaceIndex());
        if (home == null) {
            String where = bound == null ? "the host" : bound.name();
            boolean real = context.isKernelEndpoint(endpoint);
            findings.add(new Finding(
                    Severity.ERROR,
                    "address-not-on-host",
                    bound == null ? null : bound.name(),
                    address,
                    null,
                    (real ? "endpoint " + endpoint.id() : "the endpoint") + " is on an address " + where
                            + " does not have: no subflow can be made from it, nor accepted on it",
                    "add the address (ip addr add " + address + "/PREFIX dev IFNAME), or remove the endpoint"
                            + (real
                                    ? " (ip mptcp endpoint delete id " + endpoint.id()
                                            + ", or leave it out of the state file)"
                                    : " (leave " + address + " out of the state file)")));
            return;
        }
        int index = context.interfaceOf(endpoint);
        String name = context.interfaceName(index);
        boolean ipv4 = endpoint.address() instanceof Inet4Address;
        if (ipv4 && rpChecked.add(index)) {
            Integer own = facts.rpFilter().get(name);
            int effective = Math.max(facts.rpFilterAll(), own == null ? 0 : own);
            if (effective == 1) {
                String fix = "sysctl -w net.ipv4.conf." + name + ".rp_filter=2";
                if (facts.rpFilterAll() == 1) {
                    fix = "sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf." + name + ".rp_filter=2";
                }
                findings.add(new Finding(
                        Severity.ERROR,
                        "rp-filter",
                        name,
                        address,
                        null,
                        "strict reverse-path filtering (rp_filter 1: the larger of net.ipv4.conf.all.rp_filter="
                                + facts.rpFilterAll() + " and net.ipv4.conf." + name + ".rp_filter="
                                + (own == null ? "?" : own) + ") drops packets arriving on " + name
                                + " whose reply would leave through another interface, which is what"
                                + " subflows do; NetworkManager relaxes it to loose for this reason",
                        fix + " (loose)"));
            }
        }
        if (!endpoint.flags().has(MptcpFlag.SUBFLOW) && !endpoint.flags().has(MptcpFlag.SIGNAL)) {
            return;
        }
        Set<Integer> routed = ipv4 ? facts.routedIpv4() : facts.routedIpv6();
        if (!routed.contains(index)) {
            findings.add(new Finding(
                    Severity.ERROR,
                    "no-route",
                    name,
                    address,
                    null,
                    name + " has no " + (ipv4 ? "IPv4" : "IPv6") + " route in any table: packets from " + address
                            + " cannot leave through it",
                    "give " + name + " a route: ip route add PREFIX dev " + name + " (or a default route in table "
                            + Checker.RULE_TABLE + " with ip rule add from " + address + " table "
                            + Checker.RULE_TABLE + ")"));
        }
    }

    /** Whether {@link #check} reported the endpoint's address or interface unusable: no routing rule applies. */
    static boolean unusable(CheckContext context, KernelEndpoint endpoint) {
        if (context.homeOf(endpoint) == null) {
            return true;
        }
        int index = context.interfaceOf(endpoint);
        Set<Integer> routed =
                endpoint.address() instanceof Inet4Address ? context.facts.routedIpv4() : context.facts.routedIpv6();
        return !routed.contains(index);
    }
}
