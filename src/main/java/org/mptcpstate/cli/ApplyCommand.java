package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.document.LoadedState;
import org.mptcpstate.kernel.NetlinkKernel;
import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.reconcile.ApplyFailedException;
import org.mptcpstate.reconcile.ApplyJournal;
import org.mptcpstate.reconcile.ApplyResult;
import org.mptcpstate.reconcile.NamespaceLock;
import org.mptcpstate.reconcile.PlanReview;
import org.mptcpstate.reconcile.Reconciler;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.Printable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code apply FILE|-}: make the kernel match the file, verify, and roll back on any failure. */
final class ApplyCommand implements Command {
    private static final OptionSpec DRY_RUN =
            new OptionSpec("--dry-run", null, null, "Only show what would change (the same as diff).");
    private static final OptionSpec NO_VERIFY =
            new OptionSpec("--no-verify", null, null, "Do not re-read the kernel after applying to check the result.");
    private static final OptionSpec LOCK_WAIT = new OptionSpec(
            "--lock-wait", null, "SECONDS", "How long to wait for another apply on the same namespace (default 30).");
    private static final OptionSpec DETAILED_EXITCODE = new OptionSpec(
            "--detailed-exitcode",
            null,
            null,
            "Exit 2 when changes were applied, 0 when there was nothing to do (as terraform's -detailed-exitcode).");
    private static final OptionSpec JSON = new OptionSpec(
            "--json",
            null,
            null,
            "Print one JSON document (what changed, old and new values, warnings with codes, the state before and"
                    + " after) instead of the progress lines; errors are JSON too.");

    static final CommandSpec SPEC = new CommandSpec(
            "apply",
            "Make the kernel's MPTCP state match the file; on any failure restore it as it was.",
            List.of(
                    "Exit codes: 0 applied or nothing to do (with --detailed-exitcode: 0 nothing to do, 2 applied),",
                    "1 failed and rolled back, 65 invalid input, 77 permission denied, 130/143 stopped by",
                    "SIGINT/SIGTERM and rolled back; with --dry-run as diff's."),
            List.of(
                    DRY_RUN,
                    NO_VERIFY,
                    JSON,
                    DETAILED_EXITCODE,
                    NamespaceOption.SPEC,
                    LOCK_WAIT,
                    WarningOutput.VERBOSE),
            StateInput.ONE_FILE);

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public ExitCode run(ParsedArguments arguments, Streams streams) throws Exception {
        Duration wait = Duration.ofSeconds(lockWait(arguments.value(LOCK_WAIT.longName())));
        boolean json = arguments.has(JSON.longName());
        if (arguments.has(DRY_RUN.longName())) {
            return DiffCommand.diff(arguments, json, streams);
        }
        boolean verbose = WarningOutput.verbose(arguments);
        String file = arguments.operands().get(0);
        LoadedState loaded = DiffCommand.load(file, json, verbose, streams);
        boolean verify = !arguments.has(NO_VERIFY.longName());
        ApplyResult result;
        LockedApply work = new LockedApply(loaded.state(), verify, wait, file, streams, verbose, json);
        try {
            result = NamespaceOption.call(arguments, work);
        } catch (ApplyFailedException e) {
            work.printWarnings(e.plan());
            throw e;
        } finally {
            if (work.signals != null) {
                work.signals.close();
            }
        }

        work.printWarnings(result.plan());
        if (work.signals != null
                && work.signals.received() != null
                && !result.applied().isEmpty()) {
            streams.err()
                    .println(Main.PROGRAM + ": warning: SIG" + work.signals.received()
                            + " arrived after the last change; the apply was completed");
        }
        ExitCode done =
                arguments.has(DETAILED_EXITCODE.longName()) && !result.applied().isEmpty()
                        ? ExitCode.CHANGES_PENDING
                        : ExitCode.OK;
        if (json) {
            List<Diagnostic> notices = new ArrayList<>(work.notices);
            notices.addAll(work.effects);
            ResultJson.write(
                    new ResultJson.Result(
                            !result.applied().isEmpty(),
                            false,
                            result.verified(),
                            result.applied(),
                            DiffCommand.warnings(loaded.warnings(), result.plan(), notices, verbose),
                            result.before(),
                            result.after()),
                    streams.out());
            return done;
        }
        if (result.applied().isEmpty()) {
            streams.out().println("no changes");
            return done;
        }
        streams.out()
                .println(
                        "applied " + result.applied().size() + (result.applied().size() == 1 ? " change" : " changes")
                                + (result.verified() ? ", verified" : ""));
        return done;
    }

    /**
     * The apply itself, in the namespace: under the lock, with SIGINT/SIGTERM deferred to between changes. It says
     * first what an earlier apply killed part-way left (its journal), and whether a watch keeps another file; before
     * the first write, it counts the live subflows the plan closes ({@code effects}), prints the warnings and starts
     * the journal of this apply; each change is printed (and journalled) as soon as the kernel took it. Under
     * --json nothing is printed: the notices and warnings are kept for the document, the journal is written all the
     * same.
     */
    private static final class LockedApply implements Callable<ApplyResult>, PlanReview {
        private final DesiredState desired;
        private final boolean verify;
        private final Duration wait;
        private final String file;
        private final Streams streams;
        private final boolean verbose;
        private final boolean json;
        private volatile ApplySignals signals;
        private volatile List<Diagnostic> effects = List.of();
        private volatile List<Diagnostic> notices = List.of();
        private volatile boolean warned;
        private NetlinkKernel kernel;
        private ApplyJournal journal;

        LockedApply(
                DesiredState desired,
                boolean verify,
                Duration wait,
                String file,
                Streams streams,
                boolean verbose,
                boolean json) {
            this.desired = desired;
            this.verify = verify;
            this.wait = wait;
            this.file = file;
            this.streams = streams;
            this.verbose = verbose;
            this.json = json;
        }

        @Override
        @SuppressWarnings("try") // the lock is held for the apply, never read
        public ApplyResult call() {
            try (NamespaceLock lock = NamespaceLock.acquire(wait);
                    NetlinkKernel kernel = NetlinkKernel.open()) {
                // installed once the lock is held: until then a signal ends the process, having changed nothing
                signals = ApplySignals.install();
                this.kernel = kernel;
                notices = RuntimeNotices.forApply(file);
                if (!json) {
                    RuntimeNotices.print(notices, streams.err());
                }
                NamespaceLock.removeStaleFiles();
                try {
                    return Reconciler.apply(kernel, desired, verify, signals, this);
                } finally {
                    if (journal != null) {
                        journal.clear();
                    }
                }
            }
        }

        @Override
        public void beforeWrites(Plan plan) {
            effects = LiveSubflows.warnings(kernel, plan);
            printWarnings(plan);
            journal = ApplyJournal.start(RuntimeNotices.shown(file), plan);
        }

        @Override
        public void made(Change change, int done) {
            if (!json) {
                streams.out().println(Printable.of(change.describe()));
                streams.out().flush();
            }
            journal.progress(done);
        }

        /** The plan's warnings and the effects on live subflows, once. */
        void printWarnings(Plan plan) {
            if (warned || json) {
                return;
            }
            warned = true;
            PlanPrinter.warnings(plan, verbose, streams.err());
            PlanPrinter.warnings(effects, verbose, streams.err());
        }
    }

    private static long lockWait(String text) {
        return ArgumentParser.seconds(SPEC, "--lock-wait", text, 30, 0, 86400);
    }
}
