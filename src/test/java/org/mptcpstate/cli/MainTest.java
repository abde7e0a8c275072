package org.mptcpstate.cli;

import org.junit.jupiter.api.Test;
import org.mptcpstate.cli.ArgumentParser.UsageException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line without the kernel: parsing, help, version, usage errors and their exit codes. */
class MainTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionGoesToStdoutAndExitsZero() {
        for (String flag : List.of("--version", "-V")) {
            Run run = run(flag);
            assertThat(run.code()).isZero();
            assertThat(run.out()).startsWith("mptcpstate ").contains("JVM: " + System.getProperty("java.version"));
            assertThat(run.err()).isEmpty();
        }
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"help"}}) {
            Run run = run(args);
            assertThat(run.code()).isZero();
            assertThat(run.out())
                    .startsWith("Usage: mptcpstate [-hV] COMMAND")
                    .contains("\n  show ")
                    .contains("\n  help ")
                    .contains("  69  Java runtime not found (the launcher)")
                    .contains("  77  permission denied");
        }
    }

    @Test
    void helpForACommandIsTheSameFromEveryEntryPoint() {
        Run viaHelp = run("help", "show");
        Run viaOption = run("show", "--help");
        Run viaShort = run("show", "-h");
        assertThat(viaHelp.code()).isZero();
        assertThat(viaHelp.out())
                .startsWith("Usage: mptcpstate show [-h] [--json] [--netns=NAME|PATH] [IFNAME...]")
                .contains("--netns=NAME|PATH")
                .contains("[IFNAME...]");
        assertThat(viaOption.out()).isEqualTo(viaHelp.out());
        assertThat(viaShort.out()).isEqualTo(viaHelp.out());
    }

    @Test
    void helpLinesFitEightyColumns() {
        for (String line : (run("--help").out() + run("help", "show").out()).split("\n")) {
            assertThat(line.length()).as(line).isLessThanOrEqualTo(80);
        }
    }

    @Test
    void noArgumentsPrintsUsageOnStderrWithExit64() {
        Run run = run();
        assertThat(run.code()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("Usage: mptcpstate");
    }

    @Test
    void usageErrorsAreOneLinePlusAHintWithExit64() {
        String[][] bad = {
            {"show", "--bogus"},
            {"bogus"},
            {"--bogus"},
            {"show", "--netns"},
            {"show", "--json=yes"},
            {"show", "--netns", "a", "--netns", "b"},
            {"help", "nosuchcommand"},
            {"help", "show", "extra"},
            {"show", "--netns", ""},
            {"show", "--netns", ".."},
        };
        for (String[] args : bad) {
            Run run = run(args);
            assertThat(run.code()).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE.code());
            assertThat(run.out()).as(String.join(" ", args)).isEmpty();
            List<String> lines = run.err().lines().toList();
            assertThat(lines).as(String.join(" ", args)).hasSize(2);
            assertThat(lines.get(0)).startsWith("mptcpstate: ");
            assertThat(lines.get(1)).startsWith("Try 'mptcpstate").endsWith("--help' for more information.");
            assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void parserAcceptsTheUsualSpellings() {
        CommandSpec spec = ShowCommand.SPEC;
        ParsedArguments separate = ArgumentParser.parse(spec, List.of("--netns", "ns1", "eth0", "--json"));
        ParsedArguments joined = ArgumentParser.parse(spec, List.of("eth0", "--netns=ns1", "--json"));
        assertThat(separate).isEqualTo(joined);
        assertThat(separate.value("--netns")).isEqualTo("ns1");
        assertThat(separate.has("--json")).isTrue();
        assertThat(separate.operands()).containsExactly("eth0");

        ParsedArguments ended = ArgumentParser.parse(spec, List.of("--", "--json", "-weird"));
        assertThat(ended.has("--json")).isFalse();
        assertThat(ended.operands()).containsExactly("--json", "-weird");
    }

    @Test
    void operandCountsAreEnforced() {
        CommandSpec one =
                new CommandSpec("diff", "d", List.of(), List.of(), new CommandSpec.PositionalSpec("FILE", 1, 1, "f"));
        assertThatThrownBy(() -> ArgumentParser.parse(one, List.of()))
                .isInstanceOf(UsageException.class)
                .hasMessage("Missing required parameter: 'FILE'");
        assertThatThrownBy(() -> ArgumentParser.parse(one, List.of("a", "b")))
                .isInstanceOf(UsageException.class)
                .hasMessage("Unmatched argument: 'b'");
        assertThat(ArgumentParser.parse(one, List.of("-")).operands()).containsExactly("-");
        CommandSpec none = new CommandSpec("x", "x", List.of(), List.of(), null);
        assertThatThrownBy(() -> ArgumentParser.parse(none, List.of("a")))
                .isInstanceOf(UsageException.class)
                .hasMessage("Unmatched argument: 'a'");
    }

    @Test
    void missingNamespaceIsAOneLineFailure() {
        Run run = run(
                "show",
                "--netns",
                "mst-does-not-exist-" + ProcessHandle.current().pid());
        assertThat(run.code()).isEqualTo(ExitCode.FAILED.code());
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().toList()).hasSize(1);
        assertThat(run.err()).startsWith("mptcpstate: no network namespace at /run/netns/mst-does-not-exist-");
    }

    static Run runWithInput(String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                args,
                new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void validateReadsStandardInputAndReportsEveryProblemWithItsPosition() {
        Run valid = runWithInput("mptcp:\n  limits:\n    subflows: 3\n", "validate", "-");
        assertThat(valid.code()).isZero();
        assertThat(valid.out()).isEqualTo("-: valid\n");

        Run invalid = runWithInput("mptcp:\n  limits:\n    subflows: 9\n    add-addr-acepted: 1\n", "validate", "-");
        assertThat(invalid.code()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(invalid.out()).isEmpty();
        assertThat(invalid.err())
                .isEqualTo("-:3:15: subflows must be from 0 to 8, got 9\n"
                        + "-:4:5: unknown key 'add-addr-acepted'; did you mean 'add-addr-accepted'?\n");
    }

    @Test
    void aMissingFileIsInvalidInput() {
        Run run = run("diff", "/nonexistent/state.yml");
        assertThat(run.code()).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(run.err()).isEqualTo("mptcpstate: /nonexistent/state.yml: no such file\n");
    }

    /** A stream that refuses every byte, as /dev/full does. */
    private static final class FullDevice extends java.io.OutputStream {
        @Override
        public void write(int b) throws java.io.IOException {
            throw new java.io.IOException("No space left on device");
        }
    }

    @Test
    void outputThatCannotBeWrittenIsAWriteErrorWithExit1() {
        for (String[] args : new String[][] {{"--help"}, {"--version"}, {"help", "show"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(
                    args,
                    CheckedOutput.of(new FullDevice(), false),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as(String.join(" ", args)).isEqualTo(ExitCode.FAILED.code());
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .isEqualTo("mptcpstate: write error: No space left on device\n");
        }
    }

    @Test
    void aFailureKeepsItsOwnExitCodeAndMessageWhenOutputFailsToo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(
                new String[] {"diff", "/nonexistent/state.yml"},
                CheckedOutput.of(new FullDevice(), false),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(ExitCode.INVALID_INPUT.code());
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("mptcpstate: /nonexistent/state.yml: no such file\n");
    }
}
