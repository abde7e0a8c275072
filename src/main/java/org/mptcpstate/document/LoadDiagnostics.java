package org.mptcpstate.document;

import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.Position;
import org.mptcpstate.state.WarningCode;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** What one load of a state file found: errors and warnings, each at a position in the named file. */
final class LoadDiagnostics {
    private final String file;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final List<Diagnostic> warnings = new ArrayList<>();

    LoadDiagnostics(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void error(Position position, String message) {
        errors.add(new Diagnostic(position, message));
    }

    void error(Node node, String message) {
        error(position(node), message);
    }

    void warning(Node node, WarningCode code, String message, String subject) {
        warnings.add(new Diagnostic(position(node), code, message, subject));
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** The errors in file order. */
    List<Diagnostic> errors() {
        List<Diagnostic> sorted = new ArrayList<>(errors);
        sorted.sort(ByPosition.INSTANCE);
        return sorted;
    }

    /** The warnings in file order. */
    List<Diagnostic> warnings() {
        List<Diagnostic> sorted = new ArrayList<>(warnings);
        sorted.sort(ByPosition.INSTANCE);
        return sorted;
    }

    /** The start of the file: where problems of the whole file are reported. */
    Position start() {
        return new Position(file, 1, 1);
    }

    Position position(Node node) {
        return position(node.getStartMark());
    }

    Position position(Optional<Mark> mark) {
        if (mark.isPresent()) {
            return new Position(file, mark.get().getLine() + 1, mark.get().getColumn() + 1);
        }
        return start();
    }

    /** "line 3, column 5", for messages that point at a second place. */
    static String where(Position position) {
        return "line " + position.line() + ", column " + position.column();
    }

    /** File order: line, then column; stable, so problems at one spot keep the order they were found in. */
    private static final class ByPosition implements Comparator<Diagnostic> {
        static final ByPosition INSTANCE = new ByPosition();

        @Override
        public int compare(Diagnostic a, Diagnostic b) {
            int line = Integer.compare(a.position().line(), b.position().line());
            return line != 0
                    ? line
                    : Integer.compare(a.position().column(), b.position().column());
        }
    }
}
