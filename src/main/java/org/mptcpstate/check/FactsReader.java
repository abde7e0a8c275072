package org.mptcpstate.check;

import org.mptcpstate.kernel.NetworkFacts;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Link;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Gathers the {@link CheckFacts} of a snapshot through the kernel's {@link NetworkFacts} port: rp_filter of the
 * interfaces carrying an endpoint, the kernel's route lookup from each subflow endpoint's address to a remote
 * probe address, and which interfaces have routes.
 */
public final class FactsReader {
    private FactsReader() {}

    public static CheckFacts read(NetworkFacts kernel, Snapshot snapshot) {
        Map<Integer, String> names = new HashMap<>();
        for (Link link : snapshot.links()) {
            names.put(link.index(), link.name());
        }
        Map<String, Integer> rpFilter = new HashMap<>();
        Map<InetAddress, CheckFacts.Lookup> lookups = new HashMap<>();
        InetAddress probe4 = Checker.probeFor(snapshot, true);
        InetAddress probe6 = Checker.probeFor(snapshot, false);
        for (KernelEndpoint endpoint : snapshot.endpoints()) {
            int index = Checker.interfaceOf(snapshot, endpoint);
            String name = names.get(index);
            if (name != null && !rpFilter.containsKey(name)) {
                int value = kernel.rpFilter(name);
                if (value >= 0) {
                    rpFilter.put(name, value);
                }
            }
            InetAddress probe = endpoint.address() instanceof Inet4Address ? probe4 : probe6;
            if (index == 0
                    || probe == null
                    || !endpoint.flags().has(MptcpFlag.SUBFLOW)
                    || Checker.homeOf(snapshot, endpoint) == null) {
                continue;
            }
            NetworkFacts.RouteLookup found = kernel.lookupRoute(endpoint.address(), probe);
            lookups.put(endpoint.address(), new CheckFacts.Lookup(probe, found.outputInterface(), found.failure()));
        }
        return new CheckFacts(
                kernel.rpFilter("all"),
                rpFilter,
                lookups,
                kernel.routedInterfaces(false),
                kernel.routedInterfaces(true));
    }
}
