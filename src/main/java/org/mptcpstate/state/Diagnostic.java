package org.mptcpstate.state;

/**
 * Something wrong in a state file, or something the user should know that does not stop the work (a warning),
 * at the position of the node it is about; {@code position} is null for what concerns no place in a file (the
 * namespace as a whole). Printed as {@code file:line:column: message}, the form compilers use, so editors can
 * jump to it.
 */
public record Diagnostic(Position position, String message) {
    @Override
    public String toString() {
        return position == null ? message : position + ": " + message;
    }

    // Written out: the generated record methods bootstrap through invokedynamic, which costs start-up time.
    @Override
    public boolean equals(Object other) {
        return other instanceof Diagnostic diagnostic
                && java.util.Objects.equals(diagnostic.position, position)
                && diagnostic.message.equals(message);
    }

    @Override
    public int hashCode() {
        return 31 * (position == null ? 0 : position.hashCode()) + message.hashCode();
    }
}
