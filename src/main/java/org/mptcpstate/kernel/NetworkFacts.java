package org.mptcpstate.kernel;

import org.mptcpstate.state.MptcpConnection;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Read-only facts about a network namespace's data path beyond the {@link org.mptcpstate.state.Snapshot}: what
 * {@code check} reasons about. Implemented over netlink and /proc by {@link NetlinkKernel}; none needs privileges.
 */
public interface NetworkFacts {
    /** {@code net.ipv4.conf.NAME.rp_filter} ({@code all} for the namespace-wide value), or -1 when unreadable. */
    int rpFilter(String interfaceName);

    /**
     * The kernel's own route lookup for packets from {@code source} (null: the kernel picks the source) to {@code
     * destination}, policy rules included, restricted to the device {@code outputInterface} when it is not 0, as
     * for a socket bound to it (what {@code ip route get DESTINATION from SOURCE oif DEVICE} does).
     */
    RouteLookup lookupRoute(InetAddress source, InetAddress destination, int outputInterface);

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

    /** The namespace's MPTCP connections (listeners left out) and their subflows, over sock_diag. */
    List<MptcpConnection> connections();

    /** The neighbour (ARP and NDP) entries of every interface. */
    List<Neighbour> neighbours();

    /**
     * The namespace's MPTCP counters ({@code MPTcpExt} of /proc/net/netstat, what {@code nstat} prints without
     * the prefix: {@code MPJoinRejected}, {@code AddAddr}, ...), counted since the namespace was made; empty when
     * unreadable.
     */
    Map<String, Long> mptcpCounters();

    /**
     * A route lookup's answer: the output interface, the table whose route matched (0 when none did and the
     * kernel assumed the destination on the link of the interface asked for), the gateway (null when on-link), the
     * source address the kernel would pick; or the kernel's refusal ({@code failure}, e.g. {@code Network is
     * unreachable (ENETUNREACH)}) with interface 0.
     */
    record RouteLookup(
            int outputInterface, int table, InetAddress gateway, InetAddress preferredSource, String failure) {
        /** No route matched; the kernel only assumed the destination on the link of the interface asked for. */
        public boolean onLinkFallback() {
            return failure == null && table == 0;
        }
    }

    /** A neighbour entry: the peer address on an interface and its NUD state bits. */
    record Neighbour(int interfaceIndex, InetAddress address, int state) {
        private static final int INCOMPLETE = 0x01;
        private static final int REACHABLE = 0x02;
        private static final int STALE = 0x04;
        private static final int DELAY = 0x08;
        private static final int PROBE = 0x10;
        private static final int FAILED = 0x20;
        private static final int NOARP = 0x40;
        private static final int PERMANENT = 0x80;

        /** The address answered on this link (or is configured there): packets to it get out. */
        public boolean resolved() {
            return (state & (REACHABLE | STALE | DELAY | PROBE | NOARP | PERMANENT)) != 0;
        }

        /** Resolution failed, or is still waiting for an answer. */
        public boolean unresolved() {
            return (state & (FAILED | INCOMPLETE)) != 0;
        }

        /** The state as {@code ip neigh} prints it, e.g. {@code FAILED}. */
        public String stateName() {
            String[] names = {"INCOMPLETE", "REACHABLE", "STALE", "DELAY", "PROBE", "FAILED", "NOARP", "PERMANENT"};
            StringBuilder text = new StringBuilder();
            for (int bit = 0; bit < names.length; bit++) {
                if ((state & (1 << bit)) != 0) {
                    text.append(text.length() == 0 ? "" : ",").append(names[bit]);
                }
            }
            return text.length() == 0 ? "NONE" : text.toString();
        }
    }
}
