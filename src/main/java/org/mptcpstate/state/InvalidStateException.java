package org.mptcpstate.state;

import java.util.List;

/**
 * A state file that cannot be used, with every problem found in it, in file order. The message is those
 * problems one per line, {@code file:line:column: message}; the command line exits 65 (invalid input) on it.
 */
public final class InvalidStateException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Diagnostic> problems;

    public InvalidStateException(List<Diagnostic> problems) {
        super(text(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("an invalid state needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, sorted by position; never empty. */
    public List<Diagnostic> problems() {
        return problems;
    }

    private static String text(List<Diagnostic> problems) {
        StringBuilder text = new StringBuilder();
        for (Diagnostic problem : problems) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(problem);
        }
        return text.toString();
    }
}
