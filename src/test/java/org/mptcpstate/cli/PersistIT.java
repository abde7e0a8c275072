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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** persist as an unprivileged user: writing under / is refused with exit 77 and nothing is written. */
@Tag("kernel")
class PersistIT {
    @TempDir
    Path dir;

    @Test
    void persistToSlashAsNobodyExits77() throws IOException {
        KernelTests.requireRoot();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path state = dir.resolve("state.yml");
        Files.writeString(state, "mptcp:\n  enabled: true\n");
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-r--r--"));
        Path jar = Nobody.readableJar();
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Path.of("/etc/mptcpstate/persisted.manifest")).doesNotExist();
        Mptcpstate.Run run =
                Mptcpstate.jarVia(Nobody.prefix(), jar, "persist", state.toString(), "--exec", "/bin/true");
        run.assertFailsWithOneLine(77);
        assertThat(run.stderr()).contains("permission denied").contains("writing under / needs root");
        assertThat(Path.of("/etc/mptcpstate")).doesNotExist();
    }

    /** A state file and an empty --root in the test's directory; the launcher under test is made by each test. */
    private Path[] fileAndRoot() throws IOException {
        Path state = dir.resolve("state.yml");
        Files.writeString(state, "mptcp:\n  enabled: true\n");
        return new Path[] {state, Files.createDirectories(dir.resolve("root"))};
    }

    /** An executable script owned by {@code owner} (a uid), in {@code directory} made with {@code mode}. */
    private static Path launcherIn(Path directory, String mode, String owner) throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(mode));
        Path launcher = directory.resolve("mptcpstate");
        Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Netns.run(List.of("chown", owner, launcher.toString()));
        return launcher;
    }

    private static Mptcpstate.Run persist(Path state, Path root, Path launcher) {
        return Mptcpstate.inProcess(
                "persist", state.toString(), "--root", root.toString(), "--exec", launcher.toString());
    }

    /**
     * What the unit would run as root at every boot must be root's, in directories only root can write: a
     * launcher of nobody's, one in a world-writable or group-writable directory without the sticky bit, and a
     * checkout whose jar is nobody's are refused (exit 1, nothing written); the reason and the remedy are given.
     */
    @Test
    void aLauncherSomeoneElseCouldChangeIsRefused() throws IOException {
        KernelTests.requireRoot();
        Path[] fileAndRoot = fileAndRoot();
        String nobody = Nobody.id("-u");
        String remedy = "; install the package (its /usr/bin/mptcpstate is root's) or give --exec a copy that root"
                + " owns, in directories only root can write\n";

        Path owned = launcherIn(dir.resolve("a"), "rwxr-xr-x", nobody);
        Mptcpstate.Run run = persist(fileAndRoot[0], fileAndRoot[1], owned);
        run.assertFailsWithOneLine(ExitCode.FAILED.code());
        assertThat(run.stderr())
                .isEqualTo("mptcpstate: refusing a unit that runs " + owned + " as root at every boot: " + owned
                        + " belongs to uid " + nobody + " (nobody), not root, who could change what root runs"
                        + remedy);

        Path open = launcherIn(dir.resolve("b"), "rwxrwxrwx", "0");
        run = persist(fileAndRoot[0], fileAndRoot[1], open);
        run.assertFailsWithOneLine(ExitCode.FAILED.code());
        assertThat(run.stderr())
                .contains(open.getParent() + " is writable by its group and everyone, who could replace what is in it"
                        + " (mode 0777)");

        Path group = launcherIn(dir.resolve("c"), "rwxrwxr-x", "0");
        run = persist(fileAndRoot[0], fileAndRoot[1], group);
        run.assertFailsWithOneLine(ExitCode.FAILED.code());
        assertThat(run.stderr()).contains(group.getParent() + " is writable by its group");

        // a checkout: the launcher is root's, the jar it runs is not
        Path checkout = Files.createDirectories(dir.resolve("checkout/target"));
        Files.setPosixFilePermissions(checkout.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(checkout.resolveSibling("pom.xml"), "<project/>\n");
        Path launcher = launcherIn(checkout.getParent(), "rwxr-xr-x", "0");
        Path jar = Files.writeString(checkout.resolve("mptcpstate.jar"), "");
        Netns.run(List.of("chown", nobody, jar.toString()));
        run = persist(fileAndRoot[0], fileAndRoot[1], launcher);
        run.assertFailsWithOneLine(ExitCode.FAILED.code());
        assertThat(run.stderr()).contains(jar + " belongs to uid " + nobody + " (nobody)");

        assertThat(fileAndRoot[1].resolve("etc")).doesNotExist();
    }

    /**
     * Root's launcher under the sticky /tmp (this test's directory): accepted, with the warning of what remains. A
     * path with a space, a % and a $ is written as systemd reads the program of ExecStart= (%% for %, $ as it is,
     * in double quotes): systemd-analyze verify finds that very file (it checks the program exists) and says
     * nothing at all. A quote or a backslash, which systemd refuses in a program's path, is refused (exit 64).
     */
    @Test
    void aRootOwnedLauncherUnderStickyTmpIsAcceptedWithAWarningAndQuotedForSystemd() throws IOException {
        KernelTests.requireRoot();
        assertThat(Netns.run(List.of("stat", "-c", "%a %U", "/tmp")).trim()).isEqualTo("1777 root");
        Path[] fileAndRoot = fileAndRoot();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path launcher = launcherIn(dir.resolve("odd dir %n $HOME"), "rwxr-xr-x", "0");
        Mptcpstate.Run run = persist(fileAndRoot[0], fileAndRoot[1], launcher);
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        Path top = Path.of("/tmp").resolve(dir.getName(1));
        assertThat(run.stderr())
                .isEqualTo("mptcpstate: warning: " + launcher + " lies under /tmp, which anyone may write (mode 1777,"
                        + " sticky): safe while " + top + " stays root's, but if it is ever removed (a reboot empties"
                        + " /tmp) anyone could create it again, and the unit would run their file as root; install the"
                        + " package, or --exec a root-owned copy outside /tmp [exec-sticky-directory]\n");
        Path unit = fileAndRoot[1].resolve("etc/systemd/system/mptcpstate.service");
        assertThat(unit).content().contains("\nExecStart=\"" + dir + "/odd dir %%n $HOME/mptcpstate\" watch ");
        Netns.Result verify = Netns.runAllowingFailure(List.of("systemd-analyze", "verify", unit.toString()));
        assertThat(verify.stdout() + verify.stderr())
                .as("systemd-analyze verify")
                .isEmpty();
        assertThat(verify.exitCode()).isZero();
        // the oracle sees the quoting resolve to the file: with the launcher gone, it names exactly that path
        Files.delete(launcher);
        Netns.Result missing = Netns.runAllowingFailure(List.of("systemd-analyze", "verify", unit.toString()));
        assertThat(missing.stderr()).contains("Command " + launcher + " is not executable");

        Path quoted = launcherIn(dir.resolve("it's"), "rwxr-xr-x", "0");
        Mptcpstate.Run refused = persist(fileAndRoot[0], Files.createDirectories(dir.resolve("root2")), quoted);
        refused.assertFailsWithOneLine(ExitCode.USAGE.code());
        assertThat(refused.stderr())
                .isEqualTo("mptcpstate: the launcher's path " + quoted + " holds a quote, which systemd refuses in the"
                        + " program of ExecStart=: install the package, or give --exec a copy at a plain path\n");
        assertThat(dir.resolve("root2/etc")).doesNotExist();
    }
}
