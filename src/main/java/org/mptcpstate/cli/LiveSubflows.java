package org.mptcpstate.cli;

import org.mptcpstate.kernel.KernelException;
import org.mptcpstate.kernel.NetlinkKernel;
import org.mptcpstate.kernel.NetworkFacts;
import org.mptcpstate.plan.ClosedSubflows;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.state.Diagnostic;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * The live subflows a plan closes ({@link ClosedSubflows}), for diff and apply. The connections are read only
 * when the plan deletes an endpoint, so that other plans cost nothing more; reading them needs no privilege.
 */
final class LiveSubflows implements Callable<List<Diagnostic>> {
    private final Plan plan;

    private LiveSubflows(Plan plan) {
        this.plan = plan;
    }

    /** For diff: enters the command's namespace to read the connections when the plan deletes an endpoint. */
    static List<Diagnostic> warnings(ParsedArguments arguments, Plan plan) throws Exception {
        if (!ClosedSubflows.removesEndpoints(plan)) {
            return List.of();
        }
        return NamespaceOption.call(arguments, new LiveSubflows(plan));
    }

    /** For apply: on the namespace thread, with the kernel it already opened. */
    static List<Diagnostic> warnings(NetworkFacts kernel, Plan plan) {
        if (!ClosedSubflows.removesEndpoints(plan)) {
            return List.of();
        }
        try {
            return ClosedSubflows.warnings(plan, kernel.connections());
        } catch (KernelException e) {
            return List.of(new Diagnostic(
                    null,
                    ClosedSubflows.CODE,
                    "cannot tell whether this change closes live subflows: " + e.getMessage()));
        }
    }

    @Override
    public List<Diagnostic> call() {
        try (NetlinkKernel kernel = NetlinkKernel.open()) {
            return warnings(kernel, plan);
        }
    }
}
