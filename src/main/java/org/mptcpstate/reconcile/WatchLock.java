package org.mptcpstate.reconcile;

import org.mptcpstate.kernel.PermissionDeniedException;
import org.mptcpstate.reconcile.NamespaceLock.LockTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * The namespace lock as a long-running watch takes it: the same file and the same kernel (fcntl) lock as
 * {@link NamespaceLock}, so an {@code apply} and a watch step still exclude each other, but the file is opened
 * once and kept open, and a step only takes and releases the lock. {@link NamespaceLock#acquire} creates,
 * truncates and closes the file every time, which costs 0.7 to 2 ms where /run is on a disk (measured), more
 * than a whole reaction to an event. The pid is written again only when an apply wrote its own. At most once a
 * second the path is checked to still name the open file (something may delete it: then the kept descriptor
 * would lock a file nobody else opens), and opened again when it does not.
 */
public final class WatchLock implements AutoCloseable {
    /** Checked after a step (off the reaction path) at most this often... */
    private static final long RECHECK_NANOS = 1_000_000_000L;
    /** ... and before one when none ran for this long. */
    private static final long RECHECK_BEFORE_NANOS = 30_000_000_000L;

    private final Path directory;
    private final long recheckNanos;
    private Path file;
    private FileChannel channel;
    private Object fileKey;
    private long checkedAt;
    private byte[] pid;

    private WatchLock(Path directory, long recheckNanos) {
        this.directory = directory;
        this.recheckNanos = recheckNanos;
    }

    /** The lock of the calling thread's namespace, in the directory {@code apply} uses; opened at the first step. */
    public static WatchLock forThisNamespace() {
        return new WatchLock(NamespaceLock.DIRECTORY, RECHECK_NANOS);
    }

    /** For tests: another directory, and the path checked after every step. */
    static WatchLock checkingEveryStep(Path directory) {
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
                    String holder = Files.readString(file).trim();
                    throw new LockTimeoutException("another mptcpstate apply holds " + file
                            + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; gave up after "
                            + wait.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
        } catch (AccessDeniedException e) {
            throw new PermissionDeniedException("applying needs root or CAP_NET_ADMIN (cannot write " + file + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockTimeoutException("interrupted while waiting for " + file);
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
        if (file == null) {
            file = directory.resolve(NamespaceLock.namespaceId() + ".lock");
            pid = (Files.readSymbolicLink(Path.of("/proc/self")) + "\n").getBytes(StandardCharsets.US_ASCII);
        }
        Files.createDirectories(directory);
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
        fileKey = currentKey();
        checkedAt = now;
    }

    /** The file's identity (device and inode) as the path names it now; null when the path is gone. */
    private Object currentKey() throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Writes this process's pid, unless the file holds it already (truncating is what costs the time). */
    private void writePidIfOverwritten() throws IOException {
        ByteBuffer content = ByteBuffer.allocate(pid.length + 1);
        channel.read(content, 0);
        if (content.position() == pid.length && Arrays.equals(content.array(), 0, pid.length, pid, 0, pid.length)) {
            return;
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(pid), 0);
    }

    /**
     * Writes the pid (when an apply overwrote it), then releases the lock; the file stays open for the next step,
     * and is checked to still be the path's. Both after the step's writes: off the reaction path.
     */
    private final class Held implements AutoCloseable {
        private final FileLock lock;

        Held(FileLock lock) {
            this.lock = lock;
        }

        @Override
        public void close() {
            try {
                writePidIfOverwritten();
            } catch (IOException e) {
                // only the holder's name for a waiting apply
            }
            try {
                lock.release();
            } catch (IOException e) {
                // released with the descriptor at the latest
            }
            try {
                ensureOpen(recheckNanos);
            } catch (IOException e) {
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
