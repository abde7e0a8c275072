package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Netns;
import tools.jackson.databind.JsonNode;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * watch as the built jar in the background, against the real kernel: events, resync, SIGHUP, SIGTERM. The
 * oracle is `ip -j mptcp endpoint show`. Also prints the reaction time and the daemon's RSS.
 */
@Tag("kernel")
class WatchIT {
    /** The launcher's JVM options (./mptcpstate), so that the RSS printed is the one users get. */
    private static final List<String> LAUNCHER_OPTIONS = List.of(
            "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:+UseSerialGC", "-Xss512k", "-XX:MaxRAM=256m");

    private static final String SUBFLOW = """
            mptcp:
              limits:
                subflows: 4
            interfaces:
            - name: eth1
              mptcp:
                address-flags: [subflow]
            """;
    private static final String BACKUP = """
            interfaces:
            - name: eth1
              mptcp:
                address-flags: [subflow, backup]
            """;
    private static final String INVALID = """
            interfaces:
            - name: eth1
              mptcp:
                adress-flags: [signal]
            """;

    private static Netns namespace() {
        Netns ns = Netns.create("watch");
        ns.ip("link", "add", "eth1", "type", "veth", "peer", "name", "eth2");
        ns.ip("link", "set", "eth1", "up");
        ns.ip("link", "set", "eth2", "up");
        ns.ip("addr", "add", "192.0.2.2/24", "dev", "eth1");
        ns.awaitAddressesSettled();
        return ns;
    }

    /** address -> flags ("subflow", "backup", ...) as iproute2 reports them. */
    private static Map<String, List<String>> endpoints(Netns ns) {
        Map<String, List<String>> byAddress = new HashMap<>();
        for (JsonNode endpoint : Documents.elements(Documents.json(ns.ip("-j", "mptcp", "endpoint", "show")))) {
            List<String> flags = new ArrayList<>();
            for (String flag : List.of("signal", "subflow", "backup", "fullmesh")) {
                if (endpoint.path(flag).asBoolean(false)) {
                    flags.add(flag);
                }
            }
            byAddress.put(endpoint.path("address").asString(), flags);
        }
        return byAddress;
    }

    private static int idOf(Netns ns, String address) {
        for (JsonNode endpoint : Documents.elements(Documents.json(ns.ip("-j", "mptcp", "endpoint", "show")))) {
            if (address.equals(endpoint.path("address").asString())) {
                return endpoint.path("id").asInt();
            }
        }
        throw new AssertionError("no endpoint for " + address);
    }

    private static void await(String what, long seconds, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + seconds + " s: " + what);
            }
            sleep(1);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void signal(Process process, String signal) {
        Netns.run(List.of("kill", "-" + signal, Long.toString(process.pid())));
    }

    /** The daemon in the background, stdout and stderr to files. */
    private record Daemon(Process process, Path out, Path err) implements AutoCloseable {
        static Daemon start(Path state, Netns ns, String... extra) throws IOException {
            Path out = Files.createTempFile("watch-", ".out");
            Path err = Files.createTempFile("watch-", ".err");
            List<String> command = new ArrayList<>(List.of(Mptcpstate.java()));
            command.addAll(LAUNCHER_OPTIONS);
            command.addAll(List.of(
                    "-jar",
                    Mptcpstate.jar().toString(),
                    "watch",
                    state.toString(),
                    "--netns",
                    ns.name(),
                    "--resync",
                    "1"));
            Collections.addAll(command, extra);
            Process process = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            Daemon daemon = new Daemon(process, out, err);
            await(
                    "watch started (stderr: " + err + ")",
                    30,
                    () -> daemon.stdout().contains("\"started\"")
                            || daemon.stderr().contains("watching"));
            return daemon;
        }

        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        long rssKiB() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            throw new AssertionError("no VmRSS");
        }

        @Override
        public void close() throws IOException {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Test
    void keepsTheNamespaceMatchingTheFile() throws Exception {
        Path state = Files.createTempFile("watch-", ".yml");
        Files.writeString(state, SUBFLOW);
        try (Netns ns = namespace();
                Daemon daemon = Daemon.start(state, ns)) {
            await("start endpoint", 10, () -> endpoints(ns).containsKey("192.0.2.2"));
            assertThat(ns.ip("mptcp", "limits", "show")).contains("subflows 4");

            // an address that appears gets its endpoint; one that goes loses it; timed from `ip addr add`
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                long start = System.nanoTime();
                ns.ip("addr", "add", "198.51.100.2/24", "dev", "eth1");
                await("endpoint for the new address", 10, () -> endpoints(ns).containsKey("198.51.100.2"));
                micros.add((System.nanoTime() - start) / 1000);
                assertThat(endpoints(ns).get("198.51.100.2")).containsExactly("subflow");
                ns.ip("addr", "del", "198.51.100.2/24", "dev", "eth1");
                await(
                        "endpoint of the removed address gone",
                        10,
                        () -> !endpoints(ns).containsKey("198.51.100.2"));
            }
            Collections.sort(micros);
            System.out.println("watch reaction, ip addr add -> endpoint seen by ip mptcp endpoint show"
                    + " (includes forking ip): median " + micros.get(micros.size() / 2) / 1000.0 + " ms, min "
                    + micros.get(0) / 1000.0 + " ms, max " + micros.get(micros.size() - 1) / 1000.0 + " ms");
            // the log line is written after the kernel write the loop above saw: wait for it, do not race it
            await(
                    "address events logged",
                    2,
                    () -> daemon.stdout().contains("events: + endpoint 198.51.100.2 on eth1 [subflow]")
                            && daemon.stdout().contains("events: - endpoint"));

            // an endpoint deleted behind its back comes back at the next resync
            ns.ip("mptcp", "endpoint", "delete", "id", Integer.toString(idOf(ns, "192.0.2.2")));
            await("endpoint restored by the resync", 5, () -> endpoints(ns).containsKey("192.0.2.2"));
            await("resync logged", 2, () -> daemon.stdout().contains("resync: + endpoint 192.0.2.2"));

            // SIGHUP reloads the file
            Files.writeString(state, BACKUP);
            signal(daemon.process(), "HUP");
            await(
                    "backup flag after reload",
                    5,
                    () -> List.of("subflow", "backup").equals(endpoints(ns).get("192.0.2.2")));
            await("reload logged", 2, () -> daemon.stdout().contains("reload: ~ endpoint"));

            // an invalid file on SIGHUP is reported and the old state kept (still enforced)
            Files.writeString(state, INVALID);
            signal(daemon.process(), "HUP");
            await("reload failure logged", 5, () -> daemon.stderr().contains("reload failed"));
            assertThat(daemon.stderr()).contains("unknown key 'adress-flags'");
            ns.ip("mptcp", "endpoint", "delete", "id", Integer.toString(idOf(ns, "192.0.2.2")));
            await(
                    "old state restored",
                    5,
                    () -> List.of("subflow", "backup").equals(endpoints(ns).get("192.0.2.2")));

            long rss = daemon.rssKiB();
            System.out.println("watch RSS after the events above: " + rss / 1024 + " MiB (" + rss + " KiB)");

            // SIGTERM: exit 0, promptly
            signal(daemon.process(), "TERM");
            assertThat(daemon.process().waitFor(10, TimeUnit.SECONDS))
                    .as("exited after SIGTERM")
                    .isTrue();
            assertThat(daemon.process().exitValue()).isZero();
            assertThat(daemon.stderr()).doesNotContain("Exception", "\tat ");
        } finally {
            Files.deleteIfExists(state);
        }
    }

    @Test
    void jsonLinesAndATentativeIpv6AddressAndSigint() throws Exception {
        Path state = Files.createTempFile("watch-", ".yml");
        Files.writeString(state, SUBFLOW);
        try (Netns ns = namespace();
                Daemon daemon = Daemon.start(state, ns, "--json")) {
            await("start endpoint", 10, () -> endpoints(ns).containsKey("192.0.2.2"));
            // a tentative IPv6 address gets its endpoint at once, with a warning
            ns.ip("addr", "add", "2001:db8::2/64", "dev", "eth1");
            await("endpoint for the IPv6 address", 10, () -> endpoints(ns).containsKey("2001:db8::2"));
            signal(daemon.process(), "INT");
            assertThat(daemon.process().waitFor(10, TimeUnit.SECONDS))
                    .as("exited after SIGINT")
                    .isTrue();
            assertThat(daemon.process().exitValue()).isZero();
            List<JsonNode> lines = new ArrayList<>();
            for (String line : daemon.stdout().split("\n")) {
                lines.add(Documents.json(line));
            }
            assertThat(lines.get(0).path("event").asString()).isEqualTo("started");
            assertThat(lines.get(lines.size() - 1).path("event").asString()).isEqualTo("stopped");
            boolean added = false;
            boolean tentative = false;
            for (JsonNode line : lines) {
                assertThat(line.path("time").asString()).isNotEmpty();
                if ("change".equals(line.path("event").asString())
                        && "2001:db8::2".equals(line.path("address").asString())) {
                    assertThat(line.path("cause").asString()).isEqualTo("events");
                    assertThat(line.path("action").asString()).isEqualTo("add-endpoint");
                    added = true;
                }
                if ("warning".equals(line.path("event").asString())
                        && line.path("text").asString().contains("tentative")) {
                    assertThat(line.path("code").asString()).isEqualTo("address-tentative");
                    tentative = true;
                }
            }
            assertThat(added)
                    .as("change line for the IPv6 endpoint in %s", lines)
                    .isTrue();
            assertThat(tentative).as("tentative warning in %s", lines).isTrue();
            assertThat(daemon.stderr()).isEmpty();
        } finally {
            Files.deleteIfExists(state);
        }
    }
}
