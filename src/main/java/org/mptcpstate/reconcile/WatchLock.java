package org.mptcpstate.reconcile;

import org.mptcpstate.reconcile.NamespaceLock.LockTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The namespace lock as a long-running watch takes it: the same file and the same kernel (fcntl) lock as
 * {@link NamespaceLock}, so an {@code apply} and a watch step still exclude each other, but the file is opened
 * once and kept open, and a step only takes and releases the lock. {@link NamespaceLock#acquire} opens, checks
 * and closes the file every time, which costs 0.7 to 2 ms where /run is on a disk (measured), more than a whole
 * reaction to an event. The file is opened as {@link RuntimeDirectory} opens it (root's directory, 0600, no
 * symbolic link); a waiting apply names the holder from the kernel's list of locks. At most once a second the
 * path is checked to still name the open file (something may delete it, {@link StaleFiles} or a tmpfiles
 * clean-up: then the kept descriptor would lock a file nobody else opens), and opened again when it does not.
 */
public final class WatchLock implements AutoCloseable {
    /** Checked after a step (off the reaction path) at most this often... */
    private static final long RECHECK_NANOS = 1_000_000_000L;
    /** ... and before one when none ran for this long. */
    private static final long RECHECK_BEFORE_NANOS = 30_000_000_000L;

    private final RuntimeDirectory directory;
    private final long recheckNanos;
    private Path file;
    private FileChannel channel;
    private Object fileKey;
    private long checkedAt;

    private WatchLock(RuntimeDirectory directory, long recheckNanos) {
        this.directory = directory;
        this.recheckNanos = recheckNanos;
    }

    /** The lock of the calling thread's namespace, in the directory {@code apply} uses; opened at the first step. */
    public static WatchLock forThisNamespace() {
        return new WatchLock(RuntimeDirectory.SYSTEM, RECHECK_NANOS);
    }

    /** For tests: another directory, and the path checked after every step. */
    static WatchLock checkingEveryStep(RuntimeDirectory directory) {
        return new WatchLock(directory, 0);
    }

    /**
     * Takes the lock, waiting at most {@code wait} for an apply that holds it, or until {@code giveUp} says so (a
     * stop); closing the result releases it. Call it on the watcher's thread: its namespace names the file.
     */
    public AutoCloseable acquire(Duration wait, BooleanSupplier giveUp) {
        try {
            ensureOpen(RECHECK_BEFORE_NANOS);
            long deadline = System.nanoTime() + wait.toNanos();
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return new Held(lock);
                }
                if (giveUp.getAsBoolean()) {
                    throw new LockTimeoutException("stopped while waiting for " + file);
                }
                if (System.nanoTime() > deadline) {
                    throw new LockTimeoutException("another mptcpstate apply holds " + file + NamespaceLock.holder(file)
                            + "; gave up after " + wait.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockTimeoutException("interrupted while waiting for " + file);
        }
    }

    /** Takes the lock if nobody holds it; null at once when somebody does. Call it on the watcher's thread. */
    public AutoCloseable tryAcquire() {
        try {
            ensureOpen(RECHECK_BEFORE_NANOS);
            FileLock lock = channel.tryLock();
            return lock == null ? null : new Held(lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    /** Opens the file, or opens it again when it was not checked for {@code maxAge} and the path names another. */
    private void ensureOpen(long maxAge) throws IOException {
        long now = System.nanoTime();
        if (channel != null && now - checkedAt < maxAge) {
            return;
        }
        if (channel != null && fileKey != null && fileKey.equals(currentKey())) {
            checkedAt = now;
            return;
        }
        close();
        file = directory.fileOfThisNamespace(".lock");
        channel = directory.open(file);
        fileKey = currentKey();
        checkedAt = now;
    }

    /** The file's identity (device and inode) as the path names it now; null when the path is gone. */
    private Object currentKey() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Releases the lock; the file stays open for the next step, and is checked to still be the path's. After the
     * step's writes: off the reaction path.
     */
    private final class Held implements AutoCloseable {
        private final FileLock lock;

        Held(FileLock lock) {
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                lock.release();
            } catch (IOException e) {
                // released with the descriptor at the latest
            }
            try {
                ensureOpen(recheckNanos);
            } catch (IOException | RuntimeException e) {
                WatchLock.this.close(); // opened again at the next step, which then reports it
            }
        }
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // the lock goes with the descriptor anyway
            }
            channel = null;
        }
    }
}
