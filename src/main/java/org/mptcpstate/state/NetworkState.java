package org.mptcpstate.state;

import java.net.InetAddress;
import java.util.List;

/**
 * The nmstate-style document: what {@code show} prints and what a state file holds. A null field means
 * "not stated" (a state file is partial); {@code show} fills every field it knows.
 */
public record NetworkState(MptcpState mptcp, List<InterfaceState> interfaces) {
    public NetworkState {
        interfaces = interfaces == null ? null : List.copyOf(interfaces);
    }

    /** The namespace-wide MPTCP settings. */
    public record MptcpState(Boolean enabled, String pathManager, LimitsState limits, List<EndpointState> endpoints) {
        public MptcpState {
            endpoints = endpoints == null ? null : List.copyOf(endpoints);
        }
    }

    public record LimitsState(Integer subflows, Integer addAddrAccepted) {
    }

    /**
     * An endpoint not tied to one interface address (one with a port, or whose address is on no interface).
     * {@code interfaceIndex} is set only when the endpoint names an interface that no longer exists.
     */
    public record EndpointState(InetAddress address, Integer id, Integer port, EndpointFlags flags,
                                String interfaceName, Integer interfaceIndex) {
    }

    /** One interface; {@code addressFlags} is the flag list shared by every eligible address. */
    public record InterfaceState(String name, String type, String state, String operState,
                                 EndpointFlags addressFlags, IpState ipv4, IpState ipv6) {
    }

    /** One address family of an interface. */
    public record IpState(Boolean defaultRoute, List<AddressState> addresses) {
        public IpState {
            addresses = addresses == null ? null : List.copyOf(addresses);
        }
    }

    /**
     * One address. {@code mptcpFlags} are its endpoint's flags (empty: eligible, no endpoint; null: not
     * stated), {@code ineligible} says why interface-wide flags skip it, {@code kernelFlags} are the address
     * flags iproute2 would print (secondary/temporary, dynamic, deprecated, tentative, dadfailed).
     */
    public record AddressState(InetAddress ip, int prefixLength, EndpointFlags mptcpFlags, Integer endpointId,
                               Ineligibility ineligible, List<String> kernelFlags) {
        public AddressState {
            kernelFlags = kernelFlags == null ? List.of() : List.copyOf(kernelFlags);
        }
    }
}
