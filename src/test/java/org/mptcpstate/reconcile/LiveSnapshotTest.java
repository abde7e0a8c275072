package org.mptcpstate.reconcile;

import org.junit.jupiter.api.Test;
import org.mptcpstate.kernel.NetworkChange;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.Snapshot.DefaultRoutes;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;
import org.mptcpstate.state.Snapshot.OperState;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The kept snapshot brought up to date with decoded address and link events, in the order they came. */
class LiveSnapshotTest {
    private static final Link LO = new Link(1, "lo", null, true, true, 772, OperState.UNKNOWN);
    private static final Link ETH1 = new Link(2, "eth1", "veth", true, false, 1, OperState.UP);

    private static LinkAddress address(int link, String ip, int prefix, int flags) {
        try {
            return new LinkAddress(link, InetAddress.getByName(ip), prefix, 0, flags);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static final LinkAddress V4 = address(2, "192.0.2.2", 24, LinkAddress.PERMANENT);

    private static Snapshot snapshot() {
        return new Snapshot(
                new Snapshot.Sysctls(true, "kernel"),
                new Snapshot.Limits(2, 0),
                List.of(new KernelEndpoint(1, V4.address(), 0, new EndpointFlags(2), 2)),
                List.of(LO, ETH1),
                List.of(V4),
                new DefaultRoutes(Set.of(), Set.of()));
    }

    @Test
    void eventsApplyInOrderAndTheLastOneForAnAddressWins() {
        LinkAddress tentative = address(2, "2001:db8::2", 64, LinkAddress.TENTATIVE);
        LinkAddress settled = address(2, "2001:db8::2", 64, LinkAddress.PERMANENT);
        LinkAddress gone = address(2, "198.51.100.2", 24, LinkAddress.PERMANENT);
        Snapshot after = LiveSnapshot.apply(
                snapshot(),
                List.of(
                        new NetworkChange.AddressAdded(tentative),
                        new NetworkChange.AddressAdded(gone),
                        new NetworkChange.AddressAdded(settled), // duplicate address detection done
                        new NetworkChange.AddressRemoved(gone)));
        assertThat(after.addresses()).containsExactly(V4, settled);
        assertThat(after.endpoints())
                .as("no event announces endpoints")
                .isEqualTo(snapshot().endpoints());
        assertThat(after.limits()).isEqualTo(snapshot().limits());
    }

    @Test
    void ipv4KeepsOneAddressTwiceWithDifferentPrefixesIpv6DoesNot() {
        LinkAddress v4Narrow = address(2, "192.0.2.2", 25, LinkAddress.PERMANENT);
        LinkAddress v6 = address(2, "2001:db8::2", 64, 0);
        LinkAddress v6Other = address(2, "2001:db8::2", 48, 0);
        Snapshot after = LiveSnapshot.apply(
                snapshot(),
                List.of(
                        new NetworkChange.AddressAdded(v4Narrow),
                        new NetworkChange.AddressAdded(v6),
                        new NetworkChange.AddressAdded(v6Other)));
        assertThat(after.addresses()).containsExactly(V4, v4Narrow, v6Other);
        Snapshot removed = LiveSnapshot.apply(after, List.of(new NetworkChange.AddressRemoved(v4Narrow)));
        assertThat(removed.addresses()).containsExactly(V4, v6Other);
    }

    @Test
    void aLinkChangesInPlaceAndTakesItsAddressesWhenItGoes() {
        Link renamed = new Link(2, "wan0", "veth", false, false, 1, OperState.DOWN);
        Link added = new Link(7, "eth7", "veth", true, false, 1, OperState.UP);
        LinkAddress onAdded = address(7, "203.0.113.7", 24, LinkAddress.PERMANENT);
        Snapshot after = LiveSnapshot.apply(
                snapshot(),
                List.of(
                        new NetworkChange.LinkChanged(renamed),
                        new NetworkChange.LinkChanged(added),
                        new NetworkChange.AddressAdded(onAdded)));
        assertThat(after.links()).containsExactly(LO, renamed, added);
        Snapshot gone = LiveSnapshot.apply(after, List.of(new NetworkChange.LinkRemoved(2)));
        assertThat(gone.links()).containsExactly(LO, added);
        assertThat(gone.addresses()).containsExactly(onAdded);
    }

    @Test
    void endpointsReadBackReplaceTheKeptOnes() {
        KernelEndpoint read = new KernelEndpoint(4, V4.address(), 0, new EndpointFlags(6), 2);
        Snapshot after = LiveSnapshot.withEndpoints(snapshot(), List.of(read));
        assertThat(after.endpoints()).containsExactly(read);
        assertThat(after.addresses()).isEqualTo(snapshot().addresses());
    }
}
