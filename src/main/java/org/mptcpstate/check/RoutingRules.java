package org.mptcpstate.check;

import org.mptcpstate.check.Finding.Severity;
import org.mptcpstate.kernel.NetworkFacts.Neighbour;
import org.mptcpstate.kernel.NetworkFacts.RouteLookup;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpConnection;
import org.mptcpstate.state.MptcpFlag;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Routing per source address, with the kernel's own route lookup for each subflow the endpoints make, and the
 * evidence of the data plane where the lookup alone cannot tell:
 *
 * <ul>
 *   <li>a subflow from an endpoint bound to a device ({@code dev}) stays on that device. When no route to the
 *       peer goes through it, the kernel assumes the peer is on that link: that works when it is (its neighbour
 *       entry resolves, or a live subflow carries data: {@code on-link-peer}, info) and otherwise the join never
 *       gets out ({@code no-route-via-device});
 *   <li>a subflow from an unbound endpoint follows the lookup from its address: through another interface it
 *       shares that path and is dropped where sources are filtered ({@code policy-routing});
 *   <li>the subflows a peer opens to a {@code signal} address are answered from that address, unbound: replies
 *       through another interface ({@code signal-routing});
 *   <li>no route at all ({@code no-remote-route}).
 * </ul>
 */
final class RoutingRules {
    private RoutingRules() {}

    static void check(CheckContext context, List<Finding> findings) {
        Set<String> done = new HashSet<>();
        for (CheckContext.Client client : context.clients) {
            for (SubflowModel.Pair pair : client.wanted().joins()) {
                KernelEndpoint endpoint = pair.endpoint();
                if (endpoint == null
                        || pair.remote() == null
                        || EndpointRules.unusable(context, endpoint)
                        || !done.add(
                                IpAddresses.format(endpoint.address()) + ">" + IpAddresses.format(pair.remote()))) {
                    continue;
                }
                subflow(context, endpoint, pair.remote(), client.group().probe(), findings);
            }
        }
        for (KernelEndpoint endpoint : context.snapshot.endpoints()) {
            if (endpoint.flags().has(MptcpFlag.SIGNAL) && !EndpointRules.unusable(context, endpoint)) {
                Peers.SignalPeers peers = Peers.signalPeers(context.snapshot, context.facts, endpoint.address());
                for (InetAddress peer : peers.addresses()) {
                    signal(context, endpoint, peer, peers.probe(), findings);
                }
            }
        }
    }

    private static void subflow(
            CheckContext context, KernelEndpoint endpoint, InetAddress peer, boolean probe, List<Finding> findings) {
        RouteLookup lookup = context.facts.lookup(CheckContext.subflowRoute(endpoint, peer));
        if (lookup == null) {
            return;
        }
        int home = context.interfaceOf(endpoint);
        String name = context.interfaceName(home);
        String address = IpAddresses.format(endpoint.address());
        String destination = IpAddresses.format(peer);
        int bound = endpoint.interfaceIndex();
        String command = "ip route get " + destination + " from " + address + (bound == 0 ? "" : " oif " + name);
        if (lookup.failure() != null) {
            findings.add(noRemoteRoute(name, address, destination, command, lookup.failure(), probe, true));
            return;
        }
        if (bound != 0 && lookup.onLinkFallback()) {
            boundWithoutRoute(context, endpoint, peer, command, findings);
            return;
        }
        if (lookup.outputInterface() == home) {
            return;
        }
        String other = context.interfaceName(lookup.outputInterface());
        findings.add(new Finding(
                Severity.ERROR,
                "policy-routing",
                name,
                address,
                null,
                "packets from " + address + " to " + destination + " leave through " + other + ", not " + name + " ("
                        + command + "): there is no policy-routing rule for this source address, so its subflow"
                        + " shares the path of " + other + " and is dropped wherever the network filters source"
                        + " addresses (as spoofed)",
                perSourceRule(address, name)));
    }

    /** A bound endpoint, no route through its device: the kernel tries the peer as a neighbour on that link. */
    private static void boundWithoutRoute(
            CheckContext context, KernelEndpoint endpoint, InetAddress peer, String command, List<Finding> findings) {
        int device = endpoint.interfaceIndex();
        String name = context.interfaceName(device);
        String address = IpAddresses.format(endpoint.address());
        String destination = IpAddresses.format(peer);
        MptcpConnection.Subflow carrying = null;
        MptcpConnection.Subflow pending = null;
        for (MptcpConnection.Subflow subflow : context.subflows(endpoint.address(), peer)) {
            if (subflow.established() && subflow.carriedData()) {
                carrying = subflow;
            } else if (!subflow.established()) {
                pending = subflow;
            }
        }
        Neighbour neighbour = context.neighbour(device, peer);
        String noRoute = "no route to " + destination + " goes through " + name + " (" + command
                + " finds none: the kernel assumes " + destination + " is on the link of " + name + ")";
        if (carrying != null || (neighbour != null && neighbour.resolved())) {
            String evidence = carrying != null
                    ? "a live subflow " + address + ":" + carrying.localPort() + " -> " + destination + ":"
                            + carrying.remotePort() + " carried " + bytes(carrying) + " on " + name
                    : "its neighbour entry on " + name + " is " + neighbour.stateName();
            findings.add(new Finding(
                    Severity.INFO,
                    "on-link-peer",
                    name,
                    address,
                    null,
                    noRoute + ", and it is: " + evidence + "; subflows from " + address + " to " + destination
                            + " work without a per-source rule",
                    null));
            return;
        }
        String evidence;
        if (neighbour != null && neighbour.unresolved()) {
            evidence =
                    "evidence: the neighbour entry of " + destination + " on " + name + " is " + neighbour.stateName();
        } else if (pending != null) {
            evidence = "evidence: a join " + address + ":" + pending.localPort() + " -> " + destination
                    + " is still unanswered";
        } else {
            evidence = "evidence: the route lookup only, as there is no neighbour entry of " + destination + " on "
                    + name + " and no live subflow from " + address + " to it yet; if " + destination
                    + " is on the link of " + name + ", subflows work and this is wrong";
        }
        findings.add(new Finding(
                Severity.ERROR,
                "no-route-via-device",
                name,
                address,
                null,
                "subflows from " + address + " are bound to " + name + " and " + noRoute + ": neighbour resolution"
                        + " for " + destination + " on " + name + " fails, nothing leaves " + name + ", and each join"
                        + " from " + address + " is closed with EHOSTUNREACH and never retried (" + evidence + ")",
                perSourceRule(address, name)));
    }

    private static void signal(
            CheckContext context, KernelEndpoint endpoint, InetAddress peer, boolean probe, List<Finding> findings) {
        RouteLookup lookup = context.facts.lookup(new CheckFacts.Route(endpoint.address(), peer, 0));
        if (lookup == null) {
            return;
        }
        int home = context.interfaceOf(endpoint);
        String name = context.interfaceName(home);
        String address = IpAddresses.format(endpoint.address());
        String destination = IpAddresses.format(peer);
        String command = "ip route get " + destination + " from " + address;
        if (lookup.failure() != null) {
            findings.add(noRemoteRoute(name, address, destination, command, lookup.failure(), probe, false));
            return;
        }
        if (lookup.outputInterface() == home) {
            return;
        }
        String other = context.interfaceName(lookup.outputInterface());
        String live = "";
        for (MptcpConnection.Subflow subflow : context.subflows(endpoint.address(), peer)) {
            if (subflow.established() && subflow.carriedData()) {
                live = "; a live subflow " + address + ":" + subflow.localPort() + " <- " + destination + ":"
                        + subflow.remotePort() + " has carried " + bytes(subflow) + " this way";
                break;
            }
        }
        findings.add(new Finding(
                Severity.ERROR,
                "signal-routing",
                name,
                address,
                null,
                "replies from the announced address " + address + " to " + destination + " leave through " + other
                        + ", not " + name + " (" + command + "): subflows the peer opens to " + address
                        + " send their data out of " + other + ", sharing its capacity, and are dropped wherever the"
                        + " network filters source addresses (as spoofed)" + live,
                perSourceRule(address, name)));
    }

    private static Finding noRemoteRoute(
            String name,
            String address,
            String destination,
            String command,
            String failure,
            boolean probe,
            boolean outgoing) {
        String consequence;
        if (probe) {
            consequence = outgoing
                    ? "subflows from it reach on-link peers only"
                    : "only on-link peers can use subflows to this announced address";
        } else {
            consequence = outgoing
                    ? "no subflow from it to " + destination + " can be made"
                    : destination + " gets no answer on subflows it opens to this announced address";
        }
        return new Finding(
                probe ? Severity.WARNING : Severity.ERROR,
                "no-remote-route",
                name,
                address,
                null,
                "no route from " + address + " to " + destination + " (" + command + ": " + failure + "): "
                        + consequence,
                "add a default route for it: " + perSourceRule(address, name));
    }

    private static String perSourceRule(String address, String name) {
        return "ip rule add from " + address + " table " + Checker.RULE_TABLE + " and ip route add default via"
                + " GATEWAY dev " + name + " table " + Checker.RULE_TABLE + " (GATEWAY: the router on " + name + ")";
    }

    private static String bytes(MptcpConnection.Subflow subflow) {
        long total = Math.max(0, subflow.bytesAcked()) + Math.max(0, subflow.bytesReceived());
        return total + " bytes";
    }
}
