package org.mptcpstate.reconcile;

import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.state.Snapshot;

import java.util.List;

/**
 * What an apply did: the plan, the changes made (all of them), whether the result was re-read and checked, the
 * kernel's state before and after: {@code after} is the state read back when verified (or {@code before} when
 * there was nothing to do), else the snapshot with the changes simulated (the kernel may then hold other endpoint
 * ids). {@code watch} always verifies, and keeps {@code after} as its snapshot between reads.
 */
public record ApplyResult(Plan plan, List<Change> applied, boolean verified, Snapshot before, Snapshot after) {
    public ApplyResult {
        applied = List.copyOf(applied);
    }

    public ApplyResult(Plan plan, List<Change> applied, boolean verified) {
        this(plan, applied, verified, null, null);
    }
}
