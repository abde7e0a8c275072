package org.mptcpstate.reconcile;

import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;

/**
 * Sees a plan that is about to be applied, before its first write, on the apply's thread: apply uses it to read
 * the live subflows the plan will close while they are still there.
 */
public interface PlanReview {
    void beforeWrites(Plan plan);

    /**
     * The kernel took {@code change}, the {@code done}-th of the plan: apply prints it and journals it at once, so
     * that a kill leaves a trace of how far it got.
     */
    default void made(Change change, int done) {}
}
