package org.mptcpstate.state;

/**
 * Something wrong (or, as a warning, something ignored) in a state file, at the position of the node it is
 * about. Printed as {@code file:line:column: message}, the form compilers use, so editors can jump to it.
 */
public record Problem(DesiredState.Position position, String message) {
    @Override
    public String toString() {
        return position + ": " + message;
    }

    // Written out: the generated record methods bootstrap through invokedynamic, which costs start-up time.
    @Override
    public boolean equals(Object other) {
        return other instanceof Problem problem && problem.position.equals(position)
                && problem.message.equals(message);
    }

    @Override
    public int hashCode() {
        return 31 * position.hashCode() + message.hashCode();
    }
}
