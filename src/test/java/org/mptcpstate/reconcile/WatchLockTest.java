package org.mptcpstate.reconcile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcpstate.testing.Netns;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock a watch keeps open: the file apply locks (as another process sees it: python's fcntl), made as
 * {@link RuntimeDirectory} makes it, and the path followed when it is replaced.
 */
class WatchLockTest {
    private static final BooleanSupplier NEVER = () -> false;

    private static RuntimeDirectory directory(Path scratch) throws Exception {
        int uid = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue();
        return new RuntimeDirectory(scratch.resolve("mptcpstate"), uid);
    }

    private static Path lockFile(Path scratch) {
        return scratch.resolve("mptcpstate").resolve(NamespaceLock.namespaceId() + ".lock");
    }

    /** "locked" or "free", as another process finds the fcntl lock of {@code file}. */
    private static String otherProcessSees(Path file) throws Exception {
        return Netns.run(List.of(
                        "python3",
                        "-c",
                        "import fcntl, sys\n"
                                + "f = open(sys.argv[1], 'r+')\n"
                                + "try:\n"
                                + "    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB); print('free')\n"
                                + "except OSError:\n"
                                + "    print('locked')\n",
                        file.toString()))
                .trim();
    }

    @Test
    void locksTheFileApplyLocksOnlyWhileAStepRuns(@TempDir Path scratch) throws Exception {
        try (WatchLock lock = WatchLock.checkingEveryStep(directory(scratch))) {
            AutoCloseable held = lock.acquire(Duration.ZERO, NEVER);
            assertThat(otherProcessSees(lockFile(scratch))).isEqualTo("locked");
            held.close();
            assertThat(otherProcessSees(lockFile(scratch))).isEqualTo("free");
            assertThat(PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(lockFile(scratch), LinkOption.NOFOLLOW_LINKS)))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void tryAcquireReturnsAtOnceWithoutTheLockWhileAnotherProcessHoldsIt(@TempDir Path scratch) throws Exception {
        try (WatchLock lock = WatchLock.checkingEveryStep(directory(scratch))) {
            lock.acquire(Duration.ZERO, NEVER).close(); // makes the file
            Process holder = new ProcessBuilder(
                            "python3",
                            "-c",
                            "import fcntl, sys\n"
                                    + "f = open(sys.argv[1], 'r+')\n"
                                    + "fcntl.lockf(f, fcntl.LOCK_EX)\n"
                                    + "print('held', flush=True)\n"
                                    + "sys.stdin.read()\n",
                            lockFile(scratch).toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            try {
                assertThat(new String(holder.getInputStream().readNBytes(5), StandardCharsets.UTF_8))
                        .isEqualTo("held\n");
                assertThat(lock.tryAcquire()).as("held by the other process").isNull();
            } finally {
                holder.getOutputStream().close(); // the holder ends, and its lock with it
                holder.waitFor();
            }
            AutoCloseable held = lock.tryAcquire();
            assertThat(held).isNotNull();
            assertThat(otherProcessSees(lockFile(scratch))).isEqualTo("locked");
            held.close();
            assertThat(otherProcessSees(lockFile(scratch))).isEqualTo("free");
        }
    }

    @Test
    void aDeletedLockFileIsMadeAgainSoThatApplySeesTheLock(@TempDir Path scratch) throws Exception {
        try (WatchLock lock = WatchLock.checkingEveryStep(directory(scratch))) {
            lock.acquire(Duration.ZERO, NEVER).close();
            Files.delete(lockFile(scratch));
            // the step after the deletion notices (after its release) that the path names no file it holds
            lock.acquire(Duration.ZERO, NEVER).close();
            assertThat(lockFile(scratch)).exists();
            Object key = Files.readAttributes(lockFile(scratch), BasicFileAttributes.class)
                    .fileKey();
            AutoCloseable held = lock.acquire(Duration.ZERO, NEVER);
            assertThat(otherProcessSees(lockFile(scratch)))
                    .as("the lock is on the file the path names")
                    .isEqualTo("locked");
            held.close();
            assertThat(Files.readAttributes(lockFile(scratch), BasicFileAttributes.class)
                            .fileKey())
                    .as("the same file from then on")
                    .isEqualTo(key);
        }
    }
}
