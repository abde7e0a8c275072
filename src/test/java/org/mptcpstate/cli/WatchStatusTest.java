package org.mptcpstate.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcpstate.reconcile.ApplyResult;
import org.mptcpstate.reconcile.WatchCause;
import org.mptcpstate.reconcile.Watcher;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.Netns;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The status file of `watch --status-file`: what it says after each kind of record, and a path it cannot write. */
class WatchStatusTest {
    private static final String STATE = "interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [subflow]\n";

    /** The log the status passes every record on to; here it only counts. */
    private static final class Log implements Watcher.Listener {
        int records;

        @Override
        public void applied(WatchCause cause, ApplyResult result) {
            records++;
        }

        @Override
        public void warnings(List<Diagnostic> warnings) {
            records++;
        }

        @Override
        public void failed(WatchCause cause, RuntimeException failure, long retryMillis) {
            records++;
        }

        @Override
        public void reloaded() {
            records++;
        }

        @Override
        public void reloadFailed(RuntimeException failure) {
            records++;
        }
    }

    /** Reads the status until it satisfies {@code condition} (the writer thread writes it), at most 10 s. */
    private static JsonNode awaitStatus(Path file, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            JsonNode status = Documents.json(Files.readString(file));
            if (condition.test(status)) {
                return status;
            }
            assertThat(System.nanoTime()).as("status %s", status).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void saysWhetherTheFileAsReadIsEnforcedAndWhatWentWrong(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state.yml");
        Files.writeString(state, STATE);
        Path statusFile = dir.resolve("status.json");
        StateFileWatch source = new StateFileWatch(
                state.toString(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        source.loadAtStart();
        Log log = new Log();
        WatchStatus status = WatchStatus.start(statusFile.toString(), log, source, state.toString(), null);
        String hash = Netns.run(List.of("sha256sum", state.toString())).split(" ")[0];

        JsonNode first = Documents.json(Files.readString(statusFile));
        assertThat(first.path("ready").asBoolean()).as("no step yet").isFalse();
        assertThat(first.path("last-apply").isNull()).isTrue();
        assertThat(first.path("state-sha256").asString()).isEqualTo(hash);
        assertThat(first.path("applied-sha256").asString()).isEqualTo(hash);
        assertThat(first.has("netns")).isFalse();

        Diagnostic warning = new Diagnostic(null, "link-local-skipped", "skipping eth1 fe80::1");
        status.matched(WatchCause.START, List.of(warning));
        JsonNode ready = awaitStatus(statusFile, s -> s.path("ready").asBoolean(false));
        assertThat(ready.path("last-apply").path("cause").asString()).isEqualTo("start");
        assertThat(ready.path("last-apply").path("result").asString()).isEqualTo("ok");
        assertThat(ready.path("warnings").get(0).path("code").asString()).isEqualTo("link-local-skipped");
        assertThat(ready.path("last-match").asString())
                .isEqualTo(ready.path("last-apply").path("time").asString());

        status.failed(WatchCause.RESYNC, new IllegalStateException("injected"), 500);
        JsonNode failed = awaitStatus(statusFile, s -> !s.path("errors").isEmpty());
        assertThat(failed.path("ready").asBoolean()).isFalse();
        assertThat(failed.path("last-apply").path("result").asString()).isEqualTo("failed");
        assertThat(failed.path("errors").get(0).path("cause").asString()).isEqualTo("resync");

        status.matched(WatchCause.RETRY, List.of());
        JsonNode again = awaitStatus(statusFile, s -> s.path("ready").asBoolean(false));
        assertThat(again.path("errors")).isEmpty();
        assertThat(again.path("warnings")).isEmpty();

        status.close();
        JsonNode stopped = Documents.json(Files.readString(statusFile));
        assertThat(stopped.path("stopped").asString()).isNotEmpty();
        assertThat(stopped.path("ready").asBoolean()).isFalse();
        assertThat(log.records).as("every record passed on").isEqualTo(1);
        try (var leftovers = Files.list(dir)) {
            assertThat(leftovers.map(p -> p.getFileName().toString()))
                    .as("no temporary file left")
                    .containsExactlyInAnyOrder("state.yml", "status.json");
        }
    }

    @Test
    void aStatusFileThatCannotBeWrittenEndsTheCommand(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state.yml");
        StateFileWatch source = loadedSource(state);
        String missing = dir.resolve("no-such-dir").resolve("status.json").toString();
        assertThatThrownBy(() -> WatchStatus.start(missing, new Log(), source, state.toString(), null))
                .isInstanceOf(Failures.CommandFailure.class)
                .hasMessage("cannot write the status file " + missing + ": no such directory")
                .satisfies(e -> assertThat(Failures.exitCode(e)).isEqualTo(ExitCode.FAILED));
    }

    @Test
    void aDirectoryAsTheStatusFileEndsTheCommandWithItsName(@TempDir Path dir) throws Exception {
        Path state = dir.resolve("state.yml");
        StateFileWatch source = loadedSource(state);
        Path directory = Files.createDirectory(dir.resolve("status"));
        assertThatThrownBy(() -> WatchStatus.start(directory.toString(), new Log(), source, state.toString(), null))
                .isInstanceOf(Failures.CommandFailure.class)
                .hasMessage("cannot write the status file " + directory + ": it is a directory")
                .satisfies(e -> assertThat(Failures.exitCode(e)).isEqualTo(ExitCode.FAILED));
        assertThat(directory).isEmptyDirectory();
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no temporary file left")
                    .containsExactlyInAnyOrder("state.yml", "status");
        }
    }

    /** {@code state} written with the test's file and loaded, as watch loads it at the start. */
    private static StateFileWatch loadedSource(Path state) throws Exception {
        Files.writeString(state, STATE);
        StateFileWatch source = new StateFileWatch(
                state.toString(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
        source.loadAtStart();
        return source;
    }
}
