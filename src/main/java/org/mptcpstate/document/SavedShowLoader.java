package org.mptcpstate.document;

import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.InvalidStateException;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a document {@code mptcpstate show} printed (YAML, or JSON as {@code show --json} prints it) back into the
 * {@link Snapshot} it was made from, for {@code diff --current}: planning against a saved state, with no kernel.
 * What show derives (an interface's shared {@code address-flags}, {@code mptcp-ineligible}) is recomputed from
 * the rest and not read; endpoint ids, when left out (as in {@code apply --json}'s before/after), are numbered
 * in document order. Interface indexes are made up: they are not in the document and nothing prints them.
 * Every problem is reported with its file:line:column, and any key show does not print is one.
 */
public final class SavedShowLoader {
    private static final int LOOPBACK = 772; // ARPHRD_LOOPBACK
    private static final Map<String, Integer> HARDWARE =
            Map.of("ethernet", 1, "infiniband", 32, "ppp", 512, "none", 65534, "unknown", 0xFFFF, "loopback", LOOPBACK);

    private final LoadDiagnostics diagnostics;
    private final NodeReader read;
    private final List<Snapshot.Link> links = new ArrayList<>();
    private final List<Snapshot.LinkAddress> addresses = new ArrayList<>();
    private final Set<Integer> routes4 = new HashSet<>();
    private final Set<Integer> routes6 = new HashSet<>();
    /** Endpoints with the node they came from: an id missing is given one once all stated ids are known. */
    private final Map<PendingEndpoint, Node> endpoints = new LinkedHashMap<>();

    private SavedShowLoader(LoadDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.read = new NodeReader(diagnostics);
    }

    private record PendingEndpoint(Integer id, InetAddress address, int port, EndpointFlags flags, int index) {}

    /**
     * @throws InvalidStateException with every problem found: not YAML, not a show document, a value out of range
     */
    public static Snapshot load(String fileName, byte[] content) {
        LoadDiagnostics diagnostics = new LoadDiagnostics(fileName);
        Snapshot snapshot = null;
        if (content.length > SafeYaml.MAX_BYTES) {
            diagnostics.error(diagnostics.start(), "the file is larger than 1 MiB; a show document is far smaller");
        } else {
            String text = SourceText.decode(content, diagnostics);
            Node root = text == null ? null : SafeYaml.compose(text, diagnostics);
            if (root instanceof MappingNode map) {
                snapshot = new SavedShowLoader(diagnostics).document(map);
            } else if (!diagnostics.hasErrors()) {
                diagnostics.error(
                        root == null ? diagnostics.start() : diagnostics.position(root),
                        "expected the document `mptcpstate show` prints (a mapping with mptcp and interfaces)");
            }
        }
        if (diagnostics.hasErrors()) {
            throw new InvalidStateException(diagnostics.errors());
        }
        return snapshot;
    }

    private Snapshot document(MappingNode root) {
        Map<String, Node> top = fields(root, "the top level", "mptcp", "interfaces");
        MappingNode mptcp = requiredMapping(root, top, "mptcp", "a mapping");
        Map<String, Node> m =
                mptcp == null ? Map.of() : fields(mptcp, "mptcp", "enabled", "path-manager", "limits", "endpoints");
        Boolean enabled = mptcp == null ? null : bool(required(mptcp, m, "enabled"));
        String pathManager = mptcp == null ? null : string(required(mptcp, m, "path-manager"), "a path manager name");
        MappingNode limitsNode = mptcp == null ? null : requiredMapping(mptcp, m, "limits", "a mapping");
        Integer subflows = null;
        Integer accepted = null;
        if (limitsNode != null) {
            Map<String, Node> l = fields(limitsNode, "mptcp.limits", "subflows", "add-addr-accepted");
            subflows = integer(required(limitsNode, l, "subflows"), "subflows", 0, Integer.MAX_VALUE);
            accepted = integer(required(limitsNode, l, "add-addr-accepted"), "add-addr-accepted", 0, Integer.MAX_VALUE);
        }
        SequenceNode interfaces = requiredList(root, top, "interfaces", "a list of interfaces");
        Set<Integer> goneIndexes = new HashSet<>();
        List<Node> standalone = m.get("endpoints") == null
                ? List.of()
                : listOf(read.sequence(m.get("endpoints"), "a list of endpoints"));
        for (Node node : standalone) {
            MappingNode map = read.mapping(node, "an endpoint (a mapping)");
            Node index = map == null ? null : field(map, "interface-index");
            Integer gone = index == null ? null : integer(index, "interface-index", 1, Integer.MAX_VALUE);
            if (gone != null) {
                goneIndexes.add(gone);
            }
        }
        Map<String, Integer> indexByName = new HashMap<>();
        int next = 1;
        for (Node node : listOf(interfaces)) {
            while (goneIndexes.contains(next)) {
                next++;
            }
            String name = link(node, next);
            if (name != null && indexByName.putIfAbsent(name, next) != null) {
                diagnostics.error(node, "interface " + name + " is listed twice");
            }
            next++;
        }
        for (Node node : standalone) {
            standaloneEndpoint(node, indexByName);
        }
        if (diagnostics.hasErrors()) {
            return null;
        }
        return new Snapshot(
                new Snapshot.Sysctls(enabled, pathManager),
                new Snapshot.Limits(subflows, accepted),
                numberedEndpoints(),
                links,
                addresses,
                new Snapshot.DefaultRoutes(routes4, routes6));
    }

    /** One interface and its addresses; returns its name. */
    private String link(Node node, int index) {
        MappingNode map = read.mapping(node, "an interface (a mapping)");
        if (map == null) {
            return null;
        }
        Map<String, Node> f =
                fields(map, "an interface", "name", "type", "state", "oper-state", "mptcp", "ipv4", "ipv6");
        String name = string(required(map, f, "name"), "an interface name");
        String type = f.get("type") == null ? "ethernet" : string(f.get("type"), "a link type");
        String state = f.get("state") == null ? "up" : string(f.get("state"), "up or down");
        if (state != null && !state.equals("up") && !state.equals("down")) {
            diagnostics.error(f.get("state"), "expected up or down, got '" + NodeReader.shorten(state) + "'");
        }
        Snapshot.OperState operState = Snapshot.OperState.UNKNOWN;
        if (f.get("oper-state") != null) {
            String text = string(f.get("oper-state"), "an operational state");
            operState = null;
            for (Snapshot.OperState candidate : Snapshot.OperState.values()) {
                if (candidate.yamlName().equals(text)) {
                    operState = candidate;
                }
            }
            if (operState == null && text != null) {
                diagnostics.error(f.get("oper-state"), "unknown oper-state '" + NodeReader.shorten(text) + "'");
            }
        }
        if (f.get("mptcp") != null) {
            MappingNode mptcp = read.mapping(f.get("mptcp"), "a mapping");
            if (mptcp != null) {
                Map<String, Node> flags = fields(mptcp, "an interface's mptcp", "address-flags");
                if (flags.get("address-flags") != null) {
                    kernelFlags(flags.get("address-flags")); // derived from the addresses: checked, not used
                }
            }
        }
        family(f.get("ipv4"), index, false);
        family(f.get("ipv6"), index, true);
        if (name != null && type != null) {
            Integer hardware = HARDWARE.get(type);
            links.add(new Snapshot.Link(
                    index,
                    name,
                    hardware == null ? type : null,
                    !"down".equals(state),
                    hardware != null && hardware == LOOPBACK,
                    hardware == null ? 1 : hardware,
                    operState == null ? Snapshot.OperState.UNKNOWN : operState));
        }
        return name;
    }

    private void family(Node node, int index, boolean v6) {
        if (node == null) {
            return;
        }
        String what = v6 ? "ipv6" : "ipv4";
        MappingNode map = read.mapping(node, "a mapping");
        if (map == null) {
            return;
        }
        Map<String, Node> f = fields(map, what, "default-route", "address");
        if (f.get("default-route") != null && Boolean.TRUE.equals(bool(f.get("default-route")))) {
            (v6 ? routes6 : routes4).add(index);
        }
        if (f.get("address") == null) {
            return;
        }
        for (Node item : listOf(read.sequence(f.get("address"), "a list of addresses"))) {
            MappingNode address = read.mapping(item, "an address (a mapping)");
            if (address == null) {
                continue;
            }
            Map<String, Node> a = fields(
                    address,
                    "an address",
                    "ip",
                    "prefix-length",
                    "mptcp-flags",
                    "mptcp-endpoint-id",
                    "mptcp-ineligible",
                    "kernel-flags");
            InetAddress ip = ipNode(required(address, a, "ip"));
            if (ip != null && (ip instanceof Inet4Address) == v6) {
                diagnostics.error(a.get("ip"), "an " + (v6 ? "IPv4" : "IPv6") + " address under " + what);
                ip = null;
            }
            Integer prefix = integer(required(address, a, "prefix-length"), "prefix-length", 0, v6 ? 128 : 32);
            EndpointFlags flags = a.get("mptcp-flags") == null ? EndpointFlags.NONE : kernelFlags(a.get("mptcp-flags"));
            Integer id = a.get("mptcp-endpoint-id") == null
                    ? null
                    : integer(a.get("mptcp-endpoint-id"), "mptcp-endpoint-id", 1, 255);
            if (a.get("mptcp-ineligible") != null) {
                string(a.get("mptcp-ineligible"), "a reason"); // derived from the address: not used
            }
            int kernelFlags = a.get("kernel-flags") == null
                    ? Snapshot.LinkAddress.PERMANENT
                    : addressFlags(a.get("kernel-flags"));
            if (ip == null || prefix == null || flags == null) {
                continue;
            }
            addresses.add(new Snapshot.LinkAddress(index, ip, prefix, 0, kernelFlags));
            if (id != null || !flags.isEmpty()) {
                endpoints.put(new PendingEndpoint(id, ip, 0, flags, index), item);
            }
        }
    }

    private void standaloneEndpoint(Node node, Map<String, Integer> indexByName) {
        MappingNode map = read.mapping(node, "an endpoint (a mapping)");
        if (map == null) {
            return;
        }
        Map<String, Node> f =
                fields(map, "an endpoint", "address", "id", "port", "flags", "interface", "interface-index");
        InetAddress address = ipNode(required(map, f, "address"));
        Integer id = f.get("id") == null ? null : integer(f.get("id"), "id", 1, 255);
        Integer port = f.get("port") == null ? Integer.valueOf(0) : integer(f.get("port"), "port", 1, 65535);
        EndpointFlags flags = f.get("flags") == null ? EndpointFlags.NONE : kernelFlags(f.get("flags"));
        int index = 0;
        if (f.get("interface") != null) {
            String name = string(f.get("interface"), "an interface name");
            Integer found = name == null ? null : indexByName.get(name);
            if (name != null && found == null) {
                diagnostics.error(f.get("interface"), "no interface " + NodeReader.shorten(name) + " in this document");
            }
            index = found == null ? 0 : found;
        } else if (f.get("interface-index") != null) {
            Integer gone = integer(f.get("interface-index"), "interface-index", 1, Integer.MAX_VALUE);
            index = gone == null ? 0 : gone;
        }
        if (address != null && port != null && flags != null) {
            endpoints.put(new PendingEndpoint(id, address, port, flags, index), node);
        }
    }

    /** The endpoints with their ids: those stated, then the lowest free ones, in document order. */
    private List<KernelEndpoint> numberedEndpoints() {
        Set<Integer> used = new HashSet<>();
        for (Map.Entry<PendingEndpoint, Node> entry : endpoints.entrySet()) {
            Integer id = entry.getKey().id();
            if (id != null && !used.add(id)) {
                diagnostics.error(entry.getValue(), "endpoint id " + id + " appears twice");
            }
        }
        List<KernelEndpoint> result = new ArrayList<>();
        int free = 1;
        for (PendingEndpoint e : endpoints.keySet()) {
            int id;
            if (e.id() != null) {
                id = e.id();
            } else {
                while (used.contains(free)) {
                    free++;
                }
                id = free;
                used.add(id);
            }
            result.add(new KernelEndpoint(id, e.address(), e.port(), e.flags(), e.index()));
        }
        if (diagnostics.hasErrors()) {
            throw new InvalidStateException(diagnostics.errors());
        }
        return result;
    }

    /** Endpoint flags as show prints them: names, and unknown bits as 0x hex. */
    private EndpointFlags kernelFlags(Node node) {
        SequenceNode list = read.sequence(node, "a list of flags");
        if (list == null) {
            return null;
        }
        int bits = 0;
        for (Node item : list.getValue()) {
            String name = string(item, "a flag name");
            if (name == null) {
                return null;
            }
            MptcpFlag flag = MptcpFlag.named(name);
            if (flag != null) {
                bits |= flag.bit();
            } else if (name.matches("0x[0-9a-f]{1,8}")) {
                bits |= (int) Long.parseLong(name.substring(2), 16);
            } else {
                diagnostics.error(item, "unknown flag '" + NodeReader.shorten(name) + "'");
                return null;
            }
        }
        return new EndpointFlags(bits);
    }

    /** The IFA_F_* bits from iproute2's words, as show prints them: no "dynamic" means permanent. */
    private int addressFlags(Node node) {
        int bits = Snapshot.LinkAddress.PERMANENT;
        for (Node item : listOf(read.sequence(node, "a list of address flags"))) {
            String name = string(item, "an address flag");
            if (name == null) {
                continue;
            }
            switch (name) {
                case "secondary", "temporary" -> bits |= Snapshot.LinkAddress.TEMPORARY;
                case "dynamic" -> bits &= ~Snapshot.LinkAddress.PERMANENT;
                case "deprecated" -> bits |= Snapshot.LinkAddress.DEPRECATED;
                case "tentative" -> bits |= Snapshot.LinkAddress.TENTATIVE;
                case "dadfailed" -> bits |= Snapshot.LinkAddress.DADFAILED;
                default -> diagnostics.error(item, "unknown address flag '" + NodeReader.shorten(name) + "'");
            }
        }
        return bits;
    }

    /** The values of a mapping by key; a key show does not print here, or a repeated key, is an error. */
    private Map<String, Node> fields(MappingNode map, String where, String... keys) {
        Map<String, Node> values = new HashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : null;
            if (key == null || !List.of(keys).contains(key)) {
                diagnostics.error(
                        tuple.getKeyNode(),
                        "unknown key " + (key == null ? "" : "'" + NodeReader.shorten(key) + "' ") + "in " + where
                                + " of a show document (keys: " + String.join(", ", keys) + ")");
            } else if (values.putIfAbsent(key, tuple.getValueNode()) != null) {
                diagnostics.error(tuple.getKeyNode(), "duplicate key '" + key + "'");
            }
        }
        return values;
    }

    private static Node field(MappingNode map, String key) {
        for (NodeTuple tuple : map.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode scalar
                    && scalar.getValue().equals(key)) {
                return tuple.getValueNode();
            }
        }
        return null;
    }

    private Node required(MappingNode map, Map<String, Node> fields, String key) {
        Node node = fields.get(key);
        if (node == null) {
            diagnostics.error(map, "missing '" + key + "': a show document has it");
        }
        return node;
    }

    private MappingNode requiredMapping(MappingNode map, Map<String, Node> fields, String key, String what) {
        Node node = required(map, fields, key);
        return node == null ? null : read.mapping(node, what);
    }

    private SequenceNode requiredList(MappingNode map, Map<String, Node> fields, String key, String what) {
        Node node = required(map, fields, key);
        return node == null ? null : read.sequence(node, what);
    }

    private static List<Node> listOf(SequenceNode list) {
        return list == null ? List.of() : list.getValue();
    }

    private Boolean bool(Node node) {
        return node == null ? null : read.bool(node);
    }

    private String string(Node node, String what) {
        return node == null ? null : read.string(node, what);
    }

    private Integer integer(Node node, String name, int min, int max) {
        return node == null ? null : read.integer(node, name, min, max, "");
    }

    private InetAddress ipNode(Node node) {
        return node == null ? null : read.ip(node, "write the prefix length under prefix-length");
    }
}
