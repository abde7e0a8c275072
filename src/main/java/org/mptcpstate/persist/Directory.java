package org.mptcpstate.persist;

import com.sun.jna.LastErrorException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * A directory held by a descriptor. Below the root given to persist, every directory is opened from its parent's
 * descriptor without following a symbolic link (openat with O_NOFOLLOW), so no link and no rename of a path
 * component can lead persist or unpersist outside the root. The entries of a held directory are reached as
 * /proc/self/fd/N/NAME: the kernel resolves /proc/self/fd/N to the held directory itself, never through its
 * path, so Java's file API (create, rename, delete, each without following a link at NAME) works as openat,
 * renameat and unlinkat would, race-free.
 */
final class Directory implements AutoCloseable {
    private final int fd;
    /** The path shown in messages: the root, and the names below it. */
    private final Path shown;

    private Directory(int fd, Path shown) {
        this.fd = fd;
        this.shown = shown;
    }

    /** The root directory itself, its path followed as given (it is the caller's to choose). */
    static Directory root(Path root) {
        try {
            return new Directory(Posix.openDirectory(Posix.AT_FDCWD, root.toString(), true), root);
        } catch (LastErrorException e) {
            throw failure(root, e, "a directory");
        }
    }

    /** The subdirectory {@code name}, or null when there is none; refused when it is a symbolic link or no directory. */
    Directory open(String name) {
        try {
            return new Directory(Posix.openDirectory(fd, name, false), shown.resolve(name));
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Posix.ENOENT) {
                return null;
            }
            if (e.getErrorCode() == Posix.ENOTDIR && Files.isSymbolicLink(entry(name))) {
                // with O_DIRECTORY, Linux says ENOTDIR rather than ELOOP for a link
                throw failure(shown.resolve(name), new LastErrorException(Posix.ELOOP), "a directory");
            }
            throw failure(shown.resolve(name), e, "a directory");
        }
    }

    /** Creates the subdirectory {@code name} with mode 0755 and opens it. */
    Directory create(String name) throws IOException {
        Files.createDirectory(entry(name));
        Directory created = open(name);
        if (created == null) {
            throw new IOException(shown.resolve(name) + " vanished as it was made");
        }
        created.setMode("rwxr-xr-x"); // whatever the umask
        return created;
    }

    /** The entry {@code name}, for Java's file API; use it with NOFOLLOW_LINKS where a link could be. */
    Path entry(String name) {
        return Path.of("/proc/self/fd/" + fd, name);
    }

    /** The path to name in messages. */
    Path shown(String name) {
        return shown.resolve(name);
    }

    Path shown() {
        return shown;
    }

    /** This directory's own mode (with the file type bits) and owner. */
    Map<String, Object> attributes() throws IOException {
        return Files.readAttributes(self(), "unix:mode,uid");
    }

    /** Sets this directory's own permission bits. */
    void setMode(String permissions) throws IOException {
        Files.setPosixFilePermissions(self(), PosixFilePermissions.fromString(permissions));
    }

    /** Whether this process may create and remove entries here. */
    boolean writable() {
        return Files.isWritable(self());
    }

    /** fsync of the directory: its entries are on disk. */
    void sync() throws IOException {
        try (FileChannel channel = FileChannel.open(self(), StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private Path self() {
        return Path.of("/proc/self/fd/" + fd);
    }

    private static Installation.RefusedException failure(Path path, LastErrorException e, String expected) {
        return switch (e.getErrorCode()) {
            case Posix.ELOOP ->
                new Installation.RefusedException(
                        path
                                + " is a symbolic link: persist and unpersist follow none below the root; replace it with a"
                                + " directory",
                        false);
            case Posix.ENOTDIR -> new Installation.RefusedException(path + " is not " + expected, false);
            case Posix.ENOENT -> new Installation.RefusedException(path + ": no such directory", false);
            case Posix.EACCES -> new Installation.RefusedException(path + ": permission denied", true);
            default -> new Installation.RefusedException(path + ": error " + e.getErrorCode(), false);
        };
    }

    @Override
    public void close() {
        Posix.close(fd);
    }
}
