package org.mptcpstate.reconcile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The lock a watch keeps open: the file apply locks, its pid in it, and the path followed when it is replaced. */
class WatchLockTest {
    private static final BooleanSupplier NEVER = () -> false;

    private static String ownPid() throws Exception {
        return Files.readSymbolicLink(Path.of("/proc/self")) + "\n";
    }

    private static Path lockFile(Path directory) {
        return directory.resolve(NamespaceLock.namespaceId() + ".lock");
    }

    @Test
    void locksApplysFileAndWritesItsPidAgainWhenAnApplyOverwroteIt(@TempDir Path directory) throws Exception {
        try (WatchLock lock = WatchLock.checkingEveryStep(directory)) {
            lock.acquire(Duration.ZERO, NEVER).close();
            assertThat(Files.readString(lockFile(directory), StandardCharsets.US_ASCII))
                    .isEqualTo(ownPid());
            Files.writeString(lockFile(directory), "1\n"); // an apply that held it since
            lock.acquire(Duration.ZERO, NEVER).close();
            assertThat(Files.readString(lockFile(directory), StandardCharsets.US_ASCII))
                    .isEqualTo(ownPid());
        }
    }

    @Test
    void aDeletedLockFileIsMadeAgainSoThatApplySeesTheLock(@TempDir Path directory) throws Exception {
        try (WatchLock lock = WatchLock.checkingEveryStep(directory)) {
            lock.acquire(Duration.ZERO, NEVER).close();
            Files.delete(lockFile(directory));
            // the step after the deletion notices (after its release) that the path names no file it holds
            lock.acquire(Duration.ZERO, NEVER).close();
            assertThat(lockFile(directory)).exists();
            Object key = Files.readAttributes(lockFile(directory), java.nio.file.attribute.BasicFileAttributes.class)
                    .fileKey();
            lock.acquire(Duration.ZERO, NEVER).close();
            assertThat(Files.readString(lockFile(directory), StandardCharsets.US_ASCII))
                    .isEqualTo(ownPid());
            assertThat(Files.readAttributes(lockFile(directory), java.nio.file.attribute.BasicFileAttributes.class)
                            .fileKey())
                    .as("the same file from then on")
                    .isEqualTo(key);
        }
    }
}
