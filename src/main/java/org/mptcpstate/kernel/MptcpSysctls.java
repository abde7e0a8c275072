package org.mptcpstate.kernel;

import org.mptcpstate.state.Snapshot.Sysctls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads net.mptcp.* from /proc/sys/net/mptcp and writes net.mptcp.enabled there. The files show the namespace of
 * the reading (or writing) thread, which is why namespace work uses them on the thread that entered the namespace.
 * Never runs sysctl(8): a file write is all it takes.
 */
final class MptcpSysctls {
    static final Path DEFAULT_ROOT = Path.of("/proc/sys/net/mptcp");

    private MptcpSysctls() {}

    static Sysctls read(Path root) {
        if (!Files.isDirectory(root)) {
            throw new MptcpUnsupportedException(root + " does not exist: this kernel was built without MPTCP");
        }
        boolean enabled = !"0".equals(readValue(root.resolve("enabled")));
        String pathManager;
        Path named = root.resolve("path_manager");
        if (Files.exists(named)) {
            pathManager = readValue(named);
        } else {
            String pmType = readValue(root.resolve("pm_type"));
            pathManager = pmType == null || "0".equals(pmType)
                    ? Sysctls.KERNEL
                    : "1".equals(pmType) ? Sysctls.USERSPACE : "pm_type " + pmType;
        }
        return new Sysctls(enabled, pathManager == null ? Sysctls.KERNEL : pathManager);
    }

    /**
     * Writes net.mptcp.enabled. EACCES and EPERM (no root, or no CAP_NET_ADMIN over the namespace's user
     * namespace) become {@link PermissionDeniedException}.
     */
    static void writeEnabled(Path root, boolean enabled) {
        if (!Files.isDirectory(root)) {
            throw new MptcpUnsupportedException(root + " does not exist: this kernel was built without MPTCP");
        }
        Path file = root.resolve("enabled");
        try {
            // WRITE alone: no CREATE, and no TRUNCATE, which a /proc/sys file does not need
            Files.writeString(file, enabled ? "1\n" : "0\n", StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            throw denied(file, e);
        } catch (FileSystemException e) {
            if ("Operation not permitted".equals(e.getReason())) {
                throw denied(file, e);
            }
            throw new UncheckedIOException("cannot write " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static PermissionDeniedException denied(Path file, IOException cause) {
        return new PermissionDeniedException(
                "writing net.mptcp.enabled (" + file + ") needs root or CAP_NET_ADMIN over the network namespace",
                cause);
    }

    private static String readValue(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
