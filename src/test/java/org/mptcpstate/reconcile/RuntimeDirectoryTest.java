package org.mptcpstate.reconcile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The checks on /run/mptcpstate, its files, the sweep of stale ones, the journal and the watch's claim, on a
 * scratch directory owned by whoever runs the test (the rules are the same with root as the owner).
 */
class RuntimeDirectoryTest {
    @TempDir
    Path scratch;

    private static int ownUid() throws Exception {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue();
    }

    private RuntimeDirectory directory() throws Exception {
        return new RuntimeDirectory(scratch.resolve("mptcpstate"), ownUid());
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void theDirectoryIsMade0700AndAWiderOneNarrowed() throws Exception {
        RuntimeDirectory directory = directory();
        directory.ensure();
        assertThat(mode(directory.path())).isEqualTo("rwx------");
        Files.setPosixFilePermissions(directory.path(), PosixFilePermissions.fromString("rwxr-xr-x"));
        directory.ensure();
        assertThat(mode(directory.path())).isEqualTo("rwx------");
    }

    @Test
    void aSymbolicLinkOrAnotherOwnersDirectoryIsRefused() throws Exception {
        Path elsewhere = Files.createDirectory(scratch.resolve("elsewhere"));
        Files.createSymbolicLink(scratch.resolve("mptcpstate"), elsewhere);
        assertThatThrownBy(() -> directory().ensure())
                .isInstanceOf(RuntimeDirectory.UnsafeException.class)
                .hasMessageEndingWith("is not a directory but a symbolic link: mptcpstate keeps its namespace locks"
                        + " there and follows no link; remove it");
        RuntimeDirectory someoneElses = new RuntimeDirectory(elsewhere, ownUid() + 1);
        assertThatThrownBy(someoneElses::ensure)
                .isInstanceOf(RuntimeDirectory.UnsafeException.class)
                .hasMessageContaining("belongs to uid " + ownUid() + ", not uid " + (ownUid() + 1));
    }

    @Test
    void filesAreMade0600AnOlder0644OneNarrowedAndALinkNeverFollowed() throws Exception {
        RuntimeDirectory directory = directory();
        directory.ensure();
        Path file = directory.path().resolve("net-1.lock");
        directory.open(file).close();
        assertThat(mode(file)).isEqualTo("rw-------");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        directory.open(file).close();
        assertThat(mode(file)).isEqualTo("rw-------");

        Path target = Files.writeString(scratch.resolve("target"), "untouched");
        Path link = Files.createSymbolicLink(directory.path().resolve("net-2.lock"), target);
        assertThatThrownBy(() -> directory.open(link))
                .isInstanceOf(RuntimeDirectory.UnsafeException.class)
                .hasMessageContaining("is a symbolic link");
        assertThat(target).hasContent("untouched");
    }

    /**
     * net-1 is no namespace (their inode numbers are 0xF0000000 and up): its files go, a journal as it is, a lock
     * file only while nobody holds it; the files of a namespace that exists (this thread's) stay.
     */
    @Test
    void theSweepRemovesTheFilesOfNamespacesThatAreGoneButNoLockSomeoneHolds() throws Exception {
        RuntimeDirectory directory = directory();
        directory.ensure();
        Path dir = directory.path();
        String own = NamespaceLock.namespaceId();
        for (String name :
                List.of("net-1.lock", "net-1.watch", "net-1.journal", "net-2.lock", own + ".lock", own + ".journal")) {
            directory.open(dir.resolve(name)).close();
        }
        Process holder = new ProcessBuilder(
                        "python3",
                        "-c",
                        "import fcntl,sys,time\nf=open(sys.argv[1],'r+')\nfcntl.lockf(f,fcntl.LOCK_EX)\n"
                                + "print('locked',flush=True)\ntime.sleep(60)",
                        dir.resolve("net-2.lock").toString())
                .redirectErrorStream(true)
                .start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                            .readLine())
                    .isEqualTo("locked");
            assertThat(Processes.lockHolders(dir.resolve("net-2.lock"))).containsExactly(holder.pid());
            StaleFiles.sweep(directory, "net-0");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
        try (var entries = Files.list(dir)) {
            assertThat(entries.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("net-2.lock", own + ".lock", own + ".journal");
        }
    }

    @Test
    void theJournalOfAProcessThatIsGoneIsReportedOneThatRunsIsNot() throws Exception {
        RuntimeDirectory directory = directory();
        Plan plan =
                new Plan(List.of(new Change.SetEnabled(false, true), new Change.SetLimits(1, 4, 0, null)), List.of());
        ApplyJournal journal = ApplyJournal.start(directory, "/etc/mptcpstate/state\u001b[2J.yml", plan);
        journal.progress(1);
        // this process is alive: its apply is at work, not interrupted
        assertThat(ApplyJournal.interrupted(directory)).isNull();
        Path file = directory.path().resolve(NamespaceLock.namespaceId() + ".journal");
        assertThat(mode(file)).isEqualTo("rw-------");
        String text = Files.readString(file);
        assertThat(text).contains("\ndone 1\nof 2\n").contains("change ~ mptcp enabled: false -> true\n");
        // as another process that was killed: a pid whose process is gone
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(file, text.replaceFirst("\npid [0-9]+\n", "\npid " + gone.pid() + "\n"));
        assertThat(ApplyJournal.interrupted(directory))
                .matches("the apply of /etc/mptcpstate/state\\\\u001B\\[2J\\.yml by pid " + gone.pid()
                        + " at 20[0-9-]+T[0-9:]+Z was interrupted after 1 of 2 changes");
        journal.clear();
        assertThat(ApplyJournal.interrupted(directory)).isNull();
        assertThat(file).doesNotExist();
    }

    /**
     * A watch's claim: the kernel names this process as its holder and the file says which state file it keeps;
     * released, the file is emptied. (Only the kernel's list is read here: opening and closing the claim's file
     * would drop this process's own fcntl lock on it, POSIX's rule.)
     */
    @Test
    void aWatchClaimsItsNamespaceUntilItEnds() throws Exception {
        RuntimeDirectory directory = directory();
        Path file;
        try (RunningWatch claim = RunningWatch.claim(directory, "/etc/mptcpstate/state.yml")) {
            file = directory.path().resolve(NamespaceLock.namespaceId() + ".watch");
            assertThat(Processes.lockHolders(file))
                    .containsExactly(ProcessHandle.current().pid());
            assertThat(claim).isNotNull();
        }
        assertThat(Processes.lockHolders(file)).isEmpty();
        assertThat(RunningWatch.find(directory)).isNull();
        assertThat(file).isEmptyFile();
        RunningWatch.claim(directory, "/other.yml").close();
    }

    /**
     * Another process holds the claim (python, as a watch would): a second watch is refused, naming it; what the
     * file says is believed only when its pid is the holder's, as the kernel lists it.
     */
    @Test
    void aSecondWatchIsRefusedNamingTheFirstFromTheKernelsListOfLocks() throws Exception {
        RuntimeDirectory directory = directory();
        directory.ensure();
        Path file = directory.path().resolve(NamespaceLock.namespaceId() + ".watch");
        directory.open(file).close();
        for (boolean ownContent : new boolean[] {true, false}) {
            Process holder = new ProcessBuilder(
                            "python3",
                            "-c",
                            "import fcntl,os,sys,time\nf=open(sys.argv[1],'r+')\nfcntl.lockf(f,fcntl.LOCK_EX)\n"
                                    + "pid=os.getpid() if sys.argv[2]=='own' else 99999\n"
                                    + "f.truncate(0)\nf.write('pid %d\\nfile /srv/a.yml\\nsince 2026-01-01T00:00:00Z\\n'"
                                    + " % pid)\nf.flush()\nprint('locked',flush=True)\ntime.sleep(60)",
                            file.toString(),
                            ownContent ? "own" : "stale")
                    .redirectErrorStream(true)
                    .start();
            try {
                assertThat(new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                                .readLine())
                        .isEqualTo("locked");
                assertThatThrownBy(() -> RunningWatch.claim(directory, "/srv/b.yml"))
                        .isInstanceOf(RunningWatch.AlreadyWatchedException.class)
                        .hasMessage((ownContent
                                        ? "another mptcpstate watch (pid " + holder.pid()
                                                + ") keeps /srv/a.yml applied since 2026-01-01T00:00:00Z"
                                        : "another mptcpstate watch (pid " + holder.pid() + ") runs")
                                + " in this network namespace; two watches would undo each other's changes: stop"
                                + " it first, or change the file it keeps");
                assertThat(RunningWatch.find(directory).pid()).isEqualTo(holder.pid());
            } finally {
                holder.destroyForcibly();
                holder.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
