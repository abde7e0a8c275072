package org.mptcpstate.reconcile;

import org.mptcpstate.kernel.PermissionDeniedException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One apply at a time per network namespace: an exclusive lock on /run/mptcpstate/net-INODE.lock, where INODE
 * identifies the namespace of the calling thread. The lock is the kernel's (fcntl), so a killed process never
 * leaves it held. A second apply waits up to the given time, then fails naming the holder.
 */
public final class NamespaceLock implements AutoCloseable {
    static final Path DIRECTORY = Path.of("/run/mptcpstate");

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
        return acquire(DIRECTORY, wait);
    }

    static NamespaceLock acquire(Path directory, Duration wait) {
        Path file = directory.resolve(namespaceId() + ".lock");
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            try {
                return lock(channel, file, wait);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (AccessDeniedException e) {
            throw new PermissionDeniedException("applying needs root or CAP_NET_ADMIN (cannot write " + file + ")", e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot lock " + file, e);
        }
    }

    /** /proc/self names this process: ProcessHandle would start its process-reaper machinery for one number. */
    private static String ownPid() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self")).toString();
    }

    private static NamespaceLock lock(FileChannel channel, Path file, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap((ownPid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                    return new NamespaceLock(channel, lock);
                }
                if (System.nanoTime() > deadline) {
                    String holder = Files.readString(file).trim();
                    throw new LockTimeoutException("another mptcpstate apply holds " + file
                            + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; gave up after "
                            + wait.toSeconds() + " s");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LockTimeoutException("interrupted while waiting for " + file);
        }
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
