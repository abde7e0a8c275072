package org.mptcpstate.check;

import org.mptcpstate.check.Finding.Severity;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.KernelRules;
import org.mptcpstate.state.MptcpFlag;

import java.util.List;

/**
 * The subflows each connection wants ({@link SubflowModel}) against the limits: {@code subflow-limit} when the
 * joins wanted exceed the subflows limit, {@code add-addr-accepted} when the peer's announced addresses are
 * ignored.
 */
final class SubflowRules {
    private SubflowRules() {}

    static void check(CheckContext context, List<Finding> findings) {
        subflowLimit(context, findings);
        addAddrAccepted(context, findings);
        announcements(context, findings);
    }

    /**
     * Each client is told every signal address but possibly the one it connected to, and opens a join to each
     * one it accepts: at least {@code signal - 1} joins, which this side's subflows limit must let in.
     */
    private static void announcements(CheckContext context, List<Finding> findings) {
        int signal = 0;
        for (KernelEndpoint endpoint : context.snapshot.endpoints()) {
            signal += endpoint.flags().has(MptcpFlag.SIGNAL) ? 1 : 0;
        }
        int limit = context.snapshot.limits().subflows();
        int joins = signal - 1;
        if (joins <= limit) {
            return;
        }
        int target = Math.min(KernelRules.MAX_LIMIT, joins);
        findings.add(new Finding(
                Severity.WARNING,
                "join-limit",
                null,
                null,
                "limits subflows",
                "this side announces at least " + Checker.count(joins, "address") + " to each client (" + signal
                        + " signal endpoints, one of which may be the address it connected to), a client opens a"
                        + " join to each one it accepts, and the subflows limit " + limit + " lets in "
                        + Checker.count(limit, "join") + ": the others are refused",
                "ip mptcp limits set subflows " + target + ", or in the state file: mptcp: {limits: {subflows: "
                        + target + "}}"));
    }

    private static void subflowLimit(CheckContext context, List<Finding> findings) {
        int limit = context.snapshot.limits().subflows();
        CheckContext.Client worst = null;
        for (CheckContext.Client client : context.clients) {
            int joins = client.wanted().joins().size();
            if (joins > limit
                    && (worst == null || joins > worst.wanted().joins().size())) {
                worst = client;
            }
        }
        if (worst == null) {
            return;
        }
        SubflowModel.Wanted wanted = worst.wanted();
        int joins = wanted.joins().size();
        String who = wanted.fullmeshJoins() > 0 ? "fullmesh needs " : "the endpoints need ";
        int target = Math.min(KernelRules.MAX_LIMIT, joins);
        findings.add(new Finding(
                Severity.ERROR,
                "subflow-limit",
                null,
                null,
                "limits subflows",
                who + Checker.count(joins + 1, "subflow") + " with "
                        + Checker.count(wanted.peerAddresses(), "peer address") + " ("
                        + worst.group().origin()
                        + "): " + Checker.count(joins, "join") + " beyond the first subflow (" + pairs(wanted.joins())
                        + "); the subflows limit is " + limit + ": " + Checker.count(limit + 1, "subflow")
                        + (limit == 0 ? " forms, " : " form, ") + (joins - limit) + " never "
                        + (joins - limit == 1 ? "does" : "do"),
                "ip mptcp limits set subflows " + target + ", or in the state file: mptcp: {limits: {subflows: "
                        + target + "}}" + (joins > KernelRules.MAX_LIMIT ? " (the kernel's maximum)" : "")
                        + "; the peer's subflows limit must accept " + Checker.count(target, "join") + " too"));
    }

    static String pairs(List<SubflowModel.Pair> pairs) {
        StringBuilder text = new StringBuilder();
        for (SubflowModel.Pair pair : pairs) {
            text.append(text.length() == 0 ? "" : ", ");
            text.append(
                    pair.endpoint() == null
                            ? "the routes' source"
                            : IpAddresses.format(pair.endpoint().address()));
            text.append(" -> ");
            text.append(pair.remote() == null ? "an announced address" : IpAddresses.format(pair.remote()));
        }
        return text.toString();
    }

    private static void addAddrAccepted(CheckContext context, List<Finding> findings) {
        int accepted = context.snapshot.limits().addAddrAccepted();
        String reason = null;
        int wanted = 1;
        for (CheckContext.Client client : context.clients) {
            int ignored = client.wanted().ignoredAnnouncements();
            if (client.group().connection() == null && ignored > 0 && reason == null) {
                int others = client.group().announced().size();
                wanted = others;
                reason = "the peer's " + Checker.count(others, "other address") + " ("
                        + client.group().origin()
                        + ") can only be learnt from its announcements (ADD_ADDR), and add-addr-accepted is "
                        + accepted + ": " + ignored + " of them " + (ignored == 1 ? "is" : "are")
                        + " ignored, no subflow goes there";
            }
        }
        long announced = context.facts.counter("AddAddr");
        if (reason == null && accepted == 0 && announced > 0) {
            reason = "peers announced " + Checker.count(announced, "address")
                    + " (MPTcpExtAddAddr, counted since the namespace was made) and add-addr-accepted is 0:"
                    + " announcements are ignored, no subflow goes to the announced addresses";
        }
        if (reason == null) {
            return;
        }
        int target = Math.min(KernelRules.MAX_LIMIT, Math.max(1, wanted));
        findings.add(new Finding(
                Severity.WARNING,
                "add-addr-accepted",
                null,
                null,
                "limits add-addr-accepted",
                reason,
                "ip mptcp limits set add_addr_accepted " + target
                        + ", or in the state file: mptcp: {limits: {add-addr-accepted: " + target + "}}"));
    }
}
