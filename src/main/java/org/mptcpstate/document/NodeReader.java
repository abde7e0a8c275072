package org.mptcpstate.document;

import org.mptcpstate.document.Vocabulary.Keys;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelRules;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Printable;
import org.mptcpstate.state.WarningCode;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.math.BigInteger;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Typed readers of YAML nodes: each returns the value, or null after recording a problem at the node's position
 * ("expected an integer, got the string 'x'"), so that a document is read in one pass and every problem in it is
 * reported. Scalars are typed by the YAML 1.2 core schema: {@code true}/{@code True}/{@code TRUE} are booleans,
 * {@code yes} and {@code on} are strings, {@code 0x10} and {@code 0o17} are integers; a quoted value is always a
 * string.
 */
final class NodeReader {
    private final LoadDiagnostics diagnostics;

    NodeReader(LoadDiagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /**
     * The keys of a mapping that mptcpstate reads, by their canonical name (an alias such as {@code valid-lft}
     * under {@code valid-life-time}). Records duplicate keys, unknown keys (with the nearest known one) and
     * nmstate's ignored keys (as routine warnings, summarised) on the way.
     */
    Map<String, NodeTuple> fields(MappingNode map, Keys keys) {
        return fields(map, keys, null);
    }

    /**
     * The same, where {@code ownSection} is one more key nmstate may define at this level: an interface's section
     * named after its type ({@code wireguard:} under {@code type: wireguard}), which nmstate does not check for
     * types it does not know and mptcpstate does not read.
     */
    Map<String, NodeTuple> fields(MappingNode map, Keys keys, String ownSection) {
        Map<String, Node> firstKeys = new HashMap<>();
        Map<String, NodeTuple> fields = new HashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode)) {
                diagnostics.error(keyNode, "expected a key name, got " + describe(keyNode));
                continue;
            }
            String key = ((ScalarNode) keyNode).getValue();
            String canonical = keys.canonical(key);
            Node first = firstKeys.putIfAbsent(canonical, keyNode);
            if (first != null) {
                String firstKey = ((ScalarNode) first).getValue();
                diagnostics.error(
                        keyNode,
                        "duplicate key '" + shorten(key) + "'"
                                + (firstKey.equals(key) ? "" : " (another spelling of '" + firstKey + "')")
                                + " (first at " + LoadDiagnostics.where(diagnostics.position(first)) + ")");
                continue;
            }
            Vocabulary.KeyKind kind = keys.kind(key);
            if (kind == Vocabulary.KeyKind.UNKNOWN && key.equals(ownSection)) {
                kind = Vocabulary.KeyKind.SECTION;
            }
            switch (kind) {
                case MANAGED, READ_ONLY -> fields.put(canonical, tuple);
                case NMSTATE, SECTION -> ignored(keyNode, key, group(keys));
                case ELSEWHERE ->
                    diagnostics.error(
                            keyNode,
                            "'" + key + "' belongs under " + (keys == Vocabulary.IPV4 ? "ipv6" : "ipv4")
                                    + " (nmstate refuses it here)");
                case POLICY ->
                    // the caller refuses the whole document before reading it; kept for completeness
                    diagnostics.error(keyNode, POLICY_MESSAGE);
                case UNKNOWN -> {
                    String nearest = keys.nearest(key);
                    String elsewhere = nearest == null ? keys.elsewhere(key) : null;
                    diagnostics.error(
                            keyNode,
                            "unknown key '" + shorten(key) + "'"
                                    + (nearest != null
                                            ? "; did you mean '" + nearest + "'?"
                                            : elsewhere != null
                                                    ? " in " + keys.where + " (it is a key of " + elsewhere + ")"
                                                    : ""));
                }
            }
        }
        return fields;
    }

    /** The error for an nmstate policy file. */
    static final String POLICY_MESSAGE = "this is an nmstate policy (capture/desiredState), not a state:"
            + " mptcpstate reads states (nmstatectl show output, or the state a policy yields)";

    /** A key nmstate defines and mptcpstate does not act on: a routine warning, summarised per file. */
    void ignored(Node keyNode, String key, String group) {
        diagnostics.warning(
                keyNode,
                WarningCode.NMSTATE_IGNORED,
                "'" + shorten(key) + "' is an nmstate key that mptcpstate does not act on; not read",
                group + ": " + shorten(key));
    }

    /** How the summary of ignored keys names a level. */
    private static String group(Keys keys) {
        return switch (keys.level) {
            case TOP -> "top level";
            case INTERFACE -> "interfaces";
            case IPV4, IPV6, IP -> "ipv4/ipv6";
            case ADDRESS -> "addresses";
            default -> keys.level.label;
        };
    }

    static Node value(Map<String, NodeTuple> fields, String key) {
        NodeTuple tuple = fields.get(key);
        return tuple == null ? null : tuple.getValueNode();
    }

    MappingNode mapping(Node node, String what) {
        if (node instanceof MappingNode) {
            return (MappingNode) node;
        }
        diagnostics.error(node, "expected " + what + ", got " + describe(node));
        return null;
    }

    SequenceNode sequence(Node node, String what) {
        if (node instanceof SequenceNode) {
            return (SequenceNode) node;
        }
        diagnostics.error(node, "expected " + what + ", got " + describe(node));
        return null;
    }

    String string(Node node, String what) {
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
        diagnostics.error(node, "expected " + what + ", got " + describe(node) + hint);
        return null;
    }

    /**
     * A boolean as nmstate reads one ({@code bool_or_string}): a YAML boolean, the integers 0 and 1, or a string
     * that is, ignoring case, one of 1, 0, true, false, yes, no, on, off, y, n (Ansible's templating writes
     * booleans as such strings).
     */
    Boolean bool(Node node) {
        if (node instanceof ScalarNode scalar) {
            String text = scalar.getValue();
            Tag tag = node.getTag();
            if (tag.equals(Tag.BOOL)) {
                // the core schema's spellings; an explicit !!bool tag could sit on anything
                if (text.equals("true") || text.equals("True") || text.equals("TRUE")) {
                    return Boolean.TRUE;
                }
                if (text.equals("false") || text.equals("False") || text.equals("FALSE")) {
                    return Boolean.FALSE;
                }
                diagnostics.error(node, "expected true or false, got '" + shorten(text) + "'");
                return null;
            }
            if (tag.equals(Tag.INT)) {
                BigInteger value = parseInteger(text);
                if (BigInteger.ONE.equals(value) || BigInteger.ZERO.equals(value)) {
                    return value.signum() != 0;
                }
            } else if (isString(scalar)) {
                switch (text.toLowerCase(Locale.ROOT)) {
                    case "1", "true", "yes", "on", "y" -> {
                        return Boolean.TRUE;
                    }
                    case "0", "false", "no", "off", "n" -> {
                        return Boolean.FALSE;
                    }
                    default -> {
                        diagnostics.error(
                                node,
                                "expected true or false, got " + describe(node)
                                        + " (as strings: 1, 0, true, false, yes, no, on, off, y, n)");
                        return null;
                    }
                }
            }
        }
        diagnostics.error(node, "expected true or false, got " + describe(node));
        return null;
    }

    /**
     * An integer from min to max, as nmstate reads unsigned numbers ({@code u8_or_string} and its kin): a YAML
     * integer, or a string of decimal digits with an optional sign, or {@code 0x} and hex digits ({@code "24"},
     * {@code "+24"}, {@code "0x18"}; Ansible's templating writes numbers as such strings). Nothing else: no
     * spaces, no {@code 0X}, no fractions. {@code family} completes the range message (" for IPv4").
     */
    Integer integer(Node node, String name, int min, int max, String family) {
        BigInteger value = null;
        if (node instanceof ScalarNode scalar) {
            String text = scalar.getValue();
            if (node.getTag().equals(Tag.INT)) {
                value = parseInteger(text);
                if (value == null) { // an explicit !!int on something that is none
                    diagnostics.error(node, "expected an integer, got '" + shorten(text) + "'");
                    return null;
                }
            } else if (isString(scalar)) {
                value = parseIntegerString(text);
            } else {
                diagnostics.error(node, "expected an integer, got " + describe(node));
                return null;
            }
            if (value == null) {
                diagnostics.error(
                        node,
                        "expected an integer, got " + describe(node)
                                + (isString(scalar) ? " (as strings: \"24\", \"+24\" or \"0x18\")" : ""));
                return null;
            }
            if (value.compareTo(BigInteger.valueOf(min)) < 0 || value.compareTo(BigInteger.valueOf(max)) > 0) {
                diagnostics.error(
                        node, name + " must be from " + min + " to " + max + family + ", got " + shorten(text));
                return null;
            }
            return value.intValue();
        }
        diagnostics.error(node, "expected an integer, got " + describe(node));
        return null;
    }

    /** nmstate's number strings: {@code 0x} and hex digits, or decimal digits with an optional sign; else null. */
    private static BigInteger parseIntegerString(String text) {
        if (text.startsWith("0x")) {
            return text.length() > 2 && allDigits(text, 2, 16) ? new BigInteger(text.substring(2), 16) : null;
        }
        int start = text.startsWith("+") || text.startsWith("-") ? 1 : 0;
        if (start >= text.length() || !allDigits(text, start, 10)) {
            return null;
        }
        BigInteger value = new BigInteger(text.substring(start));
        return text.charAt(0) == '-' ? value.negate() : value;
    }

    private static boolean allDigits(String text, int start, int radix) {
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean digit =
                    (c >= '0' && c <= '9') || (radix == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!digit) {
                return false;
            }
        }
        return true;
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

    InetAddress ip(Node node, String prefixHint) {
        String text = string(node, "an IP address (a string)");
        if (text == null) {
            return null;
        }
        InetAddress address = IpAddresses.parse(text);
        if (address == null) {
            int slash = text.indexOf('/');
            if (slash > 0 && IpAddresses.parse(text.substring(0, slash)) != null) {
                diagnostics.error(node, "'" + shorten(text) + "' is not an IP address: " + prefixHint);
            } else {
                diagnostics.error(node, "'" + shorten(text) + "' is not an IP address (host names are not resolved)");
            }
        }
        return address;
    }

    /** A list of flags; null (recorded) when anything in it is wrong. */
    EndpointFlags flags(Node node) {
        if (!(node instanceof SequenceNode)) {
            String hint = node instanceof ScalarNode
                            && isString((ScalarNode) node)
                            && !((ScalarNode) node).getValue().isEmpty()
                    ? " (write [" + shorten(((ScalarNode) node).getValue()) + "])"
                    : "";
            diagnostics.error(node, "expected a list of flags, got " + describe(node) + hint);
            return null;
        }
        int bits = 0;
        boolean valid = true;
        for (Node item : ((SequenceNode) node).getValue()) {
            if (!(item instanceof ScalarNode) || !isString((ScalarNode) item)) {
                diagnostics.error(item, "expected a flag name, got " + describe(item));
                valid = false;
                continue;
            }
            String name = ((ScalarNode) item).getValue();
            MptcpFlag flag = MptcpFlag.named(name);
            if (flag == null) {
                String nearest = Suggestions.nearest(name, Vocabulary.SETTABLE_FLAGS);
                diagnostics.error(
                        item,
                        "unknown flag '" + shorten(name) + "'"
                                + (nearest != null
                                        ? "; did you mean '" + nearest + "'?"
                                        : " (flags: " + String.join(", ", Vocabulary.SETTABLE_FLAGS) + ")"));
                valid = false;
            } else if ((bits & flag.bit()) != 0) {
                // nmstate ORs the flags into a bitmask: a repeat is harmless, if likely a typo for another flag
                diagnostics.warning(
                        item, WarningCode.FLAG_DUPLICATE, "flag '" + name + "' is listed twice; counted once", null);
            } else {
                bits |= flag.bit();
            }
        }
        EndpointFlags flags = new EndpointFlags(bits);
        if (flags.has(MptcpFlag.SIGNAL) && flags.has(MptcpFlag.FULLMESH)) {
            // nmstate's wording, the kernel's rule
            diagnostics.error(node, "MPTCP flags mustn't have both signal and fullmesh");
            valid = false;
        }
        return valid ? flags : null;
    }

    /** The kernel's dev_valid_name(): 1 to 15 bytes, not . or .., no '/', ':' or whitespace (by its isspace). */
    String interfaceName(Node node) {
        String name = string(node, "an interface name (a string)");
        if (name == null) {
            return null;
        }
        String problem = KernelRules.interfaceNameProblem(name);
        if (problem != null) {
            diagnostics.error(node, problem);
            return null;
        }
        return name;
    }

    void readOnlyString(Node node) {
        if (node != null) {
            string(node, "a string");
        }
    }

    void readOnlyBoolean(Node node) {
        if (node != null) {
            bool(node);
        }
    }

    void readOnlyInteger(Node node, String name, int min, int max) {
        if (node != null) {
            integer(node, name, min, max, "");
        }
    }

    void readOnlyStrings(Node node) {
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

    static boolean isString(ScalarNode node) {
        Tag tag = node.getTag();
        // the core schema tags a plain ${...} as an environment variable; nothing here expands it
        return tag.equals(Tag.STR) || tag.equals(Tag.ENV_TAG);
    }

    static boolean isNull(Node node) {
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
        return "'" + text + "' tagged " + Printable.of(tag.getValue());
    }

    /** Long values cut for messages, escaped. */
    static String shorten(String text) {
        return Printable.shortened(text);
    }

    /** IPv4-mapped IPv6 addresses count as their IPv4 address, as in the kernel's duplicate check. */
    static String canonical(InetAddress address) {
        return IpAddresses.format(IpAddresses.kernelIdentity(address));
    }
}
