package org.mptcpstate.reconcile;

import org.mptcpstate.kernel.MptcpKernel;
import org.mptcpstate.kernel.NetworkChange;
import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.plan.Planner;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The writes of a watch step that reacts to address or link events, planned on the snapshot the watcher keeps
 * current from the events instead of a full read. After writing it reads the endpoints back (one dump: the flags
 * the kernel kept, the ids it chose) and plans again: nothing may be left to do. When a write is refused or that
 * check fails, it undoes exactly the writes it made and reports that it could not vouch for the result: the
 * watcher then takes a full step, which decides and reports as {@code apply} would. Only endpoint changes are
 * made here; limits and net.mptcp.enabled never change with an address, and a plan that holds one is left to the
 * full step.
 */
final class EventStep {
    private EventStep() {}

    /** Whether this step may make the plan's changes (endpoints only). */
    static boolean handles(Plan plan) {
        for (Change change : plan.changes()) {
            if (change instanceof Change.SetEnabled || change instanceof Change.SetLimits) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes the changes of {@code plan} (planned from {@code before}); returns what was done, with the snapshot
     * it ended with, or null when it undid its writes (a refusal, a failed read, a failed check).
     */
    static ApplyResult apply(MptcpKernel kernel, DesiredState desired, Snapshot before, Plan plan) {
        List<Change> applied = new ArrayList<>(plan.changes().size());
        try {
            for (Change change : plan.changes()) {
                Reconciler.execute(kernel, change);
                applied.add(change);
            }
            Snapshot after = LiveSnapshot.withEndpoints(before, kernel.endpoints());
            if (Planner.plan(desired, after).isEmpty()) {
                return new ApplyResult(plan, applied, true, before, after);
            }
        } catch (RuntimeException e) {
            // refused, or the read back failed: undone below; the full step that follows says what is wrong
        }
        undo(kernel, before, applied);
        return null;
    }

    /**
     * Runs the event path without writing, {@code rounds} times: plan on {@code live} with an address gone and
     * back, read the endpoints, check. The JIT then compiles it before the first real event instead of
     * interpreting the first few hundred (measured: 2-3x slower each). A failure is the next step's to report.
     */
    static void warmUp(MptcpKernel kernel, DesiredState desired, Snapshot live, int rounds) {
        if (rounds <= 0 || live.addresses().isEmpty()) {
            return;
        }
        Snapshot.LinkAddress sample = live.addresses().get(0);
        List<NetworkChange> gone = List.of(new NetworkChange.AddressRemoved(sample));
        List<NetworkChange> back = List.of(new NetworkChange.AddressAdded(sample));
        try {
            for (int i = 0; i < rounds; i++) {
                Snapshot without = LiveSnapshot.apply(live, gone);
                Planner.plan(desired, without);
                handles(Planner.plan(desired, LiveSnapshot.apply(without, back)));
                Planner.plan(desired, LiveSnapshot.withEndpoints(live, kernel.endpoints()));
            }
        } catch (RuntimeException e) {
            // only a warm-up
        }
    }

    /**
     * Undoes the changes made, newest first: an endpoint added is deleted (its id from a fresh read: the kernel
     * chose it), one removed is added back with its id, flags changed in place are changed back. Others' endpoints
     * are left alone. Best effort: the full step that follows reads everything and decides again.
     */
    private static void undo(MptcpKernel kernel, Snapshot before, List<Change> applied) {
        if (applied.isEmpty()) {
            return;
        }
        List<KernelEndpoint> now;
        try {
            now = kernel.endpoints();
        } catch (RuntimeException e) {
            now = List.of();
        }
        for (int i = applied.size() - 1; i >= 0; i--) {
            Change change = applied.get(i);
            try {
                if (change instanceof Change.AddEndpoint add) {
                    KernelEndpoint added = added(now, before.endpoints(), add);
                    if (added != null) {
                        kernel.deleteEndpoint(added.id());
                    }
                } else if (change instanceof Change.RemoveEndpoint remove) {
                    KernelEndpoint e = remove.endpoint();
                    kernel.addEndpoint(e.id(), e.address(), e.port(), e.flags(), e.interfaceIndex());
                } else if (change instanceof Change.ChangeFlags flags) {
                    kernel.setEndpointFlags(
                            flags.endpoint().id(), flags.endpoint().flags());
                }
            } catch (RuntimeException e) {
                // the full step finds what is left
            }
        }
    }

    /** The endpoint {@code add} made: its address, port and interface, under an id that was not there before. */
    private static KernelEndpoint added(List<KernelEndpoint> now, List<KernelEndpoint> before, Change.AddEndpoint add) {
        for (KernelEndpoint endpoint : now) {
            if (endpoint.address().equals(add.address())
                    && endpoint.port() == add.port()
                    && endpoint.interfaceIndex() == add.interfaceIndex()
                    && !hasId(before, endpoint.id())) {
                return endpoint;
            }
        }
        return null;
    }

    private static boolean hasId(List<KernelEndpoint> endpoints, int id) {
        for (KernelEndpoint endpoint : endpoints) {
            if (endpoint.id() == id) {
                return true;
            }
        }
        return false;
    }
}
