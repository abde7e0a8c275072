package org.mptcpstate.cli;

import org.mptcpstate.persist.Installation;
import org.mptcpstate.persist.SystemdUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code PackageTree CHECKOUT BUILD-DIR VERSION DATE}: stages the installed tree in BUILD-DIR/package-root, from
 * which the build makes the .deb and the tar.gz. Run by Maven at package time, after the jars are built. It
 * writes the launcher (the checkout's ./mptcpstate with its release filled in), the jars, the man pages and
 * the shell completions generated from the command declarations, the shipped systemd unit, the copyright,
 * changelog and examples. It runs with the tests' class path and is not part of the product jar.
 */
public final class PackageTree {
    static final String LAUNCHER = "usr/bin/mptcpstate";
    static final String LIBRARY = "usr/share/mptcpstate";
    static final String MAN8 = "usr/share/man/man8/mptcpstate.8.gz";
    static final String MAN5 = "usr/share/man/man5/mptcpstate.5.gz";
    static final String BASH = "usr/share/bash-completion/completions/mptcpstate";
    static final String ZSH = "usr/share/zsh/vendor-completions/_mptcpstate";
    static final String UNIT = PersistCommand.PACKAGED_UNIT;
    static final String DOC = "usr/share/doc/mptcpstate";
    /** The example file the section-5 page shows. */
    static final String EXAMPLE = "examples/client-three-interfaces.yml";

    private PackageTree() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: PackageTree CHECKOUT BUILD-DIR VERSION DATE");
            System.exit(64);
        }
        Path checkout = Path.of(args[0]);
        Path build = Path.of(args[1]);
        stage(checkout, build, build.resolve("package-root"), args[2], LocalDate.parse(args[3]));
    }

    static void stage(Path checkout, Path build, Path root, String version, LocalDate date) throws IOException {
        deleteTree(root);
        write(root.resolve(LAUNCHER), launcher(Files.readString(checkout.resolve("mptcpstate")), version));
        for (String jar : List.of("mptcpstate.jar", "mptcpstate-training.jar")) {
            copy(build.resolve(jar), root.resolve(LIBRARY).resolve(jar));
        }
        List<CommandSpec> commands = Main.specs();
        gzip(root.resolve(MAN8), ManPages.program(commands, version, date.toString()));
        JsonNode schema = new ObjectMapper()
                .readTree(checkout.resolve("schemas/mptcpstate.schema.json").toFile());
        String example = Files.readString(checkout.resolve(EXAMPLE));
        gzip(root.resolve(MAN5), ManPages.stateFile(schema, example, version, date.toString()));
        write(root.resolve(BASH), Completions.bash(commands));
        write(root.resolve(ZSH), Completions.zsh(commands));
        write(
                root.resolve(UNIT),
                SystemdUnit.packaged(PersistCommand.PACKAGED_LAUNCHER, "/" + Installation.STATE_FILE));
        copy(checkout.resolve("src/package/copyright"), root.resolve(DOC).resolve("copyright"));
        gzip(root.resolve(DOC).resolve("changelog.gz"), changelog(version, date));
        try (Stream<Path> examples = Files.list(checkout.resolve("examples"))) {
            for (Path file : (Iterable<Path>) examples.sorted()::iterator) {
                copy(file, root.resolve(DOC).resolve("examples").resolve(file.getFileName()));
            }
        }
        copy(checkout.resolve("src/package/lintian-overrides"), root.resolve("usr/share/lintian/overrides/mptcpstate"));
    }

    /** The checkout's launcher with the release filled in: its cache names carry it. */
    static String launcher(String script, String version) {
        String marker = "\nrelease=checkout\n";
        int at = script.indexOf(marker);
        if (at < 0 || script.indexOf(marker, at + 1) >= 0) {
            throw new IllegalStateException("the launcher must have one line release=checkout");
        }
        return script.substring(0, at) + "\nrelease=" + version + "\n" + script.substring(at + marker.length());
    }

    /** A native package's changelog: one entry for the release (Debian's format, date as RFC 5322). */
    static String changelog(String version, LocalDate date) {
        String when = DateTimeFormatter.RFC_1123_DATE_TIME
                .format(date.atStartOfDay(ZoneOffset.UTC))
                .replace("GMT", "+0000");
        return "mptcpstate (" + version + ") unstable; urgency=medium\n\n"
                + "  * Release " + version + ".\n\n"
                + " -- mptcpstate developers <mptcpstate@example.org>  " + when + "\n";
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    /** As {@code gzip -9n}: best compression, no name and no time in the header (lintian checks both). */
    static void gzip(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BestGzip out = new BestGzip(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        byte[] data = bytes.toByteArray();
        data[8] = 2; // XFL: maximum compression, as gzip -9 writes it
        data[9] = 3; // OS: Unix
        Files.write(file, data);
    }

    private static final class BestGzip extends java.util.zip.GZIPOutputStream {
        BestGzip(ByteArrayOutputStream out) throws IOException {
            super(out);
            def.setLevel(java.util.zip.Deflater.BEST_COMPRESSION);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
