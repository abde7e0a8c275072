package org.mptcpstate.reconcile;

import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;

import java.util.List;

/** What an apply did: the plan, the changes made (all of them), and whether the result was re-read and checked. */
public record ApplyResult(Plan plan, List<Change> applied, boolean verified) {
    public ApplyResult {
        applied = List.copyOf(applied);
    }
}
