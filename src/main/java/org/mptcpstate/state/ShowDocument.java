package org.mptcpstate.state;

import org.mptcpstate.state.Snapshot.Link;
import org.mptcpstate.state.Snapshot.LinkAddress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nmstate-style document {@code show} prints, made from a kernel snapshot by {@link #of(Snapshot)}. Every
 * endpoint lands exactly once: on the address it belongs to, or in {@code mptcp.endpoints} when it has a port or
 * its address is on no interface (or on another interface than the one it is bound to). A null field is left
 * out when written.
 */
public record ShowDocument(Mptcp mptcp, List<Interface> interfaces) {
    public ShowDocument {
        interfaces = interfaces == null ? null : List.copyOf(interfaces);
    }

    /** The namespace-wide MPTCP settings. */
    public record Mptcp(Boolean enabled, String pathManager, Limits limits, List<StandaloneEndpoint> endpoints) {
        public Mptcp {
            endpoints = endpoints == null ? null : List.copyOf(endpoints);
        }
    }

    public record Limits(Integer subflows, Integer addAddrAccepted) {}

    /**
     * An endpoint not tied to one interface address (one with a port, or whose address is on no interface).
     * {@code interfaceIndex} is set only when the endpoint names an interface that no longer exists.
     */
    public record StandaloneEndpoint(
            InetAddress address,
            Integer id,
            Integer port,
            EndpointFlags flags,
            String interfaceName,
            Integer interfaceIndex) {}

    /** One interface; {@code addressFlags} is the flag list shared by every eligible address. */
    public record Interface(
            String name,
            String type,
            String state,
            String operState,
            EndpointFlags addressFlags,
            IpFamily ipv4,
            IpFamily ipv6) {}

    /** One address family of an interface. */
    public record IpFamily(Boolean defaultRoute, List<Address> addresses) {
        public IpFamily {
            addresses = addresses == null ? null : List.copyOf(addresses);
        }
    }

    /**
     * One address. {@code mptcpFlags} are its endpoint's flags (empty: eligible, no endpoint; null: not
     * stated), {@code ineligible} says why interface-wide flags skip it, {@code kernelFlags} are the address
     * flags iproute2 would print (secondary/temporary, dynamic, deprecated, tentative, dadfailed).
     */
    public record Address(
            InetAddress ip,
            int prefixLength,
            EndpointFlags mptcpFlags,
            Integer endpointId,
            Ineligibility ineligible,
            List<String> kernelFlags) {
        public Address {
            kernelFlags = kernelFlags == null ? List.of() : List.copyOf(kernelFlags);
        }
    }

    // A class, not Comparator.comparing(Link::name): lambdas are spun at run time, costing start-up time.
    private static final Comparator<Link> BY_NAME = new Comparator<>() {
        @Override
        public int compare(Link a, Link b) {
            return a.name().compareTo(b.name());
        }
    };

    /** The whole namespace. */
    public static ShowDocument of(Snapshot snapshot) {
        return of(snapshot, Set.of());
    }

    /** The namespace with only the named interfaces listed (all when {@code names} is empty). */
    public static ShowDocument of(Snapshot snapshot, Set<String> names) {
        Map<Integer, Link> linksByIndex = new HashMap<>();
        for (Link link : snapshot.links()) {
            linksByIndex.put(link.index(), link);
        }
        Attachments attachments = Attachments.of(snapshot);
        Map<LinkAddress, KernelEndpoint> endpointOf = attachments.byAddress();
        List<StandaloneEndpoint> standalone = new ArrayList<>();
        for (KernelEndpoint endpoint : attachments.standalone()) {
            Link link = linksByIndex.get(endpoint.interfaceIndex());
            boolean bound = endpoint.interfaceIndex() != 0;
            standalone.add(new StandaloneEndpoint(
                    endpoint.address(),
                    endpoint.id(),
                    endpoint.port() == 0 ? null : endpoint.port(),
                    endpoint.flags(),
                    link == null ? null : link.name(),
                    bound && link == null ? endpoint.interfaceIndex() : null));
        }
        Snapshot.Sysctls sysctls = snapshot.sysctls();
        Mptcp mptcp = new Mptcp(
                sysctls.enabled(),
                sysctls.pathManager(),
                new Limits(snapshot.limits().subflows(), snapshot.limits().addAddrAccepted()),
                standalone);

        Map<Integer, List<LinkAddress>> addressesByLink = snapshot.addressesByInterface();
        List<Link> links = new ArrayList<>(snapshot.links());
        links.sort(BY_NAME);
        List<Interface> interfaces = new ArrayList<>();
        for (Link link : links) {
            if (names.isEmpty() || names.contains(link.name())) {
                interfaces.add(interfaceOf(
                        link,
                        addressesByLink.getOrDefault(link.index(), List.of()),
                        snapshot.defaultRoutes(),
                        endpointOf));
            }
        }
        return new ShowDocument(mptcp, interfaces);
    }

    private static Interface interfaceOf(
            Link link,
            List<LinkAddress> addresses,
            Snapshot.DefaultRoutes routes,
            Map<LinkAddress, KernelEndpoint> endpointOf) {
        List<Address> ipv4 = new ArrayList<>();
        List<Address> ipv6 = new ArrayList<>();
        Set<EndpointFlags> eligibleFlags = new LinkedHashSet<>();
        for (LinkAddress address : addresses) {
            KernelEndpoint endpoint = endpointOf.get(address);
            Ineligibility ineligible = Ineligibility.of(address.address());
            EndpointFlags flags = endpoint == null ? EndpointFlags.NONE : endpoint.flags();
            if (ineligible == null) {
                eligibleFlags.add(flags);
            }
            Address state = new Address(
                    address.address(),
                    address.prefixLength(),
                    flags,
                    endpoint == null ? null : endpoint.id(),
                    ineligible,
                    kernelFlags(address));
            (address.address() instanceof Inet4Address ? ipv4 : ipv6).add(state);
        }
        EndpointFlags shared =
                eligibleFlags.size() == 1 ? eligibleFlags.iterator().next() : null;
        return new Interface(
                link.name(),
                link.type(),
                link.up() ? "up" : "down",
                link.operState().yamlName(),
                shared,
                new IpFamily(routes.ipv4().contains(link.index()), ipv4),
                new IpFamily(routes.ipv6().contains(link.index()), ipv6));
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
