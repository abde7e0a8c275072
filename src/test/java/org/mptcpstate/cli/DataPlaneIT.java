package org.mptcpstate.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.KernelTests;
import org.mptcpstate.testing.MptcpTraffic;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Netns;
import org.mptcpstate.testing.TwoPathLab;
import org.mptcpstate.testing.TwoPathLab.Subflow;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mptcpstate.testing.TwoPathLab.CLIENT_A;
import static org.mptcpstate.testing.TwoPathLab.CLIENT_B;
import static org.mptcpstate.testing.TwoPathLab.PORT;
import static org.mptcpstate.testing.TwoPathLab.SERVER;
import static org.mptcpstate.testing.TwoPathLab.SERVER_B;

/**
 * check as an oracle of the data plane (issue 15), in the two-path lab of {@link TwoPathLab}: for each way
 * subflows silently fail, the failure is first shown with the kernel's own tools (subflows by {@code ss -tni} and
 * {@code ss -Mi}, bytes per interface by {@code ip -s -j link}, {@code ip neigh}, {@code nstat}), then check must
 * report it, in text and JSON; where the data plane works, check must not report an error. MPTCP is configured by
 * mptcpstate itself (apply), the traffic is real MPTCP sockets (Python). The labs are built once and each test
 * states the whole configuration it needs. Data-plane figures are printed to stdout (the failsafe report).
 */
@Tag("kernel")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataPlaneIT {
    private static final long MB = 1_000_000;

    private TwoPathLab routed;
    private TwoPathLab direct;
    private MptcpTraffic routedServer;
    private MptcpTraffic directServer;

    @BeforeAll
    void labs() {
        KernelTests.requireRoot();
        MptcpTraffic.requirePython();
        routed = TwoPathLab.routed();
        direct = TwoPathLab.direct();
        routedServer = MptcpTraffic.server(routed.server, PORT);
        directServer = MptcpTraffic.server(direct.server, PORT);
    }

    @AfterAll
    void teardown() {
        for (AutoCloseable resource : new AutoCloseable[] {routedServer, directServer, routed, direct}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                // the namespaces go with the lab; nothing else to undo
            }
        }
    }

    /** S1: two fullmesh endpoints, two server addresses, the client's subflows limit 2: 3 of 4 subflows form. */
    @Test
    @Order(1)
    void fullmeshBeyondTheClientsSubflowLimit() throws Exception {
        routed.clientRule(true);
        routed.serverRule(true);
        apply(routed.client, state(2, 1, "c-a", "[subflow, fullmesh]", "c-b", "[subflow, fullmesh]"));
        apply(routed.server, state(4, 0, "s-a", "[]", "s-b", "[signal]"));

        Mptcpstate.Run predicted = check(routed.client, "--peer", SERVER, "--peer", SERVER_B);
        assertThat(predicted.exitCode()).as(predicted.stdout()).isEqualTo(1);
        assertThat(predicted.stdout())
                .contains("error subflow-limit limits subflows: fullmesh needs 4 subflows with 2 peer addresses"
                        + " (--peer 203.0.113.1, 203.0.113.65)")
                .contains("the subflows limit is 2: 3 subflows form, 1 never does")
                .contains("fix: ip mptcp limits set subflows 3");

        try (MptcpTraffic client = MptcpTraffic.client(routed.client, SERVER, PORT)) {
            awaitSubflows(routed.client, 3);
            awaitSubflows(routed.server, 3);
            // the kernel's view: the limit is reached, so no fourth subflow comes
            assertThat(TwoPathLab.mptcpInfo(routed.client))
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .contains("subflows:2 ")
                    .contains("subflows_max:2");
            Set<String> pairs = pairs(TwoPathLab.subflows(routed.client));
            Set<String> all = Set.of(
                    CLIENT_A + " -> " + SERVER,
                    CLIENT_A + " -> " + SERVER_B,
                    CLIENT_B + " -> " + SERVER,
                    CLIENT_B + " -> " + SERVER_B);
            Set<String> missing = new TreeSet<>(all);
            missing.removeAll(pairs);
            assertThat(missing).as("ss -tni: %s", pairs).hasSize(1);
            long[] bytes = upload(client, routed.client, 4 * MB, "c-a", "c-b");
            report("S1 fullmesh, client subflows limit 2", "subflows " + pairs + ", missing " + missing, bytes);

            Mptcpstate.Run live = check(routed.client);
            assertThat(live.exitCode()).as(live.stdout()).isEqualTo(1);
            String connection = "connection " + CLIENT_A + ":" + client.localPort() + " -> " + SERVER + ":" + PORT;
            assertThat(live.stdout())
                    .contains("error subflow-limit limits subflows: fullmesh needs 4 subflows with 2 peer addresses ("
                            + connection + ")")
                    .contains("warning subflows-missing " + connection + ": the connection has 3 subflows where its"
                            + " endpoints and 2 peer addresses want 4; missing: "
                            + missing.iterator().next()
                            + "; the connection's subflows limit (2) is reached");
            JsonNode json = json(check(routed.client, "--json"));
            assertThat(codes(json)).contains("error subflow-limit", "warning subflows-missing");
            assertThat(json.path("errors").asInt()).isEqualTo(1);
        }

        // the fix check names: every subflow forms, and check is clean
        apply(routed.client, state(3, 1, "c-a", "[subflow, fullmesh]", "c-b", "[subflow, fullmesh]"));
        try (MptcpTraffic client = MptcpTraffic.client(routed.client, SERVER, PORT)) {
            awaitSubflows(routed.client, 4);
            long[] bytes = upload(client, routed.client, 4 * MB, "c-a", "c-b");
            report("S1 fixed, client subflows limit 3", "subflows " + pairs(TwoPathLab.subflows(routed.client)), bytes);
            Mptcpstate.Run fixed = check(routed.client);
            assertThat(fixed.stdout()).isEqualTo("no problems found\n");
            assertThat(fixed.exitCode()).isZero();
        }
    }

    /** S2: the server's subflows limit 2 refuses the third join of a fullmesh client. */
    @Test
    @Order(2)
    void theServersSubflowLimitRefusesAJoin() throws Exception {
        routed.clientRule(true);
        routed.serverRule(true);
        apply(routed.client, state(4, 1, "c-a", "[subflow, fullmesh]", "c-b", "[subflow, fullmesh]"));
        apply(routed.server, state(2, 0, "s-a", "[]", "s-b", "[signal]"));
        long rejected = TwoPathLab.nstat(routed.server).getOrDefault("MPJoinRejected", 0L);
        try (MptcpTraffic client = MptcpTraffic.client(routed.client, SERVER, PORT)) {
            assertThat(TwoPathLab.await(
                            10, () -> TwoPathLab.nstat(routed.server).getOrDefault("MPJoinRejected", 0L) > rejected))
                    .as("nstat MPJoinRejected on the server")
                    .isTrue();
            awaitSubflows(routed.server, 3);
            awaitSubflows(routed.client, 3);
            assertThat(TwoPathLab.mptcpInfo(routed.server))
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .contains("subflows:2 ")
                    .contains("subflows_max:2");
            long[] bytes = upload(client, routed.server, 2 * MB, "s-a", "s-b", true);
            report(
                    "S2 server subflows limit 2",
                    "server subflows " + pairs(TwoPathLab.subflows(routed.server)) + ", MPJoinRejected "
                            + TwoPathLab.nstat(routed.server).get("MPJoinRejected"),
                    bytes);

            Mptcpstate.Run server = check(routed.server);
            assertThat(server.exitCode()).as(server.stdout()).isEqualTo(1);
            assertThat(server.stdout())
                    .contains("error join-limit limits subflows: 1 connection accepted here has reached the subflows"
                            + " limit (2 joins; e.g. " + SERVER + ":" + PORT + " <- " + CLIENT_A + ":"
                            + client.localPort() + " with 3 subflows), and the kernel refused");
            assertThat(codes(json(check(routed.server, "--json")))).containsExactly("error join-limit");

            Mptcpstate.Run clientSide = check(routed.client);
            assertThat(clientSide.stdout())
                    .startsWith("warning subflows-missing connection " + CLIENT_A + ":" + client.localPort())
                    .contains("its own subflows limit (4) is not reached: the peer refused the join");
            assertThat(clientSide.exitCode()).isZero();
        }
    }

    /** S3: the server signals its second address and has no per-source rule: replies leave through s-a. */
    @Test
    @Order(3)
    void aSignalAddressWithoutARuleAnswersThroughTheOtherInterface() throws Exception {
        routed.clientRule(true);
        routed.serverRule(false);
        apply(routed.client, state(2, 1, "c-a", "[]", "c-b", "[]"));
        apply(routed.server, state(4, 0, "s-a", "[]", "s-b", "[signal]"));
        assertThat(routed.server.ip("route", "get", "192.0.2.1", "from", SERVER_B))
                .contains("dev s-a");

        Mptcpstate.Run before = check(routed.server);
        assertThat(before.exitCode()).isEqualTo(1);
        assertThat(before.stdout())
                .startsWith("error signal-routing s-b 203.0.113.65: replies from the announced address 203.0.113.65"
                        + " to 203.0.113.254 leave through s-a, not s-b")
                .hasLineCount(1);

        try (MptcpTraffic client = MptcpTraffic.client(routed.client, SERVER, PORT)) {
            awaitSubflows(routed.client, 2);
            awaitSubflows(routed.server, 2);
            long[] bytes = download(client, routed.server, 4 * MB, "s-a", "s-b");
            Subflow announced = only(TwoPathLab.subflows(routed.server), SERVER_B);
            report(
                    "S3 signal address without a server rule (download)",
                    "subflow " + announced.pair() + " bytes_acked " + announced.bytesAcked(),
                    bytes);
            // the subflow to the announced address carries data, yet s-b sends next to nothing: s-a carries it
            assertThat(announced.bytesAcked()).isGreaterThan(100_000);
            assertThat(bytes[1]).isLessThan(100_000);
            assertThat(bytes[0]).isGreaterThan(4 * MB);

            Mptcpstate.Run live = check(routed.server);
            assertThat(live.exitCode()).isEqualTo(1);
            assertThat(live.stdout())
                    .startsWith("error signal-routing s-b 203.0.113.65: replies from the announced address"
                            + " 203.0.113.65 to 192.0.2.1 leave through s-a, not s-b (ip route get 192.0.2.1 from"
                            + " 203.0.113.65)")
                    .contains("a live subflow 203.0.113.65:" + PORT + " <- 192.0.2.1:" + announced.remotePort())
                    .contains("fix: ip rule add from 203.0.113.65 table 100 and ip route add default via GATEWAY dev"
                            + " s-b table 100")
                    .hasLineCount(1);
            assertThat(codes(json(check(routed.server, "--json")))).containsExactly("error signal-routing");

            routed.serverRule(true);
            Mptcpstate.Run fixed = check(routed.server);
            assertThat(fixed.stdout()).isEqualTo("no problems found\n");
            assertThat(fixed.exitCode()).isZero();
        }
    }

    /**
     * S5: a subflow endpoint bound to c-b (mptcpstate binds every endpoint to its interface) with no route to the
     * server through c-b: the join stays on c-b and neighbour resolution fails.
     */
    @Test
    @Order(4)
    void aBoundEndpointWithoutARouteThroughItsDeviceNeverGetsOut() throws Exception {
        routed.clientRule(false);
        routed.serverRule(true);
        // add-addr-accepted 1: earlier tests' announcements are counted in this namespace (nstat AddAddr)
        apply(routed.client, state(2, 1, "c-a", "[]", "c-b", "[subflow]"));
        apply(routed.server, state(4, 0, "s-a", "[]", "s-b", "[]"));
        routed.client.ip("neigh", "flush", "dev", "c-b");

        Mptcpstate.Run before = check(routed.client, "--peer", SERVER);
        assertThat(before.exitCode()).isEqualTo(1);
        assertThat(before.stdout())
                .startsWith("error no-route-via-device c-b 198.51.100.1: subflows from 198.51.100.1 are bound to c-b"
                        + " and no route to 203.0.113.1 goes through c-b")
                .contains("evidence: the route lookup only")
                .hasLineCount(1);

        try (MptcpTraffic client = MptcpTraffic.client(routed.client, SERVER, PORT)) {
            long[] bytes = upload(client, routed.client, 2 * MB, "c-a", "c-b");
            assertThat(TwoPathLab.await(
                            8,
                            () -> TwoPathLab.neighbourState(routed.client, "c-b", SERVER)
                                    .contains("FAILED")))
                    .as("ip neigh: %s", TwoPathLab.neighbourState(routed.client, "c-b", SERVER))
                    .isTrue();
            List<Subflow> subflows = TwoPathLab.subflows(routed.client);
            report("S5 bound endpoint, no rule", "subflows " + pairs(subflows) + ", neighbour on c-b FAILED", bytes);
            assertThat(pairs(subflows)).containsExactly(CLIENT_A + " -> " + SERVER);
            assertThat(bytes[1]).as("c-b sends ARP requests only").isLessThan(2_000);
            assertThat(bytes[0]).isGreaterThan(2 * MB);

            Mptcpstate.Run live = check(routed.client);
            assertThat(live.exitCode()).isEqualTo(1);
            assertThat(live.stdout())
                    .startsWith("error no-route-via-device c-b 198.51.100.1: ")
                    .contains("each join from 198.51.100.1 is closed with EHOSTUNREACH and never retried (evidence:"
                            + " the neighbour entry of 203.0.113.1 on c-b is FAILED)")
                    .contains("\nwarning subflows-missing connection " + CLIENT_A + ":" + client.localPort() + " -> "
                            + SERVER + ":" + PORT + ": the connection has 1 subflow where its endpoints and 1 peer"
                            + " address want 2; missing: 198.51.100.1 -> 203.0.113.1; the joins from 198.51.100.1"
                            + " fail: see the no-route-via-device finding")
                    .hasLineCount(2);
            assertThat(codes(json(check(routed.client, "--json"))))
                    .containsExactly("error no-route-via-device", "warning subflows-missing");
        }

        // the fix check names: the join goes through c-b's router, and check is clean
        routed.clientRule(true);
        try (MptcpTraffic client = MptcpTraffic.client(routed.client, SERVER, PORT)) {
            awaitSubflows(routed.client, 2);
            long[] bytes = upload(client, routed.client, 2 * MB, "c-a", "c-b");
            report("S5 fixed with the per-source rule", "subflows " + pairs(TwoPathLab.subflows(routed.client)), bytes);
            assertThat(bytes[1]).isGreaterThan(MB / 2);
            Mptcpstate.Run fixed = check(routed.client);
            assertThat(fixed.stdout()).isEqualTo("no problems found\n");
            assertThat(fixed.exitCode()).isZero();
        }
    }

    /** S7: the server announces its second address, the client's add-addr-accepted is 0. */
    @Test
    @Order(5)
    void announcementsIgnoredWithAddAddrAcceptedZero() throws Exception {
        routed.clientRule(true);
        routed.serverRule(true);
        apply(routed.client, state(2, 0, "c-a", "[]", "c-b", "[]"));
        apply(routed.server, state(4, 0, "s-a", "[]", "s-b", "[signal]"));

        Mptcpstate.Run predicted = check(routed.client, "--peer", SERVER, "--peer", SERVER_B);
        assertThat(predicted.stdout())
                .startsWith("warning add-addr-accepted limits add-addr-accepted: the peer's 1 other address (--peer"
                        + " 203.0.113.1, 203.0.113.65) can only be learnt from its announcements (ADD_ADDR), and"
                        + " add-addr-accepted is 0")
                .hasLineCount(1);
        assertThat(predicted.exitCode()).isZero();

        long announcements = TwoPathLab.nstat(routed.client).getOrDefault("AddAddr", 0L);
        try (MptcpTraffic client = MptcpTraffic.client(routed.client, SERVER, PORT)) {
            assertThat(TwoPathLab.await(
                            10, () -> TwoPathLab.nstat(routed.client).getOrDefault("AddAddr", 0L) > announcements))
                    .as("nstat AddAddr on the client")
                    .isTrue();
            long[] bytes = upload(client, routed.client, 2 * MB, "c-a", "c-b");
            long received = TwoPathLab.nstat(routed.client).get("AddAddr");
            report(
                    "S7 add-addr-accepted 0",
                    "subflows " + pairs(TwoPathLab.subflows(routed.client)) + ", nstat AddAddr " + received,
                    bytes);
            assertThat(pairs(TwoPathLab.subflows(routed.client))).containsExactly(CLIENT_A + " -> " + SERVER);
            assertThat(TwoPathLab.mptcpInfo(routed.client))
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .doesNotContain("add_addr_accepted");

            Mptcpstate.Run live = check(routed.client);
            assertThat(live.stdout())
                    .startsWith("warning add-addr-accepted limits add-addr-accepted: peers announced " + received
                            + " addresses (MPTcpExtAddAddr, counted since the namespace was made) and"
                            + " add-addr-accepted is 0: announcements are ignored")
                    .hasLineCount(1);
            assertThat(live.exitCode()).isZero();
            assertThat(codes(json(check(routed.client, "--json")))).containsExactly("warning add-addr-accepted");
        }
    }

    /**
     * S6: diff and apply warn that live subflows close exactly when they do: an in-place backup change keeps the
     * subflow and says nothing; toggling signal deletes and re-adds the endpoint, closes it and says so.
     */
    @Test
    @Order(6)
    void closingLiveSubflowsIsWarnedExactlyWhenItHappens() throws Exception {
        routed.clientRule(true);
        routed.serverRule(true);
        String subflow = state(2, 1, "c-a", "[]", "c-b", "[subflow]");
        String backup = state(2, 1, "c-a", "[]", "c-b", "[subflow, backup]");
        String signal = state(2, 1, "c-a", "[]", "c-b", "[subflow, backup, signal]");
        apply(routed.client, subflow);
        apply(routed.server, state(4, 0, "s-a", "[]", "s-b", "[]"));
        Path signalFile = Mptcpstate.stateFile(signal);

        // no live connection: the same plan closes nothing and warns of nothing
        Mptcpstate.Run idle = Mptcpstate.inProcess("diff", signalFile.toString(), "--netns", routed.client.name());
        assertThat(idle.exitCode()).isEqualTo(2);
        assertThat(idle.stderr()).doesNotContain("live subflow");

        try (MptcpTraffic client = MptcpTraffic.client(routed.client, SERVER, PORT)) {
            awaitSubflows(routed.client, 2);
            Subflow joined = only(TwoPathLab.subflows(routed.client), CLIENT_B);

            Path backupFile = Mptcpstate.stateFile(backup);
            Mptcpstate.Run inPlace =
                    Mptcpstate.inProcess("diff", backupFile.toString(), "--netns", routed.client.name());
            assertThat(inPlace.stdout()).startsWith("~ endpoint ");
            assertThat(inPlace.stderr()).doesNotContain("live subflow");
            Mptcpstate.Run appliedInPlace =
                    Mptcpstate.inProcess("apply", backupFile.toString(), "--netns", routed.client.name());
            assertThat(appliedInPlace.exitCode()).isZero();
            assertThat(appliedInPlace.stderr()).doesNotContain("live subflow");
            assertThat(TwoPathLab.subflows(routed.client))
                    .as(
                            "ss -tni after the in-place change: the subflow %s:%d is still there",
                            CLIENT_B, joined.localPort())
                    .anyMatch(s -> s.local().equals(CLIENT_B) && s.localPort() == joined.localPort());

            String warning = "mptcpstate: warning: this change closes 1 live subflow on 198.51.100.1 (1 connection):"
                    + " the kernel cannot change the signal flag in place, so the endpoint is deleted and added"
                    + " again";
            Mptcpstate.Run diff = Mptcpstate.inProcess("diff", signalFile.toString(), "--netns", routed.client.name());
            assertThat(diff.exitCode()).isEqualTo(2);
            assertThat(diff.stderr()).contains(warning);
            JsonNode plan = Documents.json(
                    Mptcpstate.inProcess("diff", "--json", signalFile.toString(), "--netns", routed.client.name())
                            .stdout());
            assertThat(plan.path("warnings").toString()).contains("this change closes 1 live subflow on 198.51.100.1");

            Mptcpstate.Run apply = Mptcpstate.jar("apply", signalFile.toString(), "--netns", routed.client.name());
            assertThat(apply.exitCode()).as(apply.stderr()).isZero();
            assertThat(apply.stderr()).contains(warning);
            assertThat(TwoPathLab.await(
                            3,
                            () -> TwoPathLab.subflows(routed.client).stream()
                                    .noneMatch(s -> s.localPort() == joined.localPort())))
                    .as("ss -tni: the subflow %s:%d is closed", CLIENT_B, joined.localPort())
                    .isTrue();
            // the connection goes on over what is left
            long[] bytes = upload(client, routed.client, MB, "c-a", "c-b");
            report(
                    "S6 toggle signal on a live endpoint",
                    "closed " + joined.pair() + " port " + joined.localPort() + "; after: "
                            + pairs(TwoPathLab.subflows(routed.client)),
                    bytes);
        }
    }

    /** S4: the client's configuration of S5, but the server is on-link on both paths: both subflows carry data. */
    @Test
    @Order(7)
    void directlyConnectedPeersNeedNoRule() throws Exception {
        apply(direct.client, state(2, 0, "c-a", "[]", "c-b", "[subflow]"));
        apply(direct.server, state(4, 0, "s-a", "[]", "s-b", "[]"));
        try (MptcpTraffic client = MptcpTraffic.client(direct.client, SERVER, PORT)) {
            awaitSubflows(direct.client, 2);
            long[] bytes = upload(client, direct.client, 4 * MB, "c-a", "c-b");
            List<Subflow> subflows = TwoPathLab.subflows(direct.client);
            String neighbour = TwoPathLab.neighbourState(direct.client, "c-b", SERVER);
            report(
                    "S4 directly connected, no rule",
                    "subflows " + pairs(subflows) + ", neighbour on c-b " + neighbour,
                    bytes);
            assertThat(pairs(subflows))
                    .containsExactlyInAnyOrder(CLIENT_A + " -> " + SERVER, CLIENT_B + " -> " + SERVER);
            assertThat(bytes[0]).as("c-a's share").isGreaterThan((bytes[0] + bytes[1]) / 4);
            assertThat(bytes[1]).as("c-b's share").isGreaterThan((bytes[0] + bytes[1]) / 4);
            assertThat(neighbour).isIn("REACHABLE", "STALE", "DELAY", "PROBE");

            Mptcpstate.Run run = Mptcpstate.jar("check", "--json", "--netns", direct.client.name());
            assertThat(run.exitCode()).as(run.stdout()).isZero();
            JsonNode json = json(run);
            assertThat(json.path("errors").asInt()).isZero();
            assertThat(codes(json)).containsExactly("info on-link-peer");
            assertThat(json.path("findings").get(0).path("reason").asString())
                    .contains("no route to 203.0.113.1 goes through c-b")
                    .contains("and it is: a live subflow 198.51.100.1:");
        }
    }

    private static String state(
            int subflows, int accepted, String first, String firstFlags, String second, String secondFlags) {
        return String.join(
                "\n",
                "interfaces:",
                "- name: " + first,
                "  mptcp:",
                "    address-flags: " + firstFlags,
                "- name: " + second,
                "  mptcp:",
                "    address-flags: " + secondFlags,
                "mptcp:",
                "  limits:",
                "    subflows: " + subflows,
                "    add-addr-accepted: " + accepted,
                "");
    }

    private static void apply(Netns ns, String state) throws IOException {
        Mptcpstate.Run run =
                Mptcpstate.inProcess("apply", Mptcpstate.stateFile(state).toString(), "--netns", ns.name());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
    }

    private static Mptcpstate.Run check(Netns ns, String... args) {
        List<String> words = new ArrayList<>(List.of("check", "--netns", ns.name()));
        words.addAll(List.of(args));
        Mptcpstate.Run run = Mptcpstate.inProcess(words.toArray(String[]::new));
        assertThat(run.stderr()).isEmpty();
        return run;
    }

    private static JsonNode json(Mptcpstate.Run run) {
        return Documents.json(run.stdout());
    }

    /** "severity code" of each finding. */
    private static List<String> codes(JsonNode json) {
        List<String> codes = new ArrayList<>();
        for (JsonNode finding : json.path("findings")) {
            codes.add(finding.path("severity").asString() + " "
                    + finding.path("code").asString());
        }
        return codes;
    }

    private static void awaitSubflows(Netns ns, int count) {
        assertThat(TwoPathLab.await(10, () -> TwoPathLab.subflows(ns).size() == count))
                .as("%d established subflows by ss -tni in %s: %s", count, ns.name(), TwoPathLab.subflows(ns))
                .isTrue();
    }

    private static Set<String> pairs(List<Subflow> subflows) {
        Set<String> pairs = new TreeSet<>();
        for (Subflow subflow : subflows) {
            pairs.add(subflow.pair());
        }
        return pairs;
    }

    private static Subflow only(List<Subflow> subflows, String local) {
        List<Subflow> found = new ArrayList<>();
        for (Subflow subflow : subflows) {
            if (subflow.local().equals(local)) {
                found.add(subflow);
            }
        }
        assertThat(found).as("subflows from %s in %s", local, subflows).hasSize(1);
        return found.get(0);
    }

    /** Uploads and returns the bytes each interface sent meanwhile (ip -s -j link). */
    private static long[] upload(MptcpTraffic client, Netns ns, long bytes, String... links) {
        return upload(client, ns, bytes, links[0], links[1], false);
    }

    /** Uploads; the bytes each interface of {@code ns} sent ({@code received}: received) meanwhile. */
    private static long[] upload(
            MptcpTraffic client, Netns ns, long bytes, String first, String second, boolean received) {
        long[] before = counters(ns, first, second, received);
        client.upload(bytes);
        long[] after = counters(ns, first, second, received);
        return new long[] {after[0] - before[0], after[1] - before[1]};
    }

    private static long[] download(MptcpTraffic client, Netns ns, long bytes, String first, String second) {
        long[] before = counters(ns, first, second, false);
        client.download(bytes);
        long[] after = counters(ns, first, second, false);
        return new long[] {after[0] - before[0], after[1] - before[1]};
    }

    private static long[] counters(Netns ns, String first, String second, boolean received) {
        return new long[] {
            received ? TwoPathLab.rxBytes(ns, first) : TwoPathLab.txBytes(ns, first),
            received ? TwoPathLab.rxBytes(ns, second) : TwoPathLab.txBytes(ns, second)
        };
    }

    private static void report(String scenario, String subflows, long[] bytes) {
        System.out.println("data plane: " + scenario + ": " + subflows
                + (bytes.length == 2 ? "; bytes " + bytes[0] + " / " + bytes[1] : ""));
    }
}
