package org.mptcpstate.cli;

import org.mptcpstate.plan.Change;
import org.mptcpstate.reconcile.ApplyResult;
import org.mptcpstate.reconcile.WatchCause;
import org.mptcpstate.reconcile.Watcher;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.Printable;
import org.mptcpstate.state.WarningSummary;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

import java.io.PrintStream;
import java.io.StringWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What {@code watch} prints. Text: each change made on stdout as "CAUSE: CHANGE" (the data: what was done),
 * problems on stderr as "mptcpstate: ..." lines. JSON (--json): every record as one JSON object per line on
 * stdout, with "time" and "event" (started, change, warning, error, reload, reload-failed, stopped).
 * Every line is flushed at once, so a journal shows it when it happens. When stdout cannot be written the watch
 * stops, and the command exits 1 with "write error" (a unit's Restart= starts it again).
 */
final class WatchLog implements Watcher.Listener {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;
    private final boolean verbose;
    private final JsonFactory factory;
    private Watcher watcher;

    WatchLog(PrintStream out, PrintStream err, boolean json, boolean verbose) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.verbose = verbose;
        this.factory = json
                ? JsonFactory.builder()
                        .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                        .build()
                : null;
    }

    /** The watch to stop when stdout fails. */
    void stopOnWriteError(Watcher watcher) {
        this.watcher = watcher;
    }

    void started(String file, String namespace, long resyncSeconds) {
        String text = "watching " + file + (namespace == null ? "" : " in network namespace " + namespace)
                + ", re-reading the kernel every " + resyncSeconds + " s";
        if (json) {
            StringWriter line = new StringWriter();
            try (JsonGenerator g = open(line, "started")) {
                g.writeStringProperty("file", file);
                if (namespace != null) {
                    g.writeStringProperty("netns", namespace);
                }
                g.writeNumberProperty("resync-seconds", resyncSeconds);
                g.writeStringProperty("text", text);
                g.writeEndObject();
            }
            emit(line);
        } else {
            problem(text);
        }
    }

    void stopped() {
        record("stopped", null, "stopped");
    }

    @Override
    public void applied(WatchCause cause, ApplyResult result) {
        for (Change change : result.applied()) {
            if (json) {
                StringWriter line = new StringWriter();
                try (JsonGenerator g = open(line, "change")) {
                    g.writeStringProperty("cause", cause.word());
                    PlanPrinter.changeFields(g, change);
                    g.writeEndObject();
                }
                emit(line);
            } else {
                out.println(cause.word() + ": " + Printable.of(change.describe()));
            }
        }
        if (!json) {
            out.flush();
            stopIfOutputFailed();
        }
    }

    /** New warnings, routine kinds summarised unless --verbose; a JSON record has "code" too. */
    @Override
    public void warnings(List<Diagnostic> warnings) {
        for (Diagnostic warning : WarningSummary.of(warnings, verbose)) {
            if (!json) {
                problem("warning: " + Printable.of(warning.toString()));
                continue;
            }
            StringWriter line = new StringWriter();
            try (JsonGenerator g = open(line, "warning")) {
                if (warning.code() != null) {
                    g.writeStringProperty("code", warning.code());
                }
                g.writeStringProperty("text", warning.toString());
                g.writeEndObject();
            }
            emit(line);
        }
    }

    @Override
    public void failed(WatchCause cause, RuntimeException failure, long retryMillis) {
        record(
                "error",
                cause,
                cause.word() + ": " + Failures.message(failure) + "; retrying in " + seconds(retryMillis)
                        + " s or at the next event");
    }

    @Override
    public void reloaded() {
        record("reload", WatchCause.RELOAD, "reloaded the state file");
    }

    @Override
    public void reloadFailed(RuntimeException failure) {
        record(
                "reload-failed",
                WatchCause.RELOAD,
                "reload failed, keeping the previous state: " + Failures.message(failure));
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }

    /** A record that is no change: a stderr line in text mode, a JSON line on stdout with --json. */
    private void record(String event, WatchCause cause, String text) {
        if (!json) {
            problem(text);
            return;
        }
        StringWriter line = new StringWriter();
        try (JsonGenerator g = open(line, event)) {
            if (cause != null) {
                g.writeStringProperty("cause", cause.word());
            }
            g.writeStringProperty("text", text);
            g.writeEndObject();
        }
        emit(line);
    }

    private void problem(String text) {
        // a file's problems come one per line, each already prefixed (Failures.message)
        err.println(Main.PROGRAM + ": " + Printable.lines(text));
        err.flush();
    }

    private JsonGenerator open(StringWriter line, String event) {
        JsonGenerator g = factory.createGenerator(ObjectWriteContext.empty(), line);
        g.writeStartObject();
        g.writeStringProperty(
                "time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        g.writeStringProperty("event", event);
        return g;
    }

    private void emit(StringWriter line) {
        out.println(line);
        out.flush();
        stopIfOutputFailed();
    }

    private void stopIfOutputFailed() {
        if (watcher != null && out.checkError()) {
            watcher.requestStop();
        }
    }
}
