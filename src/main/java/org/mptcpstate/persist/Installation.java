package org.mptcpstate.persist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files {@code persist} installs under a root directory and {@code unpersist} removes. What was written is
 * recorded in a manifest (etc/mptcpstate/persisted.manifest: path, mode and SHA-256 of each file, and the
 * directories persist created), so unpersist removes exactly those files, and only while their content is
 * still what persist wrote. Only the paths of {@link #KNOWN_FILES} are ever written or removed.
 * Every file is written atomically: a temporary file in the same directory, fsync, rename, fsync of the directory.
 * Below the root nothing is reached through a symbolic link: each directory is opened from its parent's descriptor
 * without following one ({@link Directory}), and checked to be root's or this user's and not writable by others.
 */
public final class Installation {
    public static final String STATE_FILE = "etc/mptcpstate/state.yml";
    public static final String SYSCTL_FILE = "etc/sysctl.d/90-mptcpstate.conf";
    public static final String UNIT_FILE = "etc/systemd/system/" + SystemdUnit.NAME;
    public static final String MANIFEST = "etc/mptcpstate/persisted.manifest";
    private static final List<String> KNOWN_FILES = List.of(STATE_FILE, SYSCTL_FILE, UNIT_FILE);
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path root;

    public Installation(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** Where a root-relative path lands. */
    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    /** A file to install: a root-relative path from {@link #KNOWN_FILES} and its content. */
    public record FileContent(String path, byte[] content) {}

    /**
     * What a run changed: the files written, those already as they would be written (content and mode: left
     * alone) and the files removed, as absolute paths, what was left (changed since persist wrote it) and what
     * was fixed on the way (a directory's mode).
     */
    public record Result(
            List<Path> written, List<Path> unchanged, List<Path> removed, List<String> kept, List<String> fixed) {}

    /** Refusals that leave everything as it was: someone else's file is in the way, or no permission. */
    public static final class RefusedException extends RuntimeException {
        private final boolean permission;

        RefusedException(String message, boolean permission) {
            super(message);
            this.permission = permission;
        }

        public boolean permission() {
            return permission;
        }
    }

    /**
     * Installs {@code files}. Files of an earlier persist that are not in {@code files} (the sysctl file when
     * the state no longer sets mptcp.enabled) are removed when unchanged.
     */
    public Result install(List<FileContent> files) {
        try (Tree tree = new Tree(Directory.root(root))) {
            Manifest old = readManifest(tree);
            for (FileContent file : files) {
                checkKnown(file.path());
                Directory directory = tree.open(parent(file.path()), false);
                String name = name(file.path());
                if (directory != null
                        && exists(directory.entry(name))
                        && !old.owns(file.path(), directory.entry(name))) {
                    throw new RefusedException(
                            resolve(file.path())
                                    + (old.files().containsKey(file.path())
                                            ? " was changed after mptcpstate persist wrote it; move it away first to replace it"
                                            : " exists and was not written by mptcpstate persist; move it away first"),
                            false);
                }
            }
            for (FileContent file : files) {
                tree.checkWritable(parent(file.path()));
            }
            tree.checkWritable(parent(MANIFEST));
            Set<String> createdDirectories = new LinkedHashSet<>(old.directories());
            Manifest manifest = new Manifest(new LinkedHashMap<>(), createdDirectories);
            for (FileContent file : files) {
                manifest.files().put(file.path(), sha256(file.content()));
            }
            // the manifest first: a run cut short leaves files unpersist still knows about
            Map<String, String> both = new LinkedHashMap<>(old.files());
            both.putAll(manifest.files());
            writeIfDifferent(
                    tree.create(parent(MANIFEST), createdDirectories),
                    name(MANIFEST),
                    new Manifest(both, createdDirectories).text());
            List<Path> written = new ArrayList<>();
            List<Path> unchanged = new ArrayList<>();
            for (FileContent file : files) {
                boolean wrote = writeIfDifferent(
                        tree.create(parent(file.path()), createdDirectories), name(file.path()), file.content());
                (wrote ? written : unchanged).add(resolve(file.path()));
            }
            List<Path> removed = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            for (String stale : old.files().keySet()) {
                if (!manifest.files().containsKey(stale)) {
                    removeIfOwned(tree, old, stale, removed, kept);
                }
            }
            writeIfDifferent(tree.open(parent(MANIFEST), false), name(MANIFEST), manifest.text());
            return new Result(written, unchanged, removed, kept, tree.fixed);
        } catch (AccessDeniedException e) {
            throw new RefusedException(shown(e.getFile()) + ": permission denied" + rootHint(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write under " + root, e);
        }
    }

    /** Removes what the manifest lists, then the manifest and the directories persist created, when empty. */
    public Result uninstall() {
        try (Tree tree = new Tree(Directory.root(root))) {
            Directory directory = tree.open(parent(MANIFEST), false);
            if (directory == null || !exists(directory.entry(name(MANIFEST)))) {
                return new Result(List.of(), List.of(), List.of(), List.of(), tree.fixed);
            }
            Manifest manifest = readManifest(tree);
            tree.checkWritable(parent(MANIFEST));
            List<Path> removed = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            for (String file : manifest.files().keySet()) {
                removeIfOwned(tree, manifest, file, removed, kept);
            }
            Files.delete(directory.entry(name(MANIFEST)));
            directory.sync();
            List<String> directories = new ArrayList<>(manifest.directories());
            // deepest first
            directories.sort(new DeepestFirst());
            for (String created : directories) {
                Directory above = tree.open(parent(created), false);
                try {
                    if (above != null) {
                        tree.forget(created);
                        Files.deleteIfExists(above.entry(name(created)));
                    }
                } catch (DirectoryNotEmptyException e) {
                    // someone else's files are in it: it stays
                }
            }
            return new Result(List.of(), List.of(), removed, kept, tree.fixed);
        } catch (AccessDeniedException e) {
            throw new RefusedException(shown(e.getFile()) + ": permission denied" + rootHint(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove files under " + root, e);
        }
    }

    /** Whether a manifest exists, i.e. whether persist ran under this root. */
    public boolean persisted() {
        try (Tree tree = new Tree(Directory.root(root))) {
            Directory directory = tree.open(parent(MANIFEST), false);
            return directory != null && exists(directory.entry(name(MANIFEST)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read under " + root, e);
        }
    }

    private void removeIfOwned(Tree tree, Manifest manifest, String file, List<Path> removed, List<String> kept)
            throws IOException {
        Directory directory = tree.open(parent(file), false);
        if (directory == null || !exists(directory.entry(name(file)))) {
            return;
        }
        if (manifest.owns(file, directory.entry(name(file)))) {
            Files.delete(directory.entry(name(file)));
            directory.sync();
            removed.add(resolve(file));
        } else {
            kept.add(resolve(file) + " was changed after mptcpstate persist wrote it; left in place");
        }
    }

    private String rootHint() {
        return root.getParent() == null ? " (writing under / needs root)" : "";
    }

    /** A path of an error, as the user knows it: /proc/self/fd/N/NAME becomes ROOT/.../NAME where it can. */
    private String shown(String file) {
        return file == null
                ? root.toString()
                : file.startsWith("/proc/self/fd/") ? root + "/..." + file.substring(file.lastIndexOf('/')) : file;
    }

    /**
     * The directories below the root, opened once each from their parent without following links, and checked:
     * each must belong to root or to this process's user and be writable by neither group nor others. persist's
     * own etc/mptcpstate, found writable by others, is narrowed to 0755 (and said so); any other is refused.
     */
    private final class Tree implements AutoCloseable {
        private final Directory root;
        private final Map<String, Directory> open = new LinkedHashMap<>();
        final List<String> fixed = new ArrayList<>();

        Tree(Directory root) {
            this.root = root;
        }

        /** The directory at a root-relative path; null when a component is missing and {@code create} is false. */
        Directory open(String relative, boolean create) throws IOException {
            if (relative == null) {
                return root;
            }
            Directory known = open.get(relative);
            if (known != null) {
                return known;
            }
            Directory above = open(parent(relative), create);
            if (above == null) {
                return null;
            }
            Directory directory = above.open(name(relative));
            if (directory == null) {
                if (!create) {
                    return null;
                }
                directory = above.create(name(relative));
            }
            open.put(relative, directory);
            check(relative, directory);
            return directory;
        }

        /** The directory at a root-relative path, made when missing (recorded in {@code created}). */
        Directory create(String relative, Set<String> created) throws IOException {
            List<String> missing = new ArrayList<>();
            for (String dir = relative; dir != null && open(dir, false) == null; dir = parent(dir)) {
                missing.add(0, dir);
            }
            for (String dir : missing) {
                Directory above = open(parent(dir), false);
                open(dir, true);
                above.sync();
                created.add(dir);
            }
            return open(relative, false);
        }

        /** The deepest existing directory on the way to {@code relative} must let this process write in it. */
        void checkWritable(String relative) throws IOException {
            Directory deepest = root;
            for (String dir = relative; dir != null; dir = parent(dir)) {
                Directory found = open(dir, false);
                if (found != null) {
                    deepest = found;
                    break;
                }
            }
            if (!deepest.writable()) {
                throw new RefusedException(
                        "cannot write " + resolve(relative) + ": permission denied on " + deepest.shown() + rootHint(),
                        true);
            }
        }

        /** Closes a directory about to be removed. */
        void forget(String relative) {
            Directory directory = open.remove(relative);
            if (directory != null) {
                directory.close();
            }
        }

        private void check(String relative, Directory directory) throws IOException {
            Map<String, Object> attributes = directory.attributes();
            int uid = (Integer) attributes.get("uid");
            int mode = (Integer) attributes.get("mode");
            long self = ownUid();
            if (uid != 0 && uid != self) {
                throw new RefusedException(
                        directory.shown() + " belongs to uid " + uid + ", who could change what persist writes there",
                        false);
            }
            if ((mode & 022) == 0) {
                return;
            }
            if (relative.equals(parent(STATE_FILE))) {
                directory.setMode("rwxr-xr-x");
                fixed.add(directory.shown() + " was writable by others (mode " + Integer.toOctalString(mode & 07777)
                        + "): anyone could have replaced the state file the unit applies; narrowed to 0755");
                return;
            }
            throw new RefusedException(
                    directory.shown() + " is writable by others (mode " + Integer.toOctalString(mode & 07777)
                            + "): anyone could replace what persist writes there; make it 0755 first",
                    false);
        }

        @Override
        public void close() {
            for (Directory directory : open.values()) {
                directory.close();
            }
            root.close();
        }
    }

    /** The effective uid of this process: the owner of /proc/self. */
    private static long ownUid() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
    }

    private static boolean exists(Path entry) {
        return Files.exists(entry, LinkOption.NOFOLLOW_LINKS);
    }

    private static String parent(String relative) {
        int slash = relative.lastIndexOf('/');
        return slash < 0 ? null : relative.substring(0, slash);
    }

    private static String name(String relative) {
        return relative.substring(relative.lastIndexOf('/') + 1);
    }

    /** Longer (deeper) paths first. */
    private static final class DeepestFirst implements java.util.Comparator<String> {
        @Override
        public int compare(String a, String b) {
            return b.length() - a.length();
        }
    }

    private static void checkKnown(String relative) {
        if (!KNOWN_FILES.contains(relative)) {
            throw new IllegalArgumentException("not a file mptcpstate persist writes: " + relative);
        }
    }

    /**
     * Writes {@code name} as {@link #writeAtomically} does unless it is a regular file (not a link) with mode 0644
     * and this content already; returns whether it wrote. An unchanged file keeps its inode and time stamps.
     */
    static boolean writeIfDifferent(Directory directory, String name, byte[] content) throws IOException {
        Path entry = directory.entry(name);
        if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
                && FILE_MODE.equals(Files.getPosixFilePermissions(entry, LinkOption.NOFOLLOW_LINKS))
                && java.util.Arrays.equals(read(entry), content)) {
            return false;
        }
        writeAtomically(directory, name, content);
        return true;
    }

    /**
     * A temporary file in the same directory (made anew, no link followed), mode 0644, fsync, atomic rename over
     * {@code name}, fsync of the directory.
     */
    static void writeAtomically(Directory directory, String name, byte[] content) throws IOException {
        Path temporary = directory.entry("." + name + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(
                    temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(temporary, FILE_MODE);
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(
                    temporary,
                    directory.entry(name),
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        directory.sync();
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Manifest readManifest(Tree tree) throws IOException {
        Directory directory = tree.open(parent(MANIFEST), false);
        List<String> lines;
        try {
            if (directory == null) {
                throw new NoSuchFileException(MANIFEST);
            }
            lines = new String(read(directory.entry(name(MANIFEST))), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
        } catch (NoSuchFileException e) {
            return new Manifest(new LinkedHashMap<>(), new LinkedHashSet<>());
        }
        Map<String, String> files = new LinkedHashMap<>();
        Set<String> directories = new LinkedHashSet<>();
        for (String line : lines) {
            String[] words = line.split(" ");
            if (words.length == 3 && words[0].equals("file") && KNOWN_FILES.contains(words[2])) {
                files.put(words[2], words[1]);
            } else if (words.length == 2 && words[0].equals("dir") && isKnownDirectory(words[1])) {
                directories.add(words[1]);
            }
            // anything else (comments, paths persist never writes) is ignored: never removed
        }
        return new Manifest(files, directories);
    }

    /** A file's content, read without following a link at its name. */
    private static byte[] read(Path entry) throws IOException {
        try (FileChannel channel = FileChannel.open(entry, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            return java.nio.channels.Channels.newInputStream(channel).readAllBytes();
        }
    }

    private static boolean isKnownDirectory(String relative) {
        for (String file : KNOWN_FILES) {
            for (String dir = parent(file); dir != null; dir = parent(dir)) {
                if (dir.equals(relative)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Root-relative files with the SHA-256 of what was written, and the directories persist created. */
    private record Manifest(Map<String, String> files, Set<String> directories) {
        boolean owns(String relative, Path target) throws IOException {
            String hash = files.get(relative);
            return hash != null
                    && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
                    && hash.equals(sha256(read(target)));
        }

        byte[] text() {
            StringBuilder text = new StringBuilder("# Written by `mptcpstate persist`: what `mptcpstate unpersist`"
                    + " removes (a file only while its SHA-256 matches).\n");
            for (Map.Entry<String, String> file : files.entrySet()) {
                text.append("file ")
                        .append(file.getValue())
                        .append(' ')
                        .append(file.getKey())
                        .append('\n');
            }
            for (String directory : directories) {
                text.append("dir ").append(directory).append('\n');
            }
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
