package org.mptcpstate.cli;

import com.sun.jna.Platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code JnaStub DIR}: copies JNA's native stub for this machine out of the product jar into
 * DIR/PLATFORM/libjnidispatch.so, where the launcher points jna.boot.library.path. Run by the launcher when it
 * makes the start-up cache of the installed tree: the package is Architecture: all and ships no ELF file, and
 * without the copy JNA would extract the stub into a temporary file at every start.
 */
public final class JnaStub {
    private JnaStub() {}

    public static void main(String[] args) throws IOException {
        String platform = Platform.RESOURCE_PREFIX;
        Path directory = Files.createDirectories(Path.of(args[0], platform));
        Path temporary = directory.resolve(".libjnidispatch.so.tmp");
        try (InputStream stub = Platform.class.getResourceAsStream("/com/sun/jna/" + platform + "/libjnidispatch.so")) {
            if (stub == null) {
                System.err.println("mptcpstate: the jar holds no JNA stub for " + platform);
                System.exit(1);
                return;
            }
            Files.copy(stub, temporary, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(
                temporary,
                directory.resolve("libjnidispatch.so"),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }
}
