package org.mptcpstate.state;

import java.util.Objects;

/**
 * Something wrong in a state file, or something the user should know that does not stop the work (a warning),
 * at the position of the node it is about; {@code position} is null for what concerns no place in a file (the
 * namespace as a whole). {@code code} is a stable name for the kind of diagnostic (kebab-case, e.g.
 * {@code link-local-skipped}) that scripts can match, or null where none is given yet. Printed as
 * {@code file:line:column: message}, the form compilers use, so editors can jump to it.
 */
public record Diagnostic(Position position, String code, String message) {
    /** A diagnostic without a code. */
    public Diagnostic(Position position, String message) {
        this(position, null, message);
    }

    @Override
    public String toString() {
        return position == null ? message : position + ": " + message;
    }

    // Written out: the generated record methods bootstrap through invokedynamic, which costs start-up time.
    @Override
    public boolean equals(Object other) {
        return other instanceof Diagnostic diagnostic
                && Objects.equals(diagnostic.position, position)
                && Objects.equals(diagnostic.code, code)
                && diagnostic.message.equals(message);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Objects.hashCode(position) + Objects.hashCode(code)) + message.hashCode();
    }
}
