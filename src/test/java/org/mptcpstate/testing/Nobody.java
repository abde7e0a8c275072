package org.mptcpstate.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** Running a command as the unprivileged user nobody, for the tests of what needs root or CAP_NET_ADMIN. */
public final class Nobody {
    private Nobody() {}

    /**
     * The prefix that runs a command as nobody: setpriv (util-linux) when present, else runuser; both drop
     * every capability with the uid change. Skips (or, when kernel tests are required, fails) without either.
     */
    public static List<String> prefix() {
        if (onPath("setpriv")) {
            return List.of("setpriv", "--reuid=" + id("-u"), "--regid=" + id("-g"), "--clear-groups");
        }
        if (onPath("runuser")) {
            return List.of("runuser", "-u", "nobody", "--");
        }
        if (KernelTests.required()) {
            fail("neither setpriv nor runuser is installed: cannot run as nobody");
        }
        org.junit.jupiter.api.Assumptions.abort("neither setpriv nor runuser is installed");
        return List.of();
    }

    /**
     * A copy of the built jar that nobody can read: target/ may sit under a directory only root can enter
     * (a fresh clone in a 0700 temporary directory, say). The copy is deleted when the JVM exits.
     */
    public static Path readableJar() {
        try {
            Path dir = Files.createTempDirectory("mptcpstate-nobody-");
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Path jar = dir.resolve("mptcpstate.jar");
            Files.copy(Mptcpstate.jar(), jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(jar, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            jar.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return jar;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot copy the jar for nobody", e);
        }
    }

    /** `id -u nobody` or `id -g nobody`. */
    public static String id(String option) {
        return Netns.run(List.of("id", option, "nobody")).trim();
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv()
                .getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                .split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
