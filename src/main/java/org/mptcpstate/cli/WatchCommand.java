package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.cli.CommandSpec.PositionalSpec;
import org.mptcpstate.kernel.MptcpKernel;
import org.mptcpstate.kernel.MptcpUnsupportedException;
import org.mptcpstate.kernel.NetlinkEvents;
import org.mptcpstate.kernel.NetlinkKernel;
import org.mptcpstate.reconcile.RunningWatch;
import org.mptcpstate.reconcile.WatchLock;
import org.mptcpstate.reconcile.Watcher;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.WarningCode;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * {@code watch FILE}: apply the file, then keep the namespace matching it: re-apply at once after address and link
 * events, re-read the kernel every --resync seconds to correct drift, reload the file when it changes (or on
 * SIGHUP), keep a status file for probes (--status-file), and exit 0 on SIGTERM or SIGINT.
 */
final class WatchCommand implements Command {
    private static final OptionSpec RESYNC = new OptionSpec(
            "--resync", null, "SECONDS", "Re-read the kernel this often and correct what others changed (default 30).");
    private static final OptionSpec ONCE =
            new OptionSpec("--once", null, null, "Apply once and exit, as apply does (for oneshot units).");
    private static final OptionSpec JSON =
            new OptionSpec("--json", null, null, "Log one JSON object per line on stdout.");
    private static final OptionSpec STATUS_FILE = new OptionSpec(
            "--status-file",
            null,
            "PATH",
            "Keep a JSON status in PATH (rewritten atomically) for readiness and liveness probes.");
    /** How long a step waits for another apply holding the namespace lock before it counts as failed. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(10);
    /**
     * Rounds of each warm-up pass after the first step (10 passes): the event path rehearsed without writing, so
     * that the JIT has compiled it before the first event (see Watcher).
     */
    private static final int WARM_UP_ROUNDS = 30;

    static final CommandSpec SPEC = new CommandSpec(
            "watch",
            "Apply the file and keep the kernel's MPTCP state matching it as addresses come and go.",
            List.of(
                    "Changes made are printed on stdout (CAUSE: CHANGE), problems on stderr. The file is reloaded",
                    "when it changes and on SIGHUP (an invalid file is reported and the previous state kept);",
                    "SIGTERM and SIGINT exit 0. Exit codes: 0 stopped by a signal, 65 invalid file at start,",
                    "77 permission denied; with --once those of apply."),
            List.of(NamespaceOption.SPEC, RESYNC, ONCE, JSON, STATUS_FILE, WarningOutput.VERBOSE),
            new PositionalSpec(
                    "FILE", 1, 1, "The state file (YAML or JSON, a regular file); reloaded when it changes."));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public ExitCode run(ParsedArguments arguments, Streams streams) throws Exception {
        if (arguments.has(ONCE.longName())) {
            return new ApplyCommand().run(arguments, streams);
        }
        String file = arguments.operands().get(0);
        if ("-".equals(file)) {
            throw new ArgumentParser.UsageException(SPEC, "watch needs a file it can reload, not stdin");
        }
        long resync = resyncSeconds(arguments.value(RESYNC.longName()));
        boolean json = arguments.has(JSON.longName());
        boolean verbose = WarningOutput.verbose(arguments);
        String namespace = arguments.value(NamespaceOption.SPEC.longName());
        StateFileWatch source = new StateFileWatch(file, streams.err(), verbose);
        DesiredState initial = source.loadAtStart();
        WatchLog log = new WatchLog(streams.out(), streams.err(), json, verbose);
        String statusFile = arguments.value(STATUS_FILE.longName());
        WatchStatus status = statusFile == null ? null : WatchStatus.start(statusFile, log, source, file, namespace);
        try {
            NamespaceOption.call(arguments, new Loop(file, namespace, resync, initial, log, source, status));
        } finally {
            source.close();
            if (status != null) {
                status.close();
            }
        }
        return ExitCode.OK;
    }

    /** The whole watch, on the thread that entered the namespace: the kernel connections belong to it. */
    private static final class Loop implements Callable<Void> {
        private final String file;
        private final String namespace;
        private final long resyncSeconds;
        private final DesiredState initial;
        private final WatchLog log;
        private final StateFileWatch source;
        private final WatchStatus status;

        Loop(
                String file,
                String namespace,
                long resyncSeconds,
                DesiredState initial,
                WatchLog log,
                StateFileWatch source,
                WatchStatus status) {
            this.file = file;
            this.namespace = namespace;
            this.resyncSeconds = resyncSeconds;
            this.initial = initial;
            this.log = log;
            this.source = source;
            this.status = status;
        }

        @Override
        @SuppressWarnings("try") // the claim is held for the watch, never read
        public Void call() {
            // one watch per namespace, claimed before anything else: a second one refuses to start
            try (RunningWatch claim = RunningWatch.claim(RuntimeNotices.shown(file));
                    NetlinkEvents events = NetlinkEvents.open();
                    KernelAccess access = new KernelAccess()) {
                Watcher watcher = new Watcher(
                        access,
                        events,
                        source,
                        status == null ? log : status,
                        Watcher.Settings.withResync(resyncSeconds * 1000),
                        initial);
                access.watcher = watcher;
                log.stopOnWriteError(watcher);
                Handler handler = new Handler(watcher, source);
                Signals.Installed previousTerm = Signals.handle("TERM", handler);
                Signals.Installed previousInt = Signals.handle("INT", handler);
                Signals.Installed previousHup = Signals.handle("HUP", handler);
                log.started(file, namespace, resyncSeconds);
                if (previousHup != null && previousHup.ignored()) {
                    warn(new Diagnostic(
                            null,
                            WarningCode.SIGHUP_IGNORED,
                            "SIGHUP is ignored in this process (started with nohup?): it cannot ask for a"
                                    + " reload; the file is still reloaded when it changes",
                            null));
                }
                String unwatched = source.start(watcher, resyncSeconds * 1000);
                if (unwatched != null) {
                    warn(new Diagnostic(null, WarningCode.STATE_FILE_NOT_WATCHED, unwatched, null));
                }
                try {
                    watcher.run();
                } finally {
                    restore(previousTerm);
                    restore(previousInt);
                    restore(previousHup);
                }
                log.stopped();
            }
            return null;
        }

        private void warn(Diagnostic warning) {
            if (status != null) {
                status.notice(warning);
            } else {
                log.warnings(List.of(warning));
            }
        }
    }

    private static void restore(Signals.Installed previous) {
        if (previous != null) {
            previous.restore();
        }
    }

    /** SIGHUP reads the file again, SIGTERM/SIGINT stop; both only set a flag and wake a loop. */
    private static final class Handler implements Signals.Handler {
        private final Watcher watcher;
        private final StateFileWatch source;

        Handler(Watcher watcher, StateFileWatch source) {
            this.watcher = watcher;
            this.source = source;
        }

        @Override
        public void handle(String signalName) {
            if ("HUP".equals(signalName)) {
                source.requestRead();
            } else {
                watcher.requestStop();
            }
        }
    }

    /**
     * Kernel connections, and the namespace lock kept open for the whole watch ({@link WatchLock}): opened at the
     * first step, on the watcher's thread, whose namespace names the lock file.
     */
    private static final class KernelAccess implements Watcher.Access, AutoCloseable {
        private final WatchLock lock = WatchLock.forThisNamespace();
        private final Stopping stopping = new Stopping();
        private Watcher watcher;

        @Override
        public MptcpKernel open() {
            return NetlinkKernel.open();
        }

        @Override
        public AutoCloseable lock() {
            return lock.acquire(LOCK_WAIT, stopping);
        }

        @Override
        public int warmUpRounds() {
            return WARM_UP_ROUNDS;
        }

        @Override
        public AutoCloseable lockIfFree() {
            return lock.tryAcquire();
        }

        @Override
        public boolean fatalAtStart(RuntimeException failure) {
            return Failures.exitCode(failure) == ExitCode.PERMISSION || failure instanceof MptcpUnsupportedException;
        }

        @Override
        public void close() {
            lock.close();
        }

        /** A class, not a lambda: lambdas are spun at run time. */
        private final class Stopping implements BooleanSupplier {
            @Override
            public boolean getAsBoolean() {
                return watcher != null && watcher.stopping();
            }
        }
    }

    private static long resyncSeconds(String text) {
        return ArgumentParser.seconds(SPEC, "--resync", text, 30, 1, 86400);
    }
}
