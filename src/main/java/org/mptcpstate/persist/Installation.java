package org.mptcpstate.persist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
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
 */
public final class Installation {
    public static final String STATE_FILE = "etc/mptcpstate/state.yml";
    public static final String SYSCTL_FILE = "etc/sysctl.d/90-mptcpstate.conf";
    public static final String UNIT_FILE = "etc/systemd/system/" + SystemdUnit.NAME;
    public static final String MANIFEST = "etc/mptcpstate/persisted.manifest";
    private static final List<String> KNOWN_FILES = List.of(STATE_FILE, SYSCTL_FILE, UNIT_FILE);
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

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

    /** What a run changed: the files written and the files removed, as absolute paths, and what was left. */
    public record Result(List<Path> written, List<Path> removed, List<String> kept) {}

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
        if (!Files.isDirectory(root)) {
            throw new RefusedException(root + ": no such directory", false);
        }
        try {
            Manifest old = readManifest();
            for (FileContent file : files) {
                checkKnown(file.path());
                Path target = resolve(file.path());
                if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !old.owns(file.path(), target)) {
                    throw new RefusedException(
                            target
                                    + (old.files().containsKey(file.path())
                                            ? " was changed after mptcpstate persist wrote it; move it away first to replace it"
                                            : " exists and was not written by mptcpstate persist; move it away first"),
                            false);
                }
            }
            for (FileContent file : files) {
                checkWritable(resolve(file.path()).getParent());
            }
            checkWritable(resolve(MANIFEST).getParent());
            Set<String> createdDirectories = new LinkedHashSet<>(old.directories());
            List<String> needed = new ArrayList<>();
            for (FileContent file : files) {
                needed.add(parent(file.path()));
            }
            needed.add(parent(MANIFEST));
            for (String directory : needed) {
                createDirectories(directory, createdDirectories);
            }
            Manifest manifest = new Manifest(new LinkedHashMap<>(), createdDirectories);
            for (FileContent file : files) {
                manifest.files().put(file.path(), sha256(file.content()));
            }
            // the manifest first: a run cut short leaves files unpersist still knows about
            Map<String, String> both = new LinkedHashMap<>(old.files());
            both.putAll(manifest.files());
            writeAtomically(resolve(MANIFEST), new Manifest(both, createdDirectories).text());
            List<Path> written = new ArrayList<>();
            for (FileContent file : files) {
                writeAtomically(resolve(file.path()), file.content());
                written.add(resolve(file.path()));
            }
            List<Path> removed = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            for (String stale : old.files().keySet()) {
                if (!manifest.files().containsKey(stale)) {
                    removeIfOwned(old, stale, removed, kept);
                }
            }
            writeAtomically(resolve(MANIFEST), manifest.text());
            return new Result(written, removed, kept);
        } catch (AccessDeniedException e) {
            throw new RefusedException(e.getFile() + ": permission denied" + rootHint(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write under " + root, e);
        }
    }

    /** Removes what the manifest lists, then the manifest and the directories persist created, when empty. */
    public Result uninstall() {
        try {
            Manifest manifest = readManifest();
            List<Path> removed = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            if (!Files.exists(resolve(MANIFEST))) {
                return new Result(List.of(), List.of(), List.of());
            }
            checkWritable(resolve(MANIFEST).getParent());
            for (String file : manifest.files().keySet()) {
                removeIfOwned(manifest, file, removed, kept);
            }
            Files.delete(resolve(MANIFEST));
            syncDirectory(resolve(MANIFEST).getParent());
            List<String> directories = new ArrayList<>(manifest.directories());
            // deepest first
            directories.sort((a, b) -> b.length() - a.length());
            for (String directory : directories) {
                try {
                    Files.deleteIfExists(resolve(directory));
                } catch (DirectoryNotEmptyException e) {
                    // someone else's files are in it: it stays
                }
            }
            return new Result(List.of(), removed, kept);
        } catch (AccessDeniedException e) {
            throw new RefusedException(e.getFile() + ": permission denied" + rootHint(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove files under " + root, e);
        }
    }

    /** Whether a manifest exists, i.e. whether persist ran under this root. */
    public boolean persisted() {
        return Files.exists(resolve(MANIFEST));
    }

    private void removeIfOwned(Manifest manifest, String file, List<Path> removed, List<String> kept)
            throws IOException {
        Path target = resolve(file);
        if (!Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (manifest.owns(file, target)) {
            Files.delete(target);
            syncDirectory(target.getParent());
            removed.add(target);
        } else {
            kept.add(target + " was changed after mptcpstate persist wrote it; left in place");
        }
    }

    private String rootHint() {
        return root.getParent() == null ? " (writing under / needs root)" : "";
    }

    private void checkWritable(Path directory) {
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new RefusedException("cannot create " + directory + ": " + existing + " is not a directory", false);
        }
        if (!Files.isWritable(existing)) {
            throw new RefusedException(
                    "cannot write " + directory + ": permission denied on " + existing + rootHint(), true);
        }
    }

    private void createDirectories(String relative, Set<String> created) throws IOException {
        List<String> missing = new ArrayList<>();
        for (String dir = relative; dir != null; dir = parent(dir)) {
            if (Files.isDirectory(resolve(dir))) {
                break;
            }
            missing.add(0, dir);
        }
        for (String dir : missing) {
            Path path = resolve(dir);
            Files.createDirectory(path);
            Files.setPosixFilePermissions(path, DIR_MODE);
            syncDirectory(path.getParent());
            created.add(dir);
        }
    }

    private static String parent(String relative) {
        int slash = relative.lastIndexOf('/');
        return slash < 0 ? null : relative.substring(0, slash);
    }

    private static void checkKnown(String relative) {
        if (!KNOWN_FILES.contains(relative)) {
            throw new IllegalArgumentException("not a file mptcpstate persist writes: " + relative);
        }
    }

    /** Temporary file in the same directory, mode 0644, fsync, atomic rename, fsync of the directory. */
    static void writeAtomically(Path target, byte[] content) throws IOException {
        Path directory = target.getParent();
        Path temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
        try {
            Files.setPosixFilePermissions(temporary, FILE_MODE);
            try (FileChannel channel =
                    FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncDirectory(directory);
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Manifest readManifest() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(resolve(MANIFEST), StandardCharsets.UTF_8);
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
                    && Files.isRegularFile(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && hash.equals(sha256(Files.readAllBytes(target)));
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
