package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.KernelTests;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Netns;
import org.mptcpstate.testing.Nobody;
import tools.jackson.databind.JsonNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * monitor against a real multipath connection: a client and a server namespace joined by two veth pairs, the
 * server signalling its second address, a Python MPTCP socket on each side; the built jar monitors both.
 */
@Tag("kernel")
class MonitorIT {
    private static final int PORT = 5201;

    private static final String SERVER = String.join(
            "\n",
            "import socket, sys",
            "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "s.bind(('0.0.0.0', " + PORT + ")); s.listen(1)",
            "print('listening', flush=True)",
            "c, peer = s.accept()",
            "data = c.recv(100); c.sendall(data)",
            "c.recv(100)", // returns when the client closes
            "c.close(); s.close()",
            "print('peer', peer[0], peer[1], flush=True)");

    // waits (MPTCP_INFO, SOL_MPTCP 284) until the second subflow is there, then prints the token and its port
    private static final String CLIENT = String.join(
            "\n",
            "import socket, struct, time",
            "s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, 262)",
            "s.connect(('192.0.2.2', " + PORT + "))",
            "s.sendall(b'hello mptcp'); assert s.recv(100) == b'hello mptcp'",
            "for i in range(200):",
            "    info = s.getsockopt(284, 1, 64)",
            "    if info[0] >= 1: break",
            "    time.sleep(0.05)",
            "print('subflows', info[0])",
            "print('token', '%08x' % struct.unpack('=I', info[12:16])[0])",
            "print('local', s.getsockname()[0], s.getsockname()[1])",
            "s.close()");

    @Test
    void printsTheEventsOfAMultipathConnection() throws Exception {
        KernelTests.requireRoot();
        requirePython();
        try (Netns client = Netns.create("mon-c");
                Netns server = Netns.create("mon-s")) {
            connect(client, server);
            server.ip("mptcp", "endpoint", "add", "198.51.100.2", "dev", "s1", "id", "7", "signal");

            try (Background clientMonitor = Background.start(monitor(client));
                    Background serverMonitor = Background.start(monitor(server))) {
                clientMonitor.awaitStderr("monitoring MPTCP events in network namespace " + client.name());
                serverMonitor.awaitStderr("monitoring MPTCP events in network namespace " + server.name());

                try (Background python =
                        Background.start(List.of("ip", "netns", "exec", server.name(), "python3", "-c", SERVER))) {
                    python.awaitLine("listening");
                    String out = client.exec("python3", "-c", CLIENT);
                    python.awaitLine("peer ");
                    assertThat(out).contains("subflows 1");
                    String token = word(out, "token", 1);
                    int clientPort = Integer.parseInt(word(out, "local", 2));

                    List<JsonNode> events = clientMonitor.awaitEvent("closed");
                    JsonNode created = only(events, "created");
                    assertThat(created.path("token").asString()).isEqualTo(token);
                    assertThat(created.path("family").asString()).isEqualTo("ipv4");
                    assertThat(created.path("local-address").asString()).isEqualTo("192.0.2.1");
                    assertThat(created.path("local-port").asInt()).isEqualTo(clientPort);
                    assertThat(created.path("remote-address").asString()).isEqualTo("192.0.2.2");
                    assertThat(created.path("remote-port").asInt()).isEqualTo(PORT);
                    JsonNode established = only(events, "established");
                    assertThat(established.path("token").asString()).isEqualTo(token);
                    assertThat(established.path("local-port").asInt()).isEqualTo(clientPort);
                    assertThat(established.path("remote-port").asInt()).isEqualTo(PORT);
                    JsonNode announced = only(events, "announced");
                    assertThat(announced.path("remote-address").asString()).isEqualTo("198.51.100.2");
                    assertThat(announced.path("remote-id").asInt()).isEqualTo(7);
                    JsonNode subflow = only(events, "sub-established");
                    assertThat(subflow.path("token").asString()).isEqualTo(token);
                    assertThat(subflow.path("local-address").asString()).isEqualTo("198.51.100.1");
                    assertThat(subflow.path("remote-address").asString()).isEqualTo("198.51.100.2");
                    assertThat(subflow.path("remote-port").asInt()).isEqualTo(PORT);
                    assertThat(subflow.path("remote-id").asInt()).isEqualTo(7);
                    assertThat(subflow.path("backup").asBoolean()).isFalse();
                    // if-idx comes only for subflows bound to a device; this one follows the routes
                    assertThat(subflow.has("interface-index")).as("%s", subflow).isFalse();
                    assertThat(only(events, "closed").path("token").asString()).isEqualTo(token);

                    List<JsonNode> serverEvents = serverMonitor.awaitEvent("closed");
                    JsonNode listener = only(serverEvents, "listener-created");
                    assertThat(listener.path("local-port").asInt()).isEqualTo(PORT);
                    JsonNode accepted = only(serverEvents, "created");
                    assertThat(accepted.path("server-side").asBoolean()).isTrue();
                    assertThat(accepted.path("local-address").asString()).isEqualTo("192.0.2.2");
                    assertThat(accepted.path("remote-address").asString()).isEqualTo("192.0.2.1");
                    assertThat(accepted.path("remote-port").asInt()).isEqualTo(clientPort);
                    JsonNode join = only(serverEvents, "sub-established");
                    assertThat(join.path("local-address").asString()).isEqualTo("198.51.100.2");
                    assertThat(join.path("local-port").asInt()).isEqualTo(PORT);
                    assertThat(join.path("remote-address").asString()).isEqualTo("198.51.100.1");
                    assertThat(join.path("remote-port").asInt())
                            .isEqualTo(subflow.path("local-port").asInt());
                    assertThat(join.path("local-id").asInt()).isEqualTo(7);
                }
                // SIGTERM ends a monitor with exit 0, and nothing but the ready line on stderr
                assertThat(clientMonitor.terminate()).isZero();
                assertThat(clientMonitor.stderr().strip().lines().count())
                        .as(clientMonitor.stderr())
                        .isEqualTo(1);
                assertThat(serverMonitor.terminate()).isZero();
            }
        }
    }

    /**
     * A subflow from a client endpoint bound to its interface (policy routing sends it out of c1) carries the
     * interface index, which monitor prints as the interface's name.
     */
    @Test
    void aSubflowBoundToAnInterfaceNamesIt() throws Exception {
        KernelTests.requireRoot();
        requirePython();
        try (Netns client = Netns.create("mon-c");
                Netns server = Netns.create("mon-s")) {
            connect(client, server);
            client.ip("mptcp", "endpoint", "add", "198.51.100.1", "dev", "c1", "id", "3", "subflow");
            client.ip("rule", "add", "from", "198.51.100.1", "table", "100");
            client.ip("route", "add", "192.0.2.0/24", "dev", "c1", "table", "100");
            try (Background clientMonitor = Background.start(monitor(client))) {
                clientMonitor.awaitStderr("monitoring MPTCP events in network namespace " + client.name());
                try (Background python =
                        Background.start(List.of("ip", "netns", "exec", server.name(), "python3", "-c", SERVER))) {
                    python.awaitLine("listening");
                    String out = client.exec("python3", "-c", CLIENT);
                    python.awaitLine("peer ");
                    assertThat(out).contains("subflows 1");
                    JsonNode subflow = only(clientMonitor.awaitEvent("closed"), "sub-established");
                    assertThat(subflow.path("local-address").asString()).isEqualTo("198.51.100.1");
                    assertThat(subflow.path("remote-address").asString()).isEqualTo("192.0.2.2");
                    assertThat(subflow.path("remote-port").asInt()).isEqualTo(PORT);
                    assertThat(subflow.path("local-id").asInt()).isEqualTo(3);
                    assertThat(subflow.path("interface").asString()).isEqualTo("c1");
                    assertThat(subflow.path("interface-index").asInt())
                            .isEqualTo(Documents.json(client.ip("-j", "link", "show", "c1"))
                                    .get(0)
                                    .path("ifindex")
                                    .asInt());
                }
                assertThat(clientMonitor.terminate()).isZero();
            }
        }
    }

    /** Two veth pairs: c0 192.0.2.1 - s0 192.0.2.2 and c1 198.51.100.1 - s1 198.51.100.2; limits raised. */
    private static void connect(Netns client, Netns server) {
        Netns.twoPaths(client, server);
        for (Netns ns : List.of(client, server)) {
            ns.ip("mptcp", "limits", "set", "subflows", "2", "add_addr_accepted", "2");
        }
    }

    @Test
    void withoutCapNetAdminItExits77() throws Exception {
        KernelTests.requireRoot();
        Mptcpstate.Run run = Mptcpstate.jarVia(Nobody.prefix(), Nobody.readableJar(), "monitor");
        run.assertFailsWithOneLine(77);
        assertThat(run.stderr()).contains("mptcp_pm_events").contains("CAP_NET_ADMIN");
    }

    private static List<String> monitor(Netns ns) {
        return List.of(
                Mptcpstate.java(),
                "-jar",
                Mptcpstate.jar().toAbsolutePath().toString(),
                "monitor",
                "--json",
                "--netns",
                ns.name());
    }

    private static void requirePython() {
        if (Netns.runAllowingFailure(List.of("sh", "-c", "command -v python3")).exitCode() != 0) {
            if (KernelTests.required()) {
                fail("python3 is not installed: the MPTCP connection of MonitorIT cannot be made");
            }
            org.junit.jupiter.api.Assumptions.abort("python3 is not installed");
        }
    }

    private static String word(String output, String key, int index) {
        for (String line : output.lines().toList()) {
            String[] words = line.split(" ");
            if (words[0].equals(key)) {
                return words[index];
            }
        }
        throw new AssertionError("no '" + key + "' line in " + output);
    }

    private static JsonNode only(List<JsonNode> events, String name) {
        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode event : events) {
            if (name.equals(event.path("event").asString())) {
                matching.add(event);
            }
        }
        assertThat(matching).as("'%s' events in %s", name, events).hasSize(1);
        return matching.get(0);
    }

    /** A process whose stdout lines and stderr are collected by reader threads. */
    private static final class Background implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new ArrayList<>();
        private final StringBuilder stderr = new StringBuilder();

        private Background(Process process) {
            this.process = process;
        }

        static Background start(List<String> command) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            builder.environment().remove("_JAVA_OPTIONS");
            builder.environment().remove("JDK_JAVA_OPTIONS");
            Background background = new Background(builder.start());
            background.process.getOutputStream().close();
            background.read(background.process.getInputStream(), true);
            background.read(background.process.getErrorStream(), false);
            return background;
        }

        private void read(InputStream stream, boolean out) {
            Thread thread = new Thread(() -> {
                try (BufferedReader reader =
                        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        synchronized (this) {
                            if (out) {
                                lines.add(line);
                            } else {
                                stderr.append(line).append('\n');
                            }
                            notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        synchronized String stderr() {
            return stderr.toString();
        }

        /** Waits (up to 30 s) until stderr holds the text; fails with what it holds otherwise. */
        synchronized void awaitStderr(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!stderr.toString().contains(text)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !process.isAlive()) {
                    wait(300); // the last lines of a process that ended
                    if (!stderr.toString().contains(text)) {
                        fail("no '" + text + "' on stderr; stderr: " + stderr + " stdout: " + lines);
                    }
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }

        /** Waits until a stdout line starts with the text. */
        synchronized void awaitLine(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (lines.stream().noneMatch(l -> l.startsWith(prefix))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("no line starting with '" + prefix + "'; stdout: " + lines + " stderr: " + stderr);
                }
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            }
        }

        /** Waits until an event of that name was printed; returns every event so far, parsed. */
        synchronized List<JsonNode> awaitEvent(String name) throws InterruptedException {
            awaitLine("{\"event\":\"" + name + "\"");
            List<JsonNode> events = new ArrayList<>();
            for (String line : lines) {
                events.add(Documents.json(line));
            }
            return events;
        }

        /** SIGTERM, and the exit code. */
        int terminate() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("monitor did not end 30 s after SIGTERM");
            }
            Thread.sleep(100); // let the reader threads drain
            return process.exitValue();
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
