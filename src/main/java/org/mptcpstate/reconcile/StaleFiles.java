package org.mptcpstate.reconcile;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes the files of /run/mptcpstate whose network namespace no longer exists: every namespace ever applied
 * to left its lock file (the red team found 97 of 101 stale). A namespace exists while a thread is in it or it is
 * mounted somewhere (ip netns: /run/netns/NAME); the check reads /proc/PID/ns/net of every process and the nsfs
 * mounts, and /proc/PID/task/TID/ns/net only for what those do not explain. A lock file is removed only while this
 * holds its lock, and whoever takes it checks afterwards that the path still names the file it locked ({@link
 * NamespaceLock}), so removing one that a namespace with a recycled inode number just started to use is harmless.
 * A journal of a namespace that is gone has nobody left to tell: it goes too.
 */
final class StaleFiles {
    private static final String PREFIX = "net-";
    private static final List<String> SUFFIXES = List.of(".lock", ".watch", ".journal", ".journal.new");

    private StaleFiles() {}

    /** Removes what belongs to namespaces that are gone; {@code own} (net-INODE of the caller) is never touched. */
    static void sweep(RuntimeDirectory directory, String own) {
        Map<String, List<Path>> byNamespace = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory.path(), PREFIX + "*")) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                for (String suffix : SUFFIXES) {
                    if (name.endsWith(suffix)) {
                        String namespace = name.substring(0, name.length() - suffix.length());
                        if (!namespace.equals(own)) {
                            List<Path> files = byNamespace.get(namespace);
                            if (files == null) {
                                files = new ArrayList<>();
                                byNamespace.put(namespace, files);
                            }
                            files.add(entry);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return; // nothing to clean up that matters to this run
        }
        if (byNamespace.isEmpty()) {
            return;
        }
        Set<String> live = liveNamespaces(byNamespace.keySet());
        for (Map.Entry<String, List<Path>> namespace : byNamespace.entrySet()) {
            if (live.contains(namespace.getKey())) {
                continue;
            }
            for (Path file : namespace.getValue()) {
                remove(directory, file);
            }
        }
    }

    /** Removes a journal as it is, a lock or watch file only while holding its lock (never one someone holds). */
    private static void remove(RuntimeDirectory directory, Path file) {
        try {
            if (!file.getFileName().toString().endsWith(".lock")
                    && !file.getFileName().toString().endsWith(".watch")) {
                Files.deleteIfExists(file);
                return;
            }
            try (FileChannel channel = directory.open(file)) {
                FileLock lock = channel.tryLock();
                if (lock != null) {
                    Files.deleteIfExists(file);
                    lock.release();
                }
            }
        } catch (IOException | RuntimeException e) {
            // left for a later run
        }
    }

    /** Which of {@code wanted} (net-INODE) exist: mounted, or some process or thread is in them. */
    static Set<String> liveNamespaces(Set<String> wanted) {
        Set<String> live = new HashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                // "42 41 0:4 net:[4026532246] /run/netns/a rw shared:2 - nsfs nsfs rw"
                String[] words = line.split(" ");
                if (words.length > 3 && words[3].startsWith("net:[")) {
                    live.add(id(words[3]));
                }
            }
        } catch (IOException e) {
            // the processes still tell
        }
        if (live.containsAll(wanted)) {
            return live;
        }
        addFromProcesses(Path.of("/proc"), live);
        if (live.containsAll(wanted)) {
            return live;
        }
        // a thread that entered a namespace (mptcpstate --netns does) shows in its task directory only
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                addFromProcesses(process.resolve("task"), live);
            }
        } catch (IOException | RuntimeException e) {
            // what was found so far
        }
        return live;
    }

    private static void addFromProcesses(Path directory, Set<String> live) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    live.add(id(Files.readSymbolicLink(entry.resolve("ns/net")).toString()));
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (IOException | RuntimeException e) {
            // what was found so far
        }
    }

    /** "net:[4026532246]" as "net-4026532246". */
    private static String id(String link) {
        return link.replace(":[", "-").replace("]", "");
    }
}
