package org.mptcpstate.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mptcpstate.testing.Mptcpstate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher (./mptcpstate) without what it needs: no Java, a JAVA_HOME without one, a Java older than 17, a
 * checkout to build without Maven. Each is one line on stderr naming what to install, and exit 69, never a bash
 * error. The PATH given holds only the tools the launcher uses before it looks for Java.
 */
class LauncherTest {
    static final Path LAUNCHER = Path.of("mptcpstate").toAbsolutePath();
    private static final String INSTALL_JAVA =
            "install Java 17 or newer (Debian, Ubuntu: apt install default-jre-headless) or set JAVA_HOME\n";

    @TempDir
    Path dir;

    @Test
    void noJavaExits69NamingWhatToInstall() throws IOException {
        Mptcpstate.Run run = launch(LAUNCHER, Map.of("PATH", tools().toString()), "show");
        run.assertFailsWithOneLine(69);
        assertThat(run.stderr()).isEqualTo("mptcpstate: no Java runtime found: " + INSTALL_JAVA);
    }

    @Test
    void aJavaHomeWithoutJavaExits69() throws IOException {
        Path nowhere = dir.resolve("no-jdk");
        Mptcpstate.Run run =
                launch(LAUNCHER, Map.of("PATH", tools().toString(), "JAVA_HOME", nowhere.toString()), "--version");
        run.assertFailsWithOneLine(69);
        assertThat(run.stderr())
                .isEqualTo("mptcpstate: JAVA_HOME is " + nowhere + ", which has no bin/java: " + INSTALL_JAVA);
    }

    @Test
    void aJavaOlderThan17Exits69() throws IOException {
        for (String version : List.of("11.0.2", "1.8.0_392")) {
            Path home = dir.resolve("jdk-" + version);
            executable(home.resolve("bin/java"), "#!/bin/sh\necho started >&2\n");
            Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
            Mptcpstate.Run run =
                    launch(LAUNCHER, Map.of("PATH", tools().toString(), "JAVA_HOME", home.toString()), "--version");
            run.assertFailsWithOneLine(69);
            assertThat(run.stderr())
                    .isEqualTo("mptcpstate: Java " + version + " in " + home + " is too old: " + INSTALL_JAVA);
        }
    }

    @Test
    void aCheckoutToBuildWithoutMavenExits69() throws IOException {
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Path launcher = checkout.resolve("mptcpstate");
        Files.copy(LAUNCHER, launcher);
        Path path = tools();
        executable(path.resolve("java"), "#!/bin/sh\nexec " + Mptcpstate.java() + " \"$@\"\n");
        Mptcpstate.Run run = launch(launcher, Map.of("PATH", path.toString()), "show");
        run.assertFailsWithOneLine(69);
        assertThat(run.stderr())
                .isEqualTo("mptcpstate: Maven builds " + checkout + "/target/mptcpstate.jar on first use: install"
                        + " maven and a JDK 17 or newer (Debian, Ubuntu: apt install maven default-jdk-headless)\n");
        assertThat(checkout.resolve("target")).doesNotExist();
    }

    @Test
    @Timeout(120) // a guard against a launcher that never ends, not a speed claim
    void aCheckoutWhoseSourcesChangedIsBuiltAgain() throws IOException {
        Path checkout = staleCheckout();
        Path path = toolsForAStaleCheckout();
        // the build: records how it was called and leaves a jar newer than the sources
        executable(
                path.resolve("mvn"),
                "#!/bin/sh\necho \"$@\" > " + checkout.resolve("mvn-ran") + "\n/usr/bin/touch target/mptcpstate.jar\n");
        Mptcpstate.Run run = launch(checkout.resolve("mptcpstate"), Map.of("PATH", path.toString()), "--version");
        assertThat(run.stderr())
                .isEqualTo(
                        "mptcpstate: building " + checkout + "/target/mptcpstate.jar again (the sources changed)...\n");
        assertThat(checkout.resolve("mvn-ran")).content().isEqualTo("-B -q -DskipTests package\n");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).startsWith("java ").endsWith(" org.mptcpstate.cli.Main --version\n");
    }

    @Test
    @Timeout(120) // a guard against a launcher that never ends, not a speed claim
    void twoLaunchersInAStaleCheckoutBuildItOnce() throws Exception {
        Path checkout = staleCheckout();
        Path path = toolsForAStaleCheckout();
        // a build that takes a while, so that the second launcher comes while it runs
        executable(
                path.resolve("mvn"),
                "#!/bin/sh\necho ran >> " + checkout.resolve("mvn-ran")
                        + "\n/usr/bin/sleep 3\n/usr/bin/touch target/mptcpstate.jar\n");
        Map<String, String> environment = Map.of("PATH", path.toString());
        CompletableFuture<Mptcpstate.Run> first =
                CompletableFuture.supplyAsync(() -> launch(checkout.resolve("mptcpstate"), environment, "--version"));
        CompletableFuture<Mptcpstate.Run> second =
                CompletableFuture.supplyAsync(() -> launch(checkout.resolve("mptcpstate"), environment, "--version"));
        List<Mptcpstate.Run> runs = List.of(first.get(), second.get());
        assertThat(checkout.resolve("mvn-ran")).as("one build").content().isEqualTo("ran\n");
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.exitCode()).isZero();
            assertThat(run.stdout()).endsWith(" org.mptcpstate.cli.Main --version\n");
        });
        String jar = checkout + "/target/mptcpstate.jar";
        assertThat(runs)
                .extracting(Mptcpstate.Run::stderr)
                .containsExactlyInAnyOrder(
                        "mptcpstate: building " + jar + " again (the sources changed)...\n",
                        "mptcpstate: waiting for the build of " + jar + " that another mptcpstate runs...\n");
    }

    @Test
    @Timeout(120)
    void aCheckoutWhoseSourcesChangedRunsWithAWarningWithoutMaven() throws IOException {
        Path checkout = staleCheckout();
        Path path = toolsForAStaleCheckout();
        Mptcpstate.Run run = launch(checkout.resolve("mptcpstate"), Map.of("PATH", path.toString()), "--version");
        assertThat(run.stderr())
                .isEqualTo("mptcpstate: warning: the sources are newer than " + checkout
                        + "/target/mptcpstate.jar, and there is no Maven to build it again\n");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).endsWith(" org.mptcpstate.cli.Main --version\n");
    }

    /** readlink, find and what the launcher runs as root, and a java that only says how it was called. */
    private Path toolsForAStaleCheckout() throws IOException {
        Path path = tools();
        executable(path.resolve("java"), "#!/bin/sh\necho \"java $*\"\n");
        for (String tool : List.of("find", "stat", "id", "getent", "cut", "flock")) {
            executable(path.resolve(tool), "#!/bin/sh\nexec /usr/bin/" + tool + " \"$@\"\n");
        }
        return path;
    }

    /** A checkout with a jar older than one of its sources. */
    private Path staleCheckout() throws IOException {
        Path checkout = Files.createDirectories(dir.resolve("stale-checkout"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Files.copy(LAUNCHER, checkout.resolve("mptcpstate"));
        Path jar = Files.createDirectories(checkout.resolve("target")).resolve("mptcpstate.jar");
        Files.writeString(jar, "old\n");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(0));
        Path source = Files.createDirectories(checkout.resolve("src/main/java")).resolve("Changed.java");
        Files.writeString(source, "class Changed {}\n");
        return checkout;
    }

    /** A PATH directory with readlink only: no java, no mvn. */
    private Path tools() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin-" + System.nanoTime()));
        executable(bin.resolve("readlink"), "#!/bin/sh\nexec /usr/bin/readlink \"$@\"\n");
        return bin;
    }

    private static void executable(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** bash LAUNCHER args, with only the environment given (and no JAVA_HOME unless given). */
    static Mptcpstate.Run launch(Path launcher, Map<String, String> environment, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("env", "-i"));
        environment.forEach((key, value) -> command.add(key + "=" + value));
        command.add("/bin/bash");
        command.add(launcher.toString());
        command.addAll(List.of(args));
        return Mptcpstate.process(command);
    }
}
