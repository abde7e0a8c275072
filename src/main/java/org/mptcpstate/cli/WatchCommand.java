package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.cli.CommandSpec.PositionalSpec;
import org.mptcpstate.kernel.MptcpKernel;
import org.mptcpstate.kernel.MptcpUnsupportedException;
import org.mptcpstate.kernel.NetlinkEvents;
import org.mptcpstate.kernel.NetlinkKernel;
import org.mptcpstate.reconcile.NamespaceLock;
import org.mptcpstate.reconcile.RunningWatch;
import org.mptcpstate.reconcile.Watcher;
import org.mptcpstate.state.DesiredState;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code watch FILE}: apply the file, then keep the namespace matching it: re-apply after address and link
 * events, re-read the kernel every --resync seconds to correct drift, reload the file on SIGHUP, and exit 0
 * on SIGTERM or SIGINT after the current step.
 */
final class WatchCommand implements Command {
    private static final OptionSpec RESYNC = new OptionSpec(
            "--resync", null, "SECONDS", "Re-read the kernel this often and correct what others changed (default 30).");
    private static final OptionSpec ONCE =
            new OptionSpec("--once", null, null, "Apply once and exit, as apply does (for oneshot units).");
    private static final OptionSpec JSON =
            new OptionSpec("--json", null, null, "Log one JSON object per line on stdout.");
    /** How long a step waits for another apply holding the namespace lock before it counts as failed. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    static final CommandSpec SPEC = new CommandSpec(
            "watch",
            "Apply the file and keep the kernel's MPTCP state matching it as addresses come and go.",
            List.of(
                    "Changes made are printed on stdout (CAUSE: CHANGE), problems on stderr. SIGHUP reloads the",
                    "file (an invalid file is reported and the previous state kept); SIGTERM and SIGINT exit 0.",
                    "Exit codes: 0 stopped by a signal, 65 invalid file at start, 77 permission denied;",
                    "with --once those of apply."),
            List.of(NamespaceOption.SPEC, RESYNC, ONCE, JSON, WarningOutput.VERBOSE),
            new PositionalSpec("FILE", 1, 1, "The state file (YAML or JSON); reloaded on SIGHUP."));

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
        DesiredState initial =
                StateInput.load(file, streams.in(), streams.err(), verbose).state();
        WatchLog log = new WatchLog(streams.out(), streams.err(), json, verbose);
        Loop loop = new Loop(
                file, arguments.value(NamespaceOption.SPEC.longName()), resync, initial, log, streams.err(), verbose);
        NamespaceOption.call(arguments, loop);
        return ExitCode.OK;
    }

    /** The whole watch, on the thread that entered the namespace: the kernel connections belong to it. */
    private static final class Loop implements Callable<Void> {
        private final String file;
        private final String namespace;
        private final long resyncSeconds;
        private final DesiredState initial;
        private final WatchLog log;
        private final PrintStream err;
        private final boolean verbose;

        Loop(
                String file,
                String namespace,
                long resyncSeconds,
                DesiredState initial,
                WatchLog log,
                PrintStream err,
                boolean verbose) {
            this.file = file;
            this.namespace = namespace;
            this.resyncSeconds = resyncSeconds;
            this.initial = initial;
            this.log = log;
            this.err = err;
            this.verbose = verbose;
        }

        @Override
        @SuppressWarnings("try") // the claim is held for the watch, never read
        public Void call() {
            // one watch per namespace, claimed before anything else: a second one refuses to start
            try (RunningWatch claim = RunningWatch.claim(RuntimeNotices.shown(file));
                    NetlinkEvents events = NetlinkEvents.open()) {
                Watcher watcher = new Watcher(
                        new KernelAccess(),
                        events,
                        new FileSource(file, err, verbose),
                        log,
                        Watcher.Settings.withResync(resyncSeconds * 1000),
                        initial);
                log.stopOnWriteError(watcher);
                Handler handler = new Handler(watcher);
                Signals.Installed previousTerm = Signals.handle("TERM", handler);
                Signals.Installed previousInt = Signals.handle("INT", handler);
                Signals.Installed previousHup = Signals.handle("HUP", handler);
                log.started(file, namespace, resyncSeconds);
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
    }

    private static void restore(Signals.Installed previous) {
        if (previous != null) {
            previous.restore();
        }
    }

    /** SIGHUP reloads, SIGTERM/SIGINT stop; both only set a flag and wake the loop. */
    private static final class Handler implements Signals.Handler {
        private final Watcher watcher;

        Handler(Watcher watcher) {
            this.watcher = watcher;
        }

        @Override
        public void handle(String signalName) {
            if ("HUP".equals(signalName)) {
                watcher.requestReload();
            } else {
                watcher.requestStop();
            }
        }
    }

    private static final class KernelAccess implements Watcher.Access {
        @Override
        public MptcpKernel open() {
            return NetlinkKernel.open();
        }

        @Override
        public AutoCloseable lock() {
            return NamespaceLock.acquire(LOCK_WAIT);
        }

        @Override
        public boolean fatalAtStart(RuntimeException failure) {
            return Failures.exitCode(failure) == ExitCode.PERMISSION || failure instanceof MptcpUnsupportedException;
        }
    }

    /** Loads the file again on SIGHUP; its warnings go to stderr as at start. */
    private static final class FileSource implements Watcher.Source {
        private final String file;
        private final PrintStream err;
        private final boolean verbose;

        FileSource(String file, PrintStream err, boolean verbose) {
            this.file = file;
            this.err = err;
            this.verbose = verbose;
        }

        @Override
        public DesiredState load() {
            return StateInput.load(file, new ByteArrayInputStream(new byte[0]), err, verbose)
                    .state();
        }
    }

    private static long resyncSeconds(String text) {
        return ArgumentParser.seconds(SPEC, "--resync", text, 30, 1, 86400);
    }
}
