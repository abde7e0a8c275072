package org.mptcpstate.reconcile;

import org.mptcpstate.kernel.MptcpKernel;
import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.plan.Planner;
import org.mptcpstate.plan.Simulation;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.Snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a desired state: snapshot, plan, write each change, re-read and check that nothing is left to do.
 * On any kernel error or failed check the namespace is restored to the snapshot before the failure is
 * reported, so the kernel ends up exactly as the file says or exactly as it was. Idempotent: applying the
 * same file again plans nothing and writes nothing.
 */
public final class Reconciler {
    private Reconciler() {}

    /**
     * @throws org.mptcpstate.state.InvalidStateException when the file does not fit this namespace (nothing
     *                                                     is changed)
     * @throws ApplyFailedException                       when a write or the check failed (rolled back)
     */
    public static ApplyResult apply(MptcpKernel kernel, DesiredState desired, boolean verify) {
        return apply(kernel, desired, verify, Interruption.NONE);
    }

    /**
     * As {@link #apply(MptcpKernel, DesiredState, boolean)}, asking {@code interruption} before each change: once
     * it reports a signal, the changes made so far are rolled back and {@link ApplyInterruptedException} is
     * thrown, so an interrupted apply leaves the namespace as it was. After the last change the apply completes.
     */
    public static ApplyResult apply(
            MptcpKernel kernel, DesiredState desired, boolean verify, Interruption interruption) {
        return apply(kernel, desired, verify, interruption, null);
    }

    /** As {@link #apply(MptcpKernel, DesiredState, boolean, Interruption)}, showing {@code review} (may be null) the plan before its first write. */
    public static ApplyResult apply(
            MptcpKernel kernel, DesiredState desired, boolean verify, Interruption interruption, PlanReview review) {
        Snapshot before = kernel.query();
        Plan plan = Planner.plan(desired, before);
        if (plan.isEmpty()) {
            return new ApplyResult(plan, List.of(), false, before, before);
        }
        if (review != null) {
            review.beforeWrites(plan);
        }
        List<Change> applied = new ArrayList<>();
        Change attempted = null;
        RuntimeException attemptFailure = null;
        try {
            for (Change change : plan.changes()) {
                String signal = interruption.requested();
                if (signal != null) {
                    throw new Interrupted(
                            signal, "interrupted by SIG" + signal + " before \"" + change.describe() + "\"");
                }
                try {
                    execute(kernel, change);
                } catch (RuntimeException e) {
                    attempted = change;
                    attemptFailure = e;
                    throw new StepFailed("failed at \"" + change.describe() + "\": " + oneLine(e), e);
                }
                applied.add(change);
                if (review != null) {
                    review.made(change, applied.size());
                }
            }
            Snapshot after;
            if (verify) {
                after = kernel.query();
                Plan remaining = Planner.plan(desired, after);
                if (!remaining.isEmpty()) {
                    throw new StepFailed(
                            "verification failed: after the apply the kernel still differs: "
                                    + remaining.changes().get(0).describe()
                                    + (remaining.changes().size() > 1
                                            ? " (and " + (remaining.changes().size() - 1) + " more)"
                                            : ""),
                            null);
                }
            } else {
                after = Simulation.apply(before, applied);
            }
            return new ApplyResult(plan, applied, verify, before, after);
        } catch (Interrupted e) {
            throw new ApplyInterruptedException(
                    e.signal, e.getMessage(), plan, applied, Rollback.undo(kernel, before, applied, null, null));
        } catch (RuntimeException e) {
            String message = e instanceof StepFailed ? e.getMessage() : "failed: " + oneLine(e);
            Throwable cause = e instanceof StepFailed ? e.getCause() : e;
            throw new ApplyFailedException(
                    message, cause, plan, applied, Rollback.undo(kernel, before, applied, attempted, attemptFailure));
        }
    }

    private static String oneLine(RuntimeException e) {
        String text = e.getMessage() == null ? e.toString() : e.getMessage();
        return text.replace("\n", "; ");
    }

    /** Makes one change in the kernel. */
    public static void execute(MptcpKernel kernel, Change change) {
        if (change instanceof Change.SetEnabled set) {
            kernel.setEnabled(set.to());
        } else if (change instanceof Change.SetLimits limits) {
            kernel.setLimits(limits.subflows(), limits.addAddrAccepted());
        } else if (change instanceof Change.RemoveEndpoint remove) {
            kernel.deleteEndpoint(remove.endpoint().id());
        } else if (change instanceof Change.ChangeFlags flags) {
            kernel.setEndpointFlags(flags.endpoint().id(), flags.to());
        } else if (change instanceof Change.AddEndpoint add) {
            kernel.addEndpoint(0, add.address(), add.port(), add.flags(), add.interfaceIndex());
        } else {
            throw new IllegalArgumentException("unknown change " + change);
        }
    }

    private static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String signal;

        Interrupted(String signal, String message) {
            super(message, null, false, false);
            this.signal = signal;
        }
    }

    private static final class StepFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StepFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
