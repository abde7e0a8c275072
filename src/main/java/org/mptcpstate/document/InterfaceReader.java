package org.mptcpstate.document;

import org.mptcpstate.state.DesiredState.Address;
import org.mptcpstate.state.DesiredState.Interface;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.InterfaceTypes;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelRules;
import org.mptcpstate.state.Position;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The walk of a state file's {@code interfaces} list, for {@link DesiredStateReader}: each entry, its addresses,
 * and the checks across entries (an interface listed once, an address listed once).
 */
final class InterfaceReader {
    private final LoadDiagnostics diagnostics;
    private final NodeReader read;
    /** The interfaces read so far, by name, each with where its name is. */
    private final Map<String, List<Named>> interfaceNames = new HashMap<>();
    /** Every interface address so far, by its canonical text (an IPv4-mapped IPv6 address as the IPv4 one). */
    private final Map<String, SeenAddress> addresses = new HashMap<>();

    InterfaceReader(LoadDiagnostics diagnostics, NodeReader read) {
        this.diagnostics = diagnostics;
        this.read = read;
    }

    /** The address with this canonical text, if an interface lists it. */
    SeenAddress address(String canonical) {
        return addresses.get(canonical);
    }

    List<Interface> interfaces(Node node) {
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
        if (isAbsent(map)) {
            return absentInterface(map);
        }
        Map<String, NodeTuple> fields = read.fields(map, Vocabulary.INTERFACE, unknownTypeOf(map));
        String name = name(map, NodeReader.value(fields, "name"));
        Node node2 = NodeReader.value(fields, "type");
        String type = node2 == null ? null : read.string(node2, "an interface type (a string)");
        String state = state(NodeReader.value(fields, "state"));
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
        Interface iface = new Interface(name, type, state, addressFlags, addressList, diagnostics.position(map));
        checkListedOnce(iface, NodeReader.value(fields, "name"));
        return iface;
    }

    /**
     * The entry's type as written when nmstate does not know it (wireguard, team): such an interface may have a
     * section named after it, which nmstate does not check. Null for nmstate's own types, whose sections are in
     * the vocabulary ({@code bond:} under {@code type: bond} stays an error, as in nmstate).
     */
    private static String unknownTypeOf(MappingNode map) {
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key
                    && key.getValue().equals("type")
                    && tuple.getValueNode() instanceof ScalarNode value
                    && NodeReader.isString(value)
                    && !InterfaceTypes.isKnown(value.getValue())) {
                return value.getValue();
            }
        }
        return null;
    }

    /** Whether the entry says {@code state: absent} (read before anything else, as nmstate does). */
    private static boolean isAbsent(MappingNode map) {
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key
                    && key.getValue().equals("state")
                    && tuple.getValueNode() instanceof ScalarNode value
                    && NodeReader.isString(value)
                    && value.getValue().equals("absent")) {
                return true;
            }
        }
        return false;
    }

    /** An absent interface: name, type and state; nmstate ignores every other key of it, and so does mptcpstate. */
    private Interface absentInterface(MappingNode map) {
        Node nameNode = null;
        Node typeNode = null;
        Map<String, Node> seen = new HashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode scalar)) {
                diagnostics.error(keyNode, "expected a key name, got " + NodeReader.describe(keyNode));
                continue;
            }
            String key = scalar.getValue();
            Node first = seen.putIfAbsent(key, keyNode);
            if (first != null) {
                diagnostics.error(
                        keyNode,
                        "duplicate key '" + NodeReader.shorten(key) + "' (first at "
                                + LoadDiagnostics.where(diagnostics.position(first)) + ")");
            } else if (key.equals("name")) {
                nameNode = tuple.getValueNode();
            } else if (key.equals("type")) {
                typeNode = tuple.getValueNode();
            } else if (!key.equals("state")) {
                read.ignored(keyNode, key, "absent interfaces");
            }
        }
        String name = name(map, nameNode);
        String type = typeNode == null ? null : read.string(typeNode, "an interface type (a string)");
        Interface iface = new Interface(name, type, "absent", null, List.of(), diagnostics.position(map));
        checkListedOnce(iface, nameNode);
        return iface;
    }

    private String name(MappingNode map, Node nameNode) {
        if (nameNode == null) {
            diagnostics.error(map, "interface without 'name'");
            return null;
        }
        if (nameNode instanceof ScalarNode scalar
                && NodeReader.isString(scalar)
                && scalar.getValue().startsWith("sriov:")) {
            diagnostics.error(
                    nameNode,
                    "'" + NodeReader.shorten(scalar.getValue()) + "' is nmstate's reference to an SR-IOV VF, which"
                            + " mptcpstate does not resolve: name the VF's interface");
            return null;
        }
        return read.interfaceName(nameNode);
    }

    /**
     * up, down, absent or ignore; {@code unknown} (what nmstatectl show prints for a link that is neither up nor
     * down) is "not stated".
     */
    private String state(Node node) {
        if (node == null) {
            return null;
        }
        String state = read.string(node, "a string");
        if (state == null) {
            return null;
        }
        switch (state) {
            case "up", "down", "absent", "ignore" -> {
                return state;
            }
            case "unknown" -> {
                return null;
            }
            default -> {
                diagnostics.error(
                        node,
                        "state '" + NodeReader.shorten(state) + "': an interface's state is up, down, absent, ignore"
                                + " or unknown (mptcpstate never changes links: see docs/state-file.md)");
                return null;
            }
        }
    }

    /**
     * An interface is listed once. As in nmstate, an entry of a type it keys by name and type (ovs-bridge, ipsec,
     * types it does not know) may share the name of an entry of another type; only one of them may carry MPTCP
     * settings, since both would speak for one link.
     */
    private void checkListedOnce(Interface iface, Node nameNode) {
        if (iface.name() == null) {
            return;
        }
        List<Named> sameName = interfaceNames.computeIfAbsent(iface.name(), NewList.INSTANCE);
        for (Named named : sameName) {
            Interface earlier = named.iface;
            boolean allowed =
                    !(InterfaceTypes.isKeyedByName(earlier.type()) && InterfaceTypes.isKeyedByName(iface.type()))
                            && !Objects.equals(earlier.type(), iface.type());
            String first = LoadDiagnostics.where(named.namePosition);
            if (!allowed) {
                diagnostics.error(
                        nameNode, "interface '" + iface.name() + "' is listed twice (first at " + first + ")");
                return;
            }
            if (iface.hasMptcpSettings()
                    && earlier.hasMptcpSettings()
                    && InterfaceTypes.isLink(iface.type())
                    && InterfaceTypes.isLink(earlier.type())) {
                diagnostics.error(
                        nameNode,
                        "interface '" + iface.name() + "' gets MPTCP settings in two entries (" + typeOf(earlier)
                                + " and " + typeOf(iface) + ", first at " + first + "); give them in one");
                return;
            }
        }
        sameName.add(new Named(iface, diagnostics.position(nameNode)));
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
        // type-checked as nmstate reads it; mptcpstate neither adds nor removes addresses
        read.readOnlyBoolean(NodeReader.value(fields, "enabled"));
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
        // nmstatectl show prints lifetimes for DHCP and SLAAC addresses only ("3418sec"); forever is static
        Node lifetime = NodeReader.value(fields, "valid-life-time");
        String validLifetime = lifetime == null ? null : read.string(lifetime, "a lifetime (\"300sec\" or forever)");
        read.readOnlyString(NodeReader.value(fields, "preferred-life-time"));
        boolean dynamic = validLifetime != null && !validLifetime.equals("forever");
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
        return new Address(ip, prefixLength, flags, dynamic, diagnostics.position(map));
    }

    private static String typeOf(Interface iface) {
        return iface.type() == null ? "no type" : "type " + iface.type();
    }

    private static final class NewList implements Function<String, List<Named>> {
        static final NewList INSTANCE = new NewList();

        @Override
        public List<Named> apply(String name) {
            return new ArrayList<>();
        }
    }

    private static final class Named {
        final Interface iface;
        final Position namePosition;

        Named(Interface iface, Position namePosition) {
            this.iface = iface;
            this.namePosition = namePosition;
        }
    }

    static final class SeenAddress {
        final Position position;
        final String interfaceName;
        final boolean hasFlags;

        SeenAddress(Position position, String interfaceName, boolean hasFlags) {
            this.position = position;
            this.interfaceName = interfaceName;
            this.hasFlags = hasFlags;
        }
    }
}
