package org.mptcpstate.reconcile;

import org.mptcpstate.kernel.KernelRefusedException;
import org.mptcpstate.kernel.MptcpKernel;
import org.mptcpstate.plan.Change;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Undoes what one apply changed, and only that: others may change the namespace while an apply runs (ip mptcp,
 * NetworkManager, mptcpd), and their changes stay. Each change is undone, last first, only while the kernel still
 * holds what the change made: an endpoint this apply added is deleted while it is as added, one it removed comes
 * back with its old id (a new one when someone took the id meanwhile), flags and limits go back while they are
 * what this apply set. The change that failed is undone too when it took effect (a reply lost after the write),
 * unless the kernel refused it as a duplicate: then someone else's endpoint holds the address. The result is read
 * back and compared with the snapshot: what differs is either someone else's doing, named as such, or a failed
 * undo (ROLLBACK INCOMPLETE). Kernel-made (implicit) endpoints are left out: user space cannot make them.
 */
public final class Rollback {
    private static final int EEXIST = 17;

    private final MptcpKernel kernel;
    private final List<String> failedSteps = new ArrayList<>();
    /** What someone else did to what this apply changed, noticed while undoing. */
    private final List<String> noticed = new ArrayList<>();
    /** The keys ("endpoint ADDR port P", "limits", "enabled") this apply changed, and those others changed since. */
    private final Set<String> touched = new HashSet<>();

    private final Set<String> othersTouched = new HashSet<>();
    /** The kernel's endpoints as this undo leaves them: read once, then kept up to date with each step. */
    private final List<KernelEndpoint> current = new ArrayList<>();

    private Rollback(MptcpKernel kernel) {
        this.kernel = kernel;
    }

    /** How the undo went: the steps that failed, what still differs from the snapshot and whether it is ours. */
    public record Outcome(List<String> failedSteps, List<String> differences, boolean restored) {
        public Outcome {
            failedSteps = List.copyOf(failedSteps);
            differences = List.copyOf(differences);
        }

        /**
         * True when every change of this apply was undone; {@link #differences()} then lists what someone else
         * changed meanwhile (empty: the namespace is exactly the snapshot).
         */
        @Override
        public boolean restored() {
            return restored;
        }

        String describe(int appliedCount) {
            if (!restored) {
                return "ROLLBACK INCOMPLETE: " + String.join("; ", differences)
                        + (failedSteps.isEmpty() ? "" : " (failed: " + String.join("; ", failedSteps) + ")");
            }
            String done = appliedCount == 0
                    ? "nothing was changed"
                    : "rolled back " + appliedCount + (appliedCount == 1 ? " change" : " changes");
            if (differences.isEmpty()) {
                return appliedCount == 0 ? done : done + ": the namespace is as it was before";
            }
            return done + "; the namespace is as it was before but for what someone else changed meanwhile: "
                    + String.join("; ", differences);
        }
    }

    /**
     * Undoes {@code made} (in order of making) and, when it took effect, {@code failed} (the change whose write
     * failed with {@code failure}; null when the failure came after the writes), against the snapshot
     * {@code before} taken at the start.
     */
    public static Outcome undo(
            MptcpKernel kernel, Snapshot before, List<Change> made, Change failed, RuntimeException failure) {
        List<Change> changes = new ArrayList<>(made);
        if (failed != null && !(failed instanceof Change.AddEndpoint && isDuplicate(failure))) {
            changes.add(failed);
        }
        return new Rollback(kernel).run(before, changes);
    }

    private static boolean isDuplicate(RuntimeException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KernelRefusedException refused && refused.errno() == EEXIST) {
                return true;
            }
        }
        return false;
    }

    private Outcome run(Snapshot before, List<Change> changes) {
        Snapshot now;
        try {
            now = kernel.query();
        } catch (RuntimeException e) {
            return new Outcome(List.of("reading the kernel: " + e.getMessage()), List.of("state unknown"), false);
        }
        current.addAll(managed(now.endpoints()));
        for (int i = changes.size() - 1; i >= 0; i--) {
            Change change = changes.get(i);
            if (change instanceof Change.AddEndpoint add) {
                undoAdd(add);
            } else if (change instanceof Change.ChangeFlags flags) {
                undoFlags(flags);
            } else if (change instanceof Change.RemoveEndpoint remove) {
                undoRemove(remove.endpoint());
            } else if (change instanceof Change.SetLimits limits) {
                undoLimits(now, limits);
            } else if (change instanceof Change.SetEnabled enabled) {
                touched.add("enabled");
                if (now.sysctls().enabled() == enabled.to() && enabled.to() != enabled.from()) {
                    step("restore net.mptcp.enabled", new SetEnabled(kernel, enabled.from()));
                }
            }
        }
        Snapshot after;
        try {
            after = kernel.query();
        } catch (RuntimeException e) {
            return new Outcome(
                    failedSteps, List.of("state unknown: reading the kernel failed: " + e.getMessage()), false);
        }
        List<String> differences = new ArrayList<>(noticed);
        boolean restored = failedSteps.isEmpty();
        for (Difference difference : compare(before, after)) {
            boolean ours = touched.contains(difference.key) && !othersTouched.contains(difference.key);
            restored &= !ours;
            if (!noticed.contains(difference.text)) {
                differences.add(difference.text);
            }
        }
        return new Outcome(failedSteps, differences, restored);
    }

    private void undoAdd(Change.AddEndpoint add) {
        String key = key(add.address(), add.port());
        touched.add(key);
        KernelEndpoint there = find(current, add.address(), add.port());
        if (there == null) {
            return; // never made, or removed by someone else: the snapshot had none here either
        }
        if (there.flags().bits() == add.flags().bits() && there.interfaceIndex() == add.interfaceIndex()) {
            if (step("delete endpoint " + there.id(), new Delete(kernel, there.id()))) {
                current.remove(there);
            }
        } else {
            othersTouched.add(key);
            noticed.add("endpoint " + text(there) + " was changed by someone else after this apply added it; left"
                    + " as it is");
        }
    }

    private void undoFlags(Change.ChangeFlags change) {
        KernelEndpoint original = change.endpoint();
        String key = key(original.address(), original.port());
        touched.add(key);
        KernelEndpoint there = byId(current, original.id());
        if (there == null || !sameAddress(there, original)) {
            othersTouched.add(key);
            return; // removed (or replaced) by someone else: the comparison names it
        }
        if (there.flags().bits() == change.to().bits()) {
            if (step("restore flags of endpoint " + original.id(), new SetFlags(kernel, original.id(), original))) {
                current.set(current.indexOf(there), original);
            }
        } else if (there.flags().bits() != original.flags().bits()) {
            othersTouched.add(key);
        }
    }

    private void undoRemove(KernelEndpoint removed) {
        String key = key(removed.address(), removed.port());
        touched.add(key);
        KernelEndpoint there = find(current, removed.address(), removed.port());
        if (there != null) {
            if (!there.equals(removed)) {
                othersTouched.add(key); // added again by someone else
            }
            return;
        }
        KernelEndpoint holder = byId(current, removed.id());
        int id = removed.id();
        if (holder != null) {
            othersTouched.add(key);
            noticed.add("endpoint " + IpAddresses.format(removed.address()) + " is back with another id than "
                    + removed.id() + ", which " + IpAddresses.format(holder.address())
                    + " took meanwhile (added by someone else)");
            id = 0;
        }
        if (step("re-add endpoint " + removed.id(), new Add(kernel, id, removed))) {
            current.add(
                    id == removed.id()
                            ? removed
                            : new KernelEndpoint(
                                    -1, removed.address(), removed.port(), removed.flags(), removed.interfaceIndex()));
        }
    }

    private void undoLimits(Snapshot now, Change.SetLimits limits) {
        touched.add("limits");
        Integer subflows = null;
        Integer accepted = null;
        if (limits.subflows() != null) {
            int current = now.limits().subflows();
            if (current == limits.subflows()) {
                subflows = limits.subflowsFrom();
            } else if (current != limits.subflowsFrom()) {
                othersTouched.add("limits");
            }
        }
        if (limits.addAddrAccepted() != null) {
            int current = now.limits().addAddrAccepted();
            if (current == limits.addAddrAccepted()) {
                accepted = limits.addAddrAcceptedFrom();
            } else if (current != limits.addAddrAcceptedFrom()) {
                othersTouched.add("limits");
            }
        }
        if (subflows != null || accepted != null) {
            step("restore limits", new SetLimits(kernel, subflows, accepted));
        }
    }

    private boolean step(String what, Runnable action) {
        try {
            action.run();
            return true;
        } catch (RuntimeException e) {
            failedSteps.add(what + ": " + e.getMessage());
            return false;
        }
    }

    /** One difference between two snapshots in what mptcpstate writes, and what it concerns. */
    private record Difference(String key, String text) {}

    /** What differs between two snapshots in what mptcpstate writes: endpoints, limits, enabled. */
    public static List<String> differences(Snapshot expected, Snapshot actual) {
        List<String> texts = new ArrayList<>();
        for (Difference difference : compare(expected, actual)) {
            texts.add(difference.text);
        }
        return texts;
    }

    private static List<Difference> compare(Snapshot expected, Snapshot actual) {
        List<Difference> differences = new ArrayList<>();
        for (KernelEndpoint endpoint : expected.endpoints()) {
            if (endpoint.flags().has(MptcpFlag.IMPLICIT) && byId(actual.endpoints(), endpoint.id()) == null) {
                differences.add(new Difference(
                        key(endpoint.address(), endpoint.port()),
                        "kernel-made endpoint " + endpoint.id() + " (" + IpAddresses.format(endpoint.address())
                                + ") was removed; only the kernel can make it again"));
            }
        }
        for (KernelEndpoint was : managed(expected.endpoints())) {
            KernelEndpoint is = find(managed(actual.endpoints()), was.address(), was.port());
            String key = key(was.address(), was.port());
            if (is == null) {
                differences.add(new Difference(key, "endpoint " + text(was) + " is gone"));
            } else if (!is.equals(was)) {
                differences.add(new Difference(key, "endpoint " + text(is) + " was " + text(was)));
            }
        }
        for (KernelEndpoint is : managed(actual.endpoints())) {
            if (find(managed(expected.endpoints()), is.address(), is.port()) == null) {
                differences.add(new Difference(key(is.address(), is.port()), "endpoint " + text(is) + " was added"));
            }
        }
        Snapshot.Limits was = expected.limits();
        Snapshot.Limits is = actual.limits();
        if (!was.equals(is)) {
            differences.add(new Difference(
                    "limits",
                    "the limits are subflows " + is.subflows() + ", add-addr-accepted " + is.addAddrAccepted()
                            + " (were " + was.subflows() + ", " + was.addAddrAccepted() + ")"));
        }
        if (expected.sysctls().enabled() != actual.sysctls().enabled()) {
            differences.add(new Difference(
                    "enabled", "net.mptcp.enabled is " + (actual.sysctls().enabled() ? 1 : 0)));
        }
        return differences;
    }

    /** "id 3 192.0.2.1 port 80 [signal]". */
    private static String text(KernelEndpoint endpoint) {
        return "id " + endpoint.id() + " " + IpAddresses.format(endpoint.address())
                + (endpoint.port() == 0 ? "" : " port " + endpoint.port()) + " " + endpoint.flags();
    }

    /** An endpoint's identity in the kernel: address (IPv4-mapped as IPv4) and port; one endpoint per key. */
    private static String key(InetAddress address, int port) {
        return "endpoint " + IpAddresses.format(IpAddresses.kernelIdentity(address)) + " port " + port;
    }

    private static KernelEndpoint find(List<KernelEndpoint> endpoints, InetAddress address, int port) {
        InetAddress identity = IpAddresses.kernelIdentity(address);
        for (KernelEndpoint endpoint : endpoints) {
            if (endpoint.port() == port
                    && IpAddresses.kernelIdentity(endpoint.address()).equals(identity)) {
                return endpoint;
            }
        }
        return null;
    }

    private static KernelEndpoint byId(List<KernelEndpoint> endpoints, int id) {
        for (KernelEndpoint endpoint : endpoints) {
            if (endpoint.id() == id) {
                return endpoint;
            }
        }
        return null;
    }

    private static boolean sameAddress(KernelEndpoint a, KernelEndpoint b) {
        return a.port() == b.port()
                && IpAddresses.kernelIdentity(a.address()).equals(IpAddresses.kernelIdentity(b.address()));
    }

    private static List<KernelEndpoint> managed(List<KernelEndpoint> endpoints) {
        List<KernelEndpoint> managed = new ArrayList<>(endpoints.size());
        for (KernelEndpoint endpoint : endpoints) {
            if (!endpoint.flags().has(MptcpFlag.IMPLICIT)) {
                managed.add(endpoint);
            }
        }
        return managed;
    }

    // the undo steps: classes, not lambdas (start-up time)

    private static final class Delete implements Runnable {
        private final MptcpKernel kernel;
        private final int id;

        Delete(MptcpKernel kernel, int id) {
            this.kernel = kernel;
            this.id = id;
        }

        @Override
        public void run() {
            kernel.deleteEndpoint(id);
        }
    }

    private static final class Add implements Runnable {
        private final MptcpKernel kernel;
        private final int id;
        private final KernelEndpoint endpoint;

        Add(MptcpKernel kernel, int id, KernelEndpoint endpoint) {
            this.kernel = kernel;
            this.id = id;
            this.endpoint = endpoint;
        }

        @Override
        public void run() {
            kernel.addEndpoint(id, endpoint.address(), endpoint.port(), endpoint.flags(), endpoint.interfaceIndex());
        }
    }

    private static final class SetFlags implements Runnable {
        private final MptcpKernel kernel;
        private final int id;
        private final KernelEndpoint original;

        SetFlags(MptcpKernel kernel, int id, KernelEndpoint original) {
            this.kernel = kernel;
            this.id = id;
            this.original = original;
        }

        @Override
        public void run() {
            kernel.setEndpointFlags(id, original.flags());
        }
    }

    private static final class SetLimits implements Runnable {
        private final MptcpKernel kernel;
        private final Integer subflows;
        private final Integer accepted;

        SetLimits(MptcpKernel kernel, Integer subflows, Integer accepted) {
            this.kernel = kernel;
            this.subflows = subflows;
            this.accepted = accepted;
        }

        @Override
        public void run() {
            kernel.setLimits(subflows, accepted);
        }
    }

    private static final class SetEnabled implements Runnable {
        private final MptcpKernel kernel;
        private final boolean enabled;

        SetEnabled(MptcpKernel kernel, boolean enabled) {
            this.kernel = kernel;
            this.enabled = enabled;
        }

        @Override
        public void run() {
            kernel.setEnabled(enabled);
        }
    }
}
