package org.mptcpstate.state;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the kernel holds for one network namespace, read in one go: the facts that show, plan and verify
 * work from. Lists keep the kernel's order.
 */
public record Snapshot(
        Sysctls sysctls,
        Limits limits,
        List<KernelEndpoint> endpoints,
        List<Link> links,
        List<LinkAddress> addresses,
        DefaultRoutes defaultRoutes) {
    public Snapshot {
        endpoints = List.copyOf(endpoints);
        links = List.copyOf(links);
        addresses = List.copyOf(addresses);
    }

    /** Each interface's addresses (by interface index), in the kernel's order; one pass over the list. */
    public Map<Integer, List<LinkAddress>> addressesByInterface() {
        Map<Integer, List<LinkAddress>> byInterface = new HashMap<>();
        for (LinkAddress address : addresses) {
            List<LinkAddress> onLink = byInterface.get(address.interfaceIndex());
            if (onLink == null) {
                onLink = new ArrayList<>();
                byInterface.put(address.interfaceIndex(), onLink);
            }
            onLink.add(address);
        }
        return byInterface;
    }

    /**
     * net.mptcp.enabled and the path manager in use, as the kernel names it ({@code kernel} or
     * {@code userspace}; older kernels' pm_type 0/1 is mapped to those names).
     */
    public record Sysctls(boolean enabled, String pathManager) {
        public static final String KERNEL = "kernel";
        public static final String USERSPACE = "userspace";
    }

    /** The two limits of the in-kernel path manager. */
    public record Limits(int subflows, int addAddrAccepted) {}

    /** A network interface. */
    public record Link(
            int index, String name, String kind, boolean up, boolean loopback, int hardwareType, OperState operState) {
        /** The link kind (veth, bridge, ...); {@code loopback} for lo; {@code ethernet} for a kind-less Ethernet. */
        public String type() {
            if (loopback) {
                return "loopback";
            }
            if (kind != null && !kind.isEmpty()) {
                return kind;
            }
            return switch (hardwareType) {
                case 1 -> "ethernet";
                case 32 -> "infiniband";
                case 512 -> "ppp";
                case 65534 -> "none";
                default -> "unknown";
            };
        }
    }

    /** An address on an interface, with the kernel's address flags (IFA_F_*). */
    public record LinkAddress(int interfaceIndex, InetAddress address, int prefixLength, int scope, int flags) {
        public static final int TEMPORARY = 0x01;
        public static final int DADFAILED = 0x08;
        public static final int DEPRECATED = 0x20;
        public static final int TENTATIVE = 0x40;
        public static final int PERMANENT = 0x80;

        public boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    /** Interfaces that carry a default route in the main table, per family. */
    public record DefaultRoutes(Set<Integer> ipv4, Set<Integer> ipv6) {
        public DefaultRoutes {
            ipv4 = Set.copyOf(ipv4);
            ipv6 = Set.copyOf(ipv6);
        }
    }

    /** RFC 2863 operational state, as IFLA_OPERSTATE numbers it. */
    public enum OperState {
        UNKNOWN("unknown"),
        NOT_PRESENT("not-present"),
        DOWN("down"),
        LOWER_LAYER_DOWN("lower-layer-down"),
        TESTING("testing"),
        DORMANT("dormant"),
        UP("up");

        private final String yamlName;

        OperState(String yamlName) {
            this.yamlName = yamlName;
        }

        public String yamlName() {
            return yamlName;
        }

        public static OperState of(int value) {
            return value >= 0 && value < values().length ? values()[value] : UNKNOWN;
        }
    }
}
