package org.mptcpstate.reconcile;

import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.state.Snapshot;

import java.util.List;

/**
 * What an apply did: the plan, the changes made (all of them), whether the result was re-read and checked, and
 * the namespace as the apply last read it (the snapshot it planned from when nothing was to do, the one it
 * verified with otherwise; null when it did not read it again): what {@code watch} keeps current between reads.
 */
public record ApplyResult(Plan plan, List<Change> applied, boolean verified, Snapshot after) {
    public ApplyResult {
        applied = List.copyOf(applied);
    }

    public ApplyResult(Plan plan, List<Change> applied, boolean verified) {
        this(plan, applied, verified, null);
    }
}
