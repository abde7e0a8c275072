package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;
import org.mptcpstate.testing.Netns;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One watch per namespace: with two of different files, each would undo the other at every step (the red team saw
 * 19 flips in 10 s). The second refuses to start, naming the first; an apply of another file is warned; once the
 * first stops, another may start. Judged with iproute2's view of the endpoints.
 */
@Tag("kernel")
class SoleWatchIT {
    private static final String SUBFLOW = "interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [subflow]\n";
    private static final String SIGNAL = "interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [signal]\n";

    private static Process watch(Netns ns, Path file, File log) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                        Mptcpstate.java(),
                        "-jar",
                        Mptcpstate.jar().toString(),
                        "watch",
                        file.toString(),
                        "--netns",
                        ns.name())
                .redirectOutput(log)
                .redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        return builder.start();
    }

    /** Waits until iproute2 shows eth1's endpoint with these flags. */
    private static void awaitFlag(Netns ns, String flag) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            String endpoints =
                    Documents.json(ns.ip("-j", "mptcp", "endpoint", "show")).toString();
            if (endpoints.contains("\"" + flag + "\"")) {
                return;
            }
            assertThat(System.nanoTime()).as("the watch applied %s", flag).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void aSecondWatchRefusesNamingTheFirstAndAnApplyOfAnotherFileIsWarned() throws Exception {
        try (Netns ns = Netns.ipv4VethPair("sole", 1)) {
            Path a = Mptcpstate.stateFile(SUBFLOW);
            Path b = Mptcpstate.stateFile(SIGNAL);
            File log = File.createTempFile("mptcpstate-sole-", ".log");
            Process first = watch(ns, a, log);
            try {
                awaitFlag(ns, "subflow");
                Run second = Mptcpstate.jar("watch", b.toString(), "--netns", ns.name());
                second.assertFailsWithOneLine(ExitCode.FAILED.code());
                assertThat(second.stderr())
                        .startsWith("mptcpstate: another mptcpstate watch (pid " + first.pid() + ") keeps " + a
                                + " applied since ")
                        .endsWith(" in this network namespace; two watches would undo each other's changes: stop it"
                                + " first, or change the file it keeps\n");
                assertThat(ns.ip("mptcp", "endpoint", "show"))
                        .contains("subflow")
                        .doesNotContain("signal");

                Run other = Mptcpstate.jar("apply", b.toString(), "--netns", ns.name());
                assertThat(other.exitCode()).as(other.stderr()).isZero();
                assertThat(other.stderr())
                        .contains("mptcpstate: warning: a watch (pid " + first.pid() + ") keeps " + a + " applied in"
                                + " this network namespace: it will undo what this apply changes at its next step;"
                                + " change that file instead, or stop the watch [watch-will-revert]\n");
                Run same = Mptcpstate.jar("apply", a.toString(), "--netns", ns.name());
                assertThat(same.exitCode()).as(same.stderr()).isZero();
                assertThat(same.stderr()).doesNotContain("watch-will-revert");
            } finally {
                Netns.run(List.of("kill", "-TERM", Long.toString(first.pid())));
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(first.exitValue()).isZero();
            // the claim went with the first watch: another may start now
            Process next = watch(ns, b, log);
            try {
                awaitFlag(ns, "signal");
            } finally {
                Netns.run(List.of("kill", "-TERM", Long.toString(next.pid())));
                assertThat(next.waitFor(30, TimeUnit.SECONDS)).isTrue();
                log.delete();
            }
        }
    }
}
