package org.mptcpstate.persist;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a launcher may go into a unit that runs it as root at every boot: only if no one but root can change
 * what it runs. The launcher (its real path, symbolic links resolved) and every directory above it must belong
 * to root and be writable by neither group nor others; for a checkout's launcher the same holds for what it runs
 * from target/ (the jars, the start-up caches and JNA's native stub).
 *
 * <p>A directory anyone may write is accepted only with the sticky bit (as /tmp has), because then no one but
 * root can rename or remove the root-owned entry below it; still a warning says what remains: if that entry is
 * ever removed (a reboot empties /tmp), anyone could create it again with their own launcher, which the unit
 * would then run as root. A group- or world-writable directory without the sticky bit is refused: anyone in it
 * could replace the next component.
 */
public final class TrustedLauncher {
    private static final int TYPE = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int REGULAR = 0100000;
    private static final int STICKY = 01000;
    private static final int GROUP_OR_OTHER_WRITE = 022;

    private TrustedLauncher() {}

    /** A launcher someone other than root could change: refused, with why and what to do. */
    public static final class UntrustedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UntrustedException(String message) {
            super(message);
        }
    }

    /**
     * Checks {@code launcher} (an absolute real path); returns the warnings of what is accepted with a caveat.
     *
     * @throws UntrustedException when someone other than root could change what the unit runs
     */
    public static List<String> check(Path launcher) {
        List<String> warnings = new ArrayList<>();
        Path root = launcher.getRoot();
        Path path = root;
        checkDirectory(launcher, path, warnings);
        for (int i = 0; i < launcher.getNameCount(); i++) {
            path = path.resolve(launcher.getName(i));
            if (i < launcher.getNameCount() - 1) {
                checkDirectory(launcher, path, warnings);
            } else {
                checkFile(launcher, path);
            }
        }
        Path parent = launcher.getParent();
        if (parent != null && Files.isRegularFile(parent.resolve("pom.xml"), LinkOption.NOFOLLOW_LINKS)) {
            // a checkout: the launcher runs target/mptcpstate.jar with its caches and JNA's stub
            Path target = parent.resolve("target");
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                checkTree(launcher, target, 0);
            }
        }
        return warnings;
    }

    private static void checkDirectory(Path launcher, Path directory, List<String> warnings) {
        Map<String, Object> attributes = attributes(launcher, directory);
        int mode = (Integer) attributes.get("mode");
        checkOwner(launcher, directory, attributes);
        if ((mode & TYPE) != DIRECTORY) {
            throw refused(launcher, directory + " is not a directory");
        }
        if ((mode & GROUP_OR_OTHER_WRITE) == 0) {
            return;
        }
        if ((mode & STICKY) == 0) {
            throw refused(
                    launcher,
                    directory + " is writable by " + writers(mode) + ", who could replace what is in it (mode "
                            + octal(mode) + ")");
        }
        if (!directory.equals(launcher.getParent())) {
            Path next = directory.resolve(launcher.getName(directory.getNameCount()));
            warnings.add(launcher + " lies under " + directory + ", which anyone may write (mode " + octal(mode)
                    + ", sticky): safe while " + next + " stays root's, but if it is ever removed (a reboot empties"
                    + " " + directory + ") anyone could create it again, and the unit would run their file as root;"
                    + " install the package, or --exec a root-owned copy outside " + directory);
        } else {
            warnings.add(launcher + " lies in " + directory + ", which anyone may write (mode " + octal(mode)
                    + ", sticky): if the launcher is ever removed, anyone could put their own there, and the unit would"
                    + " run it as root; install the package, or --exec a root-owned copy outside " + directory);
        }
    }

    private static void checkFile(Path launcher, Path file) {
        Map<String, Object> attributes = attributes(launcher, file);
        int mode = (Integer) attributes.get("mode");
        checkOwner(launcher, file, attributes);
        if ((mode & TYPE) != REGULAR) {
            throw refused(launcher, file + " is not a regular file");
        }
        if ((mode & GROUP_OR_OTHER_WRITE) != 0) {
            throw refused(launcher, file + " is writable by " + writers(mode) + " (mode " + octal(mode) + ")");
        }
    }

    /** target/ of a checkout: itself, the files the launcher uses, and JNA's stub below target/jna. */
    private static void checkTree(Path launcher, Path directory, int depth) {
        Map<String, Object> attributes = attributes(launcher, directory);
        checkOwner(launcher, directory, attributes);
        int mode = (Integer) attributes.get("mode");
        if ((mode & GROUP_OR_OTHER_WRITE) != 0) {
            throw refused(
                    launcher,
                    directory + " is writable by " + writers(mode) + " (mode " + octal(mode)
                            + "), and the launcher runs" + " what is in it");
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean used = depth > 0 || name.endsWith(".jar") || name.endsWith(".jsa") || name.endsWith(".aot");
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    if ((depth == 0 && name.equals("jna")) || depth > 0) {
                        checkTree(launcher, entry, depth + 1);
                    }
                } else if (used) {
                    checkFile(launcher, entry);
                }
            }
        } catch (IOException e) {
            throw refused(launcher, "cannot read " + directory + ": " + e.getMessage());
        }
    }

    private static void checkOwner(Path launcher, Path path, Map<String, Object> attributes) {
        int uid = (Integer) attributes.get("uid");
        if (uid != 0) {
            throw refused(
                    launcher,
                    path + " belongs to " + ownerName(path, uid) + ", not root, who could change what" + " root runs");
        }
    }

    private static Map<String, Object> attributes(Path launcher, Path path) {
        try {
            return Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw refused(launcher, "cannot read " + path + ": " + e.getMessage());
        }
    }

    private static UntrustedException refused(Path launcher, String why) {
        return new UntrustedException("refusing a unit that runs " + launcher + " as root at every boot: " + why
                + "; install the package (its /usr/bin/mptcpstate is root's) or give --exec a copy that root owns, in"
                + " directories only root can write");
    }

    private static String ownerName(Path path, int uid) {
        try {
            String name = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .owner()
                    .getName();
            return name.equals(Integer.toString(uid)) ? "uid " + uid : "uid " + uid + " (" + name + ")";
        } catch (IOException | RuntimeException e) {
            return "uid " + uid;
        }
    }

    private static String writers(int mode) {
        boolean group = (mode & 020) != 0;
        boolean other = (mode & 002) != 0;
        return group && other ? "its group and everyone" : group ? "its group" : "everyone";
    }

    private static String octal(int mode) {
        String text = Integer.toOctalString(mode & 07777);
        return "0".repeat(Math.max(0, 4 - text.length())) + text;
    }
}
