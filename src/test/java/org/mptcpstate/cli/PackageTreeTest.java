package org.mptcpstate.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.persist.SystemdUnit;
import org.mptcpstate.testing.Netns;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The installed tree as the build stages it: man pages that groff (and mandoc, where installed) render without
 * a warning and that say what --help says, bash and zsh completion that offer the commands, options and values
 * the declarations have, the shipped unit, the launcher with its release. Staged from this checkout into a
 * temporary directory, with stand-in jars.
 */
class PackageTreeTest {
    private static final Path CHECKOUT = Path.of("").toAbsolutePath();
    private static final String VERSION = "9.8.7";

    @TempDir
    static Path dir;

    static Path root;

    @BeforeAll
    static void stage() throws IOException {
        Path build = Files.createDirectories(dir.resolve("build"));
        Files.writeString(build.resolve("mptcpstate.jar"), "a stand-in jar");
        Files.writeString(build.resolve("mptcpstate-training.jar"), "a stand-in training jar");
        root = dir.resolve("package-root");
        PackageTree.stage(CHECKOUT, build, root, VERSION, LocalDate.of(2026, 11, 30));
    }

    @Test
    void theTreeHasEveryInstalledFile() throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .forEach(p -> files.add(root.relativize(p).toString()));
        }
        assertThat(files)
                .contains(
                        "usr/bin/mptcpstate",
                        "usr/share/mptcpstate/mptcpstate.jar",
                        "usr/share/mptcpstate/mptcpstate-training.jar",
                        "usr/share/man/man8/mptcpstate.8.gz",
                        "usr/share/man/man5/mptcpstate.5.gz",
                        "usr/share/bash-completion/completions/mptcpstate",
                        "usr/share/zsh/vendor-completions/_mptcpstate",
                        "lib/systemd/system/mptcpstate.service",
                        "usr/share/doc/mptcpstate/copyright",
                        "usr/share/doc/mptcpstate/changelog.gz",
                        "usr/share/doc/mptcpstate/examples/client-three-interfaces.yml");
        String launcher = Files.readString(root.resolve("usr/bin/mptcpstate"));
        assertThat(launcher).contains("\nrelease=" + VERSION + "\n").doesNotContain("release=checkout");
        assertThat(launcher.replace("release=" + VERSION, "release=checkout"))
                .isEqualTo(Files.readString(CHECKOUT.resolve("mptcpstate")));
        assertThat(root.resolve("lib/systemd/system/mptcpstate.service"))
                .content()
                .isEqualTo(SystemdUnit.packaged(Path.of("/usr/bin/mptcpstate"), "/etc/mptcpstate/state.yml"))
                .contains("\nExecStart=/usr/bin/mptcpstate watch /etc/mptcpstate/state.yml\n")
                .contains("\nExecReload=/bin/kill -HUP $MAINPID\n");
    }

    // ---------------------------------------------------------------- man pages

    @Test
    void groffRendersBothManPagesWithoutAWarning() throws IOException {
        for (String page : List.of(PackageTree.MAN8, PackageTree.MAN5)) {
            Path source = unzipped(page);
            Netns.Result groff =
                    Netns.runAllowingFailure(List.of("groff", "-man", "-Tutf8", "-ww", "-z", source.toString()));
            // groff exits 0 even after a warning: stderr is what tells
            assertThat(groff.stderr()).as("groff on %s", page).isEmpty();
            assertThat(groff.exitCode()).isZero();
            if (onPath("mandoc")) {
                Netns.Result mandoc =
                        Netns.runAllowingFailure(List.of("mandoc", "-Tlint", "-Wwarning", source.toString()));
                assertThat(mandoc.stdout() + mandoc.stderr())
                        .as("mandoc -Tlint on %s", page)
                        .isEmpty();
                assertThat(mandoc.exitCode()).isZero();
            }
        }
    }

    /** The page says what --help says: each command's usage line, summary, and every option's description. */
    @Test
    void theCommandsPageSaysWhatHelpSays() throws IOException {
        String page = spaced(rendered(PackageTree.MAN8));
        for (CommandSpec command : Main.specs()) {
            String help = HelpText.command(Main.PROGRAM, command);
            String usage = help.substring("Usage: ".length(), help.indexOf(command.summary()));
            assertThat(page).contains(spaced(usage)).contains(spaced(command.summary()));
            for (OptionSpec option : command.options()) {
                assertThat(page)
                        .as("%s %s", command.name(), option.longName())
                        .contains(spaced(option.description().replace("`", "")));
            }
        }
        for (ExitCode exit : ExitCode.values()) {
            assertThat(page).contains(spaced(exit.code() + " " + exit.meaning().replace("`", "")));
        }
        assertThat(page).contains("connection.mptcp-flags disabled", "systemctl disable --now mptcpd");
    }

    @Test
    void theStateFilePageListsTheSchemasKeys() throws IOException {
        String page = spaced(rendered(PackageTree.MAN5));
        assertThat(page)
                .contains("mptcp.limits.subflows (integer, 0 to 8)")
                .contains("interfaces[].mptcp.address-flags (list of flags)")
                .contains("interfaces[].ipv6.address[].prefix-length (integer, 0 to 128)")
                .contains("mptcp.endpoints[].port (integer, 1 to 65535)")
                .contains("FILE:LINE:COLUMN: message");
    }

    // ---------------------------------------------------------------- completion

    @Test
    void bashCompletesCommandsOptionsAndValues() throws IOException {
        List<String> commands = new ArrayList<>();
        for (CommandSpec command : Main.specs()) {
            commands.add(command.name());
        }
        assertThat(bash("mptcpstate", "")).containsExactlyInAnyOrderElementsOf(commands);
        assertThat(bash("mptcpstate", "va")).containsExactly("validate");
        for (CommandSpec command : Main.specs()) {
            List<String> options = new ArrayList<>(List.of("--help"));
            for (OptionSpec option : command.options()) {
                options.add(option.longName());
            }
            assertThat(bash("mptcpstate", command.name(), "--"))
                    .as(command.name())
                    .containsExactlyInAnyOrderElementsOf(options);
        }
        try (Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
            List<String> interfaces = links.map(p -> p.getFileName().toString()).toList();
            assertThat(bash("mptcpstate", "show", "")).containsExactlyInAnyOrderElementsOf(interfaces);
        }
        assertThat(bash("mptcpstate", "apply", "/etc/hostn")).containsExactly("/etc/hostname");
        assertThat(bash("mptcpstate", "persist", "--root", "/et")).containsExactly("/etc");
        assertThat(bash("mptcpstate", "help", "che")).containsExactly("check");
        assertThat(bash("mptcpstate", "apply", "--lock-wait", "")).isEmpty();
        assertThat(bash("mptcpstate", "apply", "--lock-wait", "=", "")).isEmpty();
    }

    @Test
    void zshCompletesCommandsAndOptions() throws IOException {
        Assumptions.assumeTrue(onPath("zsh"), "zsh is not installed (.ci/run installs it)");
        Path script = CHECKOUT.resolve("src/test/resources/completion/zsh-complete.zsh");
        Path functions = root.resolve("usr/share/zsh/vendor-completions");
        List<String> commands = new ArrayList<>();
        for (CommandSpec command : Main.specs()) {
            commands.add(command.name());
        }
        java.util.Map<String, List<String>> offered =
                zsh(script, functions, "mptcpstate ", "mptcpstate apply --", "mptcpstate help ", "mptcpstate show ");
        assertThat(offered.get("mptcpstate ")).containsExactlyInAnyOrderElementsOf(commands);
        List<String> applyOptions = new ArrayList<>(List.of("--help"));
        for (CommandSpec command : Main.specs()) {
            if (command.name().equals("apply")) {
                command.options().forEach(option -> applyOptions.add(option.longName()));
            }
        }
        assertThat(applyOptions).contains("--dry-run", "--no-verify", "--lock-wait", "--netns");
        assertThat(offered.get("mptcpstate apply --")).containsExactlyInAnyOrderElementsOf(applyOptions);
        assertThat(offered.get("mptcpstate help ")).containsExactlyInAnyOrderElementsOf(commands);
        assertThat(offered.get("mptcpstate show ")).contains("lo");
    }

    @Test
    void aLabelWithoutACompletionKindFailsTheBuild() {
        assertThatThrownBy(() -> Completions.Kind.of("COLOUR"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("COLOUR");
    }

    // ---------------------------------------------------------------- helpers

    /** What bash's completion function offers for the words (the last one is being completed). */
    private static List<String> bash(String... words) {
        String harness = "source \"$1\" || exit 3; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1));"
                + " COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _mptcpstate;"
                + " complete -p mptcpstate >/dev/null || exit 4; printf '%s\\n' \"${COMPREPLY[@]}\"";
        List<String> command = new ArrayList<>(List.of(
                "bash",
                "--norc",
                "-c",
                harness,
                "bash",
                root.resolve(PackageTree.BASH).toString()));
        command.addAll(List.of(words));
        Netns.Result result = Netns.runAllowingFailure(command);
        assertThat(result.exitCode()).as("bash: %s", result.stderr()).isZero();
        return result.stdout().lines().filter(l -> !l.isEmpty()).toList();
    }

    /** What zsh's completion offers after typing each text and TAB, in one real interactive zsh. */
    private static java.util.Map<String, List<String>> zsh(Path script, Path functions, String... typed) {
        List<String> command = new ArrayList<>(List.of("zsh", "-f", script.toString(), functions.toString()));
        command.addAll(List.of(typed));
        Netns.Result result = Netns.runAllowingFailure(command);
        assertThat(result.exitCode()).as("zsh: %s", result.stderr()).isZero();
        java.util.Map<String, List<String>> offered = new java.util.HashMap<>();
        for (String text : typed) {
            offered.put(text, new ArrayList<>());
        }
        for (String line : result.stdout().split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                offered.get(line.substring(0, tab)).add(line.substring(tab + 1));
            }
        }
        return offered;
    }

    private static Path unzipped(String page) throws IOException {
        Path file = dir.resolve(Path.of(page).getFileName().toString().replace(".gz", ""));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(root.resolve(page)))) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    /** The page as groff lays it out in plain text, on lines long enough not to break the usage lines. */
    private static String rendered(String page) throws IOException {
        Netns.Result groff = Netns.runAllowingFailure(List.of(
                "groff",
                "-man",
                "-Tascii",
                "-rLL=250n",
                "-P-cbou",
                unzipped(page).toString()));
        assertThat(groff.exitCode()).isZero();
        return groff.stdout();
    }

    private static String spaced(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    private static boolean onPath(String program) {
        for (String directory :
                System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }
}
