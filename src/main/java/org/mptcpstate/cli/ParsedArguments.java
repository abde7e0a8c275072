package org.mptcpstate.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A command line after parsing against a {@link CommandSpec}: switches set, option values, operands. */
record ParsedArguments(Set<String> switches, Map<String, String> values, List<String> operands) {
    ParsedArguments {
        switches = Set.copyOf(switches);
        values = Map.copyOf(values);
        operands = List.copyOf(operands);
    }

    boolean has(String longName) {
        return switches.contains(longName);
    }

    /** The value of an option, or null when it was not given. */
    String value(String longName) {
        return values.get(longName);
    }
}
