package org.mptcpstate.plan;

import org.mptcpstate.state.Diagnostic;

import java.util.List;

/** The ordered kernel writes that take the namespace from its current state to the desired one. */
public record Plan(List<Change> changes, List<Diagnostic> warnings) {
    public Plan {
        changes = List.copyOf(changes);
        warnings = List.copyOf(warnings);
    }

    public boolean isEmpty() {
        return changes.isEmpty();
    }
}
