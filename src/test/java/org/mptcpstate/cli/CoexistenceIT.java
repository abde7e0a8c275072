package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Netns;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * check names the other endpoint managers running in the namespace it checks, and only those: a real mptcpd
 * (a stand-in named mptcpd where it is not installed) and a stand-in named NetworkManager, started inside one
 * namespace with `ip netns exec`. iproute2 (`ip netns pids`) says which processes the namespace holds.
 */
@Tag("kernel")
class CoexistenceIT {
    private static final Path MPTCPD = Path.of("/usr/libexec/mptcpd");

    @TempDir
    Path dir;

    @Test
    void checkWarnsAboutTheManagersInItsNamespaceOnly() throws Exception {
        Path networkManager = standIn("NetworkManager");
        Path mptcpd = Files.isExecutable(MPTCPD) ? null : standIn("mptcpd");
        try (Netns managed = Netns.create("coexist");
                Netns quiet = Netns.create("coexist-quiet")) {
            managed.ip("link", "set", "lo", "up");
            List<Process> started = new ArrayList<>();
            try {
                started.add(start(managed, networkManager.toString(), "600"));
                started.add(
                        mptcpd == null
                                ? start(managed, MPTCPD.toString(), "--log=stderr")
                                : start(managed, mptcpd.toString(), "600"));
                List<String> expected = new ArrayList<>();
                for (Process process : started) {
                    expected.add(
                            (process == started.get(0) ? "NetworkManager" : "mptcpd") + " (pid " + process.pid() + ")");
                }
                awaitInNamespace(managed, started);

                JsonNode managedReport = check(managed);
                List<String> subjects = new ArrayList<>();
                for (JsonNode finding : Documents.elements(managedReport.path("findings"))) {
                    if (finding.path("code").asString().equals("endpoint-manager")) {
                        assertThat(finding.path("severity").asString()).isEqualTo("warning");
                        subjects.add(finding.path("subject").asString());
                    }
                }
                assertThat(subjects).containsExactlyInAnyOrderElementsOf(expected);

                JsonNode quietReport = check(quiet);
                assertThat(quietReport.toString()).doesNotContain("endpoint-manager");
            } finally {
                for (Process process : started) {
                    process.destroy();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** A copy of sleep(1) under another name: /proc/PID/comm is that name. */
    private Path standIn(String name) throws IOException {
        Path copy = dir.resolve(name);
        Files.copy(Path.of("/bin/sleep"), copy);
        copy.toFile().setExecutable(true);
        return copy;
    }

    private static Process start(Netns ns, String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
        line.addAll(List.of(command));
        return new ProcessBuilder(line)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** Until `ip netns pids` lists every started process (ip netns exec has entered the namespace and exec'd). */
    private static void awaitInNamespace(Netns ns, List<Process> processes) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<String> pids =
                    Netns.run(List.of("ip", "netns", "pids", ns.name())).lines().toList();
            boolean all = true;
            for (Process process : processes) {
                all &= pids.contains(Long.toString(process.pid()))
                        && comm(process.pid()).matches("NetworkManager|mptcpd");
            }
            if (all) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the processes did not show up in " + ns.name());
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm"))
                    .strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static JsonNode check(Netns ns) {
        Mptcpstate.Run run = Mptcpstate.inProcess("check", "--json", "--netns", ns.name());
        assertThat(run.exitCode()).as("check: %s", run.stderr()).isIn(0, 1);
        return Documents.json(run.stdout());
    }
}
