package org.mptcpstate.state;

import java.net.InetAddress;
import java.util.List;

/**
 * A state file as the user wrote it: partial (null means "not stated, leave alone"), with the source position
 * of every element so that problems found later, against the kernel, still point into the file.
 * Read-only keys that {@code show} prints (ids, mptcp-ineligible, kernel-flags, oper-state, default-route,
 * path-manager) are accepted and ignored, so that show output can be fed back as a desired state.
 */
public record DesiredState(Mptcp mptcp, List<Interface> interfaces) {
    public DesiredState {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
    }

    /**
     * The namespace settings. {@code endpoints} null leaves endpoints that are not tied to an interface address
     * alone; a list (even empty) means exactly those.
     */
    public record Mptcp(
            Boolean enabled,
            Integer subflows,
            Integer addAddrAccepted,
            List<StandaloneEndpoint> endpoints,
            Position position) {
        public Mptcp {
            endpoints = endpoints == null ? null : List.copyOf(endpoints);
        }
    }

    /** An endpoint not tied to an interface address; {@code port} and {@code interfaceName} may be null. */
    public record StandaloneEndpoint(
            InetAddress address, Integer port, EndpointFlags flags, String interfaceName, Position position) {}

    /**
     * A named interface. {@code addressFlags} null: not stated (only per-address flags apply); empty: no
     * endpoints on its eligible addresses. {@code type} and {@code state} ({@code up}, {@code down}, {@code absent},
     * {@code ignore}, or null when not stated or {@code unknown}) are checked, never changed: {@code absent} asks
     * for the interface's endpoints to be removed, {@code ignore} for them to be left alone.
     */
    public record Interface(
            String name,
            String type,
            String state,
            EndpointFlags addressFlags,
            List<Address> addresses,
            Position position) {
        public Interface {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
        }

        public boolean absent() {
            return "absent".equals(state);
        }

        public boolean ignored() {
            return "ignore".equals(state);
        }

        /** Whether the entry asks for endpoint flags: address-flags, or an address's mptcp-flags. */
        public boolean hasMptcpSettings() {
            if (addressFlags != null) {
                return true;
            }
            for (Address address : addresses) {
                if (address.mptcpFlags() != null) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * An address of an interface, which must exist on it unless it is {@code dynamic} (the file gives it a
     * lifetime other than forever, as nmstatectl show prints DHCP and SLAAC addresses: it may be gone by now);
     * {@code mptcpFlags} null means "as the interface".
     */
    public record Address(
            InetAddress ip, Integer prefixLength, EndpointFlags mptcpFlags, boolean dynamic, Position position) {
        /** A static address. */
        public Address(InetAddress ip, Integer prefixLength, EndpointFlags mptcpFlags, Position position) {
            this(ip, prefixLength, mptcpFlags, false, position);
        }
    }
}
