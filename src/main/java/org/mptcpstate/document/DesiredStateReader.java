package org.mptcpstate.document;

import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.DesiredState.Interface;
import org.mptcpstate.state.DesiredState.Mptcp;
import org.mptcpstate.state.DesiredState.StandaloneEndpoint;
import org.mptcpstate.state.EndpointAddresses;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelRules;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Position;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

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
 * <li>A flag listed twice in one list is a warning and counts once (nmstate ORs flags into a bitmask).</li>
 * <li>An interface is listed once, except that an entry of a type nmstate keys apart from kernel interfaces
 * (ovs-bridge, ipsec, or a type nmstate does not know) may share its name with another entry of another type,
 * as nmstate allows (an OVS bridge and its internal interface); only one of them may give MPTCP settings.</li>
 * <li>{@code state: absent}: only name, type and state are read, as nmstate does; the rest is ignored.</li>
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
    private final InterfaceReader interfaceReader;
    /** mptcp.endpoints without a port, checked against the interface addresses once all are read. */
    private final List<PortlessEndpoint> portlessEndpoints = new ArrayList<>();

    DesiredStateReader(LoadDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.read = new NodeReader(diagnostics);
        this.interfaceReader = new InterfaceReader(diagnostics, read);
    }

    DesiredState document(Node root) {
        MappingNode map = read.mapping(root, "a mapping with the keys mptcp and interfaces");
        if (map == null) {
            return null;
        }
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key
                    && Vocabulary.TOP.kind(key.getValue()) == Vocabulary.KeyKind.POLICY) {
                diagnostics.error(key, NodeReader.POLICY_MESSAGE);
                return null;
            }
        }
        Map<String, NodeTuple> fields = read.fields(map, Vocabulary.TOP);
        NodeTuple mptcpTuple = fields.get("mptcp");
        Mptcp mptcp = mptcpTuple == null ? null : mptcp(mptcpTuple);
        Node interfacesNode = NodeReader.value(fields, "interfaces");
        List<Interface> interfaces = interfacesNode == null ? List.of() : interfaceReader.interfaces(interfacesNode);
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
            String refusal = address == null ? null : EndpointAddresses.refusal(address);
            if (refusal != null) {
                diagnostics.error(addressNode, IpAddresses.format(address) + " " + refusal);
                address = null;
            }
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

    /** An endpoint without a port on an address that mptcp-flags already give an endpoint: the kernel takes one. */
    private void checkPortlessEndpoints() {
        for (PortlessEndpoint endpoint : portlessEndpoints) {
            InterfaceReader.SeenAddress address = interfaceReader.address(endpoint.key);
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
