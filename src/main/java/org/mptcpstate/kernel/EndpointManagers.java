package org.mptcpstate.kernel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds the processes that manage MPTCP endpoints themselves, by name, in the network namespace of the calling
 * thread: NetworkManager (1.40 and newer adds endpoints for the addresses it configures) and mptcpd (an endpoint
 * for every address that appears). A process counts when /proc/PID/ns/net is the thread's own namespace.
 */
final class EndpointManagers {
    static final Path PROC = Path.of("/proc");
    static final Set<String> NAMES = Set.of("NetworkManager", "mptcpd");

    private EndpointManagers() {}

    static List<NetworkFacts.EndpointManager> find(Path proc) {
        String own = namespace(proc.resolve("thread-self/ns/net"));
        if (own == null) {
            return List.of();
        }
        Map<Long, String> found = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc)) {
            for (Path entry : entries) {
                long pid = pid(entry.getFileName().toString());
                if (pid <= 0) {
                    continue;
                }
                String name = comm(entry.resolve("comm"));
                if (name != null && NAMES.contains(name) && own.equals(namespace(entry.resolve("ns/net")))) {
                    found.put(pid, name);
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable: nothing can be told
        }
        List<NetworkFacts.EndpointManager> managers = new ArrayList<>();
        for (Map.Entry<Long, String> manager : found.entrySet()) {
            managers.add(new NetworkFacts.EndpointManager(manager.getValue(), manager.getKey()));
        }
        return managers;
    }

    private static long pid(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return -1;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(name);
    }

    /** The process name, or null when it is gone or hidden. */
    private static String comm(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The link text "net:[INODE]" that names a namespace, or null when it cannot be read (not root). */
    private static String namespace(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
