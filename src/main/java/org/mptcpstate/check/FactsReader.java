package org.mptcpstate.check;

import org.mptcpstate.kernel.NetworkFacts;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Link;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers the {@link CheckFacts} of a snapshot through the kernel's {@link NetworkFacts} port: rp_filter of the
 * interfaces carrying an endpoint, which interfaces have routes, the live MPTCP connections and their subflows,
 * the neighbour entries, the MPTCP counters, and the route lookups the rules need ({@link CheckContext#questions()},
 * asked in two rounds: the lookups that pick each connection's source address come first, as the subflows wanted
 * depend on it).
 */
public final class FactsReader {
    private FactsReader() {}

    /**
     * @param checked the snapshot checked: the current one, or what a file's plan would make of it
     * @param current the kernel's current snapshot
     * @param peers   the peer addresses given with --peer
     */
    public static CheckFacts read(NetworkFacts kernel, Snapshot checked, Snapshot current, List<InetAddress> peers) {
        CheckFacts facts = new CheckFacts(
                kernel.rpFilter("all"),
                Map.of(),
                kernel.routedInterfaces(false),
                kernel.routedInterfaces(true),
                peers,
                kernel.connections(),
                kernel.neighbours(),
                kernel.mptcpCounters(),
                current.endpoints(),
                checked != current,
                Map.of());
        Map<Integer, String> names = new HashMap<>();
        for (Link link : checked.links()) {
            names.put(link.index(), link.name());
        }
        Map<String, Integer> rpFilter = new HashMap<>();
        CheckContext context = new CheckContext(checked, facts);
        for (KernelEndpoint endpoint : checked.endpoints()) {
            String name = names.get(context.interfaceOf(endpoint));
            if (name != null && !rpFilter.containsKey(name)) {
                int value = kernel.rpFilter(name);
                if (value >= 0) {
                    rpFilter.put(name, value);
                }
            }
        }
        Map<CheckFacts.Route, NetworkFacts.RouteLookup> lookups = new HashMap<>();
        facts = with(facts, rpFilter, lookups);
        for (int round = 0; round < 2; round++) {
            for (CheckFacts.Route question : new CheckContext(checked, facts).questions()) {
                if (!lookups.containsKey(question)) {
                    lookups.put(
                            question,
                            kernel.lookupRoute(question.source(), question.destination(), question.outputInterface()));
                }
            }
            facts = with(facts, rpFilter, lookups);
        }
        return facts;
    }

    private static CheckFacts with(
            CheckFacts facts, Map<String, Integer> rpFilter, Map<CheckFacts.Route, NetworkFacts.RouteLookup> lookups) {
        return new CheckFacts(
                facts.rpFilterAll(),
                rpFilter,
                facts.routedIpv4(),
                facts.routedIpv6(),
                facts.peers(),
                facts.connections(),
                facts.neighbours(),
                facts.counters(),
                facts.kernelEndpoints(),
                facts.planned(),
                lookups);
    }
}
