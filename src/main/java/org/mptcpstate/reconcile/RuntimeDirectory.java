package org.mptcpstate.reconcile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * /run/mptcpstate: the namespace locks ({@code net-INODE.lock}), the watch claims ({@code net-INODE.watch}) and the
 * journals of applies in flight ({@code net-INODE.journal}). Root's alone, 0700 with files 0600: a user who can
 * open a lock file can take a shared fcntl lock on it and so block every apply for as long as they like. Before
 * use the directory is checked: a real directory (not a symbolic link) owned by root; a wider mode (0755 from an
 * older mptcpstate, or systemd's RuntimeDirectory=) is narrowed. Only root can create or replace entries of /run, so
 * the checked directory stays the one used. Files are opened without following symbolic links, and narrowed to
 * 0600 when an older mptcpstate made them 0644.
 */
public final class RuntimeDirectory {
    /** The directory of the running system, owned by root. */
    public static final RuntimeDirectory SYSTEM = new RuntimeDirectory(Path.of("/run/mptcpstate"), 0);

    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> FILE_ATTRIBUTE =
            PosixFilePermissions.asFileAttribute(FILE_MODE);
    private static final Set<OpenOption> OPEN = Set.of(
            StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    private static final int GROUP_OR_OTHER = 077;

    private final Path path;
    private final int owner;

    /** {@code owner}: the uid the directory must belong to (root's for the system; tests use their own). */
    RuntimeDirectory(Path path, int owner) {
        this.path = path;
        this.owner = owner;
    }

    public Path path() {
        return path;
    }

    /** A directory that mptcpstate cannot use safely: a symbolic link, not a directory, someone else's. */
    public static final class UnsafeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsafeException(String message) {
            super(message);
        }
    }

    /** The file {@code net-INODE} + {@code suffix} of the calling thread's namespace, the directory checked first. */
    Path fileOfThisNamespace(String suffix) {
        ensure();
        return path.resolve(NamespaceLock.namespaceId() + suffix);
    }

    /** Creates the directory (0700) or checks it, narrowing its mode when it lets others in. */
    void ensure() {
        Map<String, Object> attributes;
        try {
            attributes = attributes(path);
        } catch (NoSuchFileException missing) {
            try {
                Files.createDirectory(path, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
                attributes = attributes(path);
            } catch (AccessDeniedException e) {
                throw Privileges.lockRefused(path, e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + path, e);
            }
        } catch (AccessDeniedException e) {
            throw Privileges.lockRefused(path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        int mode = (Integer) attributes.get("mode");
        if ((mode & 0170000) != 0040000) {
            throw new UnsafeException(path + " is not a directory"
                    + ((mode & 0170000) == 0120000 ? " but a symbolic link" : "")
                    + ": mptcpstate keeps its namespace locks there and follows no link; remove it");
        }
        int uid = (Integer) attributes.get("uid");
        if (uid != owner) {
            throw new UnsafeException(
                    path + " belongs to uid " + uid + ", not " + (owner == 0 ? "root" : "uid " + owner)
                            + ": its owner could hold the namespace locks; remove it (rm -r " + path + ")");
        }
        if ((mode & GROUP_OR_OTHER) != 0) {
            try {
                Files.setPosixFilePermissions(path, DIRECTORY_MODE);
            } catch (AccessDeniedException e) {
                throw Privileges.lockRefused(path, e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot narrow the mode of " + path + " to 0700", e);
            }
        }
    }

    /** Opens (creating, 0600) a file of the directory for reading and writing, never through a symbolic link. */
    FileChannel open(Path file) {
        try {
            FileChannel channel = FileChannel.open(file, OPEN, FILE_ATTRIBUTE);
            narrow(file);
            return channel;
        } catch (AccessDeniedException e) {
            throw Privileges.lockRefused(file, e);
        } catch (IOException e) {
            // O_NOFOLLOW's ELOOP comes as a plain IOException
            if (Files.isSymbolicLink(file)) {
                throw new UnsafeException(file + " is a symbolic link: mptcpstate follows none there; remove it");
            }
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    /** An older mptcpstate made its files 0644: narrowed, so that no user can open one to lock it. */
    private static void narrow(Path file) throws IOException {
        int mode = (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & GROUP_OR_OTHER) != 0) {
            Files.setPosixFilePermissions(file, FILE_MODE);
        }
    }

    private static Map<String, Object> attributes(Path path) throws IOException {
        return Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
    }
}
