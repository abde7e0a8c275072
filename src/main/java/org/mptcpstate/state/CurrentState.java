package org.mptcpstate.state;

import org.mptcpstate.state.NetworkState.AddressState;
import org.mptcpstate.state.NetworkState.EndpointState;
import org.mptcpstate.state.NetworkState.InterfaceState;
import org.mptcpstate.state.NetworkState.IpState;
import org.mptcpstate.state.NetworkState.LimitsState;
import org.mptcpstate.state.NetworkState.MptcpState;
import org.mptcpstate.state.Snapshot.Endpoint;
import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a kernel snapshot into the nmstate-style document. Every endpoint lands exactly once: on the address
 * it belongs to, or in {@code mptcp.endpoints} when it has a port or its address is on no interface (or on
 * another interface than the one it is bound to).
 */
public final class CurrentState {
    // A class, not Comparator.comparing(Link::name): lambdas are spun at run time, costing start-up time.
    private static final Comparator<Link> BY_NAME = new Comparator<>() {
        @Override
        public int compare(Link a, Link b) {
            return a.name().compareTo(b.name());
        }
    };

    private CurrentState() {
    }

    /** The whole namespace. */
    public static NetworkState of(Snapshot snapshot) {
        return of(snapshot, Set.of());
    }

    /** The namespace with only the named interfaces listed (all when {@code names} is empty). */
    public static NetworkState of(Snapshot snapshot, Set<String> names) {
        Map<Integer, Link> linksByIndex = new HashMap<>();
        for (Link link : snapshot.links()) {
            linksByIndex.put(link.index(), link);
        }
        Attachments attachments = Attachments.of(snapshot);
        Map<LinkAddress, Endpoint> endpointOf = attachments.byAddress();
        List<EndpointState> unattached = new ArrayList<>();
        for (Endpoint endpoint : attachments.unattached()) {
            Link link = linksByIndex.get(endpoint.interfaceIndex());
            boolean bound = endpoint.interfaceIndex() != 0;
            unattached.add(new EndpointState(endpoint.address(), endpoint.id(),
                    endpoint.port() == 0 ? null : endpoint.port(), endpoint.flags(),
                    link == null ? null : link.name(),
                    bound && link == null ? endpoint.interfaceIndex() : null));
        }
        Snapshot.Sysctls sysctls = snapshot.sysctls();
        MptcpState mptcp = new MptcpState(sysctls.enabled(), sysctls.pathManager(),
                new LimitsState(snapshot.limits().subflows(), snapshot.limits().addAddrAccepted()), unattached);

        Map<Integer, List<LinkAddress>> addressesByLink = snapshot.addressesByInterface();
        List<Link> links = new ArrayList<>(snapshot.links());
        links.sort(BY_NAME);
        List<InterfaceState> interfaces = new ArrayList<>();
        for (Link link : links) {
            if (names.isEmpty() || names.contains(link.name())) {
                interfaces.add(interfaceState(link, addressesByLink.getOrDefault(link.index(), List.of()),
                        snapshot.defaultRoutes(), endpointOf));
            }
        }
        return new NetworkState(mptcp, interfaces);
    }

    private static InterfaceState interfaceState(Link link, List<LinkAddress> addresses, Snapshot.DefaultRoutes routes,
                                                 Map<LinkAddress, Endpoint> endpointOf) {
        List<AddressState> ipv4 = new ArrayList<>();
        List<AddressState> ipv6 = new ArrayList<>();
        Set<EndpointFlags> eligibleFlags = new LinkedHashSet<>();
        for (LinkAddress address : addresses) {
            Endpoint endpoint = endpointOf.get(address);
            Ineligibility ineligible = Ineligibility.of(address.address());
            EndpointFlags flags = endpoint == null ? EndpointFlags.NONE : endpoint.flags();
            if (ineligible == null) {
                eligibleFlags.add(flags);
            }
            AddressState state = new AddressState(address.address(), address.prefixLength(), flags,
                    endpoint == null ? null : endpoint.id(), ineligible, kernelFlags(address));
            (address.address() instanceof Inet4Address ? ipv4 : ipv6).add(state);
        }
        EndpointFlags shared = eligibleFlags.size() == 1 ? eligibleFlags.iterator().next() : null;
        return new InterfaceState(link.name(), typeOf(link), link.up() ? "up" : "down", link.operState().yamlName(),
                shared,
                new IpState(routes.ipv4().contains(link.index()), ipv4),
                new IpState(routes.ipv6().contains(link.index()), ipv6));
    }

    /** The link kind (veth, bridge, ...); {@code loopback} for lo; {@code ethernet} for a kind-less Ethernet. */
    public static String typeOf(Link link) {
        if (link.loopback()) {
            return "loopback";
        }
        if (link.kind() != null && !link.kind().isEmpty()) {
            return link.kind();
        }
        return switch (link.hardwareType()) {
            case 1 -> "ethernet";
            case 512 -> "ppp";
            case 65534 -> "none";
            default -> "unknown";
        };
    }

    /** The address flags in iproute2's words: 0x01 is "secondary" for IPv4 and "temporary" for IPv6. */
    static List<String> kernelFlags(LinkAddress address) {
        List<String> flags = new ArrayList<>(2);
        if (address.has(LinkAddress.TEMPORARY)) {
            flags.add(address.address() instanceof Inet4Address ? "secondary" : "temporary");
        }
        if (!address.has(LinkAddress.PERMANENT)) {
            flags.add("dynamic");
        }
        if (address.has(LinkAddress.DEPRECATED)) {
            flags.add("deprecated");
        }
        if (address.has(LinkAddress.TENTATIVE)) {
            flags.add("tentative");
        }
        if (address.has(LinkAddress.DADFAILED)) {
            flags.add("dadfailed");
        }
        return flags;
    }

}
