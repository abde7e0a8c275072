package org.mptcpstate.kernel;

import org.junit.jupiter.api.Test;
import org.mptcpstate.netlink.InetDiag;
import org.mptcpstate.netlink.KernelErrorException;
import org.mptcpstate.netlink.MalformedMessageException;
import org.mptcpstate.netlink.NetlinkMessage;
import org.mptcpstate.netlink.RtNetlink;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.MptcpConnection;
import org.mptcpstate.testing.Captures;
import tools.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * What check reads of the data plane, captured from a live two-path lab ({@code
 * org.mptcpstate.netlink.CaptureDataPlaneReplies}), decoded with the product's parsers and compared with what the
 * kernel's own tools printed at the same time: sock_diag dumps against {@code ss -Mni} and {@code ss -tni}, the
 * neighbour dump against {@code ip -j neigh}, route lookups against {@code ip route get}. The letters and formats
 * below are how ss renders the kernel's fields (iproute2 misc/ss.c), not expected values.
 */
class DataPlaneCaptureTest {
    /** ss's letters for MPTCP_SUBFLOW_FLAG_* bits 0 to 8, in bit order (ss.c mptcp_subflow_info). */
    private static final String SUBFLOW_FLAG_LETTERS = "MmJjBbecv";

    private static final Pattern SS_SOCKET =
            Pattern.compile("^(\\S+)\\s+\\d+\\s+\\d+\\s+([0-9.]+)(?:%(\\S+))?:(\\d+)\\s+([0-9.]+):(\\d+)");
    private static final Pattern SS_SUBFLOW =
            Pattern.compile("tcp-ulp-mptcp flags:(\\S+) token:([0-9a-f]+)\\(id:(\\d+)\\)/([0-9a-f]+)\\(id:(\\d+)\\)");

    private static List<InetDiag.Socket> sockets(String capture) {
        List<InetDiag.Socket> sockets = new ArrayList<>();
        for (NetlinkMessage message : Captures.dataMessages(capture)) {
            assertThat(message.type()).isEqualTo(InetDiag.SOCK_DIAG_BY_FAMILY);
            sockets.add(InetDiag.parse(message));
        }
        return sockets;
    }

    private static List<MptcpConnection> connections(String side) {
        return MptcpDiag.connections(sockets("diag-" + side + "-mptcp"), sockets("diag-" + side + "-tcp"));
    }

    /** One established socket as ss printed it: its line, and the info line under it. */
    private record SsSocket(String local, String device, int localPort, String remote, int remotePort, String info) {}

    private static List<SsSocket> ss(String file) {
        String[] lines = Captures.oracleText(file).split("\n");
        List<SsSocket> sockets = new ArrayList<>();
        for (int i = 1; i + 1 < lines.length; i++) {
            Matcher m = SS_SOCKET.matcher(lines[i]);
            if (m.find() && m.group(1).equals("ESTAB")) {
                sockets.add(new SsSocket(
                        m.group(2),
                        m.group(3),
                        Integer.parseInt(m.group(4)),
                        m.group(5),
                        Integer.parseInt(m.group(6)),
                        lines[i + 1]));
            }
        }
        assertThat(sockets).as(file).isNotEmpty();
        return sockets;
    }

    private static long field(String info, String name) {
        Matcher m = Pattern.compile("\\b" + name + ":(\\d+)").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long hexField(String info, String name) {
        Matcher m = Pattern.compile("\\b" + name + ":([0-9a-f]+)").matcher(info);
        assertThat(m.find()).as(name + " in " + info).isTrue();
        return Long.parseLong(m.group(1), 16);
    }

    @Test
    void connectionsAreWhatSsMSays() {
        for (String side : List.of("client", "server")) {
            List<MptcpConnection> connections = connections(side);
            List<SsSocket> oracle = ss("ss-Mni-" + side + ".txt");
            assertThat(connections).as("the listener is left out").hasSameSizeAs(oracle);
            for (SsSocket expected : oracle) {
                MptcpConnection connection = connections.stream()
                        .filter(c -> c.localPort() == expected.localPort())
                        .findFirst()
                        .orElseThrow();
                assertThat(IpAddresses.format(connection.localAddress())).isEqualTo(expected.local());
                assertThat(IpAddresses.format(connection.remoteAddress())).isEqualTo(expected.remote());
                assertThat(connection.remotePort()).isEqualTo(expected.remotePort());
                assertThat(connection.established()).isTrue();
                assertThat(connection.token()).isEqualTo(hexField(expected.info(), "token"));
                MptcpConnection.Info info = connection.info();
                assertThat(info.subflows()).isEqualTo(field(expected.info(), "subflows"));
                assertThat(info.subflowsMax()).isEqualTo(field(expected.info(), "subflows_max"));
                assertThat(info.addAddrAccepted()).isEqualTo(field(expected.info(), "add_addr_accepted"));
                assertThat(info.addAddrAcceptedMax()).isEqualTo(field(expected.info(), "add_addr_accepted_max"));
                assertThat(info.addAddrSignal()).isEqualTo(field(expected.info(), "add_addr_signal"));
                assertThat(info.addAddrSignalMax()).isEqualTo(field(expected.info(), "add_addr_signal_max"));
            }
        }
        assertThat(connections("client").get(0).openedHere()).isTrue();
        assertThat(connections("server").get(0).openedHere()).isFalse();
    }

    @Test
    void subflowsAreWhatSsTSays() {
        Map<String, Integer> indexes = new HashMap<>();
        for (JsonNode link : Captures.oracleJson("ip-link-show-client.json")) {
            indexes.put(link.get("ifname").asString(), link.get("ifindex").asInt());
        }
        for (String side : List.of("client", "server")) {
            MptcpConnection connection = connections(side).get(0);
            List<SsSocket> oracle = ss("ss-tni-" + side + ".txt");
            assertThat(connection.subflows()).hasSameSizeAs(oracle).hasSize(3);
            for (SsSocket expected : oracle) {
                MptcpConnection.Subflow subflow = connection.subflows().stream()
                        .filter(s -> s.localPort() == expected.localPort() && s.remotePort() == expected.remotePort())
                        .findFirst()
                        .orElseThrow();
                Matcher ulp = SS_SUBFLOW.matcher(expected.info());
                assertThat(ulp.find()).as(expected.info()).isTrue();
                int flags = 0;
                for (char letter : ulp.group(1).toCharArray()) {
                    flags |= 1 << SUBFLOW_FLAG_LETTERS.indexOf(letter);
                }
                assertThat(subflow.flags()).isEqualTo(flags);
                assertThat(subflow.remoteId()).isEqualTo(Integer.parseInt(ulp.group(3)));
                assertThat(connection.token()).isEqualTo(Long.parseLong(ulp.group(4), 16));
                assertThat(subflow.localId()).isEqualTo(Integer.parseInt(ulp.group(5)));
                assertThat(IpAddresses.format(subflow.localAddress())).isEqualTo(expected.local());
                assertThat(IpAddresses.format(subflow.remoteAddress())).isEqualTo(expected.remote());
                assertThat(subflow.interfaceIndex())
                        .isEqualTo(expected.device() == null ? 0 : indexes.get(expected.device()));
                assertThat(subflow.bytesAcked()).isEqualTo(field(expected.info(), "bytes_acked"));
                assertThat(subflow.bytesReceived()).isEqualTo(field(expected.info(), "bytes_received"));
                assertThat(subflow.established()).isTrue();
            }
        }
    }

    @Test
    void neighboursAreWhatIpNeighSays() {
        Map<String, Integer> indexes = new HashMap<>();
        for (JsonNode link : Captures.oracleJson("ip-link-show-client.json")) {
            indexes.put(link.get("ifname").asString(), link.get("ifindex").asInt());
        }
        List<NetworkFacts.Neighbour> decoded = new ArrayList<>();
        for (NetlinkMessage message : Captures.dataMessages("rtnl-neigh-dump")) {
            RtNetlink.Neighbour entry = RtNetlink.parseNeighbour(message);
            decoded.add(new NetworkFacts.Neighbour(entry.interfaceIndex(), entry.destination(), entry.state()));
        }
        JsonNode oracle = Captures.oracleJson("ip-neigh-show.json");
        assertThat(decoded).hasSize(oracle.size());
        for (JsonNode expected : oracle) {
            NetworkFacts.Neighbour neighbour = decoded.stream()
                    .filter(n -> IpAddresses.format(n.address())
                            .equals(expected.get("dst").asString()))
                    .findFirst()
                    .orElseThrow();
            assertThat(neighbour.interfaceIndex())
                    .isEqualTo(indexes.get(expected.get("dev").asString()));
            List<String> states = new ArrayList<>();
            for (JsonNode state : expected.get("state")) {
                states.add(state.asString());
            }
            assertThat(neighbour.stateName()).isEqualTo(String.join(",", states));
            assertThat(neighbour.resolved()).isEqualTo(!states.contains("FAILED") && !states.contains("INCOMPLETE"));
            assertThat(neighbour.unresolved()).isEqualTo(states.contains("FAILED") || states.contains("INCOMPLETE"));
        }
    }

    /** ip route get prints the table when it is not main, and fibmatch fails where no route matched (table 0). */
    @Test
    void routeLookupsAreWhatIpRouteGetSays() {
        RtNetlink.Route rule = route("rtnl-route-get-rule");
        assertThat(Captures.oracleText("ip-route-get-rule.txt"))
                .contains("via " + IpAddresses.format(rule.gateway()) + " dev c-b table " + rule.table() + " ");
        assertThat(Captures.oracleText("ip-route-get-rule-fibmatch.txt")).contains("table " + rule.table());

        RtNetlink.Route guess = route("rtnl-route-get-on-link-guess");
        assertThat(guess.table()).isZero();
        assertThat(guess.gateway()).isNull();
        assertThat(Captures.oracleText("ip-route-get-on-link-guess.txt"))
                .startsWith("203.0.113.1 from 192.0.2.1 dev c-b uid 0");
        assertThat(Captures.oracleText("ip-route-get-on-link-guess-fibmatch.txt"))
                .contains("No route to host");

        RtNetlink.Route pick = route("rtnl-route-get-pick-source");
        assertThat(Captures.oracleText("ip-route-get-pick-source.txt"))
                .contains("via " + IpAddresses.format(pick.gateway()) + " dev c-a src "
                        + IpAddresses.format(pick.preferredSource()) + " ");
        assertThat(pick.table()).isEqualTo(RtNetlink.RT_TABLE_MAIN);
        assertThat(Captures.oracleText("ip-route-get-pick-source-fibmatch.txt")).doesNotContain("table");

        NetlinkMessage error = Captures.messages("rtnl-route-get-unreachable").get(0);
        assertThat(error.type()).isEqualTo(NetlinkMessage.NLMSG_ERROR);
        int errno = -error.payload().getInt(0);
        KernelErrorException refused = new KernelErrorException(errno, null);
        assertThat(Captures.oracleText("ip-route-get-unreachable.stderr"))
                .isEqualTo("RTNETLINK answers: Network is unreachable\n");
        assertThat(refused.getMessage()).isEqualTo("kernel refused: Network is unreachable (ENETUNREACH)");
    }

    private static RtNetlink.Route route(String capture) {
        List<NetlinkMessage> data = Captures.dataMessages(capture);
        assertThat(data).hasSize(1);
        return RtNetlink.parseRoute(data.get(0));
    }

    /** Every message cut short at every length decodes or is refused as malformed: nothing else escapes. */
    @Test
    void truncatedMessagesAreRefusedCleanly() {
        List<String> captures = List.of(
                "diag-client-mptcp", "diag-client-tcp", "diag-server-mptcp", "diag-server-tcp", "rtnl-neigh-dump");
        for (String capture : captures) {
            for (NetlinkMessage message : Captures.dataMessages(capture)) {
                ByteBuffer payload = message.payload();
                for (int length = 0; length < payload.remaining(); length++) {
                    ByteBuffer cut = payload.duplicate().limit(payload.position() + length);
                    NetlinkMessage shorter = new NetlinkMessage(
                            message.type(), message.flags(), message.sequence(), message.portId(), cut);
                    assertThatCode(() -> {
                                try {
                                    if (capture.startsWith("diag")) {
                                        InetDiag.Socket socket = InetDiag.parse(shorter);
                                        MptcpDiag.connections(List.of(socket), List.of(socket));
                                    } else {
                                        RtNetlink.parseNeighbour(shorter);
                                    }
                                } catch (MalformedMessageException refused) {
                                    // the one failure a decoder may report
                                }
                            })
                            .as("%s cut to %d bytes", capture, length)
                            .doesNotThrowAnyException();
                }
            }
        }
    }
}
