package org.mptcpstate.cli;

import org.mptcpstate.cli.ArgumentParser.UsageException;
import org.mptcpstate.kernel.NamespaceNotFoundException;
import org.mptcpstate.reconcile.ApplyFailedException;
import org.mptcpstate.reconcile.NamespaceLock;
import org.mptcpstate.reconcile.RunningWatch;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.InvalidStateException;
import org.mptcpstate.state.Position;
import tools.jackson.core.JsonGenerator;

import java.io.PrintStream;
import java.util.List;

/**
 * A failure as the one JSON document a command given --json prints on stdout instead of the lines on stderr:
 * {@code {"changed": false, "error": {"code", "message", "exit-code", "file", "line", "column"}, "problems":
 * [...], "rolled-back": true}}; {@code problems} for invalid input (every problem the loader found), {@code
 * rolled-back} for a failed apply, {@code changed} true only when its rollback left something changed.
 */
final class ErrorJson {
    private ErrorJson() {}

    /** Whether --json is on the command line (before a "--"): then even a usage error is JSON. */
    static boolean requested(String[] args) {
        for (String arg : args) {
            if ("--".equals(arg)) {
                return false;
            }
            if ("--json".equals(arg)) {
                return true;
            }
        }
        return false;
    }

    /** The stable name of the failure's kind, which scripts match (listed in docs/commands.md). */
    static String code(Throwable failure, ExitCode exit) {
        if (failure instanceof UsageException) {
            return "usage";
        }
        switch (exit) {
            case INVALID_INPUT:
                return "invalid-input";
            case PERMISSION:
                return "permission-denied";
            case INTERRUPTED_SIGINT:
            case INTERRUPTED_SIGTERM:
                return "interrupted";
            default:
                break;
        }
        if (failure instanceof ApplyFailedException) {
            return "apply-failed";
        }
        if (failure instanceof NamespaceLock.LockTimeoutException) {
            return "lock-timeout";
        }
        if (failure instanceof NamespaceNotFoundException) {
            return "netns-missing";
        }
        if (failure instanceof RunningWatch.AlreadyWatchedException) {
            return "watch-running";
        }
        return Failures.message(failure).startsWith("internal error") ? "internal-error" : "failed";
    }

    static void write(Throwable failure, ExitCode exit, PrintStream out) {
        List<Diagnostic> problems = failure instanceof InvalidStateException invalid ? invalid.problems() : List.of();
        String message = failure instanceof UsageException
                ? failure.getMessage()
                : problems.isEmpty()
                        ? Failures.message(failure)
                        : problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
        try (JsonGenerator g = ResultJson.generator(out)) {
            g.writeStartObject();
            ApplyFailedException apply = failure instanceof ApplyFailedException e ? e : null;
            g.writeBooleanProperty("changed", apply != null && !apply.restored());
            g.writeObjectPropertyStart("error");
            g.writeStringProperty("code", code(failure, exit));
            g.writeStringProperty("message", message.replace('\n', ' '));
            g.writeNumberProperty("exit-code", exit.code());
            if (!problems.isEmpty()) {
                position(g, problems.get(0).position());
            }
            g.writeEndObject();
            if (!problems.isEmpty()) {
                g.writeArrayPropertyStart("problems");
                for (Diagnostic problem : problems) {
                    g.writeStartObject();
                    position(g, problem.position());
                    if (problem.code() != null) {
                        g.writeStringProperty("code", problem.code());
                    }
                    g.writeStringProperty("message", problem.message());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (apply != null) {
                g.writeBooleanProperty("rolled-back", apply.restored());
            }
            g.writeEndObject();
        }
        out.println();
    }

    private static void position(JsonGenerator g, Position position) {
        if (position == null) {
            return;
        }
        g.writeStringProperty("file", position.file());
        if (!position.isWholeFile()) {
            g.writeNumberProperty("line", position.line());
            g.writeNumberProperty("column", position.column());
        }
    }
}
