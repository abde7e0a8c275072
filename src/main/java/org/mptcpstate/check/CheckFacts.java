package org.mptcpstate.check;

import java.net.InetAddress;
import java.util.Map;
import java.util.Set;

/**
 * What {@code check} needs beyond a {@link org.mptcpstate.state.Snapshot}, read in the namespace checked.
 *
 * @param rpFilterAll  net.ipv4.conf.all.rp_filter, or -1 when unreadable
 * @param rpFilter     net.ipv4.conf.IFNAME.rp_filter of the interfaces carrying an endpoint
 * @param lookups      the kernel's route lookup from each subflow endpoint's address to a remote probe address
 * @param routedIpv4   interfaces that are the output of at least one IPv4 unicast route (any table)
 * @param routedIpv6   the same for IPv6
 */
public record CheckFacts(
        int rpFilterAll,
        Map<String, Integer> rpFilter,
        Map<InetAddress, Lookup> lookups,
        Set<Integer> routedIpv4,
        Set<Integer> routedIpv6) {
    public CheckFacts {
        rpFilter = Map.copyOf(rpFilter);
        lookups = Map.copyOf(lookups);
        routedIpv4 = Set.copyOf(routedIpv4);
        routedIpv6 = Set.copyOf(routedIpv6);
    }

    /**
     * One route lookup ({@code ip route get DESTINATION from SOURCE}): the output interface, or the kernel's
     * refusal ({@code failure}, e.g. "Network is unreachable") with interface 0.
     */
    public record Lookup(InetAddress destination, int outputInterface, String failure) {}
}
