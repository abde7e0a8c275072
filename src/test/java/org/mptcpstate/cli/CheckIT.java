package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.KernelTests;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Netns;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * check against real namespaces: the end-to-end multipath scenario (two namespaces, two veth pairs, state files
 * applied, a real MPTCP connection that survives one link going down, check before and after the per-source
 * routing rule), and one namespace per trap, each finding compared with what iproute2 and sysctl say.
 */
@Tag("kernel")
class CheckIT {
    private static final int PORT = 5201;

    private static final String SERVER = String.join(
            "\n",
            "import socket",
            "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "s.bind(('0.0.0.0', " + PORT + ")); s.listen(1)",
            "print('listening', flush=True)",
            "c, peer = s.accept()",
            "while True:",
            "    data = c.recv(65536)",
            "    if not data: break",
            "    c.sendall(data)",
            "c.close(); s.close()",
            "print('served', flush=True)");

    // echoes data, waits for its subflows (MPTCP_INFO, SOL_MPTCP 284), then for a line on stdin (the test has
    // set a link down meanwhile), and echoes more data
    private static final String CLIENT = String.join(
            "\n",
            "import socket, sys, time",
            "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)",
            "s.settimeout(30)",
            "s.connect(('192.0.2.2', " + PORT + "))",
            "def echo(payload):",
            "    s.sendall(payload)",
            "    got = b''",
            "    while len(got) < len(payload):",
            "        chunk = s.recv(65536)",
            "        if not chunk: raise SystemExit('connection closed')",
            "        got += chunk",
            "    assert got == payload",
            "echo(b'before' * 1000)",
            "for i in range(200):",
            "    info = s.getsockopt(284, 1, 64)",
            "    if info[0] >= 2: break",
            "    time.sleep(0.05)",
            "print('subflows', info[0], flush=True)",
            "sys.stdin.readline()",
            "echo(b'after link down' * 10000)",
            "print('echoed', 15 * 10000, 'subflows', s.getsockopt(284, 1, 64)[0], flush=True)",
            "s.close()");

    private static final String CLIENT_STATE = String.join(
            "\n",
            "mptcp:",
            "  enabled: true",
            "  limits:",
            "    subflows: 2",
            "    add-addr-accepted: 2",
            "interfaces:",
            "- name: c1",
            "  mptcp:",
            "    address-flags: [subflow]",
            "");

    private static final String SERVER_STATE = String.join(
            "\n",
            "mptcp:",
            "  enabled: true",
            "  limits:",
            "    subflows: 2",
            "    add-addr-accepted: 2",
            "interfaces:",
            "- name: s1",
            "  mptcp:",
            "    address-flags: [signal]",
            "");

    @Test
    void multipathSurvivesALinkDownAndCheckFindsTheMissingRule() throws Exception {
        KernelTests.requireRoot();
        requirePython();
        Path dir = Files.createTempDirectory("check-it");
        try (Netns client = Netns.create("chk-c");
                Netns server = Netns.create("chk-s")) {
            connect(client, server);
            // the only way out of the client is the default route via the first link
            client.ip("route", "add", "default", "via", "192.0.2.2", "dev", "c0");
            Path clientFile = write(dir.resolve("client.yml"), CLIENT_STATE);
            Path serverFile = write(dir.resolve("server.yml"), SERVER_STATE);

            // checking the file before applying it already shows the missing rule for the new endpoint
            Mptcpstate.Run planned = Mptcpstate.inProcess("check", clientFile.toString(), "--netns", client.name());
            assertThat(planned.exitCode())
                    .as(planned.stdout() + planned.stderr())
                    .isEqualTo(1);
            assertThat(planned.stdout())
                    .startsWith("error no-route-via-device c1 198.51.100.1: subflows from 198.51.100.1 are bound to c1"
                            + " and no route to 203.0.113.254 goes through c1")
                    .contains("(evidence: the route lookup only")
                    .hasLineCount(1);

            // (the only stderr lines are the warnings about the links' fe80:: addresses)
            assertThat(Mptcpstate.inProcess("apply", clientFile.toString(), "--netns", client.name())
                            .exitCode())
                    .isZero();
            assertThat(Mptcpstate.inProcess("apply", serverFile.toString(), "--netns", server.name())
                            .exitCode())
                    .isZero();
            assertThat(client.ip("mptcp", "endpoint", "show"))
                    .contains("198.51.100.1")
                    .contains("subflow");
            assertThat(server.ip("mptcp", "endpoint", "show"))
                    .contains("198.51.100.2")
                    .contains("signal");

            // what the kernel says: without a rule, no route to a remote address goes through c1 (table 0: the
            // lookup bound to c1 only assumes the destination is on its link)
            assertThat(client.ip("route", "get", "203.0.113.254", "from", "198.51.100.1"))
                    .contains("dev c0");
            assertThat(Netns.runAllowingFailure(List.of(
                                    "ip",
                                    "-n",
                                    client.name(),
                                    "route",
                                    "get",
                                    "fibmatch",
                                    "203.0.113.254",
                                    "from",
                                    "198.51.100.1",
                                    "oif",
                                    "c1"))
                            .exitCode())
                    .isNotZero();
            Mptcpstate.Run before = Mptcpstate.inProcess("check", "--netns", client.name());
            assertThat(before.exitCode()).isEqualTo(1);
            assertThat(before.stdout())
                    .startsWith("error no-route-via-device c1 198.51.100.1: ")
                    .hasLineCount(1)
                    .contains("ip rule add from 198.51.100.1 table 100");
            JsonNode json = Documents.json(Mptcpstate.inProcess("check", "--json", "--netns", client.name())
                    .stdout());
            assertThat(json.path("errors").asInt()).isEqualTo(1);
            assertThat(json.path("findings").get(0).path("code").asString()).isEqualTo("no-route-via-device");
            assertThat(json.path("findings").get(0).path("interface").asString())
                    .isEqualTo("c1");
            assertThat(json.path("findings").get(0).path("address").asString()).isEqualTo("198.51.100.1");
            // the server has no default route: only on-link clients reach its announced address (a warning)
            assertThat(server.ip("route", "show", "default")).isBlank();
            Mptcpstate.Run server0 = Mptcpstate.inProcess("check", "--netns", server.name());
            assertThat(server0.stdout())
                    .startsWith("warning no-remote-route s1 198.51.100.2: no route from 198.51.100.2 to 203.0.113.254"
                            + " (ip route get 203.0.113.254 from 198.51.100.2: Network is unreachable (ENETUNREACH)):"
                            + " only on-link peers can use subflows to this announced address")
                    .hasLineCount(1);
            assertThat(server0.exitCode()).isZero();

            client.ip("rule", "add", "from", "198.51.100.1", "table", "100");
            client.ip("route", "add", "default", "via", "198.51.100.2", "dev", "c1", "table", "100");
            assertThat(client.ip("route", "get", "203.0.113.254", "from", "198.51.100.1"))
                    .contains("dev c1");
            Mptcpstate.Run after = Mptcpstate.inProcess("check", "--netns", client.name());
            assertThat(after.stdout()).isEqualTo("no problems found\n");
            assertThat(after.exitCode()).isZero();

            try (Python serverPython = Python.start(server, SERVER)) {
                assertThat(serverPython.readLine()).isEqualTo("listening");
                try (Python clientPython = Python.start(client, CLIENT)) {
                    String subflows = clientPython.readLine();
                    assertThat(subflows).isEqualTo("subflows 2");
                    String ss = client.exec("ss", "-Mi");
                    assertThat(ss)
                            .contains("192.0.2.1")
                            .contains("192.0.2.2:" + PORT)
                            .contains("subflows:2");
                    // both paths carry a subflow: one TCP connection per link
                    String tcp = client.exec("ss", "-tn", "state", "established");
                    assertThat(tcp).contains("192.0.2.1:").contains("198.51.100.1:");

                    client.ip("link", "set", "c0", "down");
                    clientPython.writeLine("go");
                    assertThat(clientPython.readLine()).startsWith("echoed 150000 subflows");
                    assertThat(clientPython.waitFor()).as(clientPython.stderr()).isZero();
                }
                assertThat(serverPython.readLine()).isEqualTo("served");
            }
        }
    }

    @Test
    void aCleanNamespaceHasNoFindings() {
        KernelTests.requireRoot();
        try (Netns ns = trapNamespace()) {
            Mptcpstate.Run run = Mptcpstate.inProcess("check", "--netns", ns.name());
            assertThat(run.stdout()).isEqualTo("no problems found\n");
            assertThat(run.exitCode()).isZero();
            JsonNode json = Documents.json(Mptcpstate.inProcess("check", "--json", "--netns", ns.name())
                    .stdout());
            assertThat(json.path("findings").isEmpty()).isTrue();
            assertThat(json.path("errors").asInt()).isZero();
        }
    }

    @Test
    void mptcpDisabled() {
        KernelTests.requireRoot();
        try (Netns ns = trapNamespace()) {
            ns.sysctl("net.mptcp.enabled", "0");
            assertThat(ns.exec("sysctl", "-n", "net.mptcp.enabled").strip()).isEqualTo("0");
            assertFinding(ns, 1, "error mptcp-disabled net.mptcp.enabled: ", "sysctl -w net.mptcp.enabled=1");
        }
    }

    @Test
    void userspacePathManager() {
        KernelTests.requireRoot();
        try (Netns ns = trapNamespace()) {
            ns.sysctl("net.mptcp.path_manager", "userspace");
            assertThat(ns.exec("sysctl", "-n", "net.mptcp.path_manager").strip())
                    .isEqualTo("userspace");
            assertFinding(
                    ns,
                    1,
                    "error path-manager net.mptcp.path_manager: the path manager is userspace",
                    "sysctl -w net.mptcp.path_manager=kernel");
        }
    }

    /**
     * Two more subflow endpoints than the address connections start from (the one the kernel picks for a remote
     * address, here 192.0.2.1, opens no join): 2 joins, and the limit is 1.
     */
    @Test
    void subflowLimitBelowTheJoinsTheEndpointsWant() {
        KernelTests.requireRoot();
        try (Netns ns = trapNamespace()) {
            for (String address : List.of("192.0.2.11", "192.0.2.12")) {
                ns.ip("addr", "add", address + "/24", "dev", "t0");
                ns.ip("mptcp", "endpoint", "add", address, "dev", "t0", "subflow");
            }
            ns.ip("mptcp", "limits", "set", "subflows", "1");
            assertThat(ns.ip("mptcp", "limits", "show")).contains("subflows 1");
            assertThat(ns.ip("route", "get", "203.0.113.254")).contains("src 192.0.2.1 ");
            assertThat(ns.ip("mptcp", "endpoint", "show")
                            .lines()
                            .filter(l -> l.contains("subflow"))
                            .count())
                    .isEqualTo(3);
            assertFinding(
                    ns,
                    1,
                    "error subflow-limit limits subflows: the endpoints need 3 subflows with 1 peer address (a remote"
                            + " peer (203.0.113.254, as no --peer is given and there is no live connection)): 2 joins"
                            + " beyond the first subflow (192.0.2.11 -> 203.0.113.254, 192.0.2.12 -> 203.0.113.254);"
                            + " the subflows limit is 1: 2 subflows form, 1 never does",
                    "ip mptcp limits set subflows 2");
        }
    }

    @Test
    void addAddrAcceptedZeroWithAPeerOfTwoAddresses() {
        KernelTests.requireRoot();
        try (Netns ns = trapNamespace()) {
            ns.ip("mptcp", "limits", "set", "add_addr_accepted", "0");
            assertThat(ns.ip("mptcp", "limits", "show")).contains("add_addr_accepted 0");
            Mptcpstate.Run unknown = Mptcpstate.inProcess("check", "--netns", ns.name());
            assertThat(unknown.stdout()).isEqualTo("no problems found\n");
            Mptcpstate.Run run =
                    Mptcpstate.inProcess("check", "--netns", ns.name(), "--peer", "203.0.113.1", "--peer=203.0.113.65");
            assertThat(run.stdout())
                    .isEqualTo("warning add-addr-accepted limits add-addr-accepted: the peer's 1 other address (--peer"
                            + " 203.0.113.1, 203.0.113.65) can only be learnt from its announcements (ADD_ADDR), and"
                            + " add-addr-accepted is 0: 1 of them is ignored, no subflow goes there; fix: ip mptcp"
                            + " limits set add_addr_accepted 1, or in the state file: mptcp: {limits:"
                            + " {add-addr-accepted: 1}}\n");
            assertThat(run.exitCode()).isZero();
        }
    }

    @Test
    void aPeerThatIsNoAddressIsAUsageError() {
        KernelTests.requireRoot();
        try (Netns ns = trapNamespace()) {
            Mptcpstate.Run run = Mptcpstate.inProcess("check", "--netns", ns.name(), "--peer", "server.example");
            assertThat(run.exitCode()).isEqualTo(64);
            assertThat(run.stderr())
                    .startsWith("mptcpstate: --peer takes an IPv4 or IPv6 address, not 'server.example'");
            assertThat(run.stdout()).isEmpty();
        }
    }

    @Test
    void strictRpFilterOnTheEndpointsInterface() {
        KernelTests.requireRoot();
        try (Netns ns = trapNamespace()) {
            ns.sysctl("net.ipv4.conf.t0.rp_filter", "1");
            assertThat(ns.exec("sysctl", "-n", "net.ipv4.conf.all.rp_filter").strip())
                    .isEqualTo("0");
            assertThat(ns.exec("sysctl", "-n", "net.ipv4.conf.t0.rp_filter").strip())
                    .isEqualTo("1");
            assertFinding(
                    ns,
                    1,
                    "error rp-filter t0 192.0.2.1: strict reverse-path filtering",
                    "sysctl -w net.ipv4.conf.t0.rp_filter=2");

            // loose is fine; strict in "all" wins over loose on the interface (the larger value counts)
            ns.sysctl("net.ipv4.conf.t0.rp_filter", "2");
            assertThat(Mptcpstate.inProcess("check", "--netns", ns.name()).exitCode())
                    .isZero();
            ns.sysctl("net.ipv4.conf.t0.rp_filter", "0");
            ns.sysctl("net.ipv4.conf.all.rp_filter", "1");
            assertFinding(
                    ns,
                    1,
                    "error rp-filter t0 192.0.2.1: ",
                    "sysctl -w net.ipv4.conf.all.rp_filter=2 net.ipv4.conf.t0.rp_filter=2");
        }
    }

    @Test
    void endpointOnAnAddressNotOnTheHost() {
        KernelTests.requireRoot();
        try (Netns ns = trapNamespace()) {
            ns.ip("mptcp", "endpoint", "add", "203.0.113.77", "id", "9", "subflow");
            assertThat(ns.ip("-j", "addr", "show")).doesNotContain("203.0.113.77");
            assertFinding(
                    ns,
                    1,
                    "error address-not-on-host 203.0.113.77: endpoint 9 is on an address",
                    "ip mptcp endpoint delete id 9");
        }
    }

    @Test
    void interfaceWithoutARoute() {
        KernelTests.requireRoot();
        try (Netns ns = trapNamespace()) {
            ns.ip("link", "add", "t1", "type", "veth", "peer", "name", "t1p");
            ns.ip("addr", "add", "198.51.100.1/24", "dev", "t1", "noprefixroute");
            ns.ip("link", "set", "t1", "up");
            ns.ip("link", "set", "t1p", "up");
            ns.ip("mptcp", "endpoint", "add", "198.51.100.1", "dev", "t1", "subflow");
            assertThat(ns.ip("-4", "route", "show", "table", "all", "dev", "t1", "type", "unicast"))
                    .isBlank();
            assertFinding(
                    ns,
                    1,
                    "error no-route t1 198.51.100.1: t1 has no IPv4 route in any table",
                    "ip route add PREFIX dev t1");
        }
    }

    @Test
    void anInvalidFileExits65() throws Exception {
        KernelTests.requireRoot();
        Path dir = Files.createTempDirectory("check-it");
        Path file = write(dir.resolve("bad.yml"), "mptcp: [\n");
        Path unknown = write(
                dir.resolve("unknown.yml"), "interfaces:\n- name: nosuch0\n  mptcp:\n    address-flags: [subflow]\n");
        try (Netns ns = trapNamespace()) {
            Mptcpstate.inProcess("check", file.toString(), "--netns", ns.name()).assertFailsWithOneLine(65);
            Mptcpstate.Run run = Mptcpstate.inProcess("check", unknown.toString(), "--netns", ns.name());
            assertThat(run.exitCode()).as(run.stderr()).isEqualTo(65);
            assertThat(run.stderr()).contains("nosuch0");
            assertThat(run.stdout()).isEmpty();
        }
    }

    /** With FILE, the state the file would produce is checked: here the file fixes the kernel's traps. */
    @Test
    void aFileIsCheckedAsAppliedWithoutWritingAnything() throws Exception {
        KernelTests.requireRoot();
        Path file = write(
                Files.createTempDirectory("check-it").resolve("fix.yml"),
                String.join(
                        "\n",
                        "mptcp:",
                        "  enabled: true",
                        "  limits:",
                        "    subflows: 2",
                        "    add-addr-accepted: 2",
                        ""));
        try (Netns ns = trapNamespace()) {
            ns.sysctl("net.mptcp.enabled", "0");
            ns.ip("mptcp", "limits", "set", "subflows", "0", "add_addr_accepted", "0");
            ns.ip("addr", "add", "192.0.2.11/24", "dev", "t0");
            ns.ip("mptcp", "endpoint", "add", "192.0.2.11", "dev", "t0", "subflow");
            Mptcpstate.Run now = Mptcpstate.inProcess("check", "--netns", ns.name());
            assertThat(now.exitCode()).isEqualTo(1);
            assertThat(now.stdout())
                    .startsWith("error mptcp-disabled")
                    .contains("error subflow-limit")
                    .hasLineCount(2);
            Mptcpstate.Run planned = Mptcpstate.inProcess("check", file.toString(), "--netns", ns.name());
            assertThat(planned.stdout()).isEqualTo("no problems found\n");
            assertThat(planned.exitCode()).isZero();
            // nothing was written
            assertThat(ns.exec("sysctl", "-n", "net.mptcp.enabled").strip()).isEqualTo("0");
            assertThat(ns.ip("mptcp", "limits", "show")).contains("subflows 0").contains("add_addr_accepted 0");
        }
    }

    /** Issue 15, point 7: an endpoint only the file's plan would make is named by its address, not its id. */
    @Test
    void aFixNeverNamesAnIdThatOnlyThePlanHas() throws Exception {
        KernelTests.requireRoot();
        Path file = write(
                Files.createTempDirectory("check-it").resolve("new.yml"),
                "mptcp:\n  endpoints:\n  - address: 203.0.113.77\n    flags: [subflow]\n");
        try (Netns ns = trapNamespace()) {
            String endpoints = ns.ip("-j", "mptcp", "endpoint", "show");
            Mptcpstate.Run run = Mptcpstate.inProcess("check", file.toString(), "--netns", ns.name());
            assertThat(run.stdout())
                    .isEqualTo("error address-not-on-host 203.0.113.77: the endpoint is on an address the host does"
                            + " not have: no subflow can be made from it, nor accepted on it; fix: add the address (ip"
                            + " addr add 203.0.113.77/PREFIX dev IFNAME), or remove the endpoint (leave 203.0.113.77"
                            + " out of the state file)\n");
            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(ns.ip("-j", "mptcp", "endpoint", "show")).isEqualTo(endpoints);
        }
    }

    /**
     * One namespace without traps: t0 192.0.2.1/24 (a veth whose peer stays in the namespace) with a default
     * route, a subflow endpoint on it, limits 2/2, rp_filter 0.
     */
    private static Netns trapNamespace() {
        Netns ns = Netns.create("chk-t");
        ns.ip("link", "set", "lo", "up");
        ns.ip("link", "add", "t0", "type", "veth", "peer", "name", "t0p");
        ns.ip("addr", "add", "192.0.2.1/24", "dev", "t0");
        ns.ip("link", "set", "t0", "up");
        ns.ip("link", "set", "t0p", "up");
        ns.ip("route", "add", "default", "via", "192.0.2.2", "dev", "t0");
        ns.sysctl("net.ipv4.conf.all.rp_filter", "0");
        ns.sysctl("net.ipv4.conf.t0.rp_filter", "0");
        ns.ip("mptcp", "limits", "set", "subflows", "2", "add_addr_accepted", "2");
        ns.ip("mptcp", "endpoint", "add", "192.0.2.1", "dev", "t0", "subflow");
        return ns;
    }

    /** check finds exactly one finding, starting so and naming the fix; the exit code follows its severity. */
    private static void assertFinding(Netns ns, int exitCode, String start, String fix) {
        Mptcpstate.Run run = Mptcpstate.inProcess("check", "--netns", ns.name());
        assertThat(run.stdout())
                .as(run.stderr())
                .startsWith(start)
                .hasLineCount(1)
                .contains("; fix: ")
                .contains(fix);
        assertThat(run.exitCode()).as(run.stdout()).isEqualTo(exitCode);
        assertThat(run.stderr()).isEmpty();
    }

    /** c0 192.0.2.1 - s0 192.0.2.2 and c1 198.51.100.1 - s1 198.51.100.2; rp_filter 0 (the routes are asymmetric). */
    private static void connect(Netns client, Netns server) {
        Netns.twoPaths(client, server);
        for (Netns ns : List.of(client, server)) {
            ns.sysctl("net.ipv4.conf.all.rp_filter", "0");
        }
        for (String link : List.of("c0", "c1")) {
            client.sysctl("net.ipv4.conf." + link + ".rp_filter", "0");
        }
        for (String link : List.of("s0", "s1")) {
            server.sysctl("net.ipv4.conf." + link + ".rp_filter", "0");
        }
    }

    private static Path write(Path file, String content) throws IOException {
        return Files.writeString(file, content);
    }

    private static void requirePython() {
        if (Netns.runAllowingFailure(List.of("sh", "-c", "command -v python3")).exitCode() != 0) {
            if (KernelTests.required()) {
                fail("python3 is not installed: the MPTCP connection of CheckIT cannot be made");
            }
            org.junit.jupiter.api.Assumptions.abort("python3 is not installed");
        }
    }

    /** A python3 script in a namespace: stdout read line by line, stdin written by the test. */
    private static final class Python implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final OutputStream in;

        private Python(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = process.getOutputStream();
        }

        static Python start(Netns ns, String script) throws IOException {
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.name(), "python3", "-c", script));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.redirectError(ProcessBuilder.Redirect.PIPE);
            return new Python(builder.start());
        }

        /** The next stdout line; the scripts' sockets time out after 30 s, so this does not hang forever. */
        String readLine() throws IOException {
            String line = out.readLine();
            if (line == null) {
                throw new AssertionError("python3 ended without output: " + stderr());
            }
            return line;
        }

        void writeLine(String line) throws IOException {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }

        int waitFor() throws InterruptedException {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("python3 did not end");
            }
            return process.exitValue();
        }

        String stderr() {
            try {
                return process.isAlive()
                        ? ""
                        : new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
