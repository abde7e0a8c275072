package org.mptcpstate.reconcile;

import org.mptcpstate.kernel.PermissionDeniedException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Who this process is, as far as /run/mptcpstate cares: its effective uid and whether it has CAP_NET_ADMIN. */
final class Privileges {
    private static final int CAP_NET_ADMIN = 12;

    private Privileges() {}

    /**
     * The refusal of a process that may not use the root-only directory. A process with CAP_NET_ADMIN but another
     * uid than root could make every write of an apply, so the message says that the lock is what it lacks.
     */
    static PermissionDeniedException lockRefused(Path file, Exception cause) {
        long uid = effectiveUid();
        if (uid != 0 && hasCapNetAdmin()) {
            return new PermissionDeniedException(
                    "applying as uid " + uid
                            + ": CAP_NET_ADMIN is enough for the kernel's side, but the namespace lock "
                            + file + " is root's alone (so that no user can hold it): run as root (a unit may keep"
                            + " root with CAP_NET_ADMIN as its only capability, as mptcpstate.service does)",
                    cause);
        }
        return new PermissionDeniedException(
                "applying needs root with CAP_NET_ADMIN (cannot open " + file + ": permission denied)", cause);
    }

    /** The effective uid: the owner of /proc/self. */
    static long effectiveUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Whether CAP_NET_ADMIN is in this process's effective set (/proc/self/status, CapEff). */
    static boolean hasCapNetAdmin() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : lines) {
                if (line.startsWith("CapEff:")) {
                    long set = Long.parseUnsignedLong(
                            line.substring("CapEff:".length()).trim(), 16);
                    return (set & (1L << CAP_NET_ADMIN)) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            // unknown: say what root needs
        }
        return false;
    }
}
