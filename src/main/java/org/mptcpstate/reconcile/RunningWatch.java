package org.mptcpstate.reconcile;

import org.mptcpstate.state.Printable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The one watch of a network namespace: an exclusive fcntl lock on /run/mptcpstate/net-INODE.watch, held for the
 * watch's whole life (the namespace lock, by contrast, is taken per step). Two watches with different files would
 * undo each other at every step, so a second one refuses to start, naming the first; an apply asks
 * ({@link #find()}) and warns that the watch will revert it. The file holds the watch's pid, state file and start
 * time; it is believed only when its pid is the holder the kernel names (/proc/locks), never on its own.
 */
public final class RunningWatch implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private RunningWatch(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Another watch keeps this namespace: the watch refuses to start. */
    public static final class AlreadyWatchedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AlreadyWatchedException(String message) {
            super(message);
        }
    }

    /**
     * A running watch as the kernel and its file tell: its pid, and its state file and start time (null when its
     * file does not name it: it had no time to write it yet).
     */
    public record Info(long pid, String file, String since) {}

    /**
     * Claims the calling thread's namespace for a watch of {@code file} (an absolute path) until closed; removes
     * the files of namespaces that are gone on the way.
     *
     * @throws AlreadyWatchedException when another watch holds it
     */
    public static RunningWatch claim(String file) {
        return claim(RuntimeDirectory.SYSTEM, file);
    }

    static RunningWatch claim(RuntimeDirectory directory, String file) {
        Path path = directory.fileOfThisNamespace(".watch");
        StaleFiles.sweep(directory, NamespaceLock.namespaceId());
        while (true) {
            FileChannel channel = directory.open(path);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this very process watches already
            } catch (IOException e) {
                close(channel);
                throw new UncheckedIOException("cannot lock " + path, e);
            }
            if (lock == null) {
                String first = describe(find(directory));
                close(channel);
                throw new AlreadyWatchedException(first + " in this network namespace; two watches"
                        + " would undo each other's changes: stop it first, or change the file it keeps");
            }
            try {
                if (!Processes.holdsLockOn(path)) {
                    // removed as stale while this opened it: take the file that is there now
                    lock.release();
                    channel.close();
                    continue;
                }
                String text = "pid " + Processes.ownPid() + "\nfile " + file + "\nsince "
                        + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
                return new RunningWatch(channel, lock);
            } catch (IOException e) {
                close(channel);
                throw new UncheckedIOException("cannot write " + path, e);
            }
        }
    }

    /** The watch of the calling thread's namespace, or null when none runs (or /run/mptcpstate is not readable). */
    public static Info find() {
        return find(RuntimeDirectory.SYSTEM);
    }

    static Info find(RuntimeDirectory directory) {
        Path path;
        try {
            path = directory.path().resolve(NamespaceLock.namespaceId() + ".watch");
        } catch (RuntimeException e) {
            return null;
        }
        List<Long> holders = Processes.lockHolders(path);
        if (holders.isEmpty()) {
            return null;
        }
        long pid = holders.get(0);
        String file = null;
        String since = null;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            channel.read(buffer);
            String[] lines = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).split("\n");
            if (lines.length >= 3 && lines[0].equals("pid " + pid)) {
                file = lines[1].startsWith("file ") ? lines[1].substring(5) : null;
                since = lines[2].startsWith("since ") ? lines[2].substring(6) : null;
            }
        } catch (IOException | RuntimeException e) {
            // the pid alone, then
        }
        return new Info(pid, file, since);
    }

    /** "another mptcpstate watch (pid N) keeps FILE applied since TIME", escaped. */
    static String describe(Info info) {
        if (info == null) {
            return "another mptcpstate watch runs";
        }
        return "another mptcpstate watch (pid " + info.pid() + ")"
                + (info.file() == null
                        ? " runs"
                        : " keeps " + Printable.of(info.file()) + " applied"
                                + (info.since() == null ? "" : " since " + Printable.of(info.since())));
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // the lock goes with the descriptor anyway
        }
    }

    /** Empties the file (so that nothing stale is left to read), then releases the claim. */
    @Override
    public void close() {
        try {
            channel.truncate(0);
        } catch (IOException e) {
            // the kernel's holder list is what counts
        }
        try {
            lock.release();
        } catch (IOException e) {
            // released with the descriptor
        }
        close(channel);
    }
}
