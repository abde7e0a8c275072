package org.mptcpstate.reconcile;

import org.mptcpstate.kernel.NetworkChange;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps a snapshot current between full reads with the kernel's own address and link events. Each event carries
 * the whole object, so applying them in the order they came makes each object what its last event says; objects
 * without an event keep what the last read found. Endpoints, limits and sysctls are not touched: no event announces
 * them (watch reads the endpoints back after its own writes, and everything at each resync).
 */
final class LiveSnapshot {
    private LiveSnapshot() {}

    static Snapshot apply(Snapshot snapshot, List<NetworkChange> changes) {
        if (changes.isEmpty()) {
            return snapshot;
        }
        List<Link> links = new ArrayList<>(snapshot.links());
        List<LinkAddress> addresses = new ArrayList<>(snapshot.addresses());
        for (NetworkChange change : changes) {
            if (change instanceof NetworkChange.AddressAdded added) {
                int at = find(addresses, added.address());
                if (at >= 0) {
                    addresses.set(at, added.address());
                } else {
                    addresses.add(added.address());
                }
            } else if (change instanceof NetworkChange.AddressRemoved removed) {
                int at = find(addresses, removed.address());
                if (at >= 0) {
                    addresses.remove(at);
                }
            } else if (change instanceof NetworkChange.LinkChanged changed) {
                int at = findLink(links, changed.link().index());
                if (at >= 0) {
                    links.set(at, changed.link());
                } else {
                    links.add(changed.link());
                }
            } else if (change instanceof NetworkChange.LinkRemoved removed) {
                int at = findLink(links, removed.index());
                if (at >= 0) {
                    links.remove(at);
                }
                for (int i = addresses.size() - 1; i >= 0; i--) {
                    if (addresses.get(i).interfaceIndex() == removed.index()) {
                        addresses.remove(i);
                    }
                }
            }
        }
        return new Snapshot(
                snapshot.sysctls(),
                snapshot.limits(),
                snapshot.endpoints(),
                links,
                addresses,
                snapshot.defaultRoutes());
    }

    /** The snapshot with these endpoints (read back after writes) in place of its own. */
    static Snapshot withEndpoints(Snapshot snapshot, List<KernelEndpoint> endpoints) {
        return new Snapshot(
                snapshot.sysctls(),
                snapshot.limits(),
                endpoints,
                snapshot.links(),
                snapshot.addresses(),
                snapshot.defaultRoutes());
    }

    /**
     * The same address for the kernel: interface and address, and for IPv4 also the prefix length (IPv4 allows
     * one address twice with different prefixes, IPv6 does not). The flags are what an event changes.
     */
    private static int find(List<LinkAddress> addresses, LinkAddress wanted) {
        boolean ipv4 = wanted.address() instanceof Inet4Address;
        for (int i = 0; i < addresses.size(); i++) {
            LinkAddress a = addresses.get(i);
            if (a.interfaceIndex() == wanted.interfaceIndex()
                    && (!ipv4 || a.prefixLength() == wanted.prefixLength())
                    && a.address().equals(wanted.address())) {
                return i;
            }
        }
        return -1;
    }

    private static int findLink(List<Link> links, int index) {
        for (int i = 0; i < links.size(); i++) {
            if (links.get(i).index() == index) {
                return i;
            }
        }
        return -1;
    }
}
