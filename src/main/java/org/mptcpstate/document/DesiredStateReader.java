package org.mptcpstate.document;

import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.DesiredState.Address;
import org.mptcpstate.state.DesiredState.Interface;
import org.mptcpstate.state.DesiredState.Mptcp;
import org.mptcpstate.state.DesiredState.StandaloneEndpoint;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelRules;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Position;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The walk of a state file's node tree into a {@link DesiredState}, with the checks that span more than one
 * value:
 * <ul>
 * <li>A key with no value ({@code enabled:} alone, YAML null) is an error, not "not stated": for
 * {@code endpoints} and the flag lists, leaving the key out (keep what the kernel has) and {@code []} (none)
 * mean very different things, and a forgotten value must not silently choose one.</li>
 * <li>A flag listed twice in one list is an error (as {@code uniqueItems} in the schema): it is usually a typo
 * for another flag.</li>
 * <li>An endpoint with a port must have {@code signal} and not {@code subflow}: the kernel's own rule (it opens
 * a listening socket only for those), so that {@code [signal, backup]} with a port, which the kernel takes and
 * show prints, loads too.</li>
 * <li>An address listed twice is an error, under one interface or two (an address holds one endpoint), and
 * so is an endpoint without a port on an address that {@code mptcp-flags} already give one. IPv4-mapped IPv6
 * addresses count as their IPv4 address, as in the kernel's duplicate check.</li>
 * <li>An interface's addresses are its {@code ipv4} addresses then its {@code ipv6} ones, each in file
 * order.</li>
 * <li>Positions: an interface, endpoint or address is where its mapping starts; the {@code mptcp} settings are
 * where the {@code mptcp} key is.</li>
 * </ul>
 */
final class DesiredStateReader {
    private final LoadDiagnostics diagnostics;
    private final NodeReader read;
    /** Interface name to where it was first named. */
    private final Map<String, Position> interfaceNames = new HashMap<>();
    /** Every interface address so far, by its canonical text (an IPv4-mapped IPv6 address as the IPv4 one). */
    private final Map<String, SeenAddress> addresses = new HashMap<>();
    /** mptcp.endpoints without a port, checked against the interface addresses once all are read. */
    private final List<PortlessEndpoint> portlessEndpoints = new ArrayList<>();

    DesiredStateReader(LoadDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.read = new NodeReader(diagnostics);
    }

    DesiredState document(Node root) {
        MappingNode map = read.mapping(root, "a mapping with the keys mptcp and interfaces");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> fields = read.fields(map, Vocabulary.TOP);
        NodeTuple mptcpTuple = fields.get("mptcp");
        Mptcp mptcp = mptcpTuple == null ? null : mptcp(mptcpTuple);
        Node interfacesNode = NodeReader.value(fields, "interfaces");
        List<Interface> interfaces = interfacesNode == null ? List.of() : interfaces(interfacesNode);
        checkPortlessEndpoints();
        return new DesiredState(mptcp, interfaces);
    }

    private Mptcp mptcp(NodeTuple tuple) {
        MappingNode map = read.mapping(tuple.getValueNode(), "a mapping");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> fields = read.fields(map, Vocabulary.MPTCP);
        Node node = NodeReader.value(fields, "enabled");
        Boolean enabled = node == null ? null : read.bool(node);
        read.readOnlyString(NodeReader.value(fields, "path-manager"));
        Integer subflows = null;
        Integer addAddrAccepted = null;
        node = NodeReader.value(fields, "limits");
        if (node != null) {
            MappingNode limits = read.mapping(node, "a mapping");
            if (limits != null) {
                Map<String, NodeTuple> limitFields = read.fields(limits, Vocabulary.LIMITS);
                node = NodeReader.value(limitFields, "subflows");
                subflows = node == null ? null : read.integer(node, "subflows", 0, KernelRules.MAX_LIMIT, "");
                node = NodeReader.value(limitFields, "add-addr-accepted");
                addAddrAccepted =
                        node == null ? null : read.integer(node, "add-addr-accepted", 0, KernelRules.MAX_LIMIT, "");
            }
        }
        node = NodeReader.value(fields, "endpoints");
        List<StandaloneEndpoint> endpoints = node == null ? null : endpoints(node);
        return new Mptcp(enabled, subflows, addAddrAccepted, endpoints, diagnostics.position(tuple.getKeyNode()));
    }

    private List<StandaloneEndpoint> endpoints(Node node) {
        SequenceNode list = read.sequence(node, "a list of endpoints");
        if (list == null) {
            return null;
        }
        List<StandaloneEndpoint> endpoints = new ArrayList<>();
        Map<String, Position> seen = new HashMap<>();
        int count = 0;
        for (Node item : list.getValue()) {
            if (++count == KernelRules.MAX_ENDPOINTS + 1) {
                diagnostics.error(
                        item,
                        "more than " + KernelRules.MAX_ENDPOINTS + " endpoints: the kernel holds at most "
                                + KernelRules.MAX_ENDPOINTS + " per network namespace");
            }
            StandaloneEndpoint endpoint = endpoint(item, seen);
            if (endpoint != null) {
                endpoints.add(endpoint);
            }
        }
        return endpoints;
    }

    private StandaloneEndpoint endpoint(Node node, Map<String, Position> seen) {
        MappingNode map = read.mapping(node, "an endpoint (a mapping with address:)");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> fields = read.fields(map, Vocabulary.ENDPOINT);
        read.readOnlyInteger(
                NodeReader.value(fields, "id"), "id", KernelRules.MIN_ENDPOINT_ID, KernelRules.MAX_ENDPOINT_ID);
        read.readOnlyInteger(NodeReader.value(fields, "interface-index"), "interface-index", 1, Integer.MAX_VALUE);
        Node addressNode = NodeReader.value(fields, "address");
        InetAddress address = null;
        if (addressNode == null) {
            diagnostics.error(map, "endpoint without 'address'");
        } else {
            address = read.ip(addressNode, "an endpoint takes no prefix length");
        }
        Node portNode = NodeReader.value(fields, "port");
        Integer port = portNode == null ? null : read.integer(portNode, "port", 1, 65535, "");
        Node flagsNode = NodeReader.value(fields, "flags");
        EndpointFlags flags = flagsNode == null ? EndpointFlags.NONE : read.flags(flagsNode);
        Node interfaceNode = NodeReader.value(fields, "interface");
        String interfaceName = interfaceNode == null ? null : read.interfaceName(interfaceNode);
        if (port != null && flags != null && (!flags.has(MptcpFlag.SIGNAL) || flags.has(MptcpFlag.SUBFLOW))) {
            diagnostics.error(
                    portNode,
                    "a port needs flags with signal and without subflow"
                            + " (the kernel listens on the port for such endpoints only)");
        }
        if (address != null) {
            String key = NodeReader.canonical(address);
            String text = IpAddresses.format(address) + (port == null ? "" : " port " + port);
            Position first = seen.putIfAbsent(
                    key + " " + (port == null ? 0 : port.intValue()), diagnostics.position(addressNode));
            if (first != null) {
                diagnostics.error(
                        addressNode,
                        "endpoint " + text + " is listed twice (first at " + LoadDiagnostics.where(first) + ")");
            } else if (port == null) {
                portlessEndpoints.add(new PortlessEndpoint(key, text, diagnostics.position(addressNode)));
            }
        }
        return new StandaloneEndpoint(address, port, flags, interfaceName, diagnostics.position(map));
    }

    private List<Interface> interfaces(Node node) {
        SequenceNode list = read.sequence(node, "a list of interfaces");
        if (list == null) {
            return List.of();
        }
        List<Interface> interfaces = new ArrayList<>();
        for (Node item : list.getValue()) {
            Interface iface = iface(item);
            if (iface != null) {
                interfaces.add(iface);
            }
        }
        return interfaces;
    }

    private Interface iface(Node node) {
        MappingNode map = read.mapping(node, "an interface (a mapping with name:)");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> fields = read.fields(map, Vocabulary.INTERFACE);
        Node nameNode = NodeReader.value(fields, "name");
        String name = null;
        if (nameNode == null) {
            diagnostics.error(map, "interface without 'name'");
        } else {
            name = read.interfaceName(nameNode);
            if (name != null) {
                Position first = interfaceNames.putIfAbsent(name, diagnostics.position(nameNode));
                if (first != null) {
                    diagnostics.error(
                            nameNode,
                            "interface '" + name + "' is listed twice (first at " + LoadDiagnostics.where(first) + ")");
                }
            }
        }
        Node node2 = NodeReader.value(fields, "type");
        String type = node2 == null ? null : read.string(node2, "an interface type (a string)");
        node2 = NodeReader.value(fields, "state");
        String state = null;
        if (node2 != null) {
            state = read.string(node2, "a string");
            // down is accepted so that show output of a host with a link down loads; the planner warns when
            // the file and the link disagree, since mptcpstate never changes links
            if (state != null && !state.equals("up") && !state.equals("down")) {
                diagnostics.error(
                        node2,
                        "state '" + NodeReader.shorten(state) + "': mptcpstate does not manage links, so only 'up' or"
                                + " 'down' as show prints them is accepted (or leave state out)");
            }
        }
        read.readOnlyString(NodeReader.value(fields, "oper-state"));
        EndpointFlags addressFlags = null;
        node2 = NodeReader.value(fields, "mptcp");
        if (node2 != null) {
            MappingNode mptcp = read.mapping(node2, "a mapping");
            if (mptcp != null) {
                Node flagsNode = NodeReader.value(read.fields(mptcp, Vocabulary.INTERFACE_MPTCP), "address-flags");
                addressFlags = flagsNode == null ? null : read.flags(flagsNode);
            }
        }
        List<Address> addressList = new ArrayList<>();
        ipFamily(NodeReader.value(fields, "ipv4"), false, name, addressList);
        ipFamily(NodeReader.value(fields, "ipv6"), true, name, addressList);
        return new Interface(name, type, state, addressFlags, addressList, diagnostics.position(map));
    }

    private void ipFamily(Node node, boolean v6, String interfaceName, List<Address> out) {
        if (node == null) {
            return;
        }
        MappingNode map = read.mapping(node, "a mapping");
        if (map == null) {
            return;
        }
        Map<String, NodeTuple> fields = read.fields(map, v6 ? Vocabulary.IPV6 : Vocabulary.IPV4);
        read.readOnlyBoolean(NodeReader.value(fields, "default-route"));
        Node addressesNode = NodeReader.value(fields, "address");
        if (addressesNode == null) {
            return;
        }
        SequenceNode list = read.sequence(addressesNode, "a list of addresses");
        if (list == null) {
            return;
        }
        for (Node item : list.getValue()) {
            Address address = address(item, v6, interfaceName);
            if (address != null) {
                out.add(address);
            }
        }
    }

    private Address address(Node node, boolean v6, String interfaceName) {
        MappingNode map = read.mapping(node, "an address (a mapping with ip:)");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> fields = read.fields(map, Vocabulary.ADDRESS);
        read.readOnlyInteger(
                NodeReader.value(fields, "mptcp-endpoint-id"),
                "mptcp-endpoint-id",
                KernelRules.MIN_ENDPOINT_ID,
                KernelRules.MAX_ENDPOINT_ID);
        read.readOnlyString(NodeReader.value(fields, "mptcp-ineligible"));
        read.readOnlyStrings(NodeReader.value(fields, "kernel-flags"));
        Node ipNode = NodeReader.value(fields, "ip");
        InetAddress ip = null;
        boolean familyMatches = false;
        if (ipNode == null) {
            diagnostics.error(map, "address without 'ip'");
        } else {
            ip = read.ip(ipNode, "give the prefix length as prefix-length");
            if (ip != null) {
                familyMatches = (ip instanceof Inet6Address) == v6;
                if (!familyMatches) {
                    diagnostics.error(
                            ipNode,
                            IpAddresses.format(ip) + " is an " + (v6 ? "IPv4" : "IPv6") + " address; it belongs under "
                                    + (v6 ? "ipv4" : "ipv6"));
                }
            }
        }
        Node prefixNode = NodeReader.value(fields, "prefix-length");
        Integer prefixLength = prefixNode == null
                ? null
                : read.integer(prefixNode, "prefix-length", 0, v6 ? 128 : 32, v6 ? " for IPv6" : " for IPv4");
        Node flagsNode = NodeReader.value(fields, "mptcp-flags");
        EndpointFlags flags = flagsNode == null ? null : read.flags(flagsNode);
        if (ip != null && familyMatches) {
            String key = NodeReader.canonical(ip);
            SeenAddress first = addresses.get(key);
            if (first != null) {
                diagnostics.error(
                        ipNode,
                        "address " + IpAddresses.format(ip) + " is listed twice (first"
                                + (first.interfaceName == null ? "" : " under '" + first.interfaceName + "'") + " at "
                                + LoadDiagnostics.where(first.position) + ")");
            } else {
                addresses.put(
                        key,
                        new SeenAddress(
                                diagnostics.position(ipNode), interfaceName, flags != null && !flags.isEmpty()));
            }
        }
        return new Address(ip, prefixLength, flags, diagnostics.position(map));
    }

    /** An endpoint without a port on an address that mptcp-flags already give an endpoint: the kernel takes one. */
    private void checkPortlessEndpoints() {
        for (PortlessEndpoint endpoint : portlessEndpoints) {
            SeenAddress address = addresses.get(endpoint.key);
            if (address != null && address.hasFlags) {
                diagnostics.error(
                        endpoint.position,
                        "endpoint " + endpoint.text + " is also an address with mptcp-flags"
                                + (address.interfaceName == null ? "" : " under '" + address.interfaceName + "'")
                                + " (at "
                                + LoadDiagnostics.where(address.position)
                                + "); the kernel holds one endpoint per address");
            }
        }
    }

    private static final class SeenAddress {
        final Position position;
        final String interfaceName;
        final boolean hasFlags;

        SeenAddress(Position position, String interfaceName, boolean hasFlags) {
            this.position = position;
            this.interfaceName = interfaceName;
            this.hasFlags = hasFlags;
        }
    }

    private static final class PortlessEndpoint {
        final String key;
        final String text;
        final Position position;

        PortlessEndpoint(String key, String text, Position position) {
            this.key = key;
            this.text = text;
            this.position = position;
        }
    }
}
