package org.mptcpstate.document;

import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.Diagnostic;

import java.util.List;

/**
 * A state file that loaded: the desired state, and the warnings about what in it was accepted but ignored
 * (keys that nmstate defines and mptcpstate does not manage), in file order.
 */
public record LoadedState(DesiredState state, List<Diagnostic> warnings) {
    public LoadedState {
        warnings = List.copyOf(warnings);
    }
}
