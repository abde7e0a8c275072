package org.mptcpstate.check;

import org.mptcpstate.check.Finding.Severity;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelRules;
import org.mptcpstate.state.MptcpConnection;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The live connections (current state only, not a file's): a connection this side opened with fewer subflows
 * than its endpoints and peer addresses want ({@code subflows-missing}), and connections this side accepted that
 * sit at the subflows limit while the kernel refuses joins ({@code join-limit}).
 */
final class ConnectionRules {
    private ConnectionRules() {}

    static void check(CheckContext context, List<Finding> findings) {
        if (context.facts.planned()) {
            return;
        }
        for (CheckContext.Client client : context.clients) {
            MptcpConnection connection = client.group().connection();
            if (connection != null
                    && connection.established()
                    && (connection.info().flags() & MptcpConnection.Info.FLAG_FALLBACK) == 0) {
                missing(client, connection, findings);
            }
        }
        joinLimit(context, findings);
    }

    private static void missing(CheckContext.Client client, MptcpConnection connection, List<Finding> findings) {
        List<MptcpConnection.Subflow> established = connection.establishedSubflows();
        List<MptcpConnection.Subflow> unmatched = new ArrayList<>(established);
        List<SubflowModel.Pair> missing = new ArrayList<>();
        for (SubflowModel.Pair pair : client.wanted().joins()) {
            MptcpConnection.Subflow match = match(unmatched, pair, connection);
            if (match == null) {
                missing.add(pair);
            } else {
                unmatched.remove(match);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        int pending = connection.subflows().size() - established.size();
        MptcpConnection.Info info = connection.info();
        int expected = client.wanted().joins().size() + 1;
        String cause;
        String fix;
        if (info.subflowsMax() >= 0 && info.subflows() >= info.subflowsMax()) {
            cause = "the connection's subflows limit (" + info.subflowsMax() + ") is reached";
            int target = Math.min(KernelRules.MAX_LIMIT, expected - 1);
            fix = "ip mptcp limits set subflows " + target + " (connections made after it get every subflow)";
        } else if (routingFinding(missing, findings) != null) {
            Finding routing = routingFinding(missing, findings);
            cause = "the joins from " + routing.address() + " fail: see the " + routing.code() + " finding";
            fix = routing.fix();
        } else if (pending > 0) {
            cause = Checker.count(pending, "join") + " still being opened";
            fix = "check again in a few seconds; if it stays, see the routing findings for the source addresses";
        } else {
            cause = "its own subflows limit (" + info.subflowsMax() + ") is not reached: the peer refused the join"
                    + " (its subflows limit caps the joins it accepts) or the join failed on the way";
            fix = "run mptcpstate check on the peer, and see the routing findings for the source addresses";
        }
        String local = IpAddresses.format(connection.localAddress()) + ":" + connection.localPort();
        String remote = IpAddresses.format(connection.remoteAddress()) + ":" + connection.remotePort();
        findings.add(new Finding(
                Severity.WARNING,
                "subflows-missing",
                null,
                null,
                "connection " + local + " -> " + remote,
                "the connection has " + Checker.count(established.size(), "subflow") + " where its endpoints and "
                        + Checker.count(client.wanted().peerAddresses(), "peer address") + " want " + expected
                        + "; missing: " + SubflowRules.pairs(missing) + "; " + cause,
                fix));
    }

    /** The routing error found for the source of a missing subflow, or null. */
    private static Finding routingFinding(List<SubflowModel.Pair> missing, List<Finding> findings) {
        for (SubflowModel.Pair pair : missing) {
            if (pair.endpoint() == null) {
                continue;
            }
            String address = IpAddresses.format(pair.endpoint().address());
            for (Finding finding : findings) {
                if (finding.severity() == Severity.ERROR && address.equals(finding.address())) {
                    return finding;
                }
            }
        }
        return null;
    }

    /** An established subflow that is the wanted pair: same source (any but the first's when routes pick it). */
    private static MptcpConnection.Subflow match(
            List<MptcpConnection.Subflow> candidates, SubflowModel.Pair pair, MptcpConnection connection) {
        InetAddress first = connection.remoteAddress();
        for (MptcpConnection.Subflow subflow : candidates) {
            boolean initial = subflow.localAddress().equals(connection.localAddress())
                    && subflow.localPort() == connection.localPort()
                    && subflow.remoteAddress().equals(first);
            if (initial) {
                continue;
            }
            boolean remote = pair.remote() == null
                    ? !subflow.remoteAddress().equals(first)
                    : subflow.remoteAddress().equals(pair.remote());
            boolean local = pair.endpoint() == null
                    || subflow.localAddress().equals(pair.endpoint().address());
            if (remote && local) {
                return subflow;
            }
        }
        return null;
    }

    private static void joinLimit(CheckContext context, List<Finding> findings) {
        long rejected = context.facts.counter("MPJoinRejected");
        if (rejected == 0) {
            return;
        }
        List<MptcpConnection> atLimit = new ArrayList<>();
        for (MptcpConnection connection : context.facts.connections()) {
            MptcpConnection.Info info = connection.info();
            if (connection.established()
                    && !connection.openedHere()
                    && info.subflowsMax() >= 0
                    && info.subflows() >= info.subflowsMax()) {
                atLimit.add(connection);
            }
        }
        if (atLimit.isEmpty()) {
            return;
        }
        MptcpConnection example = atLimit.get(0);
        int limit = example.info().subflowsMax();
        int target = Math.min(KernelRules.MAX_LIMIT, limit + 1);
        findings.add(new Finding(
                Severity.ERROR,
                "join-limit",
                null,
                null,
                "limits subflows",
                Checker.count(atLimit.size(), "connection") + " accepted here "
                        + (atLimit.size() == 1 ? "has" : "have") + " reached the subflows limit (" + limit
                        + " joins; e.g. " + IpAddresses.format(example.localAddress()) + ":" + example.localPort()
                        + " <- " + IpAddresses.format(example.remoteAddress()) + ":" + example.remotePort() + " with "
                        + Checker.count(example.establishedSubflows().size(), "subflow") + "), and the kernel refused "
                        + Checker.count(rejected, "join") + " (MPTcpExtMPJoinRejected, counted since the namespace"
                        + " was made): peers want more subflows than this side accepts",
                "ip mptcp limits set subflows " + target + " or more (at most " + KernelRules.MAX_LIMIT
                        + "), or in the state file: mptcp: {limits: {subflows: " + target + "}}"));
    }
}
