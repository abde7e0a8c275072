package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcpstate.testing.KernelTests;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Netns;
import org.mptcpstate.testing.Nobody;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checkout's launcher against real runtimes, in a copy of the checkout's layout (its own target/): show prints
 * nothing on stderr on Java 17 and, where it is installed, on Java 25; the start-up cache made for each runtime
 * is used (the JVM's class-loading log says the classes come from the "shared objects file") and is not used once
 * the jar is newer (JDK 25.0.3 would run the old classes: JDK-8377932). And root running someone else's checkout
 * builds and makes caches as that user, so the README's `sudo ./mptcpstate show` then `mvn -B verify` works.
 */
@Tag("kernel")
class LauncherIT {
    /** Where the project's machines have Java 25 (a Temurin directory beside Debian's Java 17). */
    private static final Path JAVA_25 =
            Path.of(System.getProperty("mptcpstate.java25", "/usr/lib/jvm/temurin-25-jdk-amd64"));

    @TempDir
    Path dir;

    @Test
    void showPrintsNothingOnStderrAndUsesTheCacheOfEachRuntime() throws Exception {
        KernelTests.requireRoot();
        List<Path> runtimes = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        if (Files.isExecutable(JAVA_25.resolve("bin/java"))) {
            runtimes.add(JAVA_25);
        }
        Path checkout = checkoutCopy(dir.resolve("checkout"));
        try (Netns ns = Netns.ipv4VethPair("launcher", 1)) {
            ns.ip("mptcp", "endpoint", "add", "192.0.2.1", "dev", "eth1", "signal");
            for (Path runtime : runtimes) {
                Map<String, String> env = new HashMap<>(Map.of("JAVA_HOME", runtime.toString()));
                // no cache yet (on 25 this run starts making one in the background)
                assertShowWorks(checkout, env, ns, runtime + " without a cache");
                // made in the foreground; waits for the one in the background
                Mptcpstate.Run made = launch(checkout, with(env, "MPTCPSTATE_MAKE_CACHE", "1"));
                assertThat(made.exitCode()).as("%s: %s", runtime, made.stderr()).isZero();
                assertThat(classSource(checkout, env, ns, runtime + " with its cache"))
                        .as("%s: Main from the start-up cache", runtime)
                        .contains("org.mptcpstate.cli.Main source: shared objects file");

                // a jar newer than the cache: the cache is left alone
                Files.setLastModifiedTime(checkout.resolve("target/mptcpstate.jar"), FileTime.from(Instant.now()));
                assertThat(classSource(checkout, env, ns, runtime + " with a stale cache"))
                        .as("%s: Main from the jar", runtime)
                        .contains("org.mptcpstate.cli.Main source: file:")
                        .doesNotContain("org.mptcpstate.cli.Main source: shared objects file");
                // the cache is made again, for the new jar (and nothing runs in the background any more)
                assertThat(launch(checkout, with(env, "MPTCPSTATE_MAKE_CACHE", "1"))
                                .exitCode())
                        .isZero();
            }
        }
    }

    @Test
    void rootBuildsSomeoneElsesCheckoutAsItsOwner() throws Exception {
        KernelTests.requireRoot();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path checkout = Files.createDirectories(dir.resolve("checkout"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Files.copy(LauncherTest.LAUNCHER, checkout.resolve("mptcpstate"));
        // what `mvn package` leaves, copied from this build
        Path built = Files.createDirectories(dir.resolve("built"));
        Path target = Mptcpstate.jar().getParent();
        Files.copy(target.resolve("mptcpstate.jar"), built.resolve("mptcpstate.jar"));
        Files.copy(target.resolve("mptcpstate-training.jar"), built.resolve("mptcpstate-training.jar"));
        copyTree(target.resolve("jna"), built.resolve("jna"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.writeString(
                bin.resolve("mvn"),
                "#!/bin/sh\n"
                        + "# a stand-in for mvn package: says who ran it, leaves what the build leaves\n"
                        + "id -u > mvn-ran-as\n"
                        + "mkdir -p target && cp -r " + built + "/. target/\n");
        Files.setPosixFilePermissions(bin.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Netns.run(List.of("chmod", "-R", "a+rX", dir.toString()));
        Netns.run(List.of("chown", "-R", "nobody:", checkout.toString()));

        Map<String, String> env = new HashMap<>(Map.of("PATH", bin + ":" + System.getenv("PATH")));
        Mptcpstate.Run first = launch(checkout, env, "--version");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).startsWith("mptcpstate ");
        assertThat(first.stderr())
                .isEqualTo("mptcpstate: building " + checkout + "/target/mptcpstate.jar (first run)...\n");
        String nobody = Nobody.id("-u");
        assertThat(checkout.resolve("mvn-ran-as")).content().isEqualTo(nobody + "\n");
        if (Files.isExecutable(JAVA_25.resolve("bin/java"))) {
            // root on Java 25: the AOT cache is made as the owner too
            Mptcpstate.Run made =
                    launch(checkout, with(with(env, "JAVA_HOME", JAVA_25.toString()), "MPTCPSTATE_MAKE_CACHE", "1"));
            assertThat(made.exitCode()).as(made.stderr()).isZero();
            try (Stream<Path> files = Files.list(checkout.resolve("target"))) {
                assertThat(files.map(p -> p.getFileName().toString()))
                        .anyMatch(name -> name.startsWith("startup-checkout-") && name.endsWith(".aot"));
            }
        }
        // nothing under the checkout is root's
        try (Stream<Path> walk = Files.walk(checkout)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                assertThat(Files.getOwner(path).getName())
                        .as("owner of %s", path)
                        .isEqualTo("nobody");
            }
        }
        // so the owner's next build can write and clean target/
        List<String> asOwner = new ArrayList<>(Nobody.prefix());
        asOwner.addAll(List.of(
                "sh", "-c", "cd " + checkout + " && touch target/x && mkdir -p target/classes/a && rm -rf target"));
        Netns.Result clean = Netns.runAllowingFailure(asOwner);
        assertThat(clean.stderr()).isEmpty();
        assertThat(clean.exitCode()).isZero();
    }

    private static void assertShowWorks(Path checkout, Map<String, String> env, Netns ns, String what) {
        Mptcpstate.Run run = launch(checkout, env, "show", "--netns", ns.name());
        assertThat(run.stderr()).as("stderr of show on %s", what).isEmpty();
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).contains("ip: 192.0.2.1");
    }

    /** show, with the JVM logging where each class came from into a file; returns that log. */
    private String classSource(Path checkout, Map<String, String> env, Netns ns, String what) throws IOException {
        Path log = dir.resolve("classes-" + System.nanoTime() + ".log");
        Mptcpstate.Run run = launch(
                checkout,
                with(env, "MPTCPSTATE_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
                "show",
                "--netns",
                ns.name());
        assertThat(run.stderr()).as("stderr of show on %s", what).isEmpty();
        assertThat(run.exitCode()).isZero();
        return Files.readString(log);
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> more = new HashMap<>(env);
        more.put(key, value);
        return more;
    }

    /** CHECKOUT/mptcpstate args, with the test's environment plus {@code env}. */
    private static Mptcpstate.Run launch(Path checkout, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("env"));
        env.forEach((key, value) -> command.add(key + "=" + value));
        command.add(checkout.resolve("mptcpstate").toString());
        command.addAll(List.of(args));
        return Mptcpstate.process(command);
    }

    /** The checkout's layout with this build's jars and JNA stub: pom.xml, the launcher, target/. */
    private static Path checkoutCopy(Path checkout) throws IOException {
        Path target = Files.createDirectories(checkout.resolve("target"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Files.copy(LauncherTest.LAUNCHER, checkout.resolve("mptcpstate"));
        Path built = Mptcpstate.jar().getParent();
        Files.copy(built.resolve("mptcpstate.jar"), target.resolve("mptcpstate.jar"));
        Files.copy(built.resolve("mptcpstate-training.jar"), target.resolve("mptcpstate-training.jar"));
        copyTree(built.resolve("jna"), target.resolve("jna"));
        return checkout;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                Path copy = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
