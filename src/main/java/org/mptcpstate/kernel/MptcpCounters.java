package org.mptcpstate.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code MPTcpExt} counters of /proc/net/netstat: a line of names, then a line of values, both prefixed. */
final class MptcpCounters {
    private static final String PREFIX = "MPTcpExt:";

    private MptcpCounters() {}

    static Map<String, Long> read(Path netstat) {
        try {
            return parse(Files.readAllLines(netstat));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    static Map<String, Long> parse(List<String> lines) {
        Map<String, Long> counters = new HashMap<>();
        String[] names = null;
        for (String line : lines) {
            if (!line.startsWith(PREFIX)) {
                continue;
            }
            String[] words = line.substring(PREFIX.length()).trim().split("\\s+");
            if (names == null) {
                names = words;
                continue;
            }
            for (int i = 0; i < names.length && i < words.length; i++) {
                try {
                    counters.put(names[i], Long.parseLong(words[i]));
                } catch (NumberFormatException e) {
                    return Map.of();
                }
            }
            break;
        }
        return counters;
    }
}
