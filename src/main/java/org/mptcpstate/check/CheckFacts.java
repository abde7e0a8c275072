package org.mptcpstate.check;

import org.mptcpstate.kernel.NetworkFacts.Neighbour;
import org.mptcpstate.kernel.NetworkFacts.RouteLookup;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpConnection;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What {@code check} needs beyond a {@link org.mptcpstate.state.Snapshot}, read in the namespace checked.
 *
 * @param rpFilterAll     net.ipv4.conf.all.rp_filter, or -1 when unreadable
 * @param rpFilter        net.ipv4.conf.IFNAME.rp_filter of the interfaces carrying an endpoint
 * @param routedIpv4      interfaces that are the output of at least one IPv4 unicast route (any table)
 * @param routedIpv6      the same for IPv6
 * @param peers           the peer's addresses given with {@code --peer}, the first the one connections go to
 * @param connections     the live MPTCP connections and their subflows
 * @param neighbours      the neighbour entries
 * @param counters        the namespace's MPTcpExt counters (nstat names without the prefix)
 * @param kernelEndpoints the endpoints the kernel holds now (differs from the snapshot's when a file's plan is
 *                        checked: the ids of endpoints the plan adds exist only in the simulation)
 * @param planned         the snapshot is what a file would make, not the kernel's current state
 * @param lookups         the kernel's route lookups {@link RouteQuestions} asked for, by question
 */
public record CheckFacts(
        int rpFilterAll,
        Map<String, Integer> rpFilter,
        Set<Integer> routedIpv4,
        Set<Integer> routedIpv6,
        List<InetAddress> peers,
        List<MptcpConnection> connections,
        List<Neighbour> neighbours,
        Map<String, Long> counters,
        List<KernelEndpoint> kernelEndpoints,
        boolean planned,
        Map<Route, RouteLookup> lookups) {
    public CheckFacts {
        rpFilter = Map.copyOf(rpFilter);
        routedIpv4 = Set.copyOf(routedIpv4);
        routedIpv6 = Set.copyOf(routedIpv6);
        peers = List.copyOf(peers);
        connections = List.copyOf(connections);
        neighbours = List.copyOf(neighbours);
        counters = Map.copyOf(counters);
        kernelEndpoints = List.copyOf(kernelEndpoints);
        lookups = Map.copyOf(lookups);
    }

    /** A MPTcpExt counter, 0 when absent. */
    long counter(String name) {
        Long value = counters.get(name);
        return value == null ? 0 : value;
    }

    /** The answer to a question, or null when it was not asked. */
    RouteLookup lookup(Route question) {
        return lookups.get(question);
    }

    /**
     * One route lookup: {@code ip route get DESTINATION [from SOURCE] [oif INTERFACE]}; source null lets the
     * kernel pick it, interface 0 leaves the output free.
     */
    public record Route(InetAddress source, InetAddress destination, int outputInterface) {
        // Written out: the generated record methods bootstrap through invokedynamic, which costs start-up time.
        @Override
        public boolean equals(Object other) {
            return other instanceof Route route
                    && Objects.equals(route.source, source)
                    && route.destination.equals(destination)
                    && route.outputInterface == outputInterface;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Objects.hashCode(source) + destination.hashCode()) + outputInterface;
        }
    }
}
