package org.mptcpstate.kernel;

import org.mptcpstate.state.Snapshot.Sysctls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads net.mptcp.* from /proc/sys/net/mptcp. The files show the namespace of the reading thread, which is
 * why namespace work reads them on the thread that entered the namespace.
 */
final class MptcpSysctls {
    static final Path DEFAULT_ROOT = Path.of("/proc/sys/net/mptcp");

    private MptcpSysctls() {
    }

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
            pathManager = pmType == null || "0".equals(pmType) ? Sysctls.KERNEL
                    : "1".equals(pmType) ? Sysctls.USERSPACE : "pm_type " + pmType;
        }
        return new Sysctls(enabled, pathManager == null ? Sysctls.KERNEL : pathManager);
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
