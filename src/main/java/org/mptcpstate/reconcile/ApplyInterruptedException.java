package org.mptcpstate.reconcile;

import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;

import java.util.List;

/** An apply stopped by a signal between two changes, after the rollback to the snapshot. */
public final class ApplyInterruptedException extends ApplyFailedException {
    private static final long serialVersionUID = 1L;
    private final String signal;

    ApplyInterruptedException(
            String signal, String reason, Plan plan, List<Change> applied, Rollback.Outcome rollback) {
        super(reason, null, plan, applied, rollback);
        this.signal = signal;
    }

    /** "INT" or "TERM". */
    public String signal() {
        return signal;
    }
}
