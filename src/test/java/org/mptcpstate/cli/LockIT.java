package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;
import org.mptcpstate.testing.Netns;
import org.mptcpstate.testing.Nobody;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /run/mptcpstate on the real system, judged with stat(1), a Python fcntl lock and ls: root's alone, no user can
 * hold a lock in it, and the files of namespaces that are gone are removed (never one that is held or alive).
 */
@Tag("kernel")
class LockIT {
    private static final Path DIRECTORY = Path.of("/run/mptcpstate");
    private static final String STATE = "interfaces:\n- name: eth1\n  mptcp:\n    address-flags: [subflow]\n";

    private static Path fileOf(Netns ns, String suffix) {
        String inode = Netns.run(List.of("stat", "-L", "-c", "%i", ns.path().toString()))
                .trim();
        return DIRECTORY.resolve("net-" + inode + suffix);
    }

    private static String stat(Path path) {
        return Netns.run(List.of("stat", "-c", "%a %U", path.toString())).trim();
    }

    private static void apply(Netns ns, Path file) {
        Run run = Mptcpstate.jar("apply", file.toString(), "--netns", ns.name(), "--lock-wait", "0");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
    }

    /** 0700 and 0600, root's; as an older mptcpstate left them (0755, 0644), narrowed by the next apply. */
    @Test
    void theDirectoryAndItsFilesAreRootsAloneAndOlderModesAreNarrowed() throws Exception {
        try (Netns ns = Netns.ipv4VethPair("lock", 1)) {
            Path file = Mptcpstate.stateFile(STATE);
            apply(ns, file);
            Path lock = fileOf(ns, ".lock");
            assertThat(stat(DIRECTORY)).isEqualTo("700 root");
            assertThat(stat(lock)).isEqualTo("600 root");
            Netns.run(List.of("chmod", "755", DIRECTORY.toString()));
            Netns.run(List.of("chmod", "644", lock.toString()));
            apply(ns, file);
            assertThat(stat(DIRECTORY)).isEqualTo("700 root");
            assertThat(stat(lock)).isEqualTo("600 root");
        }
    }

    /**
     * The red team's denial of service: any user opened a 0644 lock file and took a shared fcntl lock, and every
     * apply failed. Now nobody cannot even open it (Python's own error), and apply does not wait at all.
     */
    @Test
    void noOtherUserCanOpenALockFileToHoldIt() throws Exception {
        try (Netns ns = Netns.ipv4VethPair("lock", 1)) {
            Path file = Mptcpstate.stateFile(STATE);
            apply(ns, file);
            List<String> command = new ArrayList<>(Nobody.prefix());
            command.addAll(List.of(
                    "/usr/bin/python3",
                    "-c",
                    "import fcntl,sys\nf=open(sys.argv[1],'rb')\nfcntl.lockf(f,fcntl.LOCK_SH)\nprint('held')",
                    fileOf(ns, ".lock").toString()));
            Netns.Result attempt = Netns.runAllowingFailure(command);
            assertThat(attempt.exitCode()).isNotZero();
            assertThat(attempt.stdout()).doesNotContain("held");
            assertThat(attempt.stderr()).contains("PermissionError");
            ns.resetMptcp();
            apply(ns, file);
        }
    }

    /**
     * The lock file of a namespace deleted since, and files of a namespace that never was (net-1: namespace
     * inodes start at 0xF0000000), go at the next apply; a lock file someone holds stays, and so do the files
     * of namespaces that exist.
     */
    @Test
    void filesOfNamespacesThatAreGoneAreRemovedAtTheNextApply() throws Exception {
        Path held = DIRECTORY.resolve("net-2.lock");
        List<Path> neverWas = List.of(
                DIRECTORY.resolve("net-1.lock"), DIRECTORY.resolve("net-1.watch"), DIRECTORY.resolve("net-1.journal"));
        try (Netns live = Netns.ipv4VethPair("lock", 1);
                Netns other = Netns.ipv4VethPair("lock", 1)) {
            Path file = Mptcpstate.stateFile(STATE);
            apply(other, file);
            Netns gone = Netns.ipv4VethPair("lock", 1);
            Path goneLock;
            try {
                apply(gone, file);
                goneLock = fileOf(gone, ".lock");
            } finally {
                gone.close();
            }
            for (Path path : neverWas) {
                Files.writeString(path, "");
            }
            Files.writeString(held, "");
            Process holder = new ProcessBuilder(
                            "python3",
                            "-c",
                            "import fcntl,sys,time\nf=open(sys.argv[1],'r+')\nfcntl.lockf(f,fcntl.LOCK_EX)\n"
                                    + "print('locked',flush=True)\ntime.sleep(60)",
                            held.toString())
                    .redirectErrorStream(true)
                    .start();
            try {
                assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                                .readLine())
                        .isEqualTo("locked");
                assertThat(goneLock).exists();
                apply(live, file);
                // unless another namespace took the inode number meanwhile (other tests make namespaces too)
                if (!alive(goneLock)) {
                    assertThat(goneLock).doesNotExist();
                }
                for (Path path : neverWas) {
                    assertThat(path).doesNotExist();
                }
                assertThat(held).exists();
                assertThat(fileOf(live, ".lock")).exists();
                assertThat(fileOf(other, ".lock")).exists();
            } finally {
                holder.destroyForcibly();
                holder.waitFor(10, TimeUnit.SECONDS);
                Files.deleteIfExists(held);
            }
        }
    }

    /** Whether the namespace of net-INODE.lock exists now: mounted, or a thread is in it. */
    private static boolean alive(Path lock) throws Exception {
        String name = lock.getFileName().toString();
        String link = "net:[" + name.substring("net-".length(), name.length() - ".lock".length()) + "]";
        if (Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + link + " ")) {
            return true;
        }
        try (var processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try (var tasks = Files.newDirectoryStream(process.resolve("task"))) {
                    for (Path task : tasks) {
                        if (link.equals(
                                Files.readSymbolicLink(task.resolve("ns/net")).toString())) {
                            return true;
                        }
                    }
                } catch (java.io.IOException e) {
                    // gone meanwhile
                }
            }
        }
        return false;
    }
}
