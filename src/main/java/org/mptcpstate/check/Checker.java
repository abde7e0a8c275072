package org.mptcpstate.check;

import org.mptcpstate.check.Finding.Severity;
import org.mptcpstate.state.Snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The traps that stop MPTCP subflows, found in a snapshot and the facts read with it. Pure: no kernel access,
 * so the state a file would produce can be checked as well as the current one. One class per family of rules,
 * run in this order: the sysctls (here), the subflows each connection wants against the limits ({@link
 * SubflowRules}), each endpoint's address, rp_filter and routes ({@link EndpointRules}, {@link RoutingRules}),
 * and the live connections ({@link ConnectionRules}).
 */
public final class Checker {
    /** The routing table the suggested per-source rules use. */
    static final int RULE_TABLE = 100;

    private Checker() {}

    public static List<Finding> check(Snapshot snapshot, CheckFacts facts) {
        CheckContext context = new CheckContext(snapshot, facts);
        List<Finding> findings = new ArrayList<>();
        sysctls(snapshot, findings);
        SubflowRules.check(context, findings);
        EndpointRules.check(context, findings);
        RoutingRules.check(context, findings);
        ConnectionRules.check(context, findings);
        return findings;
    }

    private static void sysctls(Snapshot snapshot, List<Finding> findings) {
        if (!snapshot.sysctls().enabled()) {
            findings.add(new Finding(
                    Severity.ERROR,
                    "mptcp-disabled",
                    null,
                    null,
                    "net.mptcp.enabled",
                    "MPTCP is disabled: sockets asking for MPTCP fall back to plain TCP, no subflow is ever made",
                    "sysctl -w net.mptcp.enabled=1, or in the state file: mptcp: {enabled: true}"));
        }
        String pathManager = snapshot.sysctls().pathManager();
        if (!Snapshot.Sysctls.KERNEL.equals(pathManager)) {
            findings.add(new Finding(
                    snapshot.endpoints().isEmpty() ? Severity.WARNING : Severity.ERROR,
                    "path-manager",
                    null,
                    null,
                    "net.mptcp.path_manager",
                    "the path manager is " + pathManager + ", not the in-kernel one: the endpoints are ignored and"
                            + " no subflow is made from them unless a userspace daemon does it",
                    "sysctl -w net.mptcp.path_manager=kernel"));
        }
    }

    /** "1 subflow", "2 subflows", "2 addresses". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : noun.endsWith("s") ? "es" : "s");
    }
}
