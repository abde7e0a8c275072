package org.mptcpstate.check;

import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.MptcpConnection;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.LinkAddress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The peers check reasons about, from what it knows: the addresses given with {@code --peer}, the live MPTCP
 * connections, and otherwise a remote probe address (one outside every local prefix, so it follows the default
 * route, as traffic to a real remote server does).
 */
final class Peers {
    private Peers() {}

    /**
     * The peer of connections this side opens. {@code first} is the address connections go to; {@code announced}
     * the peer's other addresses, learnt from its announcements (ADD_ADDR); {@code unknownAnnounced} announcements
     * a live connection accepted whose address no subflow shows. {@code initialLocal} is the connection's own
     * address, null when the kernel will pick it (a route lookup to {@code first} says which). {@code probe}: no
     * peer is known, {@code first} is the probe address standing for any remote one.
     */
    record Group(
            String origin,
            InetAddress first,
            List<InetAddress> announced,
            int unknownAnnounced,
            InetAddress initialLocal,
            MptcpConnection connection,
            boolean probe) {
        Group {
            announced = List.copyOf(announced);
        }

        /** Every known address of the peer, the first first. */
        List<InetAddress> addresses() {
            List<InetAddress> all = new ArrayList<>();
            all.add(first);
            all.addAll(announced);
            return all;
        }

        /** The route lookup that gives the address the kernel picks for the connection, or null when known. */
        CheckFacts.Route initialLookup() {
            return initialLocal == null ? new CheckFacts.Route(null, first, 0) : null;
        }
    }

    /** The peers of connections this side opens: from --peer, from live connections, else a probe per family. */
    static List<Group> clientGroups(Snapshot snapshot, CheckFacts facts) {
        List<Group> groups = new ArrayList<>();
        if (!facts.peers().isEmpty()) {
            List<InetAddress> peers = facts.peers();
            groups.add(new Group(
                    "--peer " + text(peers), peers.get(0), peers.subList(1, peers.size()), 0, null, null, false));
        }
        for (MptcpConnection connection : facts.connections()) {
            if (!connection.openedHere()) {
                continue;
            }
            Set<InetAddress> announced = new LinkedHashSet<>();
            for (MptcpConnection.Subflow subflow : connection.subflows()) {
                if (!subflow.remoteAddress().equals(connection.remoteAddress())) {
                    announced.add(subflow.remoteAddress());
                }
            }
            int unknown = Math.max(0, connection.info().addAddrAccepted() - announced.size());
            groups.add(new Group(
                    "connection " + IpAddresses.format(connection.localAddress()) + ":" + connection.localPort()
                            + " -> " + IpAddresses.format(connection.remoteAddress()) + ":" + connection.remotePort(),
                    connection.remoteAddress(),
                    new ArrayList<>(announced),
                    unknown,
                    connection.localAddress(),
                    connection,
                    false));
        }
        if (groups.isEmpty()) {
            for (boolean ipv4 : new boolean[] {true, false}) {
                InetAddress probe = probeFor(snapshot, ipv4);
                if (probe != null) {
                    groups.add(new Group(
                            "a remote peer (" + IpAddresses.format(probe)
                                    + ", as no --peer is given and there is no live connection)",
                            probe,
                            List.of(),
                            0,
                            null,
                            null,
                            true));
                }
            }
        }
        return groups;
    }

    /**
     * The peers that open subflows to a {@code signal} address, as far as they are known: the remote ends of live
     * subflows on that address; else the peers of connections this side accepted and the --peer addresses; else
     * the probe. Only addresses of the same family.
     */
    static SignalPeers signalPeers(Snapshot snapshot, CheckFacts facts, InetAddress address) {
        Set<InetAddress> peers = new LinkedHashSet<>();
        for (MptcpConnection connection : facts.connections()) {
            for (MptcpConnection.Subflow subflow : connection.subflows()) {
                if (subflow.localAddress().equals(address) && sameFamily(subflow.remoteAddress(), address)) {
                    peers.add(subflow.remoteAddress());
                }
            }
        }
        if (peers.isEmpty()) {
            for (MptcpConnection connection : facts.connections()) {
                if (connection.established()
                        && !connection.openedHere()
                        && sameFamily(connection.remoteAddress(), address)) {
                    peers.add(connection.remoteAddress());
                }
            }
            for (InetAddress peer : facts.peers()) {
                if (sameFamily(peer, address)) {
                    peers.add(peer);
                }
            }
        }
        if (peers.isEmpty()) {
            InetAddress probe = probeFor(snapshot, address instanceof Inet4Address);
            return new SignalPeers(probe == null ? List.of() : List.of(probe), true);
        }
        return new SignalPeers(new ArrayList<>(peers), false);
    }

    /** The peers of a signal address; {@code probe}: none is known, the one address is the probe. */
    record SignalPeers(List<InetAddress> addresses, boolean probe) {
        SignalPeers {
            addresses = List.copyOf(addresses);
        }
    }

    static String text(List<InetAddress> addresses) {
        StringBuilder text = new StringBuilder();
        for (InetAddress address : addresses) {
            text.append(text.length() == 0 ? "" : ", ").append(IpAddresses.format(address));
        }
        return text.toString();
    }

    static boolean sameFamily(InetAddress a, InetAddress b) {
        return a.getAddress().length == b.getAddress().length;
    }

    /** A remote probe address for the family: one outside every prefix on the host, or null. */
    static InetAddress probeFor(Snapshot snapshot, boolean ipv4) {
        String[] candidates = ipv4
                ? new String[] {"203.0.113.254", "198.51.100.254", "192.0.2.254"}
                : new String[] {"2001:db8:ffff:ffff::1", "2001:db8:fffe::1"};
        for (String candidate : candidates) {
            InetAddress probe = IpAddresses.parse(candidate);
            boolean local = false;
            for (LinkAddress address : snapshot.addresses()) {
                if (sameFamily(address.address(), probe)
                        && inPrefix(probe, address.address(), address.prefixLength())) {
                    local = true;
                    break;
                }
            }
            if (!local) {
                return probe;
            }
        }
        return null;
    }

    static boolean inPrefix(InetAddress candidate, InetAddress network, int prefixLength) {
        byte[] a = candidate.getAddress();
        byte[] b = network.getAddress();
        for (int bit = 0; bit < prefixLength && bit < a.length * 8; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
