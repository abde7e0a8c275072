package org.mptcpstate.reconcile;

import org.mptcpstate.kernel.PermissionDeniedException;
import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;

import java.util.List;

/**
 * An apply that failed part-way or failed verification, after the rollback: the cause, the changes that had
 * been made, and whether the namespace is verified back at its snapshot.
 */
public class ApplyFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Plan plan;
    private final transient List<Change> applied;
    private final transient Rollback.Outcome rollback;

    ApplyFailedException(String reason, Throwable cause, Plan plan, List<Change> applied, Rollback.Outcome rollback) {
        super(reason + "; " + rollback.describe(applied.size()), cause);
        this.plan = plan;
        this.applied = List.copyOf(applied);
        this.rollback = rollback;
    }

    /** The plan that was being applied, with its warnings. */
    public Plan plan() {
        return plan;
    }

    public List<Change> applied() {
        return applied;
    }

    /**
     * True when every change this apply made was undone, as read back: the namespace equals the snapshot taken
     * before the apply but for what someone else changed meanwhile, which the message names.
     */
    public boolean restored() {
        return rollback.restored();
    }

    /** True when the kernel refused a change for want of root or CAP_NET_ADMIN. */
    public boolean permissionDenied() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof PermissionDeniedException) {
                return true;
            }
        }
        return false;
    }

    public Rollback.Outcome rollback() {
        return rollback;
    }
}
