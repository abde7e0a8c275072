package org.mptcpstate;

import org.junit.jupiter.api.Test;
import org.mptcpstate.cli.ExitCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository keeps its shape: the README is a front door, every link in the docs resolves, the exit-code
 * table in the docs is the one generated from {@link ExitCode}, no product source file grows past 500 lines, and
 * no file names the directory it was built in. Runs from the checkout's root (Maven's working directory).
 */
class RepositoryTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String BEGIN = "<!-- exit-codes: generated from org.mptcpstate.cli.ExitCode; do not edit -->";
    private static final String END = "<!-- end of exit-codes -->";
    /** A Markdown link or image: [text](target) with a relative target; code spans are removed first. */
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void theReadmeIsAFrontDoorOfAtMost300Lines() throws IOException {
        assertThat(Files.readAllLines(ROOT.resolve("README.md"))).hasSizeLessThanOrEqualTo(300);
    }

    /**
     * docs/commands.md holds the table {@link ExitCode#markdownTable()} makes. When the table changes, run the test
     * with -Dmptcpstate.updateDocs=true once to write it there.
     */
    @Test
    void theExitCodeTableOfTheDocsIsGeneratedFromTheCode() throws IOException {
        Path file = ROOT.resolve("docs/commands.md");
        String text = Files.readString(file);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("the begin marker in " + file).isNotNegative();
        assertThat(end).as("the end marker after it").isGreaterThan(begin);
        String generated = ExitCode.markdownTable();
        String current = text.substring(begin + BEGIN.length() + 1, end);
        if (Boolean.getBoolean("mptcpstate.updateDocs") && !current.equals(generated)) {
            Files.writeString(file, text.substring(0, begin + BEGIN.length() + 1) + generated + text.substring(end));
            current = generated;
        }
        assertThat(current)
                .as("docs/commands.md's exit codes (-Dmptcpstate.updateDocs=true rewrites them)")
                .isEqualTo(generated);
    }

    @Test
    void everyRelativeLinkInTheDocsResolves() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        int links = 0;
        for (Path page : pages) {
            String text = withoutCode(Files.readString(page));
            Matcher matcher = LINK.matcher(text);
            while (matcher.find()) {
                String target = matcher.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // https:, mailto:
                }
                links++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path resolved =
                        file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such file)");
                } else if (hash >= 0
                        && resolved.toString().endsWith(".md")
                        && !anchors(Files.readString(resolved)).contains(target.substring(hash + 1))) {
                    broken.add(ROOT.relativize(page) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(links).as("links found").isGreaterThan(20);
        assertThat(broken).as("broken links").isEmpty();
    }

    @Test
    void noProductSourceFileIsOver500Lines() throws IOException {
        List<String> long_ = new ArrayList<>();
        try (Stream<Path> files = Files.walk(ROOT.resolve("src/main"))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                int lines = Files.readAllLines(file, StandardCharsets.UTF_8).size();
                if (lines > 500) {
                    long_.add(ROOT.relativize(file) + ": " + lines);
                }
            }
        }
        assertThat(long_).isEmpty();
    }

    /** A path of the machine a file was written on (this checkout, or its parent directory) never lands in it. */
    @Test
    void noFileNamesTheDirectoryItWasBuiltIn() throws IOException {
        String checkout = ROOT.toString() + "/";
        // the parent too (a sibling worktree), unless it is a directory everyone shares, where a path in the
        // docs (a scratch directory under /tmp, say) is an example rather than a leak
        String parent = ROOT.getParent() == null
                        || List.of("/", "/tmp", "/var/tmp", "/home")
                                .contains(ROOT.getParent().toString())
                ? null
                : ROOT.getParent().toString() + "/";
        List<String> found = new ArrayList<>();
        for (String top : List.of(
                "README.md",
                "CONTRIBUTING.md",
                "docs",
                "examples",
                "schemas",
                "src",
                "bench",
                "pom.xml",
                "mptcpstate",
                "ansible",
                ".ci")) {
            Path start = ROOT.resolve(top);
            if (!Files.exists(start)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(start)) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    byte[] bytes = Files.readAllBytes(file);
                    String text = new String(bytes, StandardCharsets.ISO_8859_1);
                    if (text.contains(checkout) || (parent != null && text.contains(parent))) {
                        found.add(ROOT.relativize(file).toString());
                    }
                }
            }
        }
        assertThat(found).as("files naming " + checkout).isEmpty();
    }

    /** Fenced code blocks and inline code removed: links inside them are examples, not links. */
    private static String withoutCode(String markdown) {
        return markdown.replaceAll("(?s)```.*?```", "").replaceAll("`[^`\n]*`", "");
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
    private static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        for (String line : markdown.replaceAll("(?s)```.*?```", "").split("\n")) {
            if (!line.startsWith("#")) {
                continue;
            }
            String heading = line.replaceFirst("^#+\\s*", "").trim().toLowerCase(Locale.ROOT);
            String slug = heading.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            String candidate = slug;
            for (int n = 1; !anchors.add(candidate); n++) {
                candidate = slug + "-" + n;
            }
        }
        return anchors;
    }
}
