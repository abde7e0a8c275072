package org.mptcpstate.state;

import java.util.Objects;

/**
 * Something wrong in a state file, or something the user should know that does not stop the work (a warning),
 * at the position of the node it is about; {@code position} is null for what concerns no place in a file (the
 * namespace as a whole). {@code code} is a stable name for the kind of diagnostic (kebab-case, one of {@link
 * WarningCode}'s for warnings) that scripts can match, or null where none is given (errors). {@code subject} is
 * what a routine warning is about (an interface name, or "section: key"), which its one-line summary lists
 * ({@link WarningSummary}); null for the others. Printed as {@code file:line:column: message [code]}, the form
 * compilers use, so editors can jump to it and scripts can grep for the code.
 */
public record Diagnostic(Position position, String code, String message, String subject) {
    /** A diagnostic without a code. */
    public Diagnostic(Position position, String message) {
        this(position, (String) null, message, null);
    }

    /** A diagnostic with a code, about nothing a summary lists. */
    public Diagnostic(Position position, String code, String message) {
        this(position, code, message, (String) null);
    }

    /** A warning of this kind. */
    public Diagnostic(Position position, WarningCode code, String message, String subject) {
        this(position, code.code(), message, subject);
    }

    @Override
    public String toString() {
        String text = code == null ? message : message + " [" + code + "]";
        return position == null ? text : position + ": " + text;
    }

    // Written out: the generated record methods bootstrap through invokedynamic, which costs start-up time.
    @Override
    public boolean equals(Object other) {
        return other instanceof Diagnostic diagnostic
                && Objects.equals(diagnostic.position, position)
                && Objects.equals(diagnostic.code, code)
                && diagnostic.message.equals(message)
                && Objects.equals(diagnostic.subject, subject);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Objects.hashCode(position) + Objects.hashCode(code)) + message.hashCode())
                + Objects.hashCode(subject);
    }
}
