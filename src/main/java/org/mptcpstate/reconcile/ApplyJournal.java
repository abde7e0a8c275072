package org.mptcpstate.reconcile;

import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.state.Printable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The journal of the apply in flight in a network namespace, /run/mptcpstate/net-INODE.journal (root's, 0600):
 * which file, which process (pid and start time, as pids are reused), when, the plan and how many of its changes
 * are made. Written before the first change and after each one, under the namespace lock, and removed when the
 * apply ends, whatever its outcome. A journal whose process is gone was left by an apply that was killed
 * (SIGKILL, a crash): the next diff, apply or check of the namespace reports it ({@link #interrupted()}), and the
 * next apply replaces it with its own. Each write goes to a temporary file that is then renamed over the journal,
 * so a reader never sees half of one.
 */
public final class ApplyJournal {
    private final RuntimeDirectory directory;
    private final Path path;
    private final String header;
    private final List<Change> changes;

    private ApplyJournal(RuntimeDirectory directory, Path path, String header, List<Change> changes) {
        this.directory = directory;
        this.path = path;
        this.header = header;
        this.changes = changes;
    }

    /** Records the start of an apply of {@code file} (shown as given, "-" for standard input) with this plan. */
    public static ApplyJournal start(String file, Plan plan) {
        return start(RuntimeDirectory.SYSTEM, file, plan);
    }

    static ApplyJournal start(RuntimeDirectory directory, String file, Plan plan) {
        long pid = Processes.ownPid();
        String header = "# mptcpstate: the apply in flight in this network namespace; removed when it ends\n"
                + "file " + Printable.of(file) + "\n"
                + "pid " + pid + "\n"
                + "start-ticks " + Processes.startTicks(pid) + "\n"
                + "started " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
        ApplyJournal journal =
                new ApplyJournal(directory, directory.fileOfThisNamespace(".journal"), header, plan.changes());
        journal.progress(0);
        return journal;
    }

    /** Records that the first {@code done} changes of the plan are made. */
    public void progress(int done) {
        StringBuilder text = new StringBuilder(header)
                .append("done ")
                .append(done)
                .append("\nof ")
                .append(changes.size())
                .append('\n');
        for (Change change : changes) {
            text.append("change ").append(Printable.of(change.describe())).append('\n');
        }
        Path temporary = path.resolveSibling(path.getFileName() + ".new");
        try (FileChannel channel = directory.open(temporary)) {
            channel.truncate(0);
            ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + temporary, e);
        }
        try {
            Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** The apply ended (applied, rolled back or failed): nothing is in flight any more. */
    public void clear() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // reported as interrupted by the next run, which then replaces it
        }
    }

    /**
     * "the apply of FILE by pid N at TIME was interrupted after K of N changes", when the calling thread's namespace
     * has a journal whose process is gone; null when it has none, its apply still runs, or this process may not
     * read /run/mptcpstate (not root).
     */
    public static String interrupted() {
        return interrupted(RuntimeDirectory.SYSTEM);
    }

    static String interrupted(RuntimeDirectory directory) {
        Path path;
        List<String> lines;
        try {
            path = directory.path().resolve(NamespaceLock.namespaceId() + ".journal");
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
        String file = value(lines, "file");
        long pid = number(value(lines, "pid"));
        long ticks = number(value(lines, "start-ticks"));
        if (file == null || pid <= 0) {
            return null;
        }
        long running = Processes.startTicks(pid);
        if (running >= 0 && running == ticks) {
            return null; // that apply is still at work
        }
        return "the apply of " + ("-".equals(file) ? "standard input" : file) + " by pid " + pid + " at "
                + value(lines, "started") + " was interrupted after " + value(lines, "done") + " of "
                + value(lines, "of") + " changes";
    }

    private static String value(List<String> lines, String key) {
        for (String line : lines) {
            if (line.startsWith(key + " ")) {
                return Printable.of(line.substring(key.length() + 1));
            }
        }
        return null;
    }

    private static long number(String text) {
        try {
            return text == null ? -1 : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
