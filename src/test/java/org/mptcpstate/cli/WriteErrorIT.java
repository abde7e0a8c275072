package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Netns;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Output that cannot be written is an error, as coreutils treat it: with stdout on /dev/full (every write fails
 * with ENOSPC) a command exits 1 with one line, "mptcpstate: write error: No space left on device".
 */
@Tag("kernel")
class WriteErrorIT {
    private static final String WRITE_ERROR = "mptcpstate: write error: No space left on device\n";

    @Test
    void showToAFullDeviceExits1() throws Exception {
        try (Netns ns = Netns.ipv4VethPair("full-show", 1)) {
            ns.ip("mptcp", "endpoint", "add", "192.0.2.1", "dev", "eth1", "signal");
            Result run = toDevFull("show", "--netns", ns.name());
            assertThat(run.stderr()).isEqualTo(WRITE_ERROR);
            assertThat(run.exitCode()).isEqualTo(1);
        }
    }

    /** watch stops at its first change it cannot print, and exits 1 (a unit's Restart= then starts it again). */
    @Test
    void watchStopsWhenItsLogCannotBeWritten() throws Exception {
        try (Netns ns = Netns.ipv4VethPair("full-watch", 1)) {
            Path state = Mptcpstate.stateFile("interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [subflow]\n");
            Result run = toDevFull("watch", state.toString(), "--netns", ns.name());
            assertThat(run.exitCode()).as("stderr: %s", run.stderr()).isEqualTo(1);
            assertThat(run.stderr()).endsWith(WRITE_ERROR);
            // it did its work before it stopped: iproute2 sees the endpoint
            assertThat(ns.ip("-j", "mptcp", "endpoint", "show")).contains("\"192.0.2.1\"");
        }
    }

    private record Result(int exitCode, String stderr) {}

    private static Result toDevFull(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(Mptcpstate.java(), "-jar", Mptcpstate.jar().toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectOutput(new File("/dev/full"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        return new Result(process.exitValue(), new String(err, StandardCharsets.UTF_8));
    }
}
