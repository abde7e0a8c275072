package org.mptcpstate.state;

import org.junit.jupiter.api.Test;
import org.mptcpstate.state.Snapshot.DefaultRoutes;
import org.mptcpstate.state.Snapshot.Limits;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;
import org.mptcpstate.state.Snapshot.OperState;
import org.mptcpstate.state.Snapshot.Sysctls;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mptcpstate.state.MptcpFlag.BACKUP;
import static org.mptcpstate.state.MptcpFlag.SIGNAL;
import static org.mptcpstate.state.MptcpFlag.SUBFLOW;

class ShowDocumentTest {
    private static final int PERMANENT = LinkAddress.PERMANENT;

    private static InetAddress ip(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Link link(int index, String name, String kind) {
        return new Link(index, name, kind, true, false, 1, OperState.UP);
    }

    private static LinkAddress address(int index, String ip, int prefix) {
        return new LinkAddress(index, ip(ip), prefix, 0, PERMANENT);
    }

    private static Snapshot snapshot(List<Link> links, List<LinkAddress> addresses, List<KernelEndpoint> endpoints) {
        return new Snapshot(
                new Sysctls(true, "kernel"),
                new Limits(2, 0),
                endpoints,
                links,
                addresses,
                new DefaultRoutes(Set.of(), Set.of()));
    }

    private static ShowDocument.Interface only(ShowDocument state, String name) {
        return state.interfaces().stream()
                .filter(i -> i.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void endpointOnAnAddressIsShownThereWithItsId() {
        ShowDocument state = ShowDocument.of(snapshot(
                List.of(link(2, "eth1", null)),
                List.of(address(2, "192.0.2.2", 24)),
                List.of(new KernelEndpoint(1, ip("192.0.2.2"), 0, EndpointFlags.of(SIGNAL, SUBFLOW), 2))));

        ShowDocument.Address shown = only(state, "eth1").ipv4().addresses().get(0);
        assertThat(shown.mptcpFlags().names()).containsExactly("signal", "subflow");
        assertThat(shown.endpointId()).isEqualTo(1);
        assertThat(only(state, "eth1").addressFlags().names()).containsExactly("signal", "subflow");
        assertThat(state.mptcp().endpoints()).isEmpty();
    }

    @Test
    void endpointsWithAPortOrWithoutAHomeAddressAreListedSeparately() {
        ShowDocument state = ShowDocument.of(snapshot(
                List.of(link(2, "eth1", "veth")),
                List.of(address(2, "198.51.100.2", 24)),
                List.of(
                        new KernelEndpoint(3, ip("198.51.100.2"), 8443, EndpointFlags.of(SIGNAL), 0),
                        new KernelEndpoint(4, ip("203.0.113.9"), 0, EndpointFlags.of(SUBFLOW), 0))));

        assertThat(state.mptcp().endpoints())
                .containsExactly(
                        new ShowDocument.StandaloneEndpoint(
                                ip("198.51.100.2"), 3, 8443, EndpointFlags.of(SIGNAL), null, null),
                        new ShowDocument.StandaloneEndpoint(
                                ip("203.0.113.9"), 4, null, EndpointFlags.of(SUBFLOW), null, null));
        ShowDocument.Address shown = only(state, "eth1").ipv4().addresses().get(0);
        assertThat(shown.mptcpFlags()).isEqualTo(EndpointFlags.NONE);
        assertThat(shown.endpointId()).isNull();
    }

    @Test
    void endpointBoundToAnotherInterfaceThanItsAddressIsNotClaimedByTheAddress() {
        ShowDocument state = ShowDocument.of(snapshot(
                List.of(link(2, "eth1", null), link(3, "eth2", null)),
                List.of(address(2, "192.0.2.2", 24)),
                List.of(
                        new KernelEndpoint(5, ip("192.0.2.2"), 0, EndpointFlags.of(SUBFLOW), 3),
                        new KernelEndpoint(6, ip("198.51.100.7"), 0, EndpointFlags.of(SUBFLOW), 9))));

        assertThat(state.mptcp().endpoints())
                .containsExactly(
                        new ShowDocument.StandaloneEndpoint(
                                ip("192.0.2.2"), 5, null, EndpointFlags.of(SUBFLOW), "eth2", null),
                        new ShowDocument.StandaloneEndpoint(
                                ip("198.51.100.7"), 6, null, EndpointFlags.of(SUBFLOW), null, 9));
        assertThat(only(state, "eth1").ipv4().addresses().get(0).endpointId()).isNull();
    }

    @Test
    void interfaceFlagsOnlyWhenEveryEligibleAddressAgrees() {
        List<Link> links = List.of(
                link(2, "agree", null),
                link(3, "differ", null),
                link(4, "none", null),
                link(5, "nothing-eligible", null));
        List<LinkAddress> addresses = List.of(
                address(2, "192.0.2.2", 24),
                address(2, "2001:db8::2", 64),
                address(2, "fe80::2", 64),
                address(3, "192.0.2.3", 24),
                address(3, "2001:db8::3", 64),
                address(4, "198.51.100.4", 24),
                address(5, "fe80::5", 64));
        List<KernelEndpoint> endpoints = List.of(
                new KernelEndpoint(1, ip("192.0.2.2"), 0, EndpointFlags.of(SUBFLOW, BACKUP), 0),
                new KernelEndpoint(2, ip("2001:db8::2"), 0, EndpointFlags.of(SUBFLOW, BACKUP), 0),
                new KernelEndpoint(3, ip("192.0.2.3"), 0, EndpointFlags.of(SUBFLOW), 0));

        ShowDocument state = ShowDocument.of(snapshot(links, addresses, endpoints));

        assertThat(only(state, "agree").addressFlags().names()).containsExactly("subflow", "backup");
        assertThat(only(state, "differ").addressFlags()).isNull();
        assertThat(only(state, "none").addressFlags()).isEqualTo(EndpointFlags.NONE);
        assertThat(only(state, "nothing-eligible").addressFlags()).isNull();
    }

    @Test
    void ineligibleAddressesCarryTheReason() {
        assertThat(Ineligibility.of(ip("127.0.0.1"))).isEqualTo(Ineligibility.LOOPBACK);
        assertThat(Ineligibility.of(ip("::1"))).isEqualTo(Ineligibility.LOOPBACK);
        assertThat(Ineligibility.of(ip("169.254.10.1"))).isEqualTo(Ineligibility.LINK_LOCAL);
        assertThat(Ineligibility.of(ip("fe80::1"))).isEqualTo(Ineligibility.LINK_LOCAL);
        assertThat(Ineligibility.of(ip("224.0.0.251"))).isEqualTo(Ineligibility.MULTICAST);
        assertThat(Ineligibility.of(ip("ff02::1"))).isEqualTo(Ineligibility.MULTICAST);
        assertThat(Ineligibility.of(ip("fd00::1"))).isEqualTo(Ineligibility.UNIQUE_LOCAL);
        assertThat(Ineligibility.of(ip("fc00::1"))).isEqualTo(Ineligibility.UNIQUE_LOCAL);
        assertThat(Ineligibility.of(ip("2001:db8::1"))).isNull();
        assertThat(Ineligibility.of(ip("192.0.2.1"))).isNull();
        assertThat(Ineligibility.of(ip("fec0::1"))).isNull();

        ShowDocument state = ShowDocument.of(
                snapshot(List.of(link(2, "eth1", null)), List.of(address(2, "fd00::2", 64)), List.of()));
        assertThat(only(state, "eth1").ipv6().addresses().get(0).ineligible()).isEqualTo(Ineligibility.UNIQUE_LOCAL);
    }

    @Test
    void typeComesFromKindLoopbackOrHardware() {
        assertThat(new Link(1, "lo", null, true, true, 772, OperState.UNKNOWN).type())
                .isEqualTo("loopback");
        assertThat(link(2, "eth0", null).type()).isEqualTo("ethernet");
        assertThat(link(3, "veth0", "veth").type()).isEqualTo("veth");
        assertThat(new Link(4, "wwan0", null, true, false, 65534, OperState.UP).type())
                .isEqualTo("none");
    }

    @Test
    void kernelFlagsUseIproute2Words() {
        assertThat(ShowDocument.kernelFlags(
                        new LinkAddress(2, ip("192.0.2.9"), 24, 0, LinkAddress.TEMPORARY | PERMANENT)))
                .containsExactly("secondary");
        assertThat(ShowDocument.kernelFlags(
                        new LinkAddress(2, ip("2001:db8::9"), 64, 0, LinkAddress.TEMPORARY | LinkAddress.DEPRECATED)))
                .containsExactly("temporary", "dynamic", "deprecated");
        assertThat(ShowDocument.kernelFlags(new LinkAddress(
                        2, ip("2001:db8::9"), 64, 0, LinkAddress.TENTATIVE | LinkAddress.DADFAILED | PERMANENT)))
                .containsExactly("tentative", "dadfailed");
    }

    @Test
    void unknownFlagBitsAreShownNotDropped() {
        assertThat(new EndpointFlags(0x2 | 0x40 | 0x100).names()).containsExactly("subflow", "0x40", "0x100");
        assertThat(new EndpointFlags(0x3f).names())
                .containsExactly("signal", "subflow", "backup", "fullmesh", "laminar", "implicit");
    }

    @Test
    void filterListsOnlyTheNamedInterfacesButEveryNamespaceSetting() {
        ShowDocument state = ShowDocument.of(
                snapshot(
                        List.of(link(2, "eth1", null), link(3, "eth2", null)),
                        List.of(),
                        List.of(new KernelEndpoint(1, ip("203.0.113.1"), 0, EndpointFlags.of(SIGNAL), 0))),
                Set.of("eth2"));
        assertThat(state.interfaces()).extracting(ShowDocument.Interface::name).containsExactly("eth2");
        assertThat(state.mptcp().endpoints()).hasSize(1);
    }

    @Test
    void interfacesAreSortedByName() {
        ShowDocument state = ShowDocument.of(snapshot(
                List.of(link(3, "wlan0", null), link(1, "lo", null), link(2, "eth0", null)), List.of(), List.of()));
        assertThat(state.interfaces()).extracting(ShowDocument.Interface::name).containsExactly("eth0", "lo", "wlan0");
    }

    /** Random namespaces: whatever the layout, each kernel endpoint is shown exactly once. */
    @Test
    void everyEndpointAppearsExactlyOnce() {
        Random random = new Random(20261123);
        for (int round = 0; round < 500; round++) {
            List<Link> links = new ArrayList<>();
            List<LinkAddress> addresses = new ArrayList<>();
            List<KernelEndpoint> endpoints = new ArrayList<>();
            int linkCount = 1 + random.nextInt(4);
            for (int i = 1; i <= linkCount; i++) {
                links.add(link(i, "if" + i, null));
            }
            for (int a = 0; a < random.nextInt(8); a++) {
                addresses.add(address(1 + random.nextInt(linkCount), "192.0.2." + (1 + random.nextInt(6)), 24));
            }
            for (int e = 0; e < random.nextInt(9); e++) {
                endpoints.add(new KernelEndpoint(
                        e + 1,
                        ip("192.0.2." + (1 + random.nextInt(8))),
                        random.nextInt(4) == 0 ? 8000 + e : 0,
                        EndpointFlags.of(SUBFLOW),
                        random.nextInt(3) == 0 ? random.nextInt(linkCount + 2) : 0));
            }
            ShowDocument state = ShowDocument.of(snapshot(links, addresses, endpoints));
            List<Integer> shownIds = new ArrayList<>();
            state.mptcp().endpoints().forEach(e -> shownIds.add(e.id()));
            for (ShowDocument.Interface iface : state.interfaces()) {
                for (ShowDocument.Address address : iface.ipv4().addresses()) {
                    if (address.endpointId() != null) {
                        shownIds.add(address.endpointId());
                    }
                }
            }
            assertThat(shownIds)
                    .as("round %d", round)
                    .containsExactlyInAnyOrderElementsOf(
                            endpoints.stream().map(KernelEndpoint::id).toList());
        }
    }
}
