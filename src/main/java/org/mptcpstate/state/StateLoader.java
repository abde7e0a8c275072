package org.mptcpstate.state;

import org.mptcpstate.state.DesiredState.Address;
import org.mptcpstate.state.DesiredState.StandaloneEndpoint;
import org.mptcpstate.state.DesiredState.Interface;
import org.mptcpstate.state.DesiredState.Mptcp;
import org.mptcpstate.state.Position;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.comments.CommentLine;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlVersionException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a state file (YAML, or JSON, which YAML 1.2 includes) into a {@link DesiredState}, checking all of it
 * and reporting every problem with the line and column of the node it is about.
 *
 * <h2>What is accepted</h2>
 * The keys of the README's "State files" section and of schemas/mptcpstate.schema.json, which describes the
 * same format for editors. Besides those:
 * <ul>
 * <li>The read-only keys that {@code mptcpstate show} prints ({@code mptcp.path-manager}, endpoint {@code id}
 * and {@code interface-index}, {@code oper-state}, {@code default-route}, {@code mptcp-endpoint-id},
 * {@code mptcp-ineligible}, {@code kernel-flags}) are type-checked and ignored, so show output loads as it
 * is.</li>
 * <li>The keys nmstate defines and mptcpstate does not manage ({@link NmstateKeys}) are accepted without
 * reading their values, each with a warning; any other key is an error, with the nearest known key
 * suggested.</li>
 * </ul>
 *
 * <h2>Decisions</h2>
 * <ul>
 * <li>An empty file, a file of comments only, or a document that is only {@code null} ({@code ---} alone,
 * {@code ~}, JSON {@code null}) is the empty desired state: no mptcp settings and no interfaces, so nothing
 * changes.</li>
 * <li>A key with no value ({@code enabled:} alone, YAML null) is an error, not "not stated": for
 * {@code endpoints} and the flag lists, leaving the key out (keep what the kernel has) and {@code []} (none)
 * mean very different things, and a forgotten value must not silently choose one.</li>
 * <li>A flag listed twice in one list is an error (as {@code uniqueItems} in the schema): it is usually a typo
 * for another flag.</li>
 * <li>An endpoint with a port must have {@code signal} and not {@code subflow}: the kernel's own rule (it opens
 * a listening socket only for those), so that {@code [signal, backup]} with a port, which the kernel takes and
 * show prints, loads too.</li>
 * <li>Scalars are typed by the YAML 1.2 core schema: {@code true}/{@code True}/{@code TRUE} are booleans,
 * {@code yes} and {@code on} are strings, {@code 0x10} and {@code 0o17} are integers; a quoted value is
 * always a string, so {@code enabled: "true"} is an error.</li>
 * <li>An address listed twice is an error, under one interface or two (an address holds one endpoint), and
 * so is an endpoint without a port on an address that {@code mptcp-flags} already give one. IPv4-mapped IPv6
 * addresses count as their IPv4 address, as in the kernel's duplicate check.</li>
 * <li>An interface's addresses are its {@code ipv4} addresses then its {@code ipv6} ones, each in file
 * order.</li>
 * <li>Positions: an interface, endpoint or address is where its mapping starts; the {@code mptcp} settings are
 * where the {@code mptcp} key is.</li>
 * </ul>
 *
 * <h2>Safety limits</h2>
 * Enforced before or while parsing, each reported as a problem rather than an exception:
 * <ul>
 * <li>{@link #MAX_BYTES} (1 MiB) of input, checked on the bytes before anything is decoded; snakeyaml-engine's
 * own {@code codePointLimit} is set to the same value behind it (it counts code points, never more than the
 * bytes of UTF-8 text).</li>
 * <li>{@link #MAX_ALIASES_FOR_COLLECTIONS} aliases to lists or mappings (snakeyaml-engine's
 * {@code maxAliasesForCollections}; its default is 50): the guard against "billion laughs" documents.</li>
 * <li>{@link #MAX_DEPTH} levels of nested lists and mappings. snakeyaml-engine 3 offers no depth limit and
 * composes nodes recursively, so the loader counts the parser's collection events itself and stops the
 * document at the first one too deep, before the composer can exhaust the stack. nmstate documents nest about
 * ten levels at most.</li>
 * </ul>
 * A YAML syntax error ends the reading of the file: it is reported alone, as no tree exists to check.
 */
public final class StateLoader {
    /** The largest state file accepted, in bytes. */
    public static final int MAX_BYTES = 1 << 20;
    /** The most aliases ({@code *name}) to lists or mappings one file may hold. */
    public static final int MAX_ALIASES_FOR_COLLECTIONS = 10;
    /** The deepest nesting of lists and mappings accepted. */
    public static final int MAX_DEPTH = 32;
    /** The kernel holds at most 8 endpoints per network namespace. */
    static final int MAX_ENDPOINTS = 8;
    /** Each MPTCP limit is 0 to 8. */
    static final int MAX_LIMIT = 8;
    /** IFNAMSIZ less the terminating NUL. */
    static final int MAX_INTERFACE_NAME_BYTES = 15;

    private static final String[] NONE = {};

    // The keys of each level: mptcpstate's, the read-only ones show prints, and nmstate's it ignores.
    static final Keys TOP = new Keys(new String[] {"mptcp", "interfaces"}, NONE, NmstateKeys.TOP);
    static final Keys MPTCP = new Keys(new String[] {"enabled", "limits", "endpoints"},
            new String[] {"path-manager"}, NmstateKeys.NONE);
    static final Keys LIMITS = new Keys(new String[] {"subflows", "add-addr-accepted"}, NONE, NmstateKeys.NONE);
    static final Keys ENDPOINT = new Keys(new String[] {"address", "port", "flags", "interface"},
            new String[] {"id", "interface-index"}, NmstateKeys.NONE);
    static final Keys INTERFACE = new Keys(new String[] {"name", "type", "state", "mptcp", "ipv4", "ipv6"},
            new String[] {"oper-state"}, NmstateKeys.INTERFACE);
    static final Keys INTERFACE_MPTCP = new Keys(new String[] {"address-flags"}, NONE, NmstateKeys.NONE);
    static final Keys IPV4 = new Keys(new String[] {"address"}, new String[] {"default-route"}, NmstateKeys.IPV4)
            .elsewhere(minus(NmstateKeys.IPV6, NmstateKeys.IPV4), "ipv6");
    static final Keys IPV6 = new Keys(new String[] {"address"}, new String[] {"default-route"}, NmstateKeys.IPV6)
            .elsewhere(minus(NmstateKeys.IPV4, NmstateKeys.IPV6), "ipv4");
    static final Keys ADDRESS = new Keys(new String[] {"ip", "prefix-length", "mptcp-flags"},
            new String[] {"mptcp-endpoint-id", "mptcp-ineligible", "kernel-flags"}, NmstateKeys.ADDRESS);

    /** The flags a state file may ask for: every named one but implicit, which only the kernel sets. */
    private static final String[] SETTABLE_FLAGS = settableFlags();

    private static final DesiredState EMPTY = new DesiredState(null, List.of());

    private final String file;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> warnings = new ArrayList<>();
    /** Interface name to where it was first named. */
    private final Map<String, Position> interfaceNames = new HashMap<>();
    /** Every interface address so far, by its canonical text (an IPv4-mapped IPv6 address as the IPv4 one). */
    private final Map<String, SeenAddress> addresses = new HashMap<>();
    /** mptcp.endpoints without a port, checked against the interface addresses once all are read. */
    private final List<PortlessEndpoint> portlessEndpoints = new ArrayList<>();

    private StateLoader(String file) {
        this.file = file;
    }

    /**
     * Loads a state file.
     *
     * @param fileName what problems name the file by: its path as the user gave it, or {@code -} for stdin
     * @param content  the file's bytes: UTF-8, or UTF-16 with a byte-order mark
     * @return the desired state and the warnings (ignored nmstate keys), both in file order
     * @throws InvalidStateException with every problem found, when there is any
     */
    public static LoadedState load(String fileName, byte[] content) {
        StateLoader loader = new StateLoader(fileName);
        DesiredState state = loader.read(content);
        if (!loader.errors.isEmpty()) {
            loader.errors.sort(ByPosition.INSTANCE);
            throw new InvalidStateException(loader.errors);
        }
        loader.warnings.sort(ByPosition.INSTANCE);
        return new LoadedState(state, loader.warnings);
    }

    private DesiredState read(byte[] content) {
        if (content.length > MAX_BYTES) {
            error(new Position(file, 1, 1), "the file is larger than 1 MiB (" + MAX_BYTES
                    + " bytes); a state file is far smaller");
            return null;
        }
        String text = decode(content);
        if (text == null) {
            return null;
        }
        Node root = compose(text);
        if (root == null && !errors.isEmpty()) {
            return null; // a syntax error or a safety limit: no tree to check
        }
        // (with several documents, the first is still checked)
        if (root == null || isNull(root)) {
            return EMPTY;
        }
        return document(root);
    }

    // ------------------------------------------------------------------------------------------ decoding

    private String decode(byte[] content) {
        Charset charset = StandardCharsets.UTF_8;
        int skip = 0;
        if (content.length >= 2 && (content[0] & 0xff) == 0xfe && (content[1] & 0xff) == 0xff) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (content.length >= 2 && (content[0] & 0xff) == 0xff && (content[1] & 0xff) == 0xfe) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
        } else if (content.length >= 3 && (content[0] & 0xff) == 0xef && (content[1] & 0xff) == 0xbb
                && (content[2] & 0xff) == 0xbf) {
            skip = 3;
        }
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content, skip, content.length - skip);
        CharBuffer out = CharBuffer.allocate(content.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        if (result.isError()) {
            int bad = in.position();
            String byteText = bad < content.length ? " (byte 0x" + hex2(content[bad] & 0xff) + ")" : "";
            error(positionAt(out, out.length()), "not valid " + charset.name() + " text" + byteText
                    + "; a state file is UTF-8");
            return null;
        }
        return out.toString();
    }

    /** Line and column (1-based, in code points) just after text[0, end). */
    private Position positionAt(CharSequence text, int end) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                column = 1;
            } else if (c != '\r' && !Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return new Position(file, line, column);
    }

    /** Line and column of the code point with this index. */
    private Position positionOfCodePoint(String text, int codePointIndex) {
        int end = 0;
        for (int n = 0; n < codePointIndex && end < text.length(); n++) {
            end += Character.charCount(text.codePointAt(end));
        }
        return positionAt(text, end);
    }

    // ------------------------------------------------------------------------------------------ parsing

    private static LoadSettings settings() {
        return LoadSettings.builder()
                .setSchema(new CoreSchema())
                .setCodePointLimit(MAX_BYTES)
                .setMaxAliasesForCollections(MAX_ALIASES_FOR_COLLECTIONS)
                // duplicate keys are checked by snakeyaml's constructor only, which we do not use: the loader
                // reports each one itself, with its position
                .setAllowDuplicateKeys(true)
                // a list or mapping as a key: reported by the loader with a position (the library's own error
                // has none)
                .setAllowNonScalarKeys(true)
                .setAllowRecursiveKeys(false)
                .setParseComments(false)
                .setUseMarks(true)
                .build();
    }

    /** The first document's root node; null for no document or on a syntax error (recorded). */
    private Node compose(String text) {
        LoadSettings settings = settings();
        GuardedParser parser = new GuardedParser(new ParserImpl(settings, new StreamReader(settings, text)));
        Composer composer = new LeanComposer(settings, parser);
        try {
            if (!composer.hasNext()) {
                return null;
            }
            Node root = composer.next();
            if (composer.hasNext()) {
                error(position(parser.peekEvent().getStartMark()),
                        "a second YAML document starts here; a state file holds one");
            }
            return root;
        } catch (TooDeepException e) {
            error(position(e.mark), "lists and mappings nested deeper than " + MAX_DEPTH + " levels");
        } catch (MarkedYamlEngineException e) {
            syntaxError(e);
        } catch (ReaderException e) {
            error(positionOfCodePoint(text, e.getPosition()), "character U+" + hex4(e.getCodePoint())
                    + " is not allowed in YAML");
        } catch (YamlVersionException e) {
            // the directive opens the file, and the exception has no position
            error(new Position(file, 1, 1), "%YAML " + e.getSpecVersion().getRepresentation()
                    + " is not a YAML version this reader takes (1.x)");
        } catch (YamlEngineException e) {
            String message = String.valueOf(e.getMessage());
            if (message.startsWith("Number of aliases")) {
                error(position(parser.lastAlias), "more than " + MAX_ALIASES_FOR_COLLECTIONS
                        + " aliases to lists or mappings (a safety limit)");
            } else {
                error(new Position(file, 1, 1), "YAML: " + printable(message));
            }
        }
        return null;
    }

    private void syntaxError(MarkedYamlEngineException e) {
        Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() == null ? "" : printable(e.getProblem().trim());
        String message;
        if (problem.contains("\\t(TAB)")) {
            message = "a tab character where YAML takes spaces only: indent with spaces";
        } else {
            message = "YAML syntax: " + problem;
            String context = e.getContext() == null ? "" : printable(e.getContext().trim());
            if (!context.isEmpty()) {
                message += " (" + context;
                if (e.getContextMark().isPresent() && e.getProblemMark().isPresent()) {
                    message += " started at " + where(position(e.getContextMark()));
                }
                message += ")";
            }
        }
        error(position(mark), message);
    }

    /**
     * The parser as the composer sees it, counting nesting (snakeyaml-engine has no depth limit, and its
     * composer recurses) and remembering the last alias (its alias-limit error has no position).
     */
    private static final class GuardedParser implements Parser {
        private final Parser parser;
        private int depth;
        Optional<Mark> lastAlias = Optional.empty();

        GuardedParser(Parser parser) {
            this.parser = parser;
        }

        @Override
        public boolean checkEvent(Event.ID id) {
            return parser.checkEvent(id);
        }

        @Override
        public Event peekEvent() {
            return parser.peekEvent();
        }

        @Override
        public boolean hasNext() {
            return parser.hasNext();
        }

        @Override
        public Event next() {
            Event event = parser.next();
            Event.ID id = event.getEventId();
            if (id == Event.ID.MappingStart || id == Event.ID.SequenceStart) {
                if (++depth > MAX_DEPTH) {
                    throw new TooDeepException(event.getStartMark());
                }
            } else if (id == Event.ID.MappingEnd || id == Event.ID.SequenceEnd) {
                depth--;
            } else if (id == Event.ID.Alias) {
                lastAlias = event.getStartMark();
            }
            return event;
        }
    }

    /**
     * snakeyaml's composer, keeping of each node only what the loader reads: its start mark. End marks and
     * (empty) comment lists are dropped as each node is made; they were a third of the node tree, which for a
     * file near the 1 MiB limit is the largest thing in memory (measured: 30 MB of live heap for 890 KB).
     */
    private static final class LeanComposer extends Composer {
        LeanComposer(LoadSettings settings, Parser parser) {
            super(settings, parser);
        }

        @Override
        protected Node composeScalarNode(Optional<Anchor> anchor, List<CommentLine> blockComments) {
            Node node = withoutComments(super.composeScalarNode(anchor, blockComments));
            if (anchor.isPresent() || !(node instanceof ScalarNode scalar)) {
                return node; // an anchored node stays the one its aliases share
            }
            // the end mark has no setter on a scalar: a copy with the start mark only
            return new ScalarNode(scalar.getTag(), true, scalar.getValue(), scalar.getScalarStyle(),
                    scalar.getStartMark(), Optional.empty());
        }

        @Override
        protected SequenceNode composeSequenceNode(Optional<Anchor> anchor) {
            SequenceNode node = withoutComments(super.composeSequenceNode(anchor));
            node.setEndMark(Optional.empty());
            return node;
        }

        @Override
        protected Node composeMappingNode(Optional<Anchor> anchor) {
            Node node = withoutComments(super.composeMappingNode(anchor));
            if (node instanceof MappingNode mapping) {
                mapping.setEndMark(Optional.empty());
            }
            return node;
        }

        private static <N extends Node> N withoutComments(N node) {
            node.setBlockComments(null);
            node.setInLineComments(null);
            node.setEndComments(null);
            return node;
        }
    }

    private static final class TooDeepException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Optional<Mark> mark;

        TooDeepException(Optional<Mark> mark) {
            super(null, null, false, false);
            this.mark = mark;
        }
    }

    // ------------------------------------------------------------------------------------------ the document

    private DesiredState document(Node root) {
        MappingNode map = mapping(root, "a mapping with the keys mptcp and interfaces");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> fields = fields(map, TOP);
        NodeTuple mptcpTuple = fields.get("mptcp");
        Mptcp mptcp = mptcpTuple == null ? null : mptcp(mptcpTuple);
        Node interfacesNode = value(fields, "interfaces");
        List<Interface> interfaces = interfacesNode == null ? List.of() : interfaces(interfacesNode);
        checkPortlessEndpoints();
        return new DesiredState(mptcp, interfaces);
    }

    private Mptcp mptcp(NodeTuple tuple) {
        MappingNode map = mapping(tuple.getValueNode(), "a mapping");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> fields = fields(map, MPTCP);
        Node node = value(fields, "enabled");
        Boolean enabled = node == null ? null : bool(node);
        readOnlyString(value(fields, "path-manager"));
        Integer subflows = null;
        Integer addAddrAccepted = null;
        node = value(fields, "limits");
        if (node != null) {
            MappingNode limits = mapping(node, "a mapping");
            if (limits != null) {
                Map<String, NodeTuple> limitFields = fields(limits, LIMITS);
                node = value(limitFields, "subflows");
                subflows = node == null ? null : integer(node, "subflows", 0, MAX_LIMIT, "");
                node = value(limitFields, "add-addr-accepted");
                addAddrAccepted = node == null ? null : integer(node, "add-addr-accepted", 0, MAX_LIMIT, "");
            }
        }
        node = value(fields, "endpoints");
        List<StandaloneEndpoint> endpoints = node == null ? null : endpoints(node);
        return new Mptcp(enabled, subflows, addAddrAccepted, endpoints, position(tuple.getKeyNode()));
    }

    private List<StandaloneEndpoint> endpoints(Node node) {
        SequenceNode list = sequence(node, "a list of endpoints");
        if (list == null) {
            return null;
        }
        List<StandaloneEndpoint> endpoints = new ArrayList<>();
        Map<String, Position> seen = new HashMap<>();
        int count = 0;
        for (Node item : list.getValue()) {
            if (++count == MAX_ENDPOINTS + 1) {
                error(item, "more than " + MAX_ENDPOINTS + " endpoints: the kernel holds at most "
                        + MAX_ENDPOINTS + " per network namespace");
            }
            StandaloneEndpoint endpoint = endpoint(item, seen);
            if (endpoint != null) {
                endpoints.add(endpoint);
            }
        }
        return endpoints;
    }

    private StandaloneEndpoint endpoint(Node node, Map<String, Position> seen) {
        MappingNode map = mapping(node, "an endpoint (a mapping with address:)");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> fields = fields(map, ENDPOINT);
        readOnlyInteger(value(fields, "id"), "id", 1, 255);
        readOnlyInteger(value(fields, "interface-index"), "interface-index", 1, Integer.MAX_VALUE);
        Node addressNode = value(fields, "address");
        InetAddress address = null;
        if (addressNode == null) {
            error(map, "endpoint without 'address'");
        } else {
            address = ip(addressNode, "an endpoint takes no prefix length");
        }
        Node portNode = value(fields, "port");
        Integer port = portNode == null ? null : integer(portNode, "port", 1, 65535, "");
        Node flagsNode = value(fields, "flags");
        EndpointFlags flags = flagsNode == null ? EndpointFlags.NONE : flags(flagsNode);
        Node interfaceNode = value(fields, "interface");
        String interfaceName = interfaceNode == null ? null : interfaceName(interfaceNode);
        if (port != null && flags != null && (!flags.has(MptcpFlag.SIGNAL) || flags.has(MptcpFlag.SUBFLOW))) {
            error(portNode, "a port needs flags with signal and without subflow"
                    + " (the kernel listens on the port for such endpoints only)");
        }
        if (address != null) {
            String key = canonical(address);
            String text = IpAddresses.format(address) + (port == null ? "" : " port " + port);
            Position first = seen.putIfAbsent(key + " " + (port == null ? 0 : port.intValue()),
                    position(addressNode));
            if (first != null) {
                error(addressNode, "endpoint " + text + " is listed twice (first at " + where(first) + ")");
            } else if (port == null) {
                portlessEndpoints.add(new PortlessEndpoint(key, text, position(addressNode)));
            }
        }
        return new StandaloneEndpoint(address, port, flags, interfaceName, position(map));
    }

    private List<Interface> interfaces(Node node) {
        SequenceNode list = sequence(node, "a list of interfaces");
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
        MappingNode map = mapping(node, "an interface (a mapping with name:)");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> fields = fields(map, INTERFACE);
        Node nameNode = value(fields, "name");
        String name = null;
        if (nameNode == null) {
            error(map, "interface without 'name'");
        } else {
            name = interfaceName(nameNode);
            if (name != null) {
                Position first = interfaceNames.putIfAbsent(name, position(nameNode));
                if (first != null) {
                    error(nameNode, "interface '" + name + "' is listed twice (first at " + where(first) + ")");
                }
            }
        }
        Node node2 = value(fields, "type");
        String type = node2 == null ? null : string(node2, "an interface type (a string)");
        node2 = value(fields, "state");
        String state = null;
        if (node2 != null) {
            state = string(node2, "a string");
            // down is accepted so that show output of a host with a link down loads; the planner warns when
            // the file and the link disagree, since mptcpstate never changes links
            if (state != null && !state.equals("up") && !state.equals("down")) {
                error(node2, "state '" + shorten(state) + "': mptcpstate does not manage links, so only 'up' or"
                        + " 'down' as show prints them is accepted (or leave state out)");
            }
        }
        readOnlyString(value(fields, "oper-state"));
        EndpointFlags addressFlags = null;
        node2 = value(fields, "mptcp");
        if (node2 != null) {
            MappingNode mptcp = mapping(node2, "a mapping");
            if (mptcp != null) {
                Node flagsNode = value(fields(mptcp, INTERFACE_MPTCP), "address-flags");
                addressFlags = flagsNode == null ? null : flags(flagsNode);
            }
        }
        List<Address> addressList = new ArrayList<>();
        ipFamily(value(fields, "ipv4"), false, name, addressList);
        ipFamily(value(fields, "ipv6"), true, name, addressList);
        return new Interface(name, type, state, addressFlags, addressList, position(map));
    }

    private void ipFamily(Node node, boolean v6, String interfaceName, List<Address> out) {
        if (node == null) {
            return;
        }
        MappingNode map = mapping(node, "a mapping");
        if (map == null) {
            return;
        }
        Map<String, NodeTuple> fields = fields(map, v6 ? IPV6 : IPV4);
        readOnlyBoolean(value(fields, "default-route"));
        Node addressesNode = value(fields, "address");
        if (addressesNode == null) {
            return;
        }
        SequenceNode list = sequence(addressesNode, "a list of addresses");
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
        MappingNode map = mapping(node, "an address (a mapping with ip:)");
        if (map == null) {
            return null;
        }
        Map<String, NodeTuple> fields = fields(map, ADDRESS);
        readOnlyInteger(value(fields, "mptcp-endpoint-id"), "mptcp-endpoint-id", 1, 255);
        readOnlyString(value(fields, "mptcp-ineligible"));
        readOnlyStrings(value(fields, "kernel-flags"));
        Node ipNode = value(fields, "ip");
        InetAddress ip = null;
        boolean familyMatches = false;
        if (ipNode == null) {
            error(map, "address without 'ip'");
        } else {
            ip = ip(ipNode, "give the prefix length as prefix-length");
            if (ip != null) {
                familyMatches = (ip instanceof Inet6Address) == v6;
                if (!familyMatches) {
                    error(ipNode, IpAddresses.format(ip) + " is an " + (v6 ? "IPv4" : "IPv6")
                            + " address; it belongs under " + (v6 ? "ipv4" : "ipv6"));
                }
            }
        }
        Node prefixNode = value(fields, "prefix-length");
        Integer prefixLength = prefixNode == null ? null
                : integer(prefixNode, "prefix-length", 0, v6 ? 128 : 32, v6 ? " for IPv6" : " for IPv4");
        Node flagsNode = value(fields, "mptcp-flags");
        EndpointFlags flags = flagsNode == null ? null : flags(flagsNode);
        if (ip != null && familyMatches) {
            String key = canonical(ip);
            SeenAddress first = addresses.get(key);
            if (first != null) {
                error(ipNode, "address " + IpAddresses.format(ip) + " is listed twice (first"
                        + (first.interfaceName == null ? "" : " under '" + first.interfaceName + "'") + " at "
                        + where(first.position) + ")");
            } else {
                addresses.put(key, new SeenAddress(position(ipNode), interfaceName,
                        flags != null && !flags.isEmpty()));
            }
        }
        return new Address(ip, prefixLength, flags, position(map));
    }

    /** An endpoint without a port on an address that mptcp-flags already give an endpoint: the kernel takes one. */
    private void checkPortlessEndpoints() {
        for (PortlessEndpoint endpoint : portlessEndpoints) {
            SeenAddress address = addresses.get(endpoint.key);
            if (address != null && address.hasFlags) {
                error(endpoint.position, "endpoint " + endpoint.text + " is also an address with mptcp-flags"
                        + (address.interfaceName == null ? "" : " under '" + address.interfaceName + "'") + " (at "
                        + where(address.position) + "); the kernel holds one endpoint per address");
            }
        }
    }

    // ------------------------------------------------------------------------------------------ values

    /**
     * The keys of a mapping that mptcpstate reads, by name. Records duplicate keys, unknown keys (with the
     * nearest known one) and nmstate's ignored keys (as warnings) on the way.
     */
    private Map<String, NodeTuple> fields(MappingNode map, Keys keys) {
        Map<String, Node> firstKeys = new HashMap<>();
        Map<String, NodeTuple> fields = new HashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode)) {
                error(keyNode, "expected a key name, got " + describe(keyNode));
                continue;
            }
            String key = ((ScalarNode) keyNode).getValue();
            Node first = firstKeys.putIfAbsent(key, keyNode);
            if (first != null) {
                error(keyNode, "duplicate key '" + shorten(key) + "' (first at " + where(position(first)) + ")");
                continue;
            }
            int kind = keys.kind(key);
            if (kind == Keys.READ) {
                fields.put(key, tuple);
            } else if (kind == Keys.NMSTATE) {
                warning(keyNode, "'" + key + "' is an nmstate setting that mptcpstate does not manage; ignored");
            } else if (Keys.contains(keys.elsewhere, key)) {
                error(keyNode, "'" + key + "' belongs under " + keys.elsewhereSection
                        + " (nmstate refuses it here)");
            } else {
                String nearest = keys.nearest(key);
                error(keyNode, "unknown key '" + shorten(key) + "'"
                        + (nearest == null ? "" : "; did you mean '" + nearest + "'?"));
            }
        }
        return fields;
    }

    private static Node value(Map<String, NodeTuple> fields, String key) {
        NodeTuple tuple = fields.get(key);
        return tuple == null ? null : tuple.getValueNode();
    }

    private MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode) {
            return (MappingNode) node;
        }
        error(node, "expected " + what + ", got " + describe(node));
        return null;
    }

    private SequenceNode sequence(Node node, String what) {
        if (node instanceof SequenceNode) {
            return (SequenceNode) node;
        }
        error(node, "expected " + what + ", got " + describe(node));
        return null;
    }

    private String string(Node node, String what) {
        if (node instanceof ScalarNode && isString((ScalarNode) node)) {
            return ((ScalarNode) node).getValue();
        }
        String hint = "";
        if (node instanceof ScalarNode) {
            Tag tag = node.getTag();
            if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT) || tag.equals(Tag.BOOL)) {
                hint = " (quote it: \"" + ((ScalarNode) node).getValue() + "\")";
            }
        }
        error(node, "expected " + what + ", got " + describe(node) + hint);
        return null;
    }

    private Boolean bool(Node node) {
        if (node instanceof ScalarNode && node.getTag().equals(Tag.BOOL)) {
            // the core schema's spellings; an explicit !!bool tag could sit on anything
            String text = ((ScalarNode) node).getValue();
            if (text.equals("true") || text.equals("True") || text.equals("TRUE")) {
                return Boolean.TRUE;
            }
            if (text.equals("false") || text.equals("False") || text.equals("FALSE")) {
                return Boolean.FALSE;
            }
            error(node, "expected true or false, got '" + shorten(text) + "'");
            return null;
        }
        error(node, "expected true or false, got " + describe(node));
        return null;
    }

    /** An integer from min to max; {@code family} completes the range message (" for IPv4"). */
    private Integer integer(Node node, String name, int min, int max, String family) {
        if (!(node instanceof ScalarNode) || !node.getTag().equals(Tag.INT)) {
            error(node, "expected an integer, got " + describe(node));
            return null;
        }
        String text = ((ScalarNode) node).getValue();
        BigInteger value = parseInteger(text);
        if (value == null) {
            error(node, "expected an integer, got '" + shorten(text) + "'");
            return null;
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
            error(node, name + " must be from " + min + " to " + max + family + ", got " + shorten(text));
            return null;
        }
        return value.intValue();
    }

    /** An integer as the YAML 1.2 core schema writes them: [-+]digits, 0o octal, 0x hex; null if not. */
    private static BigInteger parseInteger(String text) {
        int radix = 10;
        int start = 0;
        boolean negative = false;
        if (text.startsWith("0x")) {
            radix = 16;
            start = 2;
        } else if (text.startsWith("0o")) {
            radix = 8;
            start = 2;
        } else if (text.startsWith("-") || text.startsWith("+")) {
            negative = text.charAt(0) == '-';
            start = 1;
        }
        if (start >= text.length()) {
            return null;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean digit = (c >= '0' && c <= '9' && c - '0' < radix)
                    || (radix == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!digit) {
                return null;
            }
        }
        BigInteger value = new BigInteger(text.substring(start), radix);
        return negative ? value.negate() : value;
    }

    private InetAddress ip(Node node, String prefixHint) {
        String text = string(node, "an IP address (a string)");
        if (text == null) {
            return null;
        }
        InetAddress address = IpAddresses.parse(text);
        if (address == null) {
            int slash = text.indexOf('/');
            if (slash > 0 && IpAddresses.parse(text.substring(0, slash)) != null) {
                error(node, "'" + shorten(text) + "' is not an IP address: " + prefixHint);
            } else {
                error(node, "'" + shorten(text) + "' is not an IP address (host names are not resolved)");
            }
        }
        return address;
    }

    /** A list of flags; null (recorded) when anything in it is wrong. */
    private EndpointFlags flags(Node node) {
        if (!(node instanceof SequenceNode)) {
            String hint = node instanceof ScalarNode && isString((ScalarNode) node)
                    && !((ScalarNode) node).getValue().isEmpty()
                    ? " (write [" + shorten(((ScalarNode) node).getValue()) + "])" : "";
            error(node, "expected a list of flags, got " + describe(node) + hint);
            return null;
        }
        int bits = 0;
        boolean valid = true;
        for (Node item : ((SequenceNode) node).getValue()) {
            if (!(item instanceof ScalarNode) || !isString((ScalarNode) item)) {
                error(item, "expected a flag name, got " + describe(item));
                valid = false;
                continue;
            }
            String name = ((ScalarNode) item).getValue();
            MptcpFlag flag = MptcpFlag.named(name);
            if (flag == null) {
                String nearest = nearest(name, SETTABLE_FLAGS, null, null);
                error(item, "unknown flag '" + shorten(name) + "'" + (nearest != null
                        ? "; did you mean '" + nearest + "'?"
                        : " (flags: " + String.join(", ", SETTABLE_FLAGS) + ")"));
                valid = false;
            } else if ((bits & flag.bit()) != 0) {
                error(item, "flag '" + name + "' is listed twice");
                valid = false;
            } else {
                bits |= flag.bit();
            }
        }
        EndpointFlags flags = new EndpointFlags(bits);
        if (flags.has(MptcpFlag.SIGNAL) && flags.has(MptcpFlag.FULLMESH)) {
            // nmstate's wording, the kernel's rule
            error(node, "MPTCP flags mustn't have both signal and fullmesh");
            valid = false;
        }
        return valid ? flags : null;
    }

    /** The kernel's dev_valid_name(): 1 to 15 bytes, not . or .., no '/', ':' or whitespace (by its isspace). */
    private String interfaceName(Node node) {
        String name = string(node, "an interface name (a string)");
        if (name == null) {
            return null;
        }
        String problem = interfaceNameProblem(name);
        if (problem != null) {
            error(node, problem);
            return null;
        }
        return name;
    }

    static String interfaceNameProblem(String name) {
        if (name.isEmpty()) {
            return "an interface name cannot be empty";
        }
        String quoted = "interface name '" + shorten(name) + "'";
        if (name.equals(".") || name.equals("..")) {
            return quoted + " is refused by the kernel";
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_INTERFACE_NAME_BYTES) {
            return quoted + " is " + bytes.length + " bytes long; the kernel takes at most "
                    + MAX_INTERFACE_NAME_BYTES;
        }
        for (byte b : bytes) {
            int c = b & 0xff;
            if (c == '/' || c == ':') {
                return quoted + " contains '" + (char) c + "', which the kernel refuses";
            }
            // the kernel's isspace(): \t \n \v \f \r, space, and 0xa0 (Latin-1 no-break space, so any UTF-8
            // character with that byte)
            if ((c >= 0x09 && c <= 0x0d) || c == ' ' || c == 0xa0) {
                return quoted + " contains whitespace, which the kernel refuses";
            }
            if (c == 0) {
                return quoted + " contains a NUL character";
            }
        }
        return null;
    }

    private void readOnlyString(Node node) {
        if (node != null) {
            string(node, "a string");
        }
    }

    private void readOnlyBoolean(Node node) {
        if (node != null) {
            bool(node);
        }
    }

    private void readOnlyInteger(Node node, String name, int min, int max) {
        if (node != null) {
            integer(node, name, min, max, "");
        }
    }

    private void readOnlyStrings(Node node) {
        if (node == null) {
            return;
        }
        SequenceNode list = sequence(node, "a list of strings");
        if (list != null) {
            for (Node item : list.getValue()) {
                string(item, "a string");
            }
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static boolean isString(ScalarNode node) {
        Tag tag = node.getTag();
        // the core schema tags a plain ${...} as an environment variable; nothing here expands it
        return tag.equals(Tag.STR) || tag.equals(Tag.ENV_TAG);
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode && node.getTag().equals(Tag.NULL);
    }

    /** What a node is, for "expected X, got Y". */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode scalar = (ScalarNode) node;
        String text = shorten(scalar.getValue());
        Tag tag = scalar.getTag();
        if (isString(scalar)) {
            return "the string '" + text + "'";
        }
        if (tag.equals(Tag.INT)) {
            return "the integer " + text;
        }
        if (tag.equals(Tag.FLOAT)) {
            return "the number " + text;
        }
        if (tag.equals(Tag.BOOL)) {
            return "the boolean " + text;
        }
        if (tag.equals(Tag.NULL)) {
            return "no value";
        }
        return "'" + text + "' tagged " + printable(tag.getValue());
    }

    /** Long values cut for messages. */
    private static String shorten(String text) {
        return printable(text.length() <= 64 ? text : text.substring(0, 61) + "...");
    }

    /**
     * Text from the file as a message may quote it: control characters and line or paragraph separators
     * escaped ({@code \n}, {@code \t}, {@code \r}, else {@code \}{@code uXXXX}), so that a problem stays one
     * line and a value cannot forge further problems or send terminal escape sequences.
     */
    static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out == null) {
                continue;
            }
            if (!control) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\r') {
                out.append("\\r");
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }

    /** IPv4-mapped IPv6 addresses count as their IPv4 address, as in the kernel's duplicate check. */
    private static String canonical(InetAddress address) {
        return IpAddresses.format(IpAddresses.kernelIdentity(address));
    }

    private Position position(Node node) {
        return position(node.getStartMark());
    }

    private Position position(Optional<Mark> mark) {
        if (mark.isPresent()) {
            return new Position(file, mark.get().getLine() + 1, mark.get().getColumn() + 1);
        }
        return new Position(file, 1, 1);
    }

    private static String where(Position position) {
        return "line " + position.line() + ", column " + position.column();
    }

    private void error(Node node, String message) {
        error(position(node), message);
    }

    private void error(Position position, String message) {
        errors.add(new Diagnostic(position, message));
    }

    private void warning(Node node, String message) {
        warnings.add(new Diagnostic(position(node), message));
    }

    private static String hex2(int value) {
        String hex = Integer.toHexString(value);
        return hex.length() == 1 ? "0" + hex : hex;
    }

    private static String hex4(int value) {
        StringBuilder hex = new StringBuilder(Integer.toHexString(value).toUpperCase(java.util.Locale.ROOT));
        while (hex.length() < 4) {
            hex.insert(0, '0');
        }
        return hex.toString();
    }

    /** The keys of {@code keys} that {@code except} lacks. */
    private static String[] minus(String[] keys, String[] except) {
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            if (!Keys.contains(except, key)) {
                out.add(key);
            }
        }
        return out.toArray(new String[0]);
    }

    private static String[] settableFlags() {
        List<String> names = new ArrayList<>();
        for (MptcpFlag flag : MptcpFlag.values()) {
            if (flag != MptcpFlag.IMPLICIT) {
                names.add(flag.yamlName());
            }
        }
        return names.toArray(new String[0]);
    }

    /**
     * The candidate closest to {@code key} (case-insensitive edit distance, a swap of two neighbours counting
     * once), if close enough to be a typo of it; ties go to the earlier candidate.
     */
    static String nearest(String key, String[] first, String[] second, String[] third) {
        String lower = key.toLowerCase(java.util.Locale.ROOT);
        int allowed = lower.length() <= 3 ? 1 : lower.length() <= 6 ? 2 : 3;
        String best = null;
        int bestDistance = allowed + 1;
        String[][] groups = {first, second, third};
        for (String[] group : groups) {
            if (group == null) {
                continue;
            }
            for (String candidate : group) {
                int distance = distance(lower, candidate);
                if (distance < bestDistance) {
                    best = candidate;
                    bestDistance = distance;
                }
            }
        }
        return best;
    }

    /** Optimal string alignment distance. */
    private static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 3) {
            return Integer.MAX_VALUE;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int value = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    value = Math.min(value, d[i - 2][j - 2] + 1);
                }
                d[i][j] = value;
            }
        }
        return d[a.length()][b.length()];
    }

    /** The keys of one level of the document. */
    static final class Keys {
        static final int UNKNOWN = 0;
        static final int READ = 1;
        static final int NMSTATE = 2;

        /** Keys mptcpstate acts on. */
        final String[] managed;
        /** Keys show prints that are facts, type-checked and ignored. */
        final String[] readOnly;
        /** nmstate's keys mptcpstate does not manage: ignored with a warning. */
        final String[] nmstate;
        /** nmstate's keys of a sibling section (ipv6's under ipv4): errors that say where they belong. */
        String[] elsewhere = NONE;
        String elsewhereSection;

        Keys(String[] managed, String[] readOnly, String[] nmstate) {
            this.managed = managed;
            this.readOnly = readOnly;
            this.nmstate = nmstate;
        }

        Keys elsewhere(String[] keys, String section) {
            elsewhere = keys;
            elsewhereSection = section;
            return this;
        }

        int kind(String key) {
            if (contains(managed, key) || contains(readOnly, key)) {
                return READ;
            }
            return contains(nmstate, key) ? NMSTATE : UNKNOWN;
        }

        String nearest(String key) {
            return StateLoader.nearest(key, managed, readOnly, nmstate);
        }

        static boolean contains(String[] keys, String key) {
            for (String candidate : keys) {
                if (candidate.equals(key)) {
                    return true;
                }
            }
            return false;
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

    /** File order: line, then column; stable, so problems at one spot keep the order they were found in. */
    private static final class ByPosition implements Comparator<Diagnostic> {
        static final ByPosition INSTANCE = new ByPosition();

        @Override
        public int compare(Diagnostic a, Diagnostic b) {
            int line = Integer.compare(a.position().line(), b.position().line());
            return line != 0 ? line : Integer.compare(a.position().column(), b.position().column());
        }
    }
}
