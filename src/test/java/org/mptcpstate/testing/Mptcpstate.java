package org.mptcpstate.testing;

import org.mptcpstate.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs mptcpstate command lines: in-process through {@link Main#run}, or the built jar as a subprocess. */
public final class Mptcpstate {
    private Mptcpstate() {}

    /** What one run printed and how it exited. */
    public record Run(int exitCode, String stdout, String stderr) {
        /** Exit 0, nothing on stderr. */
        public Run assertOk() {
            assertThat(stderr).as("stderr of a successful run").isEmpty();
            assertThat(exitCode).as("exit code (stderr: %s)", stderr).isZero();
            return this;
        }

        /** The given exit code, nothing on stdout, one line on stderr that is no stack trace. */
        public Run assertFailsWithOneLine(int expectedExitCode) {
            assertThat(exitCode).as("exit code (stderr: %s)", stderr).isEqualTo(expectedExitCode);
            assertThat(stdout).as("stdout of a failed run").isEmpty();
            assertThat(stderr).as("stderr of a failed run").endsWith("\n").startsWith("mptcpstate: ");
            assertThat(stderr.lines().count()).as("lines on stderr: %s", stderr).isEqualTo(1);
            assertThat(stderr)
                    .as("stderr shows no stack trace")
                    .doesNotContain("\tat ", "Exception", "Caused by", "internal error");
            return this;
        }
    }

    /** The text as a temporary state file, deleted when the test JVM exits. */
    public static Path stateFile(String yaml) throws IOException {
        Path file = Files.createTempFile("mptcpstate-", ".yml");
        Files.writeString(file, yaml);
        file.toFile().deleteOnExit();
        return file;
    }

    /** Runs a command line in this JVM. */
    public static Run inProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The jar `mvn package` built (failsafe passes its path as -Dmptcpstate.jar). */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("mptcpstate.jar", "target/mptcpstate.jar"));
        assertThat(jar).as("the built jar (run `mvn package` first)").isRegularFile();
        return jar;
    }

    /** The java launcher of the JVM running the tests. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -jar <jar> args...} as a subprocess. */
    public static Run jar(String... args) {
        return jarVia(List.of(), jar(), args);
    }

    /** {@code prefix... java -jar <jar> args...}: the prefix can enter a namespace or drop privileges. */
    public static Run jarVia(List<String> prefix, Path jar, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java(), "-jar", jar.toString()));
        command.addAll(Arrays.asList(args));
        return process(command);
    }

    /** Runs a command; stdout and stderr are kept apart. JVM option variables are cleared from its environment. */
    public static Run process(List<String> command) {
        File errFile = null;
        try {
            errFile = File.createTempFile("mptcpstate-it-", ".stderr");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(errFile);
            Map<String, String> env = builder.environment();
            env.remove("JAVA_TOOL_OPTIONS");
            env.remove("_JAVA_OPTIONS");
            env.remove("JDK_JAVA_OPTIONS");
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
            }
            return new Run(
                    process.exitValue(),
                    new String(out, StandardCharsets.UTF_8),
                    Files.readString(errFile.toPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        } finally {
            if (errFile != null) {
                errFile.delete();
            }
        }
    }
}
