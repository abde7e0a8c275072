package org.mptcpstate.check;

import org.mptcpstate.check.Finding.Severity;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The traps that stop MPTCP subflows, found in a snapshot and the facts read with it. Pure: no kernel access,
 * so the state a file would produce can be checked as well as the current one.
 */
public final class Checker {
    /** The routing table the suggested per-source rules use. */
    static final int RULE_TABLE = 100;

    private Checker() {}

    public static List<Finding> check(Snapshot snapshot, CheckFacts facts) {
        List<Finding> findings = new ArrayList<>();
        Map<Integer, Link> links = new HashMap<>();
        for (Link link : snapshot.links()) {
            links.put(link.index(), link);
        }
        if (!snapshot.sysctls().enabled()) {
            findings.add(new Finding(
                    Severity.ERROR,
                    "mptcp-disabled",
                    null,
                    null,
                    "net.mptcp.enabled",
                    "MPTCP is disabled: sockets asking for MPTCP fall back to plain TCP, no subflow is ever made",
                    "sysctl -w net.mptcp.enabled=1, or in the state file: mptcp: {enabled: true}"));
        }
        String pathManager = snapshot.sysctls().pathManager();
        if (!Snapshot.Sysctls.KERNEL.equals(pathManager)) {
            findings.add(new Finding(
                    snapshot.endpoints().isEmpty() ? Severity.WARNING : Severity.ERROR,
                    "path-manager",
                    null,
                    null,
                    "net.mptcp.path_manager",
                    "the path manager is " + pathManager + ", not the in-kernel one: the endpoints are ignored and"
                            + " no subflow is made from them unless a userspace daemon does it",
                    "sysctl -w net.mptcp.path_manager=kernel"));
        }
        int subflowEndpoints = 0;
        for (KernelEndpoint endpoint : snapshot.endpoints()) {
            if (endpoint.flags().has(MptcpFlag.SUBFLOW)) {
                subflowEndpoints++;
            }
        }
        int subflowLimit = snapshot.limits().subflows();
        if (subflowLimit < subflowEndpoints) {
            findings.add(new Finding(
                    Severity.ERROR,
                    "subflow-limit",
                    null,
                    null,
                    "limits subflows",
                    "the subflow limit is " + subflowLimit + " but there are " + subflowEndpoints
                            + " subflow endpoints: a connection gets at most " + subflowLimit
                            + " additional subflows, the endpoints beyond that are never used",
                    "ip mptcp limits set subflows " + subflowEndpoints
                            + ", or in the state file: mptcp: {limits: {subflows: " + subflowEndpoints + "}}"));
        }
        if (snapshot.limits().addAddrAccepted() == 0 && subflowEndpoints > 0) {
            findings.add(new Finding(
                    Severity.WARNING,
                    "add-addr-accepted",
                    null,
                    null,
                    "limits add-addr-accepted",
                    "add-addr-accepted is 0 while there are subflow endpoints: addresses the peer announces"
                            + " (ADD_ADDR) are ignored, subflows go only to the peer's first address",
                    "ip mptcp limits set add_addr_accepted " + Math.min(8, Math.max(1, subflowEndpoints))
                            + ", or in the state file: mptcp: {limits: {add-addr-accepted: "
                            + Math.min(8, Math.max(1, subflowEndpoints)) + "}}"));
        }
        Set<Integer> rpChecked = new HashSet<>();
        for (KernelEndpoint endpoint : snapshot.endpoints()) {
            endpointFindings(snapshot, facts, links, endpoint, rpChecked, findings);
        }
        return findings;
    }

    private static void endpointFindings(
            Snapshot snapshot,
            CheckFacts facts,
            Map<Integer, Link> links,
            KernelEndpoint endpoint,
            Set<Integer> rpChecked,
            List<Finding> findings) {
        String address = IpAddresses.format(endpoint.address());
        LinkAddress home = homeOf(snapshot, endpoint);
        Link bound = links.get(endpoint.interfaceIndex());
        if (home == null) {
            String where = bound == null ? "the host" : bound.name();
            findings.add(new Finding(
                    Severity.ERROR,
                    "address-not-on-host",
                    bound == null ? null : bound.name(),
                    address,
                    null,
                    "endpoint " + endpoint.id() + " is on an address " + where + " does not have: no subflow can"
                            + " be made from it, nor accepted on it",
                    "add the address (ip addr add " + address + "/PREFIX dev IFNAME), or remove the endpoint"
                            + " (ip mptcp endpoint delete id " + endpoint.id()
                            + ", or leave it out of the state file)"));
            return;
        }
        int index = endpoint.interfaceIndex() != 0 ? endpoint.interfaceIndex() : home.interfaceIndex();
        Link link = links.get(index);
        String name = link == null ? "if" + index : link.name();
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
                            + RULE_TABLE + " with ip rule add from " + address + " table " + RULE_TABLE + ")"));
            return;
        }
        if (!endpoint.flags().has(MptcpFlag.SUBFLOW)) {
            return;
        }
        CheckFacts.Lookup lookup = facts.lookups().get(endpoint.address());
        if (lookup == null) {
            return;
        }
        String destination = IpAddresses.format(lookup.destination());
        if (lookup.failure() != null) {
            findings.add(new Finding(
                    Severity.WARNING,
                    "no-remote-route",
                    name,
                    address,
                    null,
                    "no route from " + address + " to a remote address (ip route get " + destination + " from "
                            + address + ": " + lookup.failure() + "): subflows from it reach on-link peers only",
                    "add a default route for it: ip rule add from " + address + " table " + RULE_TABLE
                            + " and ip route add default via GATEWAY dev " + name + " table " + RULE_TABLE));
            return;
        }
        if (lookup.outputInterface() != index) {
            Link other = links.get(lookup.outputInterface());
            String otherName = other == null ? "if" + lookup.outputInterface() : other.name();
            findings.add(new Finding(
                    Severity.ERROR,
                    "policy-routing",
                    name,
                    address,
                    null,
                    "packets from " + address + " leave through " + otherName + ", not " + name + " (ip route get "
                            + destination + " from " + address + "): there is no policy-routing rule for this"
                            + " source address, so its subflow shares the other path or is dropped by the"
                            + " network as spoofed",
                    "ip rule add from " + address + " table " + RULE_TABLE + " and ip route add default "
                            + "[via GATEWAY] dev " + name + " table " + RULE_TABLE));
        }
    }

    /** The interface address the endpoint is on: on its bound interface when bound, else any. */
    static LinkAddress homeOf(Snapshot snapshot, KernelEndpoint endpoint) {
        LinkAddress any = null;
        for (LinkAddress address : snapshot.addresses()) {
            if (address.address().equals(endpoint.address())) {
                if (endpoint.interfaceIndex() == 0 || address.interfaceIndex() == endpoint.interfaceIndex()) {
                    return address;
                }
                any = any == null ? address : any;
            }
        }
        return endpoint.interfaceIndex() == 0 ? any : null;
    }

    /** The interface an endpoint's subflows should use: the bound one, else the one holding its address. */
    static int interfaceOf(Snapshot snapshot, KernelEndpoint endpoint) {
        if (endpoint.interfaceIndex() != 0) {
            return endpoint.interfaceIndex();
        }
        LinkAddress home = homeOf(snapshot, endpoint);
        return home == null ? 0 : home.interfaceIndex();
    }

    /** A remote probe address for the family: one outside every prefix on the host, or null. */
    static InetAddress probeFor(Snapshot snapshot, boolean ipv4) {
        String[] candidates = ipv4
                ? new String[] {"203.0.113.254", "198.51.100.254", "192.0.2.254"}
                : new String[] {"2001:db8:ffff:ffff::1", "2001:db8:fffe::1"};
        for (String candidate : candidates) {
            InetAddress probe = IpAddresses.parse(candidate);
            boolean local = false;
            for (LinkAddress address : snapshot.addresses()) {
                if (sameFamily(address.address(), probe)
                        && inPrefix(probe, address.address(), address.prefixLength())) {
                    local = true;
                    break;
                }
            }
            if (!local) {
                return probe;
            }
        }
        return null;
    }

    private static boolean sameFamily(InetAddress a, InetAddress b) {
        return a.getAddress().length == b.getAddress().length;
    }

    static boolean inPrefix(InetAddress candidate, InetAddress network, int prefixLength) {
        byte[] a = candidate.getAddress();
        byte[] b = network.getAddress();
        for (int bit = 0; bit < prefixLength && bit < a.length * 8; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
