package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcpstate.testing.KernelTests;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Nobody;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** persist as an unprivileged user: writing under / is refused with exit 77 and nothing is written. */
@Tag("kernel")
class PersistIT {
    @TempDir
    Path dir;

    @Test
    void persistToSlashAsNobodyExits77() throws IOException {
        KernelTests.requireRoot();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path state = dir.resolve("state.yml");
        Files.writeString(state, "mptcp:\n  enabled: true\n");
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rw-r--r--"));
        Path jar = Nobody.readableJar();
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(Path.of("/etc/mptcpstate/persisted.manifest")).doesNotExist();
        Mptcpstate.Run run =
                Mptcpstate.jarVia(Nobody.prefix(), jar, "persist", state.toString(), "--exec", "/bin/true");
        run.assertFailsWithOneLine(77);
        assertThat(run.stderr()).contains("permission denied").contains("writing under / needs root");
        assertThat(Path.of("/etc/mptcpstate")).doesNotExist();
    }
}
