package org.mptcpstate.reconcile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One apply at a time per network namespace: an exclusive lock on /run/mptcpstate/net-INODE.lock, where INODE
 * identifies the namespace of the calling thread. The lock is the kernel's (fcntl), so a killed process never
 * leaves it held; the directory and the file are root's alone ({@link RuntimeDirectory}), so no user can hold it.
 * A second apply waits up to the given time, then fails naming the holder as the kernel knows it (/proc/locks).
 * A lock file of a namespace that is gone may be removed by another apply ({@link StaleFiles}), which locks it
 * first; so after taking the lock this checks that the path still names the locked file, and starts again if not.
 */
public final class NamespaceLock implements AutoCloseable {
    static final Path DIRECTORY = RuntimeDirectory.SYSTEM.path();

    private final FileChannel channel;
    private final FileLock lock;

    private NamespaceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process held the lock for the whole wait. */
    public static final class LockTimeoutException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LockTimeoutException(String message) {
            super(message);
        }
    }

    /** Locks the namespace of the calling thread, waiting at most {@code wait}. */
    public static NamespaceLock acquire(Duration wait) {
        return acquire(RuntimeDirectory.SYSTEM, wait);
    }

    static NamespaceLock acquire(RuntimeDirectory directory, Duration wait) {
        Path file = directory.fileOfThisNamespace(".lock");
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            FileChannel channel = directory.open(file);
            try {
                FileLock lock = lock(channel, file, wait, deadline);
                if (Processes.holdsLockOn(file)) {
                    return new NamespaceLock(channel, lock);
                }
                // the file was removed as stale while this waited for it: the lock is on an unlinked file
                lock.release();
                channel.close();
            } catch (IOException e) {
                close(channel);
                throw new java.io.UncheckedIOException("cannot lock " + file, e);
            } catch (RuntimeException e) {
                close(channel);
                throw e;
            }
        }
    }

    private static FileLock lock(FileChannel channel, Path file, Duration wait, long deadline) throws IOException {
        try {
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    return lock;
                }
                if (System.nanoTime() > deadline) {
                    throw new LockTimeoutException("another mptcpstate apply holds " + file + holder(file)
                            + "; gave up after " + wait.toSeconds() + " s");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockTimeoutException("interrupted while waiting for " + file);
        }
    }

    /**
     * Removes the files of /run/mptcpstate whose namespaces are gone ({@link StaleFiles}); call it on the thread of
     * a namespace, whose own files stay.
     */
    public static void removeStaleFiles() {
        StaleFiles.sweep(RuntimeDirectory.SYSTEM, namespaceId());
    }

    /** ": pid N (COMMAND)", from the kernel's list of locks; empty when it names nobody (the holder just left). */
    static String holder(Path file) {
        List<Long> pids = Processes.lockHolders(file);
        return pids.isEmpty() ? "" : ": " + Processes.describe(pids.get(0));
    }

    /** "net-4026531840": the inode of the calling thread's network namespace. */
    static String namespaceId() {
        try {
            String link =
                    Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
            return link.replace(":[", "-").replace("]", "");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot identify the network namespace", e);
        }
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // the lock goes with the descriptor anyway
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the descriptor anyway
        }
    }
}
