package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.kernel.NetlinkKernel;
import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.reconcile.ApplyFailedException;
import org.mptcpstate.reconcile.ApplyResult;
import org.mptcpstate.reconcile.NamespaceLock;
import org.mptcpstate.reconcile.PlanReview;
import org.mptcpstate.reconcile.Reconciler;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.Diagnostic;

import java.time.Duration;
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

    static final CommandSpec SPEC = new CommandSpec(
            "apply",
            "Make the kernel's MPTCP state match the file; on any failure restore it as it was.",
            List.of(
                    "Exit codes: 0 applied or nothing to do, 1 failed and rolled back, 65 invalid input,",
                    "77 permission denied, 130/143 stopped by SIGINT/SIGTERM and rolled back."),
            List.of(DRY_RUN, NO_VERIFY, NamespaceOption.SPEC, LOCK_WAIT, WarningOutput.VERBOSE),
            StateInput.ONE_FILE);

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public ExitCode run(ParsedArguments arguments, Streams streams) throws Exception {
        Duration wait = Duration.ofSeconds(lockWait(arguments.value(LOCK_WAIT.longName())));
        if (arguments.has(DRY_RUN.longName())) {
            return DiffCommand.diff(arguments, false, streams);
        }
        boolean verbose = WarningOutput.verbose(arguments);
        DesiredState desired = StateInput.load(arguments.operands().get(0), streams.in(), streams.err(), verbose)
                .state();
        boolean verify = !arguments.has(NO_VERIFY.longName());
        ApplyResult result;
        LockedApply work = new LockedApply(desired, verify, wait);
        try {
            result = NamespaceOption.call(arguments, work);
        } catch (ApplyFailedException e) {
            PlanPrinter.warnings(e.plan(), verbose, streams.err());
            PlanPrinter.warnings(work.effects, verbose, streams.err());
            throw e;
        } finally {
            if (work.signals != null) {
                work.signals.close();
            }
        }

        PlanPrinter.warnings(result.plan(), verbose, streams.err());
        PlanPrinter.warnings(work.effects, verbose, streams.err());
        if (work.signals != null
                && work.signals.received() != null
                && !result.applied().isEmpty()) {
            streams.err()
                    .println(Main.PROGRAM + ": warning: SIG" + work.signals.received()
                            + " arrived after the last change; the apply was completed");
        }
        if (result.applied().isEmpty()) {
            streams.out().println("no changes");
            return ExitCode.OK;
        }
        for (Change change : result.applied()) {
            streams.out().println(change.describe());
        }
        streams.out()
                .println(
                        "applied " + result.applied().size() + (result.applied().size() == 1 ? " change" : " changes")
                                + (result.verified() ? ", verified" : ""));
        return ExitCode.OK;
    }

    /**
     * The apply itself, in the namespace: under the lock, with SIGINT/SIGTERM deferred to between changes; before
     * the first write, the live subflows the plan closes are counted ({@code effects}).
     */
    private static final class LockedApply implements Callable<ApplyResult>, PlanReview {
        private final DesiredState desired;
        private final boolean verify;
        private final Duration wait;
        private volatile ApplySignals signals;
        private volatile List<Diagnostic> effects = List.of();
        private NetlinkKernel kernel;

        LockedApply(DesiredState desired, boolean verify, Duration wait) {
            this.desired = desired;
            this.verify = verify;
            this.wait = wait;
        }

        @Override
        @SuppressWarnings("try") // the lock is held for the apply, never read
        public ApplyResult call() {
            try (NamespaceLock lock = NamespaceLock.acquire(wait);
                    NetlinkKernel kernel = NetlinkKernel.open()) {
                // installed once the lock is held: until then a signal ends the process, having changed nothing
                signals = ApplySignals.install();
                this.kernel = kernel;
                return Reconciler.apply(kernel, desired, verify, signals, this);
            }
        }

        @Override
        public void beforeWrites(Plan plan) {
            effects = LiveSubflows.warnings(kernel, plan);
        }
    }

    private static long lockWait(String text) {
        return ArgumentParser.seconds(SPEC, "--lock-wait", text, 30, 0, 86400);
    }
}
