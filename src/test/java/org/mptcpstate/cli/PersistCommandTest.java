package org.mptcpstate.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** persist and unpersist under a temporary --root: no root, no kernel. */
class PersistCommandTest {
    private static final String STATE = "mptcp:\n  enabled: true\n  limits:\n    subflows: 4\n"
            + "interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [subflow]\n";

    @TempDir
    Path dir;

    private Path root() throws IOException {
        return Files.createDirectories(dir.resolve("root"));
    }

    /**
     * A launcher persist accepts whoever runs the test: root's, in directories only root can write. (One made in
     * the test's temporary directory is refused unless root made it, and under /tmp it gets a warning; PersistIT
     * holds those rules.)
     */
    private Path launcher() throws IOException {
        return Path.of("/usr/bin/true").toRealPath();
    }

    private Path stateFile(String content) throws IOException {
        Path file = dir.resolve("state.yml");
        Files.writeString(file, content);
        return file;
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static List<Path> tree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(root::relativize).sorted().toList();
        }
    }

    @Test
    void persistWritesStateSysctlAndUnitWithTheirModes() throws IOException {
        Path root = root();
        Path launcher = launcher();
        Mptcpstate.Run run = Mptcpstate.inProcess(
                        "persist",
                        stateFile(STATE).toString(),
                        "--root",
                        root.toString(),
                        "--exec",
                        launcher.toString())
                .assertOk();
        assertThat(run.stdout())
                .isEqualTo("wrote " + root + "/etc/mptcpstate/state.yml\n"
                        + "wrote " + root + "/etc/sysctl.d/90-mptcpstate.conf\n"
                        + "wrote " + root + "/etc/systemd/system/mptcpstate.service\n"
                        + "Nothing was started. To apply it now and at every boot, run:\n"
                        + "  systemctl daemon-reload\n"
                        + "  systemctl enable --now mptcpstate.service\n");
        Path state = root.resolve("etc/mptcpstate/state.yml");
        Path sysctl = root.resolve("etc/sysctl.d/90-mptcpstate.conf");
        Path unit = root.resolve("etc/systemd/system/mptcpstate.service");
        assertThat(state).hasContent(STATE);
        assertThat(Files.readString(sysctl)).endsWith("\nnet.mptcp.enabled = 1\n");
        String text = Files.readString(unit);
        assertThat(text)
                .contains(
                        "ExecStart=" + launcher + " watch /etc/mptcpstate/state.yml\n",
                        "After=network.target\n",
                        "Restart=on-failure\n",
                        "CapabilityBoundingSet=CAP_NET_ADMIN\n",
                        "AmbientCapabilities=CAP_NET_ADMIN\n",
                        "NoNewPrivileges=yes\n",
                        "ProtectSystem=strict\n",
                        "ProtectKernelTunables=yes\n",
                        "RuntimeDirectoryMode=0700\n",
                        "ReadWritePaths=/run/mptcpstate -/proc/sys/net/mptcp\n",
                        "ProtectHome=yes\n",
                        "PrivateTmp=yes\n",
                        "ProtectKernelModules=yes\n",
                        "RestrictAddressFamilies=AF_NETLINK AF_UNIX\n",
                        "LockPersonality=yes\n",
                        "SystemCallArchitectures=native\n",
                        "WantedBy=multi-user.target\n");
        assertThat(text.lines()
                        .filter(l -> l.startsWith("MemoryDenyWriteExecute="))
                        .toList())
                .isEmpty();
        for (Path file : List.of(state, sysctl, unit, root.resolve("etc/mptcpstate/persisted.manifest"))) {
            assertThat(mode(file)).as("mode of %s", file).isEqualTo("rw-r--r--");
        }
        for (String directory : List.of("etc", "etc/mptcpstate", "etc/sysctl.d", "etc/systemd", "etc/systemd/system")) {
            assertThat(mode(root.resolve(directory)))
                    .as("mode of %s", directory)
                    .isEqualTo("rwxr-xr-x");
        }
        // no temporary files left behind
        assertThat(tree(root))
                .allSatisfy(p -> assertThat(p.getFileName().toString()).doesNotEndWith(".tmp"));
    }

    @Test
    void disabledWritesZeroAndNoEnabledKeyWritesNoSysctlFile() throws IOException {
        Path root = root();
        Mptcpstate.inProcess(
                        "persist",
                        stateFile("mptcp:\n  enabled: false\n").toString(),
                        "--root",
                        root.toString(),
                        "--exec",
                        launcher().toString())
                .assertOk();
        assertThat(Files.readString(root.resolve("etc/sysctl.d/90-mptcpstate.conf")))
                .endsWith("\nnet.mptcp.enabled = 0\n");
        // persisting again without mptcp.enabled removes the sysctl file of the first run
        Mptcpstate.Run again = Mptcpstate.inProcess(
                        "persist",
                        stateFile("mptcp:\n  limits:\n    subflows: 3\n").toString(),
                        "--root",
                        root.toString(),
                        "--exec",
                        launcher().toString())
                .assertOk();
        assertThat(again.stdout()).contains("removed " + root + "/etc/sysctl.d/90-mptcpstate.conf\n");
        assertThat(root.resolve("etc/sysctl.d/90-mptcpstate.conf")).doesNotExist();
        assertThat(root.resolve("etc/mptcpstate/state.yml")).hasContent("mptcp:\n  limits:\n    subflows: 3\n");
    }

    @Test
    void anInvalidFileWritesNothing() throws IOException {
        Path root = root();
        Mptcpstate.Run run = Mptcpstate.inProcess(
                "persist",
                stateFile("mptcp:\n  enabled: maybe\n").toString(),
                "--root",
                root.toString(),
                "--exec",
                launcher().toString());
        assertThat(run.exitCode()).isEqualTo(65);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).contains("expected true or false");
        assertThat(tree(root)).containsExactly(Path.of(""));
    }

    @Test
    void aFileNotWrittenByPersistIsNeverOverwritten() throws IOException {
        Path root = root();
        Path foreign = root.resolve("etc/sysctl.d/90-mptcpstate.conf");
        Files.createDirectories(foreign.getParent());
        Files.writeString(foreign, "net.mptcp.enabled = 1\n");
        Mptcpstate.inProcess(
                        "persist",
                        stateFile(STATE).toString(),
                        "--root",
                        root.toString(),
                        "--exec",
                        launcher().toString())
                .assertFailsWithOneLine(1);
        assertThat(foreign).hasContent("net.mptcp.enabled = 1\n");
        assertThat(tree(root))
                .containsExactly(
                        Path.of(""),
                        Path.of("etc"),
                        Path.of("etc/sysctl.d"),
                        Path.of("etc/sysctl.d/90-mptcpstate.conf"));
    }

    @Test
    void unpersistRemovesExactlyWhatPersistWrote() throws IOException {
        Path root = root();
        // things that were there before persist: they stay
        Files.createDirectories(root.resolve("etc/systemd/system"));
        Files.writeString(root.resolve("etc/systemd/system/other.service"), "[Service]\nExecStart=/bin/true\n");
        Files.writeString(root.resolve("etc/hostname"), "host\n");
        List<Path> before = tree(root);
        Mptcpstate.inProcess(
                        "persist",
                        stateFile(STATE).toString(),
                        "--root",
                        root.toString(),
                        "--exec",
                        launcher().toString())
                .assertOk();
        // a file the admin added in a directory persist created: it stays, and so does its directory
        Files.writeString(root.resolve("etc/sysctl.d/50-local.conf"), "net.ipv4.ip_forward = 1\n");

        Mptcpstate.Run run =
                Mptcpstate.inProcess("unpersist", "--root", root.toString()).assertOk();
        assertThat(run.stdout())
                .isEqualTo("removed " + root + "/etc/mptcpstate/state.yml\n"
                        + "removed " + root + "/etc/sysctl.d/90-mptcpstate.conf\n"
                        + "removed " + root + "/etc/systemd/system/mptcpstate.service\n"
                        + "To stop the service and forget it, run:\n"
                        + "  systemctl disable --now mptcpstate.service\n"
                        + "  systemctl daemon-reload\n");
        assertThat(tree(root))
                .containsExactlyInAnyOrderElementsOf(Stream.concat(
                                before.stream(),
                                Stream.of(Path.of("etc/sysctl.d"), Path.of("etc/sysctl.d/50-local.conf")))
                        .toList());

        Mptcpstate.Run twice = Mptcpstate.inProcess("unpersist", "--root", root.toString());
        assertThat(twice.exitCode()).isZero();
        assertThat(twice.stderr()).startsWith("mptcpstate: nothing to remove");
    }

    /** stat(1)'s inode, change time and mode of each file: an oracle of "not rewritten" we did not write. */
    private static String stat(Path... files) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("stat", "-c", "%n %i %z %a"));
        for (Path file : files) {
            command.add(file.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void persistAgainReportsUnchangedFilesAndLeavesThemAlone() throws IOException, InterruptedException {
        Path root = root();
        String[] persist = {
            "persist",
            stateFile(STATE).toString(),
            "--root",
            root.toString(),
            "--exec",
            launcher().toString()
        };
        Mptcpstate.inProcess(persist).assertOk();
        Path state = root.resolve("etc/mptcpstate/state.yml");
        Path sysctl = root.resolve("etc/sysctl.d/90-mptcpstate.conf");
        Path unit = root.resolve("etc/systemd/system/mptcpstate.service");
        Path manifest = root.resolve("etc/mptcpstate/persisted.manifest");
        String before = stat(state, sysctl, unit, manifest);

        Mptcpstate.Run again = Mptcpstate.inProcess(persist);
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout())
                .startsWith("unchanged " + state + "\n" + "unchanged " + sysctl + "\n" + "unchanged " + unit + "\n");
        assertThat(stat(state, sysctl, unit, manifest)).as("nothing rewritten").isEqualTo(before);

        // a mode that is not the one persist writes: that file is written again, the others stay
        Files.setPosixFilePermissions(sysctl, PosixFilePermissions.fromString("rw-------"));
        Mptcpstate.Run mode = Mptcpstate.inProcess(persist).assertOk();
        assertThat(mode.stdout())
                .startsWith("unchanged " + state + "\n" + "wrote " + sysctl + "\n" + "unchanged " + unit + "\n");
        assertThat(stat(sysctl)).endsWith(" 644\n");

        // another state: only the state file changes
        String unitBefore = stat(unit);
        Mptcpstate.Run other = Mptcpstate.inProcess(
                        "persist",
                        stateFile(STATE.replace("subflows: 4", "subflows: 3")).toString(),
                        "--root",
                        root.toString(),
                        "--exec",
                        launcher().toString())
                .assertOk();
        assertThat(other.stdout())
                .startsWith("wrote " + state + "\n" + "unchanged " + sysctl + "\n" + "unchanged " + unit + "\n");
        assertThat(state).content().contains("subflows: 3");
        assertThat(stat(unit)).isEqualTo(unitBefore);
    }

    @Test
    void persistAgainRefusesToReplaceAFileEditedByHand() throws IOException {
        Path root = root();
        Mptcpstate.inProcess(
                        "persist",
                        stateFile(STATE).toString(),
                        "--root",
                        root.toString(),
                        "--exec",
                        launcher().toString())
                .assertOk();
        Path unit = root.resolve("etc/systemd/system/mptcpstate.service");
        Files.writeString(unit, Files.readString(unit) + "# local edit\n");
        Mptcpstate.Run run = Mptcpstate.inProcess(
                        "persist",
                        stateFile("mptcp:\n  enabled: false\n").toString(),
                        "--root",
                        root.toString(),
                        "--exec",
                        launcher().toString())
                .assertFailsWithOneLine(1);
        assertThat(run.stderr()).contains(unit + " was changed after mptcpstate persist wrote it");
        assertThat(root.resolve("etc/mptcpstate/state.yml")).hasContent(STATE);
        assertThat(unit).content().endsWith("# local edit\n");
    }

    @Test
    void unpersistLeavesAFileChangedSincePersist() throws IOException {
        Path root = root();
        Mptcpstate.inProcess(
                        "persist",
                        stateFile(STATE).toString(),
                        "--root",
                        root.toString(),
                        "--exec",
                        launcher().toString())
                .assertOk();
        Path state = root.resolve("etc/mptcpstate/state.yml");
        Files.writeString(state, STATE + "# edited by hand\n");
        Mptcpstate.Run run = Mptcpstate.inProcess("unpersist", "--root", root.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.stderr()).contains("warning: " + state + " was changed after mptcpstate persist wrote it");
        assertThat(state).exists();
        assertThat(root.resolve("etc/systemd/system/mptcpstate.service")).doesNotExist();
        assertThat(tree(root))
                .containsExactly(
                        Path.of(""), Path.of("etc"), Path.of("etc/mptcpstate"), Path.of("etc/mptcpstate/state.yml"));
    }

    @Test
    void theDefaultLauncherIsTheRepositoryScript() throws IOException {
        Path root = root();
        Mptcpstate.Run run = Mptcpstate.inProcess("persist", stateFile(STATE).toString(), "--root", root.toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        // a checkout under /tmp (a CI clone made by mktemp -d) rightly gets the sticky-directory warning
        assertThat(run.stderr().lines().filter(line -> !line.endsWith("[exec-sticky-directory]")))
                .isEmpty();
        Path script = Path.of("mptcpstate").toRealPath();
        assertThat(root.resolve("etc/systemd/system/mptcpstate.service"))
                .content()
                .contains("ExecStart=" + script + " watch /etc/mptcpstate/state.yml\n");
    }

    @Test
    void writingUnderSlashWithoutRootExits77() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                Files.isWritable(Path.of("/etc")),
                "runs as a user who cannot write /etc (PersistIT covers root, running as nobody)");
        Mptcpstate.Run run = Mptcpstate.inProcess("persist", stateFile(STATE).toString(), "--exec", "/bin/true");
        run.assertFailsWithOneLine(77);
        assertThat(run.stderr()).contains("writing under / needs root");
    }

    @Test
    void aMissingRootIsAnError() throws IOException {
        Mptcpstate.inProcess(
                        "persist",
                        stateFile(STATE).toString(),
                        "--root",
                        dir.resolve("nowhere").toString(),
                        "--exec",
                        launcher().toString())
                .assertFailsWithOneLine(1);
        assertThat(dir.resolve("nowhere")).doesNotExist();
    }

    @Test
    void systemdAnalyzeAcceptsTheUnit() throws IOException {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(analyze), "systemd-analyze not installed");
        Path root = root();
        Mptcpstate.inProcess(
                        "persist",
                        stateFile(STATE).toString(),
                        "--root",
                        root.toString(),
                        "--exec",
                        launcher().toString())
                .assertOk();
        Path unit = root.resolve("etc/systemd/system/mptcpstate.service");
        Netns.Result result = Netns.runAllowingFailure(List.of(analyze.toString(), "verify", unit.toString()));
        // unknown or misspelt keys are warnings only (exit 0): nothing at all may be said
        assertThat(result.stdout() + result.stderr())
                .as("systemd-analyze verify: %s", result.stderr())
                .isEmpty();
        assertThat(result.exitCode())
                .as("systemd-analyze verify: %s", result.stderr())
                .isZero();
    }

    @Test
    void helpNamesTheFiles() {
        Mptcpstate.Run run = Mptcpstate.inProcess("persist", "--help");
        assertThat(run.stdout()).contains("--root=DIR", "--exec=PATH", "90-mptcpstate.conf");
        assertThat(new String(run.stdout().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .contains("Usage: mptcpstate persist");
    }

    @Test
    void theUnitReloadsTheFileOnSighup() throws IOException {
        Path root = root();
        Mptcpstate.inProcess(
                        "persist",
                        stateFile(STATE).toString(),
                        "--root",
                        root.toString(),
                        "--exec",
                        launcher().toString())
                .assertOk();
        assertThat(root.resolve("etc/systemd/system/mptcpstate.service"))
                .content()
                .contains("\nExecReload=/bin/kill -HUP $MAINPID\n");
    }

    @Test
    void theLauncherThatGoesWithAJarIsTheCheckoutsOrThePackagesOne() throws IOException {
        Path checkout = Files.createDirectories(dir.resolve("checkout/target"));
        Path script = executable(dir.resolve("checkout/mptcpstate"));
        assertThat(PersistCommand.launcherFor(checkout.resolve("mptcpstate.jar")))
                .isEqualTo(script);
        assertThat(PersistCommand.launcherFor(checkout.resolve("classes"))).isEqualTo(script);

        Path library = Files.createDirectories(dir.resolve("usr/share/mptcpstate"));
        Path installed = executable(dir.resolve("usr/bin/mptcpstate"));
        assertThat(PersistCommand.launcherFor(library.resolve("mptcpstate.jar")))
                .isEqualTo(installed);

        Files.delete(installed);
        assertThat(PersistCommand.launcherFor(library.resolve("mptcpstate.jar")))
                .isNull();
        assertThat(PersistCommand.launcherFor(Path.of("/mptcpstate.jar"))).isNull();
    }

    private static Path executable(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** The package's launcher: its shipped unit runs /etc/mptcpstate/state.yml, so persist writes no unit. */
    private Mptcpstate.Run persistWithThePackagesLauncher(Path root) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        ParsedArguments arguments = ArgumentParser.parse(
                PersistCommand.SPEC, List.of(stateFile(STATE).toString(), "--root", root.toString()));
        ExitCode code = PersistCommand.persist(
                arguments,
                new Command.Streams(
                        java.io.InputStream.nullInputStream(),
                        new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                        new java.io.PrintStream(err, true, StandardCharsets.UTF_8)),
                PersistCommand.PACKAGED_LAUNCHER);
        return new Mptcpstate.Run(
                code.code(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void withThePackagesLauncherTheShippedUnitRunsTheFile() throws IOException {
        Path root = root();
        Mptcpstate.Run run = persistWithThePackagesLauncher(root);
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout())
                .isEqualTo("wrote " + root + "/etc/mptcpstate/state.yml\n"
                        + "wrote " + root + "/etc/sysctl.d/90-mptcpstate.conf\n"
                        + "Nothing was started. The package's mptcpstate.service runs /etc/mptcpstate/state.yml;"
                        + " to apply it now and at every boot, run:\n"
                        + "  systemctl daemon-reload\n"
                        + "  systemctl enable --now mptcpstate.service\n"
                        + "When it runs already, systemctl reload mptcpstate.service re-reads the file.\n");
        assertThat(run.stderr())
                .isEqualTo("mptcpstate: warning: " + root + "/lib/systemd/system/mptcpstate.service is missing: the"
                        + " mptcpstate package installs it, and it runs the state file\n");
        assertThat(root.resolve("etc/systemd")).doesNotExist();

        // with the package installed under the root: no warning
        Path shipped = root.resolve("lib/systemd/system/mptcpstate.service");
        Files.createDirectories(shipped.getParent());
        Files.writeString(shipped, "[Service]\n");
        assertThat(persistWithThePackagesLauncher(root).stderr()).isEmpty();
    }

    @Test
    void theUnitOfAnEarlierPersistGoesWhenThePackagesLauncherPersists() throws IOException {
        Path root = root();
        Mptcpstate.inProcess(
                        "persist",
                        stateFile(STATE).toString(),
                        "--root",
                        root.toString(),
                        "--exec",
                        launcher().toString())
                .assertOk();
        Mptcpstate.Run run = persistWithThePackagesLauncher(root);
        assertThat(run.stdout()).contains("removed " + root + "/etc/systemd/system/mptcpstate.service\n");
        assertThat(root.resolve("etc/systemd/system/mptcpstate.service")).doesNotExist();
        assertThat(root.resolve("etc/mptcpstate/persisted.manifest")).content().doesNotContain("mptcpstate.service");
    }

    /** A newline in --exec would write an extra line into the unit (ExecStartPre=...): refused, nothing written. */
    @Test
    void aControlCharacterInTheLauncherPathIsRefused() throws IOException {
        Path root = root();
        Mptcpstate.Run run = Mptcpstate.inProcess(
                "persist",
                stateFile(STATE).toString(),
                "--root",
                root.toString(),
                "--exec",
                "/usr/bin/true\nExecStartPre=/bin/sh -c id");
        run.assertFailsWithOneLine(ExitCode.USAGE.code());
        assertThat(run.stderr())
                .isEqualTo("mptcpstate: --exec /usr/bin/true\\nExecStartPre=/bin/sh -c id holds a control character"
                        + " (U+000A at position 14), which would break the unit's line apart: refused\n");
        assertThat(tree(root)).containsExactly(Path.of(""));
    }

    /**
     * etc/mptcpstate a symbolic link to a directory outside the root: persist refuses to write through it, and
     * unpersist refuses to delete through it; what is outside stays untouched.
     */
    @Test
    void aSymbolicLinkBelowTheRootIsNeverFollowed() throws IOException {
        Path root = root();
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.createDirectories(root.resolve("etc"));
        Files.createSymbolicLink(root.resolve("etc/mptcpstate"), outside);
        Mptcpstate.Run run = Mptcpstate.inProcess(
                "persist",
                stateFile(STATE).toString(),
                "--root",
                root.toString(),
                "--exec",
                launcher().toString());
        run.assertFailsWithOneLine(ExitCode.FAILED.code());
        assertThat(run.stderr())
                .isEqualTo("mptcpstate: " + root + "/etc/mptcpstate is a symbolic link: persist and unpersist follow"
                        + " none below the root; replace it with a directory\n");
        assertThat(tree(outside)).containsExactly(Path.of(""));

        // a manifest outside, as a persist elsewhere wrote it: unpersist --root must not act on it
        Path target = Files.writeString(outside.resolve("state.yml"), STATE);
        Files.writeString(
                outside.resolve("persisted.manifest"), "file " + sha256(STATE) + " etc/mptcpstate/state.yml\n");
        Mptcpstate.Run unpersist = Mptcpstate.inProcess("unpersist", "--root", root.toString());
        unpersist.assertFailsWithOneLine(ExitCode.FAILED.code());
        assertThat(target).hasContent(STATE);
        assertThat(outside.resolve("persisted.manifest")).exists();
    }

    /** A world-writable etc/mptcpstate (persist's own directory) is narrowed to 0755, with a warning. */
    @Test
    void aWorldWritableStateDirectoryIsNarrowedWithAWarning() throws IOException {
        Path root = root();
        Path own = Files.createDirectories(root.resolve("etc/mptcpstate"));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwxrwxrwx"));
        Mptcpstate.Run run = Mptcpstate.inProcess(
                "persist",
                stateFile(STATE).toString(),
                "--root",
                root.toString(),
                "--exec",
                launcher().toString());
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stderr())
                .isEqualTo("mptcpstate: warning: " + own + " was writable by others (mode 777): anyone could have"
                        + " replaced the state file the unit applies; narrowed to 0755 [state-directory-mode]\n");
        assertThat(mode(own)).isEqualTo("rwxr-xr-x");
        assertThat(own.resolve("state.yml")).hasContent(STATE);
    }

    /** Any other directory below the root that others may write is refused: it is not persist's to change. */
    @Test
    void anotherWorldWritableDirectoryBelowTheRootIsRefused() throws IOException {
        Path root = root();
        Path etc = Files.createDirectories(root.resolve("etc"));
        Files.setPosixFilePermissions(etc, PosixFilePermissions.fromString("rwxrwxrwx"));
        Mptcpstate.Run run = Mptcpstate.inProcess(
                "persist",
                stateFile(STATE).toString(),
                "--root",
                root.toString(),
                "--exec",
                launcher().toString());
        run.assertFailsWithOneLine(ExitCode.FAILED.code());
        assertThat(run.stderr())
                .isEqualTo("mptcpstate: " + etc + " is writable by others (mode 777): anyone could replace what"
                        + " persist writes there; make it 0755 first\n");
        assertThat(tree(root)).containsExactly(Path.of(""), Path.of("etc"));
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
