package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the words after the command name the way GNU and picocli tools do: {@code --opt value},
 * {@code --opt=value}, switches, {@code --} to end options. Anything else is a {@link UsageException}
 * with the message a user needs.
 */
final class ArgumentParser {
    static final String HELP = "--help";

    private ArgumentParser() {}

    /** A command line that does not fit the command's spec: exit 64 with the message and a hint. */
    static final class UsageException extends RuntimeException {
        private final CommandSpec command;

        UsageException(CommandSpec command, String message) {
            super(message);
            this.command = command;
        }

        /** The command whose help the user should read, or null for the top level. */
        CommandSpec command() {
            return command;
        }
    }

    static ParsedArguments parse(CommandSpec spec, List<String> words) {
        Set<String> switches = new HashSet<>();
        Map<String, String> values = new HashMap<>();
        Map<String, List<String>> repeated = new HashMap<>();
        List<String> operands = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (optionsEnded || !word.startsWith("-") || word.equals("-")) {
                operands.add(word);
                continue;
            }
            if (word.equals("--")) {
                optionsEnded = true;
                continue;
            }
            if (word.equals(HELP) || word.equals("-h")) {
                switches.add(HELP);
                continue;
            }
            int equals = word.indexOf('=');
            String name = equals > 0 && word.startsWith("--") ? word.substring(0, equals) : word;
            OptionSpec option = spec.option(name);
            if (option == null) {
                throw new UsageException(spec, "Unknown option: '" + word + "'");
            }
            if (!option.takesValue()) {
                if (equals > 0) {
                    throw new UsageException(spec, "Option '" + option.longName() + "' takes no value");
                }
                switches.add(option.longName());
                continue;
            }
            String value;
            if (equals > 0) {
                value = word.substring(equals + 1);
            } else if (i + 1 < words.size()) {
                value = words.get(++i);
            } else {
                throw new UsageException(
                        spec,
                        "Missing required parameter for option '" + option.longName() + "' (" + option.valueLabel()
                                + ")");
            }
            if (option.repeatable()) {
                List<String> given = repeated.get(option.longName());
                if (given == null) {
                    given = new ArrayList<>();
                    repeated.put(option.longName(), given);
                }
                given.add(value);
                continue;
            }
            if (values.put(option.longName(), value) != null) {
                throw new UsageException(
                        spec,
                        "option '" + option.longName() + "' (" + option.valueLabel()
                                + ") should be specified only once");
            }
        }
        if (!switches.contains(HELP)) {
            checkOperands(spec, operands);
        }
        return new ParsedArguments(switches, values, repeated, operands);
    }

    private static void checkOperands(CommandSpec spec, List<String> operands) {
        CommandSpec.PositionalSpec positional = spec.positional();
        if (positional == null) {
            if (!operands.isEmpty()) {
                throw new UsageException(
                        spec,
                        "Unmatched argument" + (operands.size() > 1 ? "s" : "") + ": "
                                + String.join(
                                        " ",
                                        operands.stream()
                                                .map(o -> "'" + o + "'")
                                                .toList()));
            }
            return;
        }
        if (operands.size() < positional.minimum()) {
            throw new UsageException(spec, "Missing required parameter: '" + positional.label() + "'");
        }
        if (operands.size() > positional.maximum()) {
            throw new UsageException(spec, "Unmatched argument: '" + operands.get(positional.maximum()) + "'");
        }
    }

    /** A whole number of seconds from {@code min} to {@code max}; {@code fallback} when the option is absent. */
    static long seconds(CommandSpec spec, String option, String text, long fallback, long min, long max) {
        if (text == null) {
            return fallback;
        }
        try {
            long seconds = Long.parseLong(text);
            if (seconds >= min && seconds <= max) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(
                spec, option + " takes a number of seconds from " + min + " to " + max + ", not '" + text + "'");
    }
}
