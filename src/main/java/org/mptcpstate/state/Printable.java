package org.mptcpstate.state;

/**
 * Text from a file or the kernel as a message may quote it: control characters and line or paragraph
 * separators escaped ({@code \n}, {@code \t}, {@code \r}, else {@code \}{@code uXXXX}), so that a message stays
 * one line and a value can neither forge further lines nor send terminal escape sequences.
 */
public final class Printable {
    /** Quoted values longer than this are cut. */
    private static final int MAX_QUOTED = 64;

    private Printable() {}

    public static String of(String text) {
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

    /**
     * As {@link #of} for each line of a text whose line breaks are its own (problems joined by a message), keeping
     * those breaks: every other control character is escaped.
     */
    public static String lines(String text) {
        if (text.indexOf('\n') < 0) {
            return of(text);
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        int start = 0;
        while (true) {
            int end = text.indexOf('\n', start);
            out.append(of(end < 0 ? text.substring(start) : text.substring(start, end)));
            if (end < 0) {
                return out.toString();
            }
            out.append('\n');
            start = end + 1;
        }
    }

    /** As {@link #of}, cut to 64 characters ("..." at the end) for quoting a value in a message. */
    public static String shortened(String text) {
        return of(text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED - 3) + "...");
    }
}
