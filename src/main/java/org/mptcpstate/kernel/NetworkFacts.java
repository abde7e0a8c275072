package org.mptcpstate.kernel;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/**
 * Read-only facts about a network namespace's data path beyond the {@link org.mptcpstate.state.Snapshot}: what
 * {@code check} reasons about. Implemented over netlink and /proc/sys by {@link NetlinkKernel}.
 */
public interface NetworkFacts {
    /** {@code net.ipv4.conf.NAME.rp_filter} ({@code all} for the namespace-wide value), or -1 when unreadable. */
    int rpFilter(String interfaceName);

    /**
     * The kernel's own route lookup for packets from {@code source} to {@code destination}, policy rules included
     * (what {@code ip route get DESTINATION from SOURCE} does).
     */
    RouteLookup lookupRoute(InetAddress source, InetAddress destination);

    /** Interfaces that are the output of at least one unicast route of the family, in any table but local. */
    Set<Integer> routedInterfaces(boolean ipv6);

    /**
     * The processes that manage MPTCP endpoints themselves (NetworkManager, mptcpd) and run in this network
     * namespace, as /proc shows them, by pid; empty when /proc cannot tell (not root: other users' namespaces
     * are hidden).
     */
    List<EndpointManager> endpointManagers();

    /** A process by its name ({@code /proc/PID/comm}) and pid. */
    record EndpointManager(String name, long pid) {}

    /** A route lookup's answer: the output interface, or the kernel's refusal with interface 0. */
    record RouteLookup(int outputInterface, String failure) {}
}
