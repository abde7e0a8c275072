package org.mptcpstate.cli;

import org.mptcpstate.reconcile.ApplyResult;
import org.mptcpstate.reconcile.WatchCause;
import org.mptcpstate.reconcile.Watcher;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.WarningCode;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code watch --status-file PATH}: a JSON document that readiness and liveness probes read, rewritten whenever
 * the watch's state changes and at least at every resync. Atomically: written to a temporary file in the same
 * directory and renamed over PATH, so a reader sees the old or the new document, never part of one. Written on a
 * thread of its own, at most every 100 ms, so a storm of events costs no write per event. It passes every record on
 * to the log it wraps.
 */
final class WatchStatus implements Watcher.Listener, AutoCloseable {
    private static final long MIN_INTERVAL_MILLIS = 100;

    private final Path path;
    private final Watcher.Listener log;
    private final StateFileWatch file;
    private final String stateFile;
    private final String namespace;
    private final String started = now();
    private final long pid = ownPid();
    private final JsonFactory factory = new JsonFactory();
    private Thread writer;
    // guarded by this
    private String lastApplyTime;
    private WatchCause lastApplyCause;
    private boolean lastApplyOk;
    private int lastApplyChanges;
    private int changesOfThisStep;
    private String lastMatch;
    private List<Diagnostic> warnings = List.of();
    private final List<Diagnostic> notices = new ArrayList<>();
    /** The problems in effect: "step" (the last step failed), "reload" (the file's content does not load). */
    private final Map<String, String[]> errors = new LinkedHashMap<>();

    private String stopped;
    /** A new state loaded, its step not run yet. */
    private boolean reloadPending;

    private boolean dirty;
    private boolean writeFailed;

    private WatchStatus(Path path, Watcher.Listener log, StateFileWatch file, String stateFile, String namespace) {
        this.path = path;
        this.log = log;
        this.file = file;
        this.stateFile = stateFile;
        this.namespace = namespace;
    }

    /** Writes the first status (a failure to write it ends the command) and starts the writer. */
    static WatchStatus start(
            String pathText, Watcher.Listener log, StateFileWatch file, String stateFile, String namespace) {
        WatchStatus status = new WatchStatus(Path.of(pathText), log, file, stateFile, namespace);
        if (Files.isDirectory(status.path)) {
            throw new Failures.CommandFailure(
                    ExitCode.FAILED, "cannot write the status file " + pathText + ": it is a directory");
        }
        try {
            status.write(status.render());
        } catch (IOException | RuntimeException e) {
            throw new Failures.CommandFailure(
                    ExitCode.FAILED, "cannot write the status file " + pathText + ": " + reason(e));
        }
        status.writer = new Thread(status.new Writer(), "watch status");
        status.writer.setDaemon(true);
        status.writer.start();
        return status;
    }

    /** A warning about the watch itself (not the file's plan): logged, and listed while the watch runs. */
    void notice(Diagnostic warning) {
        synchronized (this) {
            notices.add(warning);
            changed();
        }
        log.warnings(List.of(warning));
    }

    @Override
    public void applied(WatchCause cause, ApplyResult result) {
        synchronized (this) {
            changesOfThisStep = result.applied().size();
        }
        log.applied(cause, result);
    }

    @Override
    public void matched(WatchCause cause, List<Diagnostic> current) {
        synchronized (this) {
            lastApplyTime = now();
            lastApplyCause = cause;
            lastApplyOk = true;
            lastApplyChanges = changesOfThisStep;
            changesOfThisStep = 0;
            lastMatch = lastApplyTime;
            warnings = current;
            errors.remove("step");
            reloadPending = false;
            changed();
        }
        log.matched(cause, current);
    }

    @Override
    public void warnings(List<Diagnostic> fresh) {
        log.warnings(fresh);
    }

    @Override
    public void failed(WatchCause cause, RuntimeException failure, long retryMillis) {
        synchronized (this) {
            lastApplyTime = now();
            lastApplyCause = cause;
            lastApplyOk = false;
            lastApplyChanges = 0;
            changesOfThisStep = 0;
            errors.put("step", new String[] {lastApplyTime, cause.word(), Failures.message(failure)});
            reloadPending = false;
            changed();
        }
        log.failed(cause, failure, retryMillis);
    }

    @Override
    public void reloaded() {
        synchronized (this) {
            errors.remove("reload");
            reloadPending = true; // not ready until the step for the new state has run: no write before it
        }
        log.reloaded();
    }

    @Override
    public void reloadFailed(RuntimeException failure) {
        synchronized (this) {
            errors.put("reload", new String[] {now(), WatchCause.RELOAD.word(), Failures.message(failure)});
            changed();
        }
        log.reloadFailed(failure);
    }

    private void changed() {
        dirty = true;
        notifyAll();
    }

    /** Writes at most every 100 ms, whatever changed since the last write. */
    private final class Writer implements Runnable {
        @Override
        public void run() {
            try {
                while (true) {
                    String document;
                    synchronized (WatchStatus.this) {
                        while (!dirty && stopped == null) {
                            WatchStatus.this.wait();
                        }
                        if (stopped != null) {
                            return;
                        }
                        dirty = false;
                        document = render();
                    }
                    writeReporting(document);
                    Thread.sleep(MIN_INTERVAL_MILLIS);
                }
            } catch (InterruptedException e) {
                // closing
            }
        }
    }

    private void writeReporting(String document) {
        try {
            write(document);
            writeFailed = false;
        } catch (IOException | RuntimeException e) {
            if (!writeFailed) {
                writeFailed = true;
                log.warnings(List.of(new Diagnostic(
                        null,
                        WarningCode.STATUS_FILE_NOT_WRITTEN,
                        "cannot write the status file " + path + ": " + reason(e),
                        null)));
            }
        }
    }

    /** Atomically: a temporary file in the same directory, renamed over the status file. */
    private void write(String document) throws IOException {
        Path directory = path.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, "." + path.getFileName() + ".", ".tmp");
        try {
            Files.writeString(temporary, document, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The document; under the lock. */
    private String render() {
        String fileHash = file.fileHash();
        String appliedHash = file.appliedHash();
        boolean ready = stopped == null
                && !reloadPending
                && lastApplyTime != null
                && lastApplyOk
                && errors.isEmpty()
                && fileHash != null
                && fileHash.equals(appliedHash);
        StringWriter text = new StringWriter();
        try (JsonGenerator g = factory.createGenerator(ObjectWriteContext.empty(), text)) {
            g.writeStartObject();
            g.writeNumberProperty("version", 1);
            g.writeNumberProperty("pid", pid);
            g.writeStringProperty("state-file", stateFile);
            if (namespace != null) {
                g.writeStringProperty("netns", namespace);
            }
            g.writeStringProperty("started", started);
            g.writeStringProperty("updated", now());
            if (stopped != null) {
                g.writeStringProperty("stopped", stopped);
            }
            g.writeBooleanProperty("ready", ready);
            g.writeStringProperty("state-sha256", fileHash);
            g.writeStringProperty("applied-sha256", appliedHash);
            g.writeName("last-apply");
            if (lastApplyTime == null) {
                g.writeNull();
            } else {
                g.writeStartObject();
                g.writeStringProperty("time", lastApplyTime);
                g.writeStringProperty("cause", lastApplyCause.word());
                g.writeStringProperty("result", lastApplyOk ? "ok" : "failed");
                g.writeNumberProperty("changes", lastApplyChanges);
                g.writeEndObject();
            }
            g.writeStringProperty("last-match", lastMatch);
            g.writeArrayPropertyStart("warnings");
            List<Diagnostic> all = new ArrayList<>(notices);
            all.addAll(warnings);
            for (Diagnostic warning : all) {
                g.writeStartObject();
                g.writeStringProperty("code", warning.code());
                g.writeStringProperty("message", warning.toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayPropertyStart("errors");
            for (String[] error : errors.values()) {
                g.writeStartObject();
                g.writeStringProperty("time", error[0]);
                g.writeStringProperty("cause", error[1]);
                g.writeStringProperty("message", error[2]);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return text + "\n";
    }

    /** /proc/self names this process: ProcessHandle would start its process-reaper machinery for one number. */
    private static long ownPid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException failure && failure.getReason() != null) {
            return failure.getReason(); // its message names the temporary file, not the status file
        }
        String message = e.getMessage();
        return message == null ? e.toString() : message;
    }

    /** The last document: {@code ready} false and the time the watch stopped. */
    @Override
    public void close() {
        String document;
        synchronized (this) {
            stopped = now();
            notifyAll();
        }
        try {
            writer.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            document = render();
        }
        writeReporting(document);
    }
}
