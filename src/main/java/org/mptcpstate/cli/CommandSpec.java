package org.mptcpstate.cli;

import java.util.List;

/**
 * What one command accepts, declared once: parsing and the help text both come from it.
 *
 * @param name        the word users type, e.g. {@code show}
 * @param summary     the one-line description in command lists; the first line of the help
 * @param details     further help lines
 * @param options     options besides -h/--help, which every command has
 * @param positional  the operands, or null when the command takes none
 */
record CommandSpec(
        String name, String summary, List<String> details, List<OptionSpec> options, PositionalSpec positional) {
    CommandSpec {
        details = List.copyOf(details);
        options = List.copyOf(options);
    }

    /**
     * An option: {@code --json} (a switch) or {@code --netns=NAME} (with a value); a {@code repeatable} one may be
     * given more than once, each value kept.
     */
    record OptionSpec(String longName, String shortName, String valueLabel, String description, boolean repeatable) {
        OptionSpec(String longName, String shortName, String valueLabel, String description) {
            this(longName, shortName, valueLabel, description, false);
        }

        boolean takesValue() {
            return valueLabel != null;
        }

        boolean matches(String word) {
            return word.equals(longName) || word.equals(shortName);
        }
    }

    /** Operands: a label such as IFNAME and how many may be given. */
    record PositionalSpec(String label, int minimum, int maximum, String description) {
        static final int UNBOUNDED = Integer.MAX_VALUE;

        /** {@code [IFNAME...]}, {@code FILE...}, {@code [FILE]} or {@code FILE}, as usage lines write it. */
        String synopsis() {
            String text = label + (maximum > 1 ? "..." : "");
            return minimum == 0 ? "[" + text + "]" : text;
        }
    }

    OptionSpec option(String word) {
        for (OptionSpec option : options) {
            if (option.matches(word)) {
                return option;
            }
        }
        return null;
    }
}
