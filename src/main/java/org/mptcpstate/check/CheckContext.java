package org.mptcpstate.check;

import org.mptcpstate.kernel.NetworkFacts.Neighbour;
import org.mptcpstate.kernel.NetworkFacts.RouteLookup;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot and its facts as the rule families read them: interfaces by index, the peers with the subflows each
 * connection to them wants, and the route lookups the rules need ({@link #questions()}), which {@link
 * FactsReader} asks the kernel before the rules run.
 */
final class CheckContext {
    final Snapshot snapshot;
    final CheckFacts facts;
    final List<Client> clients = new ArrayList<>();
    private final Map<Integer, Link> links = new HashMap<>();

    /** A peer of connections this side opens, the address the connection starts from, and what it wants. */
    record Client(Peers.Group group, InetAddress initialLocal, SubflowModel.Wanted wanted) {}

    CheckContext(Snapshot snapshot, CheckFacts facts) {
        this.snapshot = snapshot;
        this.facts = facts;
        for (Link link : snapshot.links()) {
            links.put(link.index(), link);
        }
        for (Peers.Group group : Peers.clientGroups(snapshot, facts)) {
            InetAddress initialLocal = group.initialLocal();
            if (initialLocal == null) {
                RouteLookup lookup = facts.lookup(group.initialLookup());
                initialLocal = lookup == null ? null : lookup.preferredSource();
            }
            SubflowModel.Wanted wanted = SubflowModel.wanted(
                    snapshot.endpoints(),
                    initialLocal,
                    group.first(),
                    group.announced(),
                    group.unknownAnnounced(),
                    snapshot.limits().addAddrAccepted(),
                    group.connection() == null);
            clients.add(new Client(group, initialLocal, wanted));
        }
    }

    /** The route lookups the rules read: to pick each connection's address, then from each endpoint to its peers. */
    List<CheckFacts.Route> questions() {
        Set<CheckFacts.Route> questions = new LinkedHashSet<>();
        for (Client client : clients) {
            if (client.group().initialLookup() != null) {
                questions.add(client.group().initialLookup());
            }
            for (SubflowModel.Pair pair : client.wanted().joins()) {
                if (pair.endpoint() != null && pair.remote() != null && homeOf(pair.endpoint()) != null) {
                    questions.add(subflowRoute(pair.endpoint(), pair.remote()));
                }
            }
        }
        for (KernelEndpoint endpoint : snapshot.endpoints()) {
            if (endpoint.flags().has(MptcpFlag.SIGNAL) && homeOf(endpoint) != null) {
                for (InetAddress peer :
                        Peers.signalPeers(snapshot, facts, endpoint.address()).addresses()) {
                    questions.add(new CheckFacts.Route(endpoint.address(), peer, 0));
                }
            }
        }
        return new ArrayList<>(questions);
    }

    /** The lookup a subflow from the endpoint takes: bound to its device when it has one. */
    static CheckFacts.Route subflowRoute(KernelEndpoint endpoint, InetAddress remote) {
        return new CheckFacts.Route(endpoint.address(), remote, endpoint.interfaceIndex());
    }

    String interfaceName(int index) {
        Link link = links.get(index);
        return link == null ? "if" + index : link.name();
    }

    Link link(int index) {
        return links.get(index);
    }

    /** The interface address the endpoint is on: on its bound interface when bound, else any. */
    LinkAddress homeOf(KernelEndpoint endpoint) {
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
    int interfaceOf(KernelEndpoint endpoint) {
        if (endpoint.interfaceIndex() != 0) {
            return endpoint.interfaceIndex();
        }
        LinkAddress home = homeOf(endpoint);
        return home == null ? 0 : home.interfaceIndex();
    }

    /** The neighbour entry of {@code address} on the interface, or null. */
    Neighbour neighbour(int interfaceIndex, InetAddress address) {
        for (Neighbour neighbour : facts.neighbours()) {
            if (neighbour.interfaceIndex() == interfaceIndex
                    && neighbour.address().equals(address)) {
                return neighbour;
            }
        }
        return null;
    }

    /** Live subflows from {@code local} to {@code remote}, of any connection. */
    List<MptcpConnection.Subflow> subflows(InetAddress local, InetAddress remote) {
        List<MptcpConnection.Subflow> found = new ArrayList<>();
        for (MptcpConnection connection : facts.connections()) {
            for (MptcpConnection.Subflow subflow : connection.subflows()) {
                if (subflow.localAddress().equals(local)
                        && subflow.remoteAddress().equals(remote)) {
                    found.add(subflow);
                }
            }
        }
        return found;
    }

    /** How an endpoint is named in a fix: by id when the kernel has it, by address when only a plan would make it. */
    String endpointRef(KernelEndpoint endpoint) {
        for (KernelEndpoint real : facts.kernelEndpoints()) {
            if (real.id() == endpoint.id() && real.address().equals(endpoint.address())) {
                return "endpoint " + endpoint.id();
            }
        }
        return "the endpoint on " + IpAddresses.format(endpoint.address());
    }

    boolean isKernelEndpoint(KernelEndpoint endpoint) {
        for (KernelEndpoint real : facts.kernelEndpoints()) {
            if (real.id() == endpoint.id() && real.address().equals(endpoint.address())) {
                return true;
            }
        }
        return false;
    }
}
