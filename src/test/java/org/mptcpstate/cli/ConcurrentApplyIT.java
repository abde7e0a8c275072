package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.LockHolder;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;
import org.mptcpstate.testing.Netns;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two applies at once on one namespace, and locks left by killed processes, on the real kernel. "Later" is
 * the apply that took the lock last: as the lock serializes them, the one that ended last.
 */
@Tag("kernel")
class ConcurrentApplyIT {
    private static final String A = "mptcp:\n  limits:\n    subflows: 3\n    add-addr-accepted: 0\n"
            + "interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [subflow]\n"
            + "- name: eth2\n  mptcp:\n    address-flags: []\n";
    private static final String B = "mptcp:\n  limits:\n    subflows: 6\n    add-addr-accepted: 4\n"
            + "interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [signal]\n"
            + "- name: eth2\n  mptcp:\n    address-flags: [subflow, backup]\n";

    /** The state applying {@code file} alone reaches from the reset state. */
    private static String resultOf(Netns ns, Path file) {
        ns.resetMptcp();
        Run run = Mptcpstate.jar("apply", file.toString(), "--netns", ns.name());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        String state = InterruptIT.state(ns);
        ns.resetMptcp();
        return state;
    }

    /** /run/mptcpstate/net-INODE.lock of the namespace. */
    private static Path lockFile(Netns ns) {
        String inode = Netns.run(List.of("stat", "-L", "-c", "%i", ns.path().toString()))
                .trim();
        return Path.of("/run/mptcpstate", "net-" + inode + ".lock");
    }

    private static Process start(Netns ns, Path file, long stepDelayMillis, File out, File err) throws IOException {
        List<String> command = new ArrayList<>(List.of(Mptcpstate.java()));
        if (stepDelayMillis > 0) {
            command.add("-D" + ApplySignals.STEP_DELAY_PROPERTY + "=" + stepDelayMillis);
        }
        command.addAll(List.of("-jar", Mptcpstate.jar().toString(), "apply", file.toString(), "--netns", ns.name()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out).redirectError(err);
        Map<String, String> env = builder.environment();
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("_JAVA_OPTIONS");
        env.remove("JDK_JAVA_OPTIONS");
        return builder.start();
    }

    /**
     * Two jar processes started together with different files, each change slowed so that they overlap: both
     * succeed, one after the other, and the kernel equals the file of the one that took the lock last. Five
     * rounds, alternating which starts first, with and without a head start.
     */
    @Test
    void twoAppliesAtOnceSerializeAndTheLaterFileWins() throws Exception {
        try (Netns ns = Netns.ipv4VethPair("conc", 3)) {
            Path a = Mptcpstate.stateFile(A);
            Path b = Mptcpstate.stateFile(B);
            Map<Path, String> expected = Map.of(a, resultOf(ns, a), b, resultOf(ns, b));
            assertThat(expected.get(a)).isNotEqualTo(expected.get(b));
            List<File> temp = new ArrayList<>();
            try {
                for (int round = 0; round < 5; round++) {
                    ns.resetMptcp();
                    Path first = round % 2 == 0 ? a : b;
                    Path second = first == a ? b : a;
                    File[] files = new File[4];
                    for (int i = 0; i < 4; i++) {
                        files[i] = File.createTempFile("mptcpstate-conc-", ".txt");
                        temp.add(files[i]);
                    }
                    Process p1 = start(ns, first, 100, files[0], files[1]);
                    java.util.concurrent.CompletableFuture<Long> end1 =
                            p1.onExit().thenApply(p -> System.nanoTime());
                    if (round >= 3) {
                        Thread.sleep(150);
                    }
                    Process p2 = start(ns, second, 100, files[2], files[3]);
                    java.util.concurrent.CompletableFuture<Long> end2 =
                            p2.onExit().thenApply(p -> System.nanoTime());
                    assertThat(p1.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(p2.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    String context = "round " + round + ": " + Files.readString(files[1].toPath()) + " / "
                            + Files.readString(files[3].toPath());
                    assertThat(p1.exitValue()).as(context).isZero();
                    assertThat(p2.exitValue()).as(context).isZero();
                    assertThat(Files.readString(files[0].toPath())).as(context).endsWith(", verified\n");
                    assertThat(Files.readString(files[2].toPath())).as(context).endsWith(", verified\n");
                    // each apply holds the lock from before its first read to after its last write, 100 ms apart
                    Path later = end1.get() > end2.get() ? first : second;
                    assertThat(InterruptIT.state(ns))
                            .as(context + " (later: " + later + ")")
                            .isEqualTo(expected.get(later));
                }
            } finally {
                temp.forEach(File::delete);
            }
        }
    }

    /** A helper process holding the lock is killed with SIGKILL: the next apply takes the lock at once. */
    @Test
    void aLockHeldByAKilledProcessDoesNotBlockTheNextApply() throws Exception {
        try (Netns ns = Netns.ipv4VethPair("conc", 3)) {
            Path a = Mptcpstate.stateFile(A);
            String expected = resultOf(ns, a);
            Process holder = new ProcessBuilder(
                            Mptcpstate.java(),
                            "-cp",
                            System.getProperty("java.class.path"),
                            LockHolder.class.getName(),
                            ns.path().toString())
                    .redirectErrorStream(true)
                    .start();
            try {
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
                assertThat(reader.readLine()).isEqualTo("locked");
                // what the file says is not believed: the holder comes from the kernel's list of locks
                Files.writeString(lockFile(ns), "99999\n");
                Run blocked = Mptcpstate.jar("apply", a.toString(), "--netns", ns.name(), "--lock-wait", "0");
                assertThat(blocked.exitCode()).as("the lock is really held").isEqualTo(ExitCode.FAILED.code());
                assertThat(blocked.stderr())
                        .contains(": pid " + holder.pid() + " (")
                        .doesNotContain("99999");
            } finally {
                holder.destroyForcibly();
                assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(holder.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            Run run = Mptcpstate.jar("apply", a.toString(), "--netns", ns.name(), "--lock-wait", "0");
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(InterruptIT.state(ns)).isEqualTo(expected);
        }
    }

    /**
     * An apply stopped by SIGKILL in the middle (after its first endpoint): its lock goes with it, and the next
     * apply, not waiting at all, takes the lock and brings the namespace to its file.
     */
    @Test
    void anApplyKilledMidwayLeavesNoLockBehind() throws Exception {
        try (Netns ns = Netns.ipv4VethPair("conc", 3)) {
            Path a = Mptcpstate.stateFile(A);
            Path b = Mptcpstate.stateFile(B);
            String expected = resultOf(ns, a);
            File out = File.createTempFile("mptcpstate-conc-", ".out");
            File err = File.createTempFile("mptcpstate-conc-", ".err");
            try {
                Process process = start(ns, b, 300, out, err);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!ns.ip("mptcp", "endpoint", "show").contains("192.0.2.")) {
                    assertThat(System.nanoTime())
                            .as("the apply writes its first endpoint")
                            .isLessThan(deadline);
                    assertThat(process.isAlive()).isTrue();
                    Thread.sleep(10);
                }
                process.destroyForcibly();
                assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(process.exitValue()).isEqualTo(137);
            } finally {
                out.delete();
                err.delete();
            }
            Run run = Mptcpstate.jar("apply", a.toString(), "--netns", ns.name(), "--lock-wait", "0");
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(InterruptIT.state(ns)).isEqualTo(expected);
        }
    }
}
