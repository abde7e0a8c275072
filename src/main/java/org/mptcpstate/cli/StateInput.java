package org.mptcpstate.cli;

import org.mptcpstate.document.LoadedState;
import org.mptcpstate.document.StateLoader;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** Reads a state file named on the command line, or standard input for "-", and loads it. */
final class StateInput {
    /** Read at most this much: the loader refuses more than 1 MiB, so one byte over is enough to say so. */
    private static final int READ_LIMIT = (1 << 20) + 1;

    /** The operand of diff, apply and persist. */
    static final CommandSpec.PositionalSpec ONE_FILE =
            new CommandSpec.PositionalSpec("FILE", 1, 1, "The state file (YAML or JSON), - for stdin.");

    private StateInput() {}

    static LoadedState load(String name, InputStream stdin, PrintStream err, boolean verbose) {
        return load(name, read(name, stdin), err, verbose);
    }

    /**
     * Loads content already read with {@link #read}, printing the loader's warnings (summarised unless verbose) on
     * {@code err}, or not at all when it is null (--json keeps them for its document).
     */
    static LoadedState load(String name, byte[] content, PrintStream err, boolean verbose) {
        LoadedState loaded = StateLoader.load(name, content);
        if (err != null) {
            WarningOutput.text(loaded.warnings(), verbose, err);
        }
        return loaded;
    }

    /** The bytes of a state file named on the command line, or of standard input for "-". */
    static byte[] read(String name, InputStream stdin) {
        byte[] content;
        try {
            content = "-".equals(name) ? stdin.readNBytes(READ_LIMIT) : readFile(Path.of(name));
        } catch (NoSuchFileException e) {
            throw new Failures.CommandFailure(ExitCode.INVALID_INPUT, name + ": no such file");
        } catch (IOException e) {
            throw new Failures.CommandFailure(ExitCode.INVALID_INPUT, name + ": cannot read: " + e.getMessage());
        }
        return content;
    }

    /**
     * The bytes of a state file that must be a regular file: watch reads it again whenever it changes, and a FIFO
     * or a device could block that read for ever (or never end it). A symbolic link is followed.
     */
    static byte[] readRegular(String name) {
        try {
            Path path = Path.of(name);
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (attributes.isDirectory()) {
                throw new IOException("is a directory");
            }
            if (!attributes.isRegularFile()) {
                throw new Failures.CommandFailure(
                        ExitCode.INVALID_INPUT,
                        name + ": not a regular file (a FIFO, socket or device could block watch); give a file");
            }
            // java.io, not a channel: an interrupt (watch's SIGHUP) must not close it half-way
            try (InputStream in = new FileInputStream(path.toFile())) {
                return in.readNBytes(READ_LIMIT);
            }
        } catch (NoSuchFileException e) {
            throw new Failures.CommandFailure(ExitCode.INVALID_INPUT, name + ": no such file");
        } catch (IOException | InvalidPathException e) {
            throw new Failures.CommandFailure(ExitCode.INVALID_INPUT, name + ": cannot read: " + e.getMessage());
        }
    }

    private static byte[] readFile(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new IOException("is a directory");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(READ_LIMIT);
        }
    }
}
