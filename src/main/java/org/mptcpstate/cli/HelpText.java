package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.cli.CommandSpec.PositionalSpec;

import java.util.ArrayList;
import java.util.List;

/** Usage text in the layout picocli and GNU tools use: a synopsis, the description, then aligned options. */
final class HelpText {
    private static final int WIDTH = 80;
    static final OptionSpec HELP_OPTION = new OptionSpec("--help", "-h", null, "Show this help message and exit.");

    private HelpText() {}

    static String command(String program, CommandSpec spec) {
        StringBuilder synopsis = new StringBuilder("Usage: ")
                .append(program)
                .append(' ')
                .append(spec.name())
                .append(" [-h]");
        for (OptionSpec option : spec.options()) {
            synopsis.append(" [").append(option.longName());
            if (option.takesValue()) {
                synopsis.append('=').append(option.valueLabel());
            }
            synopsis.append(option.repeatable() ? "]..." : "]");
        }
        if (spec.positional() != null) {
            synopsis.append(' ').append(spec.positional().synopsis());
        }
        StringBuilder text = new StringBuilder();
        wrap(text, synopsis.toString(), "        ");
        text.append(spec.summary()).append('\n');
        for (String line : spec.details()) {
            text.append(line).append('\n');
        }
        List<String[]> rows = new ArrayList<>();
        PositionalSpec positional = spec.positional();
        if (positional != null) {
            rows.add(new String[] {"    " + positional.synopsis(), positional.description()});
        }
        rows.add(optionRow(HELP_OPTION));
        for (OptionSpec option : spec.options()) {
            rows.add(optionRow(option));
        }
        table(text, rows);
        return text.toString();
    }

    static String program(String program, String summary, List<CommandSpec> commands, List<String> footer) {
        StringBuilder text = new StringBuilder();
        text.append("Usage: ")
                .append(program)
                .append(" [-hV] COMMAND [OPTIONS]\n")
                .append(summary)
                .append('\n');
        table(
                text,
                List.of(
                        optionRow(HELP_OPTION),
                        optionRow(new OptionSpec("--version", "-V", null, "Print version information and exit."))));
        text.append("Commands:\n");
        List<String[]> rows = new ArrayList<>();
        for (CommandSpec command : commands) {
            rows.add(new String[] {command.name(), command.summary()});
        }
        table(text, rows);
        for (String line : footer) {
            wrap(text, line, "");
        }
        return text.toString();
    }

    private static String[] optionRow(OptionSpec option) {
        String names = (option.shortName() == null ? "    " : option.shortName() + ", ")
                + option.longName()
                + (option.takesValue() ? "=" + option.valueLabel() : "");
        return new String[] {names, option.description()};
    }

    private static void table(StringBuilder text, List<String[]> rows) {
        int left = 0;
        for (String[] row : rows) {
            left = Math.max(left, row[0].length());
        }
        left += 4;
        String indent = " ".repeat(left + 2);
        for (String[] row : rows) {
            String head = "  " + row[0] + " ".repeat(left - row[0].length());
            wrapInto(text, head, row[1], indent);
        }
    }

    private static void wrap(StringBuilder text, String line, String continuation) {
        wrapInto(text, "", line, continuation);
    }

    /** Writes {@code head} then {@code body}, folding the body at word boundaries to the width. */
    private static void wrapInto(StringBuilder text, String head, String body, String continuation) {
        StringBuilder line = new StringBuilder(head);
        int lineStart = text.length();
        boolean first = true;
        for (String word : body.split(" ")) {
            if (!first && line.length() + 1 + word.length() > WIDTH) {
                text.append(line).append('\n');
                line = new StringBuilder(continuation);
                first = true;
            }
            if (!first) {
                line.append(' ');
            }
            line.append(word);
            first = false;
        }
        text.append(line).append('\n');
        if (text.length() == lineStart) {
            text.append('\n');
        }
    }
}
