package org.mptcpstate.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hostile-input corpus: bad state files (src/test/resources/hostile, indexed by expectations.tsv) and a few
 * too big to commit, made here. Each runs {@code validate} in this JVM, which must exit as recorded, name the
 * first problem with its file:line:column, print every problem on one line of its own and never a stack
 * trace. A preemptive timeout makes a hang fail instead of blocking the build; how fast it is belongs to the
 * benchmarks, not here.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileInputTest {
    private static final String CORPUS = "/hostile/";

    @TempDir
    Path dir;

    /** One case of expectations.tsv. */
    record Case(String file, int exitCode, String fragment) {
        @Override
        public String toString() {
            return file;
        }
    }

    static List<Case> corpus() throws IOException {
        List<Case> cases = new ArrayList<>();
        for (String line : resourceText("expectations.tsv").lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            assertThat(fields).as("expectations.tsv line %s", line).hasSize(3);
            cases.add(new Case(fields[0], Integer.parseInt(fields[1]), fields[2]));
        }
        return cases;
    }

    static Stream<Arguments> cases() throws IOException {
        return corpus().stream().map(Arguments::of);
    }

    @Test
    void theCorpusHasOverAHundredBadFilesAndEveryFileIsListed() throws IOException {
        List<Case> cases = corpus();
        assertThat(cases.stream().filter(c -> c.exitCode() == ExitCode.INVALID_INPUT.code()))
                .hasSizeGreaterThan(100);
        assertThat(cases.stream().map(Case::file)).doesNotHaveDuplicates();
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/hostile"))) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")))
                    .as("every .yml of the corpus is in expectations.tsv")
                    .containsExactlyInAnyOrderElementsOf(
                            cases.stream().map(Case::file).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validateRefusesItWithItsPosition(Case c) throws IOException {
        Path file = dir.resolve(c.file());
        Files.write(file, resource(c.file()));
        Run run = Mptcpstate.inProcess("validate", file.toString());
        if (c.exitCode() == ExitCode.OK.code()) {
            // an empty file, comments only, a null document, or what nmstate reads too ("true", a flag twice)
            assertThat(run.exitCode())
                    .as("exit code (stderr: %s)", run.stderr())
                    .isZero();
            assertThat(run.stdout()).isEqualTo(file + ": valid\n");
            for (String line : run.stderr().lines().toList()) {
                assertThat(line)
                        .matches(Pattern.quote("mptcpstate: warning: " + file) + ":\\d+:\\d+: .* \\[[a-z-]+\\]");
            }
            return;
        }
        assertInvalid(run, file.toString(), c.exitCode(), c.fragment());
    }

    // ---------------------------------------------------------------- made at test time: too big to commit

    @Test
    void fiftyMegabytesAreRefusedAtTheStart() throws IOException {
        Path file = dir.resolve("fifty-megabytes.yml");
        byte[] line = "# a comment line, so that only the size is wrong\n".getBytes(StandardCharsets.US_ASCII);
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write("mptcp:\n  enabled: true\n".getBytes(StandardCharsets.US_ASCII));
            for (long written = 0; written < 50L * 1000 * 1000; written += line.length) {
                out.write(line);
            }
        }
        assertInvalid(
                Mptcpstate.inProcess("validate", file.toString()),
                file.toString(),
                65,
                "1:1: the file is larger than 1 MiB (1048576 bytes)");
    }

    @Test
    void fiftyMegabytesOnStandardInputAreRefused() {
        InputStream endless = new InputStream() {
            private long left = 50L * 1000 * 1000;

            @Override
            public int read() {
                return left-- > 0 ? '#' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) '#');
                left -= n;
                return n;
            }
        };
        Run run = withStdin(endless, "validate", "-");
        assertInvalid(run, "-", 65, "1:1: the file is larger than 1 MiB");
    }

    @Test
    void exactlyOneMebibyteIsTakenAndOneByteMoreIsNot() throws IOException {
        byte[] content = new byte[1 << 20];
        Arrays.fill(content, (byte) '#');
        content[content.length - 1] = '\n';
        Path atLimit = dir.resolve("one-mebibyte.yml");
        Files.write(atLimit, content);
        Run run = Mptcpstate.inProcess("validate", atLimit.toString());
        assertThat(run.exitCode()).as("exit code (stderr: %s)", run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo(atLimit + ": valid\n");

        Path over = dir.resolve("one-mebibyte-and-one.yml");
        Files.write(over, Arrays.copyOf(content, content.length + 1));
        assertInvalid(
                Mptcpstate.inProcess("validate", over.toString()),
                over.toString(),
                65,
                "1:1: the file is larger than 1 MiB");
    }

    @Test
    void flowListsTenThousandDeep() throws IOException {
        // the root is level 1, so the 33rd '[' is the first too deep
        assertDeep("ten-thousand-flow-lists.yml", "[".repeat(10_000) + "]".repeat(10_000) + "\n", "1:33: ");
    }

    @Test
    void flowMappingsTenThousandDeep() throws IOException {
        assertDeep(
                "ten-thousand-flow-mappings.yml",
                "{a: ".repeat(10_000) + "1" + "}".repeat(10_000) + "\n",
                "1:" + (1 + 4 * 32) + ": ");
    }

    @Test
    void blockListsTenThousandDeep() throws IOException {
        assertDeep("ten-thousand-block-lists.yml", "- ".repeat(10_000) + "x\n", "1:" + (1 + 2 * 32) + ": ");
    }

    @Test
    void unclosedFlowListsTenThousandDeep() throws IOException {
        assertDeep("ten-thousand-unclosed.yml", "mptcp: " + "[".repeat(10_000) + "\n", "1:" + (8 + 31) + ": ");
    }

    @Test
    void aHundredThousandAliasesToAScalarAreReportedOneLineEach() throws IOException {
        // aliases to scalars are not limited (they cannot multiply), but each repeated flag is a warning. An alias
        // is the anchored node itself once composed, so each is reported where the anchor is (4:21), not where
        // the alias is: a known limitation of the position of aliased values.
        Path file = dir.resolve("scalar-aliases.yml");
        Files.writeString(
                file,
                "interfaces:\n- name: eth0\n  mptcp:\n    address-flags: [&f subflow" + ", *f".repeat(100_000) + "]\n");
        Run run = Mptcpstate.inProcess("validate", file.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.stderr().lines().distinct())
                .containsExactly("mptcpstate: warning: " + file
                        + ":4:21: flag 'subflow' is listed twice; counted once [flag-duplicate]");
        assertThat(run.stderr().lines().count()).isEqualTo(100_000);
    }

    private void assertDeep(String name, String content, String position) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        assertInvalid(
                Mptcpstate.inProcess("validate", file.toString()),
                file.toString(),
                65,
                position + "lists and mappings nested deeper than 32 levels");
    }

    // ---------------------------------------------------------------- checks

    private static final Pattern PROBLEM_LINE = Pattern.compile("\\d+:\\d+: \\S.*");

    /** As validate prints problems: {@code file:line:column: message}, one per line. */
    static void assertInvalid(Run run, String fileName, int exitCode, String fragment) {
        assertInvalid(run, "", fileName, exitCode, fragment);
    }

    /**
     * The exit code; nothing on stdout; the fragment in the first problem, after the file's name; every line of
     * stderr a problem of this file (so none is split, and no value forged one) or a one-line mptcpstate
     * message; no stack trace. The problems start with linePrefix: "" as validate prints them, "mptcpstate: "
     * as apply, diff and watch do.
     */
    static void assertInvalid(Run run, String linePrefix, String fileName, int exitCode, String fragment) {
        assertThat(run.exitCode())
                .as("exit code (stderr: %s)", shortened(run.stderr()))
                .isEqualTo(exitCode);
        assertThat(run.stdout()).as("stdout").isEmpty();
        assertThat(run.stderr())
                .as("stderr")
                .endsWith("\n")
                .doesNotContain("\tat ", "Exception", "Caused by", "internal error", "Error:");
        List<String> lines = run.stderr().lines().toList();
        String start = linePrefix + fileName + ":";
        assertThat(lines.get(0)).as("the first problem").startsWith(start + fragment);
        for (String line : lines) {
            boolean problem = line.startsWith(start)
                    && PROBLEM_LINE.matcher(line.substring(start.length())).matches();
            assertThat(problem || line.startsWith("mptcpstate: "))
                    .as("every line of stderr is file:line:column: message or mptcpstate: ..., not: %s", line)
                    .isTrue();
        }
    }

    private static String shortened(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000) + "...";
    }

    private static Run withStdin(InputStream in, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, in, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = HostileInputTest.class.getResourceAsStream(CORPUS + name)) {
            assertThat(in).as("resource %s%s", CORPUS, name).isNotNull();
            return in.readAllBytes();
        }
    }

    private static String resourceText(String name) throws IOException {
        return new String(resource(name), StandardCharsets.UTF_8);
    }
}
