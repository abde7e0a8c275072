package org.mptcpstate.reconcile;

import org.mptcpstate.kernel.KernelEvents;
import org.mptcpstate.kernel.MptcpKernel;
import org.mptcpstate.kernel.NetworkChange;
import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.plan.Planner;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.InterfaceTypes;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.Snapshot;

import java.net.InetAddress;
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
     * One pass of the warm-up that follows a watch's first step, so that the JIT compiles the event path before
     * the first real event instead of during the first few dozen (measured: the first 20 reactions took 1.5 to 2
     * times as long). {@link Watcher.Access#warmUpRounds()} rounds, each of them: a look for events (the pass gives
     * way at once to an event or a wake-up that came), an event step rehearsed on {@link MptcpKernel#rehearsal()},
     * which writes nothing ({@link #rehearse}), and the namespace lock taken and given back if nobody holds it.
     * The namespace is also read in full once (the decoding of address and link messages). Returns the passes
     * left after this one out of {@code passes}: one fewer when it ran to its end, as many when it gave way, none
     * when something failed (the next step reports what is wrong).
     */
    static int warmUpPass(
            MptcpKernel kernel,
            DesiredState desired,
            Snapshot live,
            KernelEvents events,
            Watcher.Access access,
            int passes) {
        try {
            Snapshot.LinkAddress sample = sample(desired, live);
            kernel.rehearsal().query();
            for (int i = 0; i < access.warmUpRounds(); i++) {
                if (!events.idle()) {
                    return passes;
                }
                if (sample != null) {
                    rehearse(kernel.rehearsal(), desired, live, sample);
                }
                AutoCloseable lock = access.lockIfFree();
                if (lock != null) {
                    lock.close();
                }
            }
            return passes - 1;
        } catch (Exception e) {
            return 0;
        }
    }

    /**
     * A rehearsed event step for {@code sample}, a documentation address on an interface the file manages: the
     * address added to the kept snapshot, planned, the changes made, the endpoints read back and checked; then the
     * same for the address's removal with its endpoint in place.
     */
    static void rehearse(MptcpKernel rehearsal, DesiredState desired, Snapshot live, Snapshot.LinkAddress sample) {
        Snapshot with = LiveSnapshot.apply(live, List.of(new NetworkChange.AddressAdded(sample)));
        Plan plan = Planner.plan(desired, with);
        if (handles(plan)) {
            apply(rehearsal, desired, with, plan);
        }
        Snapshot withEndpoint = LiveSnapshot.withEndpoints(with, rehearsal.endpoints());
        Snapshot gone = LiveSnapshot.apply(withEndpoint, List.of(new NetworkChange.AddressRemoved(sample)));
        Plan removal = Planner.plan(desired, gone);
        if (handles(removal)) {
            apply(rehearsal, desired, gone, removal);
        }
    }

    /**
     * 192.0.2.1/24 (or the next free address of 192.0.2.0/24) on the first kernel link the file gives flags to for
     * all its addresses (else on the first it says anything MPTCP about) and the namespace has; null when there is
     * none.
     */
    private static Snapshot.LinkAddress sample(DesiredState desired, Snapshot live) {
        DesiredState.Interface chosen = null;
        for (DesiredState.Interface iface : desired.interfaces()) {
            if (iface.ignored()
                    || iface.absent()
                    || !InterfaceTypes.isLink(iface.type())
                    || !iface.hasMptcpSettings()
                    || linkOf(iface, live) == null) {
                continue;
            }
            if (iface.addressFlags() != null && !iface.addressFlags().isEmpty()) {
                chosen = iface;
                break;
            }
            if (chosen == null) {
                chosen = iface;
            }
        }
        return chosen == null
                ? null
                : new Snapshot.LinkAddress(
                        linkOf(chosen, live).index(),
                        freeDocumentationAddress(live),
                        24,
                        0,
                        Snapshot.LinkAddress.PERMANENT);
    }

    private static Snapshot.Link linkOf(DesiredState.Interface iface, Snapshot live) {
        for (Snapshot.Link link : live.links()) {
            if (link.name().equals(iface.name())) {
                return link;
            }
        }
        return null;
    }

    private static InetAddress freeDocumentationAddress(Snapshot live) {
        for (int host = 1; ; host++) {
            InetAddress candidate = testNet1(host);
            boolean taken = false;
            for (Snapshot.LinkAddress address : live.addresses()) {
                taken |= address.address().equals(candidate);
            }
            if (!taken || host == 254) {
                return candidate;
            }
        }
    }

    private static InetAddress testNet1(int host) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) host});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
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
