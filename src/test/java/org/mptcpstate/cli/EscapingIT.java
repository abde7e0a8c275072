package org.mptcpstate.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.KernelTests;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;
import org.mptcpstate.testing.Netns;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An interface named with a terminal escape sequence (ESC [2J clears the screen; the kernel takes it, as `ip link`
 * shows) through every command that prints text: diff, apply, watch, check, show, a warning and an error. No
 * raw control character reaches the terminal; the name appears escaped as e\u001B[2Jx.
 */
@Tag("kernel")
class EscapingIT {
    private static final String NAME = "e\u001b[2Jx";
    private static final String ESCAPED = "e\\u001B[2Jx";
    /** The same name in a state file: YAML's "\e" is ESC. */
    private static final String IN_YAML = "\"e\\e[2Jx\"";

    private static Netns ns;

    @BeforeAll
    static void setUp() {
        KernelTests.requireRoot();
        ns = Netns.create("esc");
        ns.ip("link", "add", NAME, "type", "veth", "peer", "name", "p0");
        ns.ip("link", "set", NAME, "up");
        ns.ip("link", "set", "p0", "up");
        ns.ip("addr", "add", "192.0.2.1/24", "dev", NAME);
        // iproute2 prints the name raw, even in its JSON (which is then no valid JSON): the text form is compared
        assertThat(ns.ip("link", "show")).contains(": " + NAME + "@p0: ");
    }

    @AfterAll
    static void tearDown() {
        if (ns != null) {
            ns.close();
        }
    }

    private static void endpointOnIt() {
        ns.ip("mptcp", "endpoint", "flush");
        ns.ip("mptcp", "endpoint", "add", "192.0.2.1", "id", "1", "dev", NAME, "subflow");
    }

    /** Nothing raw: no ESC, nor any other control character but the line ends, on stdout or stderr. */
    private static void assertEscaped(String what, Run run) {
        assertEscaped(what, run, ESCAPED);
    }

    private static void assertEscaped(String what, Run run, String escaped) {
        String all = run.stdout() + run.stderr();
        assertThat(all.chars().filter(c -> Character.isISOControl(c) && c != '\n'))
                .as("control characters in the output of %s: %s", what, all)
                .isEmpty();
        assertThat(all).as(what).contains(escaped);
    }

    @Test
    void diffApplyCheckShowAndErrorsPrintTheNameEscaped() throws Exception {
        endpointOnIt();
        Path none = Mptcpstate.stateFile("interfaces:\n- name: " + IN_YAML + "\n  mptcp:\n    address-flags: []\n");
        Run diff = Mptcpstate.jar("diff", none.toString(), "--netns", ns.name());
        assertThat(diff.exitCode()).as(diff.stderr()).isEqualTo(2);
        assertThat(diff.stdout()).startsWith("- endpoint 1: 192.0.2.1 on " + ESCAPED + " [subflow]\n");
        assertEscaped("diff", diff);

        Run check = Mptcpstate.jar("check", "--netns", ns.name());
        assertEscaped("check", check);

        Run show = Mptcpstate.jar("show", "--netns", ns.name());
        assertEscaped("show", show, "- name: \"e\\x1B[2Jx\"\n"); // YAML's own escape

        // a warning naming the interface: its IPv6 link-local address gets no endpoint
        Path subflow =
                Mptcpstate.stateFile("interfaces:\n- name: " + IN_YAML + "\n  mptcp:\n    address-flags: [subflow]\n");
        Run warned = Mptcpstate.jar("diff", subflow.toString(), "--netns", ns.name(), "--verbose");
        assertThat(warned.stderr()).contains("warning: ").contains("skipping " + ESCAPED + " fe80::");
        assertEscaped("a warning", warned);

        // an error naming it: an address it does not have
        Path wrong = Mptcpstate.stateFile("interfaces:\n- name: " + IN_YAML
                + "\n  ipv4:\n    address:\n    - ip: 192.0.2.99\n      mptcp-flags: [subflow]\n");
        Run error = Mptcpstate.jar("apply", wrong.toString(), "--netns", ns.name());
        assertThat(error.exitCode()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(error.stderr()).contains("192.0.2.99 is not an address of " + ESCAPED);
        assertEscaped("an error", error);

        Run apply = Mptcpstate.jar("apply", none.toString(), "--netns", ns.name());
        assertThat(apply.exitCode()).as(apply.stderr()).isZero();
        assertThat(apply.stdout()).startsWith("- endpoint 1: 192.0.2.1 on " + ESCAPED + " [subflow]\n");
        assertEscaped("apply", apply);
        assertThat(ns.ip("mptcp", "endpoint", "show")).isEmpty();
    }

    @Test
    void watchPrintsTheNameEscaped() throws Exception {
        endpointOnIt();
        Path none = Mptcpstate.stateFile("interfaces:\n- name: " + IN_YAML + "\n  mptcp:\n    address-flags: []\n");
        File out = File.createTempFile("mptcpstate-esc-", ".out");
        File err = File.createTempFile("mptcpstate-esc-", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(
                            Mptcpstate.java(),
                            "-jar",
                            Mptcpstate.jar().toString(),
                            "watch",
                            none.toString(),
                            "--netns",
                            ns.name())
                    .redirectOutput(out)
                    .redirectError(err);
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            Process watch = builder.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!ns.ip("mptcp", "endpoint", "show").isEmpty()) {
                    assertThat(System.nanoTime())
                            .as("the watch removes the endpoint")
                            .isLessThan(deadline);
                    Thread.sleep(20);
                }
            } finally {
                Netns.run(List.of("kill", "-TERM", Long.toString(watch.pid())));
                assertThat(watch.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            Run run = new Run(
                    watch.exitValue(),
                    Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
            assertThat(run.stdout()).isEqualTo("start: - endpoint 1: 192.0.2.1 on " + ESCAPED + " [subflow]\n");
            assertEscaped("watch", run);
        } finally {
            out.delete();
            err.delete();
        }
    }
}
