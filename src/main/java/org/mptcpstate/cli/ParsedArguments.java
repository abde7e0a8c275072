package org.mptcpstate.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A command line after parsing against a {@link CommandSpec}: switches set, option values (the values of a
 * repeatable option in {@code repeated}, in order), operands.
 */
record ParsedArguments(
        Set<String> switches, Map<String, String> values, Map<String, List<String>> repeated, List<String> operands) {
    ParsedArguments {
        switches = Set.copyOf(switches);
        values = Map.copyOf(values);
        repeated = Map.copyOf(repeated);
        operands = List.copyOf(operands);
    }

    /** Every value of a repeatable option, in the order given; empty when it was not given. */
    List<String> all(String longName) {
        List<String> given = repeated.get(longName);
        return given == null ? List.of() : List.copyOf(given);
    }

    boolean has(String longName) {
        return switches.contains(longName);
    }

    /** The value of an option, or null when it was not given. */
    String value(String longName) {
        return values.get(longName);
    }
}
