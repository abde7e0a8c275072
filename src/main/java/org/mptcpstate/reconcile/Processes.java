package org.mptcpstate.reconcile;

import org.mptcpstate.state.Printable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the kernel says about processes and their locks: who holds an fcntl lock on a file (/proc/locks, never a
 * pid a file claims), whether a process is still the one that started at a given time, and its command line.
 */
final class Processes {
    private static final List<String> MPTCPSTATE_COMMANDS = List.of("apply", "watch", "diff", "check", "show");

    private Processes() {}

    /** The pids holding a POSIX (fcntl) lock on the file the path names now; empty when none or it is gone. */
    static List<Long> lockHolders(Path file) {
        List<Long> pids = new ArrayList<>();
        String identity;
        try {
            identity = lockIdentity(file);
        } catch (IOException e) {
            return pids;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/locks"), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return pids;
        }
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            // "1: POSIX  ADVISORY  WRITE 4242 fe:00:1441877 0 EOF"; a waiter's line has "->" after the number
            if (words.length < 6 || words[1].equals("->") || !words[1].equals("POSIX")) {
                continue;
            }
            if (words[5].equals(identity)) {
                try {
                    pids.add(Long.parseLong(words[4]));
                } catch (NumberFormatException e) {
                    // not a pid (another pid namespace shows none): no name to give
                }
            }
        }
        return pids;
    }

    /**
     * Whether this process holds a POSIX lock on the file the path names now, not on one since unlinked. True as well
     * when the kernel's list cannot be read at all (no /proc/locks): then nothing can be told.
     */
    static boolean holdsLockOn(Path file) {
        if (!Files.isReadable(Path.of("/proc/locks"))) {
            return true;
        }
        return lockHolders(file).contains(ownPid());
    }

    /** "MAJ:MIN:INODE" as /proc/locks writes a file (major and minor in hex, at least two digits). */
    private static String lockIdentity(Path file) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(file, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
        long dev = (Long) attributes.get("dev");
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        return hex2(major) + ":" + hex2(minor) + ":" + attributes.get("ino");
    }

    private static String hex2(long value) {
        String hex = Long.toHexString(value);
        return hex.length() < 2 ? "0" + hex : hex;
    }

    /** This process's pid (/proc/self: ProcessHandle would start its reaper machinery for one number). */
    static long ownPid() {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * When the process started, in clock ticks after boot (field 22 of /proc/PID/stat), or -1 when there is no such
     * process: with the pid, it names one process for good, as pids are reused.
     */
    static long startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
            // the command name in parentheses may hold spaces and parentheses: fields follow the last ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** "pid N (COMMAND LINE)", the command line escaped and cut; "pid N" when it cannot be read. */
    static String describe(long pid) {
        try {
            byte[] bytes = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            String[] words = new String(bytes, StandardCharsets.UTF_8).split("\0");
            StringBuilder command = new StringBuilder();
            int first = 0;
            for (int i = 1; i < words.length; i++) {
                if (MPTCPSTATE_COMMANDS.contains(words[i])) {
                    // java OPTIONS -jar JAR COMMAND ...: what the user typed is "mptcpstate COMMAND ..."
                    command.append("mptcpstate");
                    first = i;
                    break;
                }
            }
            for (int i = first; i < words.length; i++) {
                command.append(command.length() == 0 ? "" : " ").append(words[i]);
            }
            return command.length() == 0
                    ? "pid " + pid
                    : "pid " + pid + " (" + Printable.shortened(command.toString()) + ")";
        } catch (IOException | RuntimeException e) {
            return "pid " + pid;
        }
    }
}
