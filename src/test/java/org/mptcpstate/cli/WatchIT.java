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
 * watch as the built jar in the background, against the real kernel: events, storms, resync, reload (SIGHUP, and
 * by itself when the file changes: content, inode, a kubelet-style symlink swap), the status file, a FIFO, nohup,
 * SIGTERM while a step waits for the lock. The oracles are `ip -j mptcp endpoint show`, `ip mptcp limits`,
 * `sha256sum`. Also prints the reaction time and the daemon's RSS (speed is measured by bench/watch, not here).
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
            return start(List.of(), state, ns, extra);
        }

        /** Started through {@code prefix} (nohup, ...). */
        static Daemon start(List<String> prefix, Path state, Netns ns, String... extra) throws IOException {
            Path out = Files.createTempFile("watch-", ".out");
            Path err = Files.createTempFile("watch-", ".err");
            List<String> command = new ArrayList<>(prefix);
            command.add(Mptcpstate.java());
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

    private static String limits(int subflows) {
        return """
                mptcp:
                  limits:
                    subflows: %d
                interfaces:
                - name: eth1
                  mptcp:
                    address-flags: [subflow]
                """.formatted(subflows);
    }

    /** `ip mptcp limits` says this many subflows. */
    private static BooleanSupplier subflowsAre(Netns ns, int subflows) {
        return () -> ns.ip("mptcp", "limits", "show").contains("subflows " + subflows + " ")
                || ns.ip("mptcp", "limits", "show").trim().endsWith("subflows " + subflows);
    }

    /**
     * Runs the DaemonSet's readiness or liveness probe (deploy/kubernetes/daemonset.yml) as the kubelet would,
     * against {@code statusFile} in place of the pod's path; true when it exits 0.
     */
    private static boolean probePasses(String probe, Path statusFile) throws Exception {
        List<String> command = new ArrayList<>();
        for (String word : DeployKubernetesTest.probe(probe)) {
            command.add(word.replace("/run/mptcpstate-status/status.json", statusFile.toString()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() == 0;
    }

    private static String sha256sum(Path file) {
        return Netns.run(List.of("sha256sum", file.toString())).split(" ")[0];
    }

    private static JsonNode status(Path file) {
        return Documents.json(read(file));
    }

    /** A directory of its own for the state file: watch follows the events of that directory. */
    private static Path stateDirectory() throws IOException {
        return Files.createTempDirectory("watch-state-");
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * kubelet's way of updating a mounted ConfigMap: the content in a new timestamped directory, a symbolic link
     * ..data_tmp to it renamed over ..data (one rename(2)), then the old directory removed. state.yml is a link to
     * ..data/state.yml and never changes itself: no event names it.
     */
    private static void kubeletWrite(Path dir, String content) throws IOException {
        Path fresh = Files.createTempDirectory(dir, "..2026_11_30_10_07_");
        Files.writeString(fresh.resolve("state.yml"), content);
        Path old = Files.isSymbolicLink(dir.resolve("..data"))
                ? dir.resolve(Files.readSymbolicLink(dir.resolve("..data")))
                : null;
        Path temporary = dir.resolve("..data_tmp");
        Files.createSymbolicLink(temporary, fresh.getFileName());
        Files.move(temporary, dir.resolve("..data"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        if (!Files.exists(dir.resolve("state.yml"), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(dir.resolve("state.yml"), Path.of("..data", "state.yml"));
        }
        if (old != null) {
            deleteTree(old);
        }
    }

    @Test
    void reloadsByItselfWhenTheFileChangesInPlaceOrIsReplacedAndNeverReadsAFifo() throws Exception {
        Path dir = stateDirectory();
        Path state = dir.resolve("state.yml");
        Files.writeString(state, limits(3));
        try (Netns ns = namespace();
                Daemon daemon = Daemon.start(state, ns)) {
            await("start limits", 10, subflowsAre(ns, 3));

            // the content changes in place: no signal
            Files.writeString(state, limits(4));
            await("limits after an in-place change", 10, subflowsAre(ns, 4));

            // a new file (a new inode) renamed over it, as editors and configuration tools do
            Path fresh = dir.resolve(".state.yml.new");
            Files.writeString(fresh, limits(5));
            Files.move(fresh, state, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            await("limits after a rename over the file", 10, subflowsAre(ns, 5));
            await("reloads logged", 2, () -> daemon.stdout().contains("reload: ~ limits: subflows 4 -> 5"));

            // a FIFO in its place is never opened: reported, and the previous state is still enforced
            Files.delete(state);
            Netns.run(List.of("mkfifo", state.toString()));
            await("FIFO refused", 10, () -> daemon.stderr().contains("not a regular file"));
            ns.ip("mptcp", "limits", "set", "subflows", "1");
            await("drift corrected at the resync with the previous state", 10, subflowsAre(ns, 5));
            Files.delete(state);
            Files.writeString(state, limits(6));
            await("limits after the FIFO was replaced by a file", 10, subflowsAre(ns, 6));

            signal(daemon.process(), "TERM");
            assertThat(daemon.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(daemon.process().exitValue()).isZero();
            assertThat(daemon.stderr()).doesNotContain("Exception", "\tat ", "error");
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void aKubeletSymlinkSwapIsReloadedAndTheStatusFileSaysWhatIsEnforced() throws Exception {
        Path dir = stateDirectory();
        Path state = dir.resolve("state.yml");
        Path statusFile = dir.resolve("status.json");
        kubeletWrite(dir, limits(3));
        try (Netns ns = namespace();
                Daemon daemon = Daemon.start(state, ns, "--status-file", statusFile.toString())) {
            await("start limits", 10, subflowsAre(ns, 3));
            await("status ready", 10, () -> status(statusFile).path("ready").asBoolean(false));
            JsonNode first = status(statusFile);
            assertThat(first.path("applied-sha256").asString()).isEqualTo(sha256sum(state));
            assertThat(first.path("state-sha256").asString()).isEqualTo(sha256sum(state));
            assertThat(first.path("pid").asLong()).isEqualTo(daemon.process().pid());
            assertThat(first.path("state-file").asString()).isEqualTo(state.toString());
            assertThat(first.path("netns").asString()).isEqualTo(ns.name());
            assertThat(first.path("last-apply").path("result").asString()).isEqualTo("ok");
            assertThat(first.path("last-apply").path("cause").asString()).isEqualTo("start");
            assertThat(first.path("errors")).isEmpty();
            assertThat(probePasses("readinessProbe", statusFile)).isTrue();
            assertThat(probePasses("livenessProbe", statusFile)).isTrue();

            assertThat(endpoints(ns)).isEqualTo(Map.of("192.0.2.2", List.of("subflow")));
            String before = first.path("last-apply").path("time").asString();

            // limits and the interface's flags change with the swap; no signal
            kubeletWrite(dir, limits(5).replace("[subflow]", "[signal]"));
            await("limits after the swap", 10, subflowsAre(ns, 5));
            await(
                    "endpoint flags after the swap",
                    10,
                    () -> endpoints(ns).equals(Map.of("192.0.2.2", List.of("signal"))));
            String swapped = sha256sum(state);
            await(
                    "status of the swapped file",
                    10,
                    () -> swapped.equals(
                                    status(statusFile).path("applied-sha256").asString())
                            && "reload"
                                    .equals(status(statusFile)
                                            .path("last-apply")
                                            .path("cause")
                                            .asString()));
            JsonNode second = status(statusFile);
            assertThat(second.path("ready").asBoolean()).isTrue();
            assertThat(second.path("state-sha256").asString()).isEqualTo(swapped);
            assertThat(second.path("last-apply").path("cause").asString()).isEqualTo("reload");
            assertThat(second.path("last-apply").path("result").asString()).isEqualTo("ok");
            // the limits, and the endpoint (subflow to signal: removed and added again): one log line each
            long reloadLines = daemon.stdout()
                    .lines()
                    .filter(line -> line.startsWith("reload: "))
                    .count();
            assertThat(reloadLines).isGreaterThanOrEqualTo(2);
            assertThat(second.path("last-apply").path("changes").asLong()).isEqualTo(reloadLines);
            assertThat(second.path("last-apply").path("time").asString()).isGreaterThan(before);
            assertThat(swapped).isNotEqualTo(first.path("applied-sha256").asString());

            // an invalid swap: the old state kept and enforced, the status not ready and saying why
            kubeletWrite(dir, limits(9));
            String invalid = sha256sum(state);
            await(
                    "status of the invalid file",
                    10,
                    () -> invalid.equals(status(statusFile).path("state-sha256").asString()));
            JsonNode third = status(statusFile);
            assertThat(third.path("ready").asBoolean()).isFalse();
            assertThat(third.path("applied-sha256").asString()).isEqualTo(swapped);
            assertThat(third.path("errors").toString()).contains("subflows must be from 0 to 8, got 9");
            assertThat(ns.ip("mptcp", "limits", "show")).contains("subflows 5");
            // still enforced: drift made by hand is corrected with the state that loaded last
            ns.ip("mptcp", "limits", "set", "subflows", "1");
            ns.ip("mptcp", "endpoint", "flush");
            await(
                    "the old state enforced after the failed reload",
                    10,
                    () -> subflowsAre(ns, 5).getAsBoolean()
                            && endpoints(ns).equals(Map.of("192.0.2.2", List.of("signal"))));
            JsonNode fourth = status(statusFile);
            assertThat(fourth.path("ready").asBoolean()).isFalse();
            assertThat(fourth.path("applied-sha256").asString()).isEqualTo(swapped);
            assertThat(fourth.path("errors").toString()).contains("subflows must be from 0 to 8, got 9");
            assertThat(probePasses("readinessProbe", statusFile))
                    .as("not ready")
                    .isFalse();
            assertThat(probePasses("livenessProbe", statusFile)).as("but alive").isTrue();

            signal(daemon.process(), "TERM");
            assertThat(daemon.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
            JsonNode last = status(statusFile);
            assertThat(last.path("stopped").asString()).isNotEmpty();
            assertThat(last.path("ready").asBoolean()).isFalse();
            assertThat(probePasses("readinessProbe", statusFile)).isFalse();
            // a status nobody rewrote for longer than three resyncs (90 s): the liveness probe fails
            Files.setLastModifiedTime(
                    statusFile, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 100_000));
            assertThat(probePasses("livenessProbe", statusFile)).isFalse();
            assertThat(daemon.stderr()).contains("reload failed").doesNotContain("Exception", "\tat ");
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void aFifoAsTheStateFileIsRefusedAtTheStart() throws Exception {
        Path dir = stateDirectory();
        Path fifo = dir.resolve("state.yml");
        Netns.run(List.of("mkfifo", fifo.toString()));
        try (Netns ns = namespace()) {
            Mptcpstate.Run run = Mptcpstate.jar("watch", fifo.toString(), "--netns", ns.name());
            run.assertFailsWithOneLine(ExitCode.INVALID_INPUT.code());
            assertThat(run.stderr()).contains(fifo + ": not a regular file");
            assertThat(endpoints(ns)).isEmpty();
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void underNohupSighupIsIgnoredWithAWarningAndAChangeStillReloads() throws Exception {
        Path dir = stateDirectory();
        Path state = dir.resolve("state.yml");
        Files.writeString(state, limits(3));
        try (Netns ns = namespace();
                Daemon daemon = Daemon.start(List.of("nohup"), state, ns)) {
            await("start limits", 10, subflowsAre(ns, 3));
            assertThat(daemon.stderr()).contains("warning: SIGHUP is ignored in this process");
            signal(daemon.process(), "HUP");
            Files.writeString(state, limits(4));
            await("limits after the change", 10, subflowsAre(ns, 4));
            assertThat(daemon.process().isAlive()).as("SIGHUP did not end it").isTrue();
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void sigtermWhileAStepWaitsForTheLockEndsTheWatchAtOnce() throws Exception {
        Path dir = stateDirectory();
        Path state = dir.resolve("state.yml");
        Files.writeString(state, SUBFLOW);
        try (Netns ns = namespace()) {
            Process holder = new ProcessBuilder(
                            Mptcpstate.java(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            org.mptcpstate.testing.LockHolder.class.getName(),
                            ns.path().toString())
                    .redirectErrorStream(true)
                    .start();
            try {
                java.io.BufferedReader reader = new java.io.BufferedReader(
                        new java.io.InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
                assertThat(reader.readLine()).isEqualTo("locked");
                // the start step waits for the lock an apply holds (up to 10 s); SIGTERM ends that wait
                try (Daemon daemon = Daemon.start(state, ns)) {
                    signal(daemon.process(), "TERM");
                    long start = System.nanoTime();
                    assertThat(daemon.process().waitFor(5, TimeUnit.SECONDS))
                            .as("ended well before the lock wait (10 s) ran out")
                            .isTrue();
                    System.out.println("watch exited " + (System.nanoTime() - start) / 1_000_000
                            + " ms after SIGTERM while waiting for the lock");
                    assertThat(daemon.process().exitValue()).isZero();
                    assertThat(daemon.stderr()).doesNotContain("error", "failed");
                    assertThat(endpoints(ns))
                            .as("nothing written without the lock")
                            .isEmpty();
                }
                // the same lock as apply's: a watch waits for it, and goes on once the holder is gone
                try (Daemon daemon = Daemon.start(state, ns)) {
                    holder.destroyForcibly();
                    assertThat(daemon.process().isAlive()).isTrue();
                    await(
                            "start endpoint after the lock was freed",
                            15,
                            () -> endpoints(ns).containsKey("192.0.2.2"));
                }
            } finally {
                holder.destroyForcibly();
                holder.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * A storm of 20,000 address events (6 addresses toggled by one `ip -batch`, faster than the kernel queues them
     * for a reader: some are lost), ending with 4 of them present: the endpoints converge to exactly those.
     */
    @Test
    void afterAStormOfEventsTheEndpointsMatchTheAddressesLeft() throws Exception {
        Path dir = stateDirectory();
        Path state = dir.resolve("state.yml");
        Files.writeString(state, SUBFLOW);
        Path batch = dir.resolve("storm.batch");
        try (Netns ns = namespace();
                Daemon daemon = Daemon.start(state, ns)) {
            await("start endpoint", 10, () -> endpoints(ns).containsKey("192.0.2.2"));
            StringBuilder lines = new StringBuilder();
            boolean[] present = new boolean[6];
            for (int i = 0; i < 20_000; i++) {
                int k = i % 6;
                lines.append("address ")
                        .append(present[k] ? "del" : "add")
                        .append(" 203.0.113.")
                        .append(10 + k)
                        .append("/32 dev eth1\n");
                present[k] = !present[k];
            }
            Files.writeString(batch, lines);
            ns.ip("-batch", batch.toString());
            java.util.Set<String> expected = new java.util.TreeSet<>(List.of("192.0.2.2"));
            for (int k = 0; k < 6; k++) {
                if (present[k]) {
                    expected.add("203.0.113." + (10 + k));
                }
            }
            assertThat(expected).hasSize(5);
            await(
                    "endpoints of exactly the addresses left",
                    10,
                    () -> expected.equals(new java.util.TreeSet<>(endpoints(ns).keySet())));
            assertThat(daemon.stderr()).doesNotContain("error", "Exception");
            assertThat(daemon.process().isAlive()).isTrue();
        } finally {
            deleteTree(dir);
        }
    }
}
