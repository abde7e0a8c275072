package org.mptcpstate.reconcile;

import org.mptcpstate.plan.Plan;

/**
 * Sees a plan that is about to be applied, before its first write, on the apply's thread: apply uses it to read
 * the live subflows the plan will close while they are still there.
 */
public interface PlanReview {
    void beforeWrites(Plan plan);
}
