package org.mptcpstate.check;

import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpFlag;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The subflows the in-kernel path manager opens for one connection, from the endpoints, the connection's own
 * address and the peer's addresses (Linux 6.x, net/mptcp/pm_kernel.c):
 *
 * <ul>
 *   <li>once the connection is established, every {@code subflow} endpoint of the connection's family but the
 *       one on the connection's own address opens a subflow to the peer's first address;
 *   <li>each announcement accepted (up to {@code add-addr-accepted}) opens a subflow to the announced address:
 *       from every {@code fullmesh} endpoint of its family when there is one, else from the address the routes
 *       pick.
 * </ul>
 *
 * Each subflow beyond the first is a join, and the {@code subflows} limit caps the joins on each side.
 */
final class SubflowModel {
    private SubflowModel() {}

    /**
     * One subflow wanted beyond the first: from an endpoint (null: the source the routes pick) to a peer address
     * (null: an announced address no live subflow shows).
     */
    record Pair(KernelEndpoint endpoint, InetAddress remote) {}

    /**
     * What a connection wants: the joins, the peer addresses they go to, and the announcements beyond
     * add-addr-accepted that are ignored.
     */
    record Wanted(List<Pair> joins, int peerAddresses, int fullmeshJoins, int ignoredAnnouncements) {
        Wanted {
            joins = List.copyOf(joins);
        }
    }

    static Wanted wanted(
            List<KernelEndpoint> endpoints,
            InetAddress initialLocal,
            InetAddress first,
            List<InetAddress> announced,
            int unknownAnnounced,
            int addAddrAccepted,
            boolean announcementsLimited) {
        List<Pair> joins = new ArrayList<>();
        int fullmeshJoins = 0;
        for (KernelEndpoint endpoint : endpoints) {
            if (endpoint.flags().has(MptcpFlag.SUBFLOW)
                    && Peers.sameFamily(endpoint.address(), first)
                    && !endpoint.address().equals(initialLocal)) {
                joins.add(new Pair(endpoint, first));
                fullmeshJoins += endpoint.flags().has(MptcpFlag.FULLMESH) ? 1 : 0;
            }
        }
        int accepted = announcementsLimited ? Math.min(announced.size(), addAddrAccepted) : announced.size();
        for (InetAddress remote : announced.subList(0, accepted)) {
            boolean fullmesh = false;
            for (KernelEndpoint endpoint : endpoints) {
                if (endpoint.flags().has(MptcpFlag.FULLMESH) && Peers.sameFamily(endpoint.address(), remote)) {
                    joins.add(new Pair(endpoint, remote));
                    fullmesh = true;
                    fullmeshJoins++;
                }
            }
            if (!fullmesh) {
                joins.add(new Pair(null, remote));
            }
        }
        for (int i = 0; i < unknownAnnounced; i++) {
            boolean fullmesh = false;
            for (KernelEndpoint endpoint : endpoints) {
                if (endpoint.flags().has(MptcpFlag.FULLMESH) && Peers.sameFamily(endpoint.address(), first)) {
                    joins.add(new Pair(endpoint, null));
                    fullmesh = true;
                    fullmeshJoins++;
                }
            }
            if (!fullmesh) {
                joins.add(new Pair(null, null));
            }
        }
        return new Wanted(joins, 1 + accepted + unknownAnnounced, fullmeshJoins, announced.size() - accepted);
    }
}
