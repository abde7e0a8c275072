package org.mptcpstate.cli;

import org.mptcpstate.reconcile.Watcher;
import org.mptcpstate.state.DesiredState;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * watch's state file: read at the start, then read again on a thread of its own whenever it may have changed, and
 * handed to the watcher for a reload when its content did change (SHA-256 of the bytes). "May have changed" is any
 * event in the directory of the path as given (inotify, through a {@link WatchService}: kubelet updates a mounted
 * ConfigMap by swapping a symbolic link there, and no event ever names the file itself), or in the directory of
 * the file it resolves to, or the periodic check (every resync interval: for what no event shows). SIGHUP reads
 * it at once and reloads even when it did not change.
 *
 * <p>Only a regular file is read ({@link StateInput#readRegular}): a FIFO or a device could block the read for ever.
 * Reads happen on this thread, never on the watcher's, so enforcement goes on whatever the file does. A content
 * that fails to read or load is reported once (per content), and the previous state kept.
 */
final class StateFileWatch implements Watcher.Source, AutoCloseable {
    /** Events in the directory come in bursts (an editor's save, kubelet's swap): read once they pause this long. */
    private static final long QUIET_MILLIS = 100;

    private final String name;
    private final PrintStream err;
    private final boolean verbose;
    private final Object lock = new Object();
    private final Map<WatchKey, Path> watched = new HashMap<>();
    /** The entry names whose events may change what the path reads (see followLinks). */
    private volatile Set<String> names = Set.of();

    private WatchService service;
    private Watcher watcher;
    private long periodMillis;
    private Thread thread;
    private volatile boolean forced;
    private volatile boolean closed;
    private volatile String appliedHash;
    private DesiredState applied;
    /** What the last read saw: the content's hash, or "!" and why it could not be read. Guarded by lock. */
    private String lastSeen;
    /** The hash of the file as last read; null when it could not be read. Guarded by lock. */
    private String fileHash;
    /** The read the watcher has not loaded yet. Guarded by lock. */
    private Read pending;

    /** One read of the file: its bytes and their hash, or why it failed. */
    private record Read(byte[] content, String hash, RuntimeException failure) {}

    StateFileWatch(String name, PrintStream err, boolean verbose) {
        this.name = name;
        this.err = err;
        this.verbose = verbose;
    }

    /** Reads and loads the file at the start (its warnings on stderr); a bad file throws as for {@code apply}. */
    DesiredState loadAtStart() {
        byte[] content = StateInput.readRegular(name);
        String hash = sha256(content);
        applied = StateInput.load(name, content, err, verbose).state();
        appliedHash = hash;
        synchronized (lock) {
            lastSeen = hash;
            fileHash = hash;
        }
        return applied;
    }

    /**
     * Starts watching for changes, for {@code watcher}; checks at least every {@code periodMillis}. Returns a
     * warning when the directory cannot be watched (then only the periodic check notices changes), else null.
     */
    String start(Watcher watcher, long periodMillis) {
        this.watcher = watcher;
        this.periodMillis = periodMillis;
        String warning = null;
        try {
            service = FileSystems.getDefault().newWatchService();
            Path directory = Path.of(name).toAbsolutePath().getParent();
            if (directory == null || !watch(directory)) {
                warning = "cannot watch the directory of " + name;
            }
        } catch (IOException | RuntimeException e) {
            warning = "cannot watch the directory of " + name + " (" + e.getMessage() + ")";
        }
        thread = new Thread(new Loop(), "state file watch");
        thread.setDaemon(true);
        thread.start();
        return warning == null
                ? null
                : warning + ": changes are noticed within " + periodMillis / 1000 + " s, or at SIGHUP";
    }

    /** SIGHUP: read the file now and reload it even if unchanged. Safe from any thread. */
    void requestRead() {
        forced = true;
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
    }

    /** The hash of the content being enforced (the last that loaded). */
    String appliedHash() {
        return appliedHash;
    }

    /** The hash of the file as last read; null when it could not be read. */
    String fileHash() {
        synchronized (lock) {
            return fileHash;
        }
    }

    /** On the watcher's thread: loads what the last read found; throws when that read or the load failed. */
    @Override
    public DesiredState load() {
        Read read;
        synchronized (lock) {
            read = pending;
            pending = null;
        }
        if (read == null) {
            return applied; // already taken by an earlier reload
        }
        if (read.failure() != null) {
            throw read.failure();
        }
        applied = StateInput.load(name, read.content(), err, verbose).state();
        appliedHash = read.hash();
        return applied;
    }

    private final class Loop implements Runnable {
        @Override
        public void run() {
            check(); // a change between the start's read and the watch being set up
            while (!closed) {
                awaitChange();
                if (!closed) {
                    check();
                }
            }
        }
    }

    /** Waits for a burst of events in a watched directory to end, for the period, or for {@link #requestRead()}. */
    private void awaitChange() {
        try {
            if (service == null) {
                Thread.sleep(periodMillis);
                return;
            }
            boolean relevant = false;
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(periodMillis);
            WatchKey key = service.poll(periodMillis, TimeUnit.MILLISECONDS);
            while (key != null) {
                for (WatchEvent<?> event : key.pollEvents()) {
                    relevant |= event.kind() == StandardWatchEventKinds.OVERFLOW
                            || names.contains(String.valueOf(event.context()));
                }
                if (!key.reset()) {
                    watched.remove(key); // the directory is gone (kubelet's previous one): watched again on read
                }
                long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                if (relevant) {
                    key = service.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
                } else if (left > 0) {
                    key = service.poll(left, TimeUnit.MILLISECONDS); // others' files: wait on
                } else {
                    key = null; // the period is over: check anyway
                }
            }
        } catch (InterruptedException e) {
            // requestRead() or close(): the flags say which
        } catch (ClosedWatchServiceException e) {
            closed = true;
        }
    }

    private void check() {
        boolean force = forced;
        forced = false;
        followLinks();
        Read read;
        try {
            byte[] content = StateInput.readRegular(name);
            read = new Read(content, sha256(content), null);
        } catch (RuntimeException e) {
            read = new Read(null, null, e);
        }
        String seen =
                read.failure() == null ? read.hash() : "!" + read.failure().getMessage();
        synchronized (lock) {
            fileHash = read.hash();
            if (!force && seen.equals(lastSeen)) {
                return;
            }
            lastSeen = seen;
            pending = read;
        }
        watcher.requestReload();
    }

    /**
     * Also watches the directory of the file the path resolves to (a change made there to a linked file shows),
     * and notes the names whose events matter: the file's, the real file's, and the first component of each
     * relative link on the way (kubelet's {@code ..data}). Events about other files in these directories only
     * wake the thread.
     */
    private void followLinks() {
        if (service == null) {
            return;
        }
        Set<String> relevant = new HashSet<>();
        try {
            Path path = Path.of(name).toAbsolutePath();
            relevant.add(String.valueOf(path.getFileName()));
            for (int i = 0; i < 40 && Files.isSymbolicLink(path); i++) {
                Path target = Files.readSymbolicLink(path);
                if (!target.isAbsolute() && target.getNameCount() > 0) {
                    relevant.add(target.getName(0).toString());
                }
                path = path.resolveSibling(target);
            }
            Path real = Path.of(name).toRealPath();
            relevant.add(String.valueOf(real.getFileName()));
            if (real.getParent() != null) {
                watch(real.getParent());
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile: the next read says so
        }
        names = Set.copyOf(relevant);
    }

    private boolean watch(Path directory) {
        if (watched.containsValue(directory)) {
            return true;
        }
        try {
            WatchKey key = directory.register(
                    service,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            watched.put(key, directory);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                // a daemon thread's watch: gone with the process anyway
            }
        }
    }
}
