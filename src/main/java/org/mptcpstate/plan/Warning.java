package org.mptcpstate.plan;

import org.mptcpstate.state.DesiredState.Position;

/** Something the user should know that does not stop the plan, e.g. an address skipped as link-local. */
public record Warning(Position position, String message) {
    @Override
    public String toString() {
        return position == null ? message : position + ": " + message;
    }
}
