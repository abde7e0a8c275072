package org.mptcpstate.plan;

import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.KernelRules;
import org.mptcpstate.state.MptcpConnection;
import org.mptcpstate.state.WarningCode;

import java.util.List;

/**
 * The warning diff and apply give before a plan closes live subflows. Deleting an endpoint closes every subflow
 * from or to its address, on every connection (the kernel looks subflows up by address), the first subflow of a
 * connection included; a flag change the kernel cannot make in place (anything but backup and fullmesh) is a
 * delete and an add, so it closes them too. In-place changes ({@link Change.ChangeFlags}) close nothing.
 */
public final class ClosedSubflows {
    /** The warnings' code. */
    public static final String CODE = WarningCode.CLOSES_LIVE_SUBFLOWS.code();

    private ClosedSubflows() {}

    /** Whether the plan deletes an endpoint: only then are the live connections worth reading. */
    public static boolean removesEndpoints(Plan plan) {
        for (Change change : plan.changes()) {
            if (change instanceof Change.RemoveEndpoint) {
                return true;
            }
        }
        return false;
    }

    /** One warning per deleted endpoint whose address has established subflows. */
    public static List<Diagnostic> warnings(Plan plan, List<MptcpConnection> connections) {
        List<Diagnostic> warnings = new java.util.ArrayList<>();
        for (Change change : plan.changes()) {
            if (!(change instanceof Change.RemoveEndpoint remove)) {
                continue;
            }
            KernelEndpoint endpoint = remove.endpoint();
            int subflows = 0;
            int affected = 0;
            for (MptcpConnection connection : connections) {
                int before = subflows;
                for (MptcpConnection.Subflow subflow : connection.subflows()) {
                    if (subflow.established() && subflow.localAddress().equals(endpoint.address())) {
                        subflows++;
                    }
                }
                affected += subflows > before ? 1 : 0;
            }
            if (subflows == 0) {
                continue;
            }
            String address = IpAddresses.format(endpoint.address());
            Change.AddEndpoint readded = readded(plan, endpoint);
            String why;
            if (readded != null) {
                why = "the kernel cannot change " + changed(endpoint, readded)
                        + " in place, so the endpoint is deleted and added again; new subflows from " + address
                        + " form only on connections whose path manager opens them again, not guaranteed";
            } else {
                why = "the endpoint is deleted";
            }
            warnings.add(new Diagnostic(
                    null,
                    CODE,
                    "this change closes " + subflows + " live subflow" + (subflows == 1 ? "" : "s") + " on " + address
                            + " (" + affected + " connection" + (affected == 1 ? "" : "s") + "): " + why));
        }
        return warnings;
    }

    private static Change.AddEndpoint readded(Plan plan, KernelEndpoint endpoint) {
        for (Change change : plan.changes()) {
            if (change instanceof Change.AddEndpoint add && add.address().equals(endpoint.address())) {
                return add;
            }
        }
        return null;
    }

    /** What differs that set-flags cannot change, e.g. {@code the signal flag}, {@code its interface}. */
    private static String changed(KernelEndpoint from, Change.AddEndpoint to) {
        List<String> names =
                new EndpointFlags((from.flags().bits() ^ to.flags().bits()) & ~KernelRules.IN_PLACE_FLAGS).names();
        if (!names.isEmpty()) {
            return "the " + String.join(" and ", names) + " flag" + (names.size() == 1 ? "" : "s");
        }
        if (from.port() != to.port()) {
            return "an endpoint's port";
        }
        return "the interface an endpoint is bound to";
    }
}
