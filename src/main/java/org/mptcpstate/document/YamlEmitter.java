package org.mptcpstate.document;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Writes block-style YAML as nmstate prints it: two-space indentation, sequences level with their key,
 * {@code []} and {@code {}} for empty ones, no document marker. Strings are plain where every YAML 1.1 and
 * 1.2 reader (PyYAML and Ansible, Go's yaml.v2/v3, Ruby's Psych, snakeyaml) reads them back as the same
 * string, and double-quoted otherwise.
 *
 * <p>Hand-written rather than Jackson's YAML generator: the document has one shape, and the generator with
 * its snakeyaml emitter cost about 25 ms of start-up and 100 ms for a 1,000-interface host (measured).
 */
final class YamlEmitter implements DocumentSink {
    private static final int MAPPING = 0;
    private static final int SEQUENCE = 1;
    private static final int FLUSH_AT = 1 << 16;

    private final OutputStream out;
    private final StringBuilder text = new StringBuilder(4096);
    private final int[] kinds = new int[16];
    private final int[] indents = new int[16];
    private final int[] entries = new int[16];
    /** The container's key line ("key:") is still open: its first entry starts a new line. */
    private final boolean[] open = new boolean[16];
    /** A mapping that is a sequence entry: its first key follows the "- " on the same line. */
    private final boolean[] inline = new boolean[16];

    private int depth = -1;
    private String key;

    YamlEmitter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void startObject() {
        startContainer(MAPPING);
    }

    @Override
    public void startArray() {
        startContainer(SEQUENCE);
    }

    @Override
    public void endObject() {
        endContainer(MAPPING);
    }

    @Override
    public void endArray() {
        endContainer(SEQUENCE);
    }

    @Override
    public void name(String name) {
        if (depth < 0 || kinds[depth] != MAPPING || key != null) {
            throw new IllegalStateException("a key outside a mapping: " + name);
        }
        key = name;
    }

    @Override
    public void string(String value) {
        scalar(value, true);
    }

    @Override
    public void number(long value) {
        scalar(Long.toString(value), false);
    }

    @Override
    public void bool(boolean value) {
        scalar(value ? "true" : "false", false);
    }

    @Override
    public void close() {
        if (depth >= 0) {
            throw new IllegalStateException("document ends inside a container");
        }
        flush();
    }

    private void scalar(String value, boolean isString) {
        entryStart();
        if (isString) {
            appendString(text, value);
        } else {
            text.append(value);
        }
        text.append('\n');
        if (text.length() >= FLUSH_AT) {
            flush();
        }
    }

    private void startContainer(int kind) {
        if (depth < 0) {
            push(kind, 0, false, false);
            return;
        }
        boolean inMapping = kinds[depth] == MAPPING;
        int parentIndent = indents[depth];
        entryStart();
        if (inMapping) {
            // "key:" stays open: the first entry ends the line, or " {}" / " []" does when there is none
            text.setLength(text.length() - 1);
            push(kind, kind == MAPPING ? parentIndent + 2 : parentIndent, true, false);
        } else if (kind == MAPPING) {
            push(MAPPING, parentIndent + 2, false, true); // "- " is followed by the mapping's first key
        } else {
            throw new IllegalStateException("a sequence directly inside a sequence");
        }
    }

    private void push(int kind, int indent, boolean keyLineOpen, boolean inlineFirst) {
        depth++;
        kinds[depth] = kind;
        indents[depth] = indent;
        entries[depth] = 0;
        open[depth] = keyLineOpen;
        inline[depth] = inlineFirst;
    }

    private void endContainer(int kind) {
        if (depth < 0 || kinds[depth] != kind || key != null) {
            throw new IllegalStateException("unbalanced end of " + (kind == MAPPING ? "mapping" : "sequence"));
        }
        if (entries[depth] == 0) {
            String empty = kind == MAPPING ? "{}" : "[]";
            text.append(open[depth] ? " " : "").append(empty).append('\n');
        }
        depth--;
    }

    /** Starts an entry of the innermost container, up to where its value goes ("key: " or "- "). */
    private void entryStart() {
        if (depth < 0) {
            throw new IllegalStateException("a scalar outside the document's mapping");
        }
        if (open[depth]) {
            text.append('\n');
            open[depth] = false;
        }
        boolean first = entries[depth] == 0;
        entries[depth]++;
        if (!(first && inline[depth])) {
            for (int i = 0; i < indents[depth]; i++) {
                text.append(' ');
            }
        }
        if (kinds[depth] == MAPPING) {
            if (key == null) {
                throw new IllegalStateException("a mapping value without a key");
            }
            appendString(text, key);
            text.append(": ");
            key = null;
        } else {
            text.append("- ");
        }
    }

    private void flush() {
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        text.setLength(0);
    }

    static void appendString(StringBuilder text, String value) {
        if (isPlainSafe(value)) {
            text.append(value);
        } else {
            appendDoubleQuoted(text, value);
        }
    }

    /**
     * Whether the string may be written plain: only characters that mean nothing to a YAML scanner, a colon
     * neither last (it would end the scalar) nor anywhere a space could follow it, and not something a YAML
     * 1.1 or 1.2 reader resolves to another type (booleans, null, numbers in any base, sexagesimal numbers,
     * dates). Everything else is double-quoted, which every reader reads back exactly.
     */
    static boolean isPlainSafe(String value) {
        int length = value.length();
        if (length == 0 || value.charAt(length - 1) == ':') {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == ':'
                    || c == '/'
                    || (i > 0 && (c == '.' || c == '-'));
            if (!safe) {
                return false;
            }
        }
        char first = value.charAt(0);
        if (first >= '0' && first <= '9') {
            // Go's YAML readers drop every '_' and then parse with any-case 0x/0b/0o prefixes
            return value.indexOf('_') < 0
                    && !(mayBeNumberOrDate(value)
                            && OtherTypes.NUMBER_OR_DATE.matcher(value).matches());
        }
        if (first == ':') {
            return false; // Ruby's Psych reads a plain :name as a Symbol
        }
        return !isReservedWord(value);
    }

    /**
     * False when a digit-led string holds a letter no number or date has (an IPv6 address with a hex letter, a
     * name such as 1eth): the pattern need not run, which matters for a thousand addresses.
     */
    private static boolean mayBeNumberOrDate(String value) {
        if (value.length() > 4 && value.charAt(4) == '-') {
            return true; // 2001-12-14 and the like: the pattern decides
        }
        boolean prefixed = value.length() > 1 && "xXoObB".indexOf(value.charAt(1)) >= 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean numeric = (c >= '0' && c <= '9')
                    || c == '.'
                    || c == ':'
                    || c == '+'
                    || c == '-'
                    || c == 'e'
                    || c == 'E'
                    || (prefixed && (i == 1 || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
            if (!numeric) {
                return false;
            }
        }
        return true;
    }

    /** YAML 1.1 booleans and nulls (any case, for safety's sake); digits are checked by the pattern. */
    private static boolean isReservedWord(String value) {
        switch (value.length()) {
            case 1:
                return "yYnN".indexOf(value.charAt(0)) >= 0;
            case 2:
                return value.equalsIgnoreCase("no") || value.equalsIgnoreCase("on");
            case 3:
                return value.equalsIgnoreCase("yes") || value.equalsIgnoreCase("off");
            case 4:
                return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("null");
            case 5:
                return value.equalsIgnoreCase("false");
            default:
                return false;
        }
    }

    /** Compiled on first use: only strings that start with a digit need it. */
    private static final class OtherTypes {
        static final Pattern NUMBER_OR_DATE = Pattern.compile(
                "(?:"
                        + "0b[01]*|0x[0-9a-f]*|0o?[0-7]*"
                        + "|[0-9]+(?:\\.[0-9]*)?(?:e[-+]?[0-9]+)?"
                        + "|[0-9]+(?::[0-5]?[0-9])+(?:\\.[0-9]*)?"
                        + "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)",
                Pattern.CASE_INSENSITIVE);
    }

    /** A YAML double-quoted scalar: JSON's escapes plus YAML's for what it does not count as printable. */
    private static void appendDoubleQuoted(StringBuilder text, String value) {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\t' -> text.append("\\t");
                case '\r' -> text.append("\\r");
                default -> {
                    if (Character.isSurrogate(c)) {
                        boolean pair = Character.isHighSurrogate(c)
                                && i + 1 < value.length()
                                && Character.isLowSurrogate(value.charAt(i + 1));
                        if (pair) {
                            text.append(c).append(value.charAt(++i));
                        } else {
                            appendEscape(text, c);
                        }
                    } else if (c < 0x20
                            || c == 0x7f
                            || (c >= 0x80 && c < 0xa0)
                            || c == 0x2028
                            || c == 0x2029
                            || c == 0xfeff
                            || c >= 0xfffe) {
                        appendEscape(text, c);
                    } else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }

    private static void appendEscape(StringBuilder text, char c) {
        String hex = Integer.toHexString(c);
        if (c <= 0xff) {
            text.append("\\x");
            if (hex.length() < 2) {
                text.append('0');
            }
        } else {
            text.append("\\u");
            for (int pad = hex.length(); pad < 4; pad++) {
                text.append('0');
            }
        }
        text.append(hex.toUpperCase(java.util.Locale.ROOT));
    }
}
