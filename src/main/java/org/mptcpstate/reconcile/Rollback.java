package org.mptcpstate.reconcile;

import org.mptcpstate.kernel.MptcpKernel;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts a namespace back to a snapshot: endpoints that were not there are deleted, endpoints that are gone or
 * differ come back with their original ids, then limits and net.mptcp.enabled. Every step is tried even if an
 * earlier one fails, and the result is read back and compared. Kernel-made (implicit) endpoints are left out:
 * user space cannot create them.
 */
public final class Rollback {
    private Rollback() {}

    /** How the restore went: the steps that failed and the differences still there after it. */
    public record Outcome(List<String> failedSteps, List<String> differences) {
        public Outcome {
            failedSteps = List.copyOf(failedSteps);
            differences = List.copyOf(differences);
        }

        public boolean restored() {
            return differences.isEmpty();
        }

        String describe(int appliedCount) {
            if (appliedCount == 0 && restored()) {
                return "nothing was changed";
            }
            if (restored()) {
                return "rolled back " + appliedCount + (appliedCount == 1 ? " change" : " changes")
                        + ": the namespace is as it was before";
            }
            return "ROLLBACK INCOMPLETE: " + String.join("; ", differences)
                    + (failedSteps.isEmpty() ? "" : " (failed: " + String.join("; ", failedSteps) + ")");
        }
    }

    public static Outcome restore(MptcpKernel kernel, Snapshot snapshot) {
        List<String> failed = new ArrayList<>();
        Snapshot now;
        try {
            now = kernel.query();
        } catch (RuntimeException e) {
            return new Outcome(List.of("reading the kernel: " + e.getMessage()), List.of("state unknown"));
        }
        List<KernelEndpoint> before = managed(snapshot.endpoints());
        List<KernelEndpoint> after = managed(now.endpoints());
        List<KernelEndpoint> restoredInPlace = new ArrayList<>();
        for (KernelEndpoint endpoint : after) {
            if (before.contains(endpoint)) {
                continue;
            }
            KernelEndpoint original = sameButBackupOrFullmesh(before, endpoint);
            if (original != null) {
                // an in-place flag change is undone in place too, so live subflows keep running
                restoredInPlace.add(original);
                step(
                        failed,
                        "restore flags of endpoint " + original.id(),
                        () -> kernel.setEndpointFlags(original.id(), original.flags()));
            } else {
                step(failed, "delete endpoint " + endpoint.id(), () -> kernel.deleteEndpoint(endpoint.id()));
            }
        }
        for (KernelEndpoint endpoint : before) {
            if (!after.contains(endpoint) && !restoredInPlace.contains(endpoint)) {
                step(
                        failed,
                        "re-add endpoint " + endpoint.id(),
                        () -> kernel.addEndpoint(
                                endpoint.id(),
                                endpoint.address(),
                                endpoint.port(),
                                endpoint.flags(),
                                endpoint.interfaceIndex()));
            }
        }
        if (!now.limits().equals(snapshot.limits())) {
            step(
                    failed,
                    "restore limits",
                    () -> kernel.setLimits(
                            snapshot.limits().subflows(), snapshot.limits().addAddrAccepted()));
        }
        if (now.sysctls().enabled() != snapshot.sysctls().enabled()) {
            step(
                    failed,
                    "restore net.mptcp.enabled",
                    () -> kernel.setEnabled(snapshot.sysctls().enabled()));
        }
        try {
            return new Outcome(failed, differences(snapshot, kernel.query()));
        } catch (RuntimeException e) {
            return new Outcome(failed, List.of("state unknown: reading the kernel failed: " + e.getMessage()));
        }
    }

    private static KernelEndpoint sameButBackupOrFullmesh(List<KernelEndpoint> endpoints, KernelEndpoint changed) {
        for (KernelEndpoint endpoint : endpoints) {
            if (endpoint.id() == changed.id()
                    && endpoint.address().equals(changed.address())
                    && endpoint.port() == changed.port()
                    && endpoint.interfaceIndex() == changed.interfaceIndex()
                    && endpoint.flags().differsOnlyInPlace(changed.flags())) {
                return endpoint;
            }
        }
        return null;
    }

    /** What differs between two snapshots in what mptcpstate writes: endpoints, limits, enabled. */
    public static List<String> differences(Snapshot expected, Snapshot actual) {
        List<String> differences = new ArrayList<>();
        for (KernelEndpoint endpoint : expected.endpoints()) {
            if (endpoint.flags().has(MptcpFlag.IMPLICIT) && !hasId(actual.endpoints(), endpoint.id())) {
                differences.add("kernel-made endpoint " + endpoint.id() + " ("
                        + endpoint.address().getHostAddress() + ") was removed; only the kernel can make it again");
            }
        }
        for (KernelEndpoint endpoint : managed(expected.endpoints())) {
            if (!managed(actual.endpoints()).contains(endpoint)) {
                differences.add("endpoint " + endpoint.id() + " ("
                        + endpoint.address().getHostAddress() + ") is missing or differs");
            }
        }
        for (KernelEndpoint endpoint : managed(actual.endpoints())) {
            if (!managed(expected.endpoints()).contains(endpoint)) {
                differences.add("endpoint " + endpoint.id() + " ("
                        + endpoint.address().getHostAddress() + ") should not be there");
            }
        }
        if (!expected.limits().equals(actual.limits())) {
            differences.add("limits are " + actual.limits() + ", expected " + expected.limits());
        }
        if (expected.sysctls().enabled() != actual.sysctls().enabled()) {
            differences.add("net.mptcp.enabled is " + actual.sysctls().enabled());
        }
        return differences;
    }

    private static boolean hasId(List<KernelEndpoint> endpoints, int id) {
        for (KernelEndpoint endpoint : endpoints) {
            if (endpoint.id() == id) {
                return true;
            }
        }
        return false;
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

    private static void step(List<String> failed, String what, Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            failed.add(what + ": " + e.getMessage());
        }
    }
}
