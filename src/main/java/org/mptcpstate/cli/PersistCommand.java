package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.document.LoadedState;
import org.mptcpstate.persist.Installation;
import org.mptcpstate.persist.SystemdUnit;
import org.mptcpstate.persist.TrustedLauncher;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.Printable;
import org.mptcpstate.state.WarningCode;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code persist FILE}: installs a validated state file as /etc/mptcpstate/state.yml with a systemd unit that
 * keeps it applied ({@code mptcpstate watch}) and, when the file sets mptcp.enabled, a sysctl.d file. Never
 * starts a service: it prints the systemctl commands to run.
 */
final class PersistCommand implements Command {
    static final OptionSpec ROOT =
            new OptionSpec("--root", null, "DIR", "Install under DIR instead of / (for images and tests).");
    static final OptionSpec EXEC = new OptionSpec(
            "--exec",
            null,
            "PATH",
            "The mptcpstate launcher the unit runs (default: the one that goes with the running jar: a"
                    + " checkout's ./mptcpstate, or the package's /usr/bin/mptcpstate, whose shipped unit"
                    + " then runs the file and no unit is written).");
    /** Where the package installs the launcher: its shipped unit ({@link SystemdUnit#packaged}) runs it. */
    static final Path PACKAGED_LAUNCHER = Path.of("/usr/bin/mptcpstate");
    /** The shipped unit, relative to the root. */
    static final String PACKAGED_UNIT = "lib/systemd/system/" + SystemdUnit.NAME;

    static final CommandSpec SPEC = new CommandSpec(
            "persist",
            "Install a state file and a systemd unit that keeps it applied across reboots.",
            List.of(
                    "Writes DIR/etc/mptcpstate/state.yml, DIR/etc/systemd/system/mptcpstate.service",
                    "(not with the package's /usr/bin/mptcpstate: its shipped unit runs the file)",
                    "and, when the file sets mptcp.enabled, DIR/etc/sysctl.d/90-mptcpstate.conf;",
                    "records them in DIR/etc/mptcpstate/persisted.manifest for unpersist.",
                    "Starts nothing: prints the systemctl commands to run."),
            List.of(ROOT, EXEC, WarningOutput.VERBOSE),
            StateInput.ONE_FILE);

    @Override
    public boolean usesKernel() {
        return false;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public ExitCode run(ParsedArguments arguments, Streams streams) {
        Path launcher = launcher(arguments.value(EXEC.longName()));
        List<String> caveats;
        try {
            caveats = TrustedLauncher.check(launcher);
        } catch (TrustedLauncher.UntrustedException e) {
            throw new Failures.CommandFailure(ExitCode.FAILED, e.getMessage());
        }
        // the file first: a file with problems must not be preceded by warnings about the launcher
        ExitCode code = persist(arguments, streams, launcher);
        for (String caveat : caveats) {
            streams.err()
                    .println(Main.PROGRAM + ": warning: " + Printable.of(caveat) + " ["
                            + WarningCode.EXEC_UNDER_STICKY_DIRECTORY.code() + "]");
        }
        return code;
    }

    /** Persists for {@code launcher}: the package's own gets no unit, as its shipped unit runs the file. */
    static ExitCode persist(ParsedArguments arguments, Streams streams, Path launcher) {
        String name = arguments.operands().get(0);
        byte[] content = StateInput.read(name, streams.in());
        LoadedState loaded = StateInput.load(name, content, streams.err(), WarningOutput.verbose(arguments));
        boolean shippedUnit = PACKAGED_LAUNCHER.equals(launcher);
        Installation installation = new Installation(Path.of(rootOf(arguments)));

        List<Installation.FileContent> files = new ArrayList<>();
        files.add(new Installation.FileContent(Installation.STATE_FILE, content));
        DesiredState.Mptcp mptcp = loaded.state().mptcp();
        if (mptcp != null && mptcp.enabled() != null) {
            files.add(new Installation.FileContent(
                    Installation.SYSCTL_FILE,
                    ("# Written by `mptcpstate persist` from /" + Installation.STATE_FILE + "\n"
                                    + "net.mptcp.enabled = " + (mptcp.enabled() ? 1 : 0) + "\n")
                            .getBytes(StandardCharsets.UTF_8)));
        }
        if (!shippedUnit) {
            String unit;
            try {
                unit = SystemdUnit.text(launcher, "/" + Installation.STATE_FILE);
            } catch (SystemdUnit.UnsafeValueException e) {
                throw new Failures.CommandFailure(ExitCode.USAGE, e.getMessage());
            }
            files.add(new Installation.FileContent(Installation.UNIT_FILE, unit.getBytes(StandardCharsets.UTF_8)));
        }

        Installation.Result result = install(installation, files);
        for (String fixed : result.fixed()) {
            streams.err()
                    .println(Main.PROGRAM + ": warning: " + Printable.of(fixed) + " ["
                            + WarningCode.STATE_DIRECTORY_MODE.code() + "]");
        }
        for (String kept : result.kept()) {
            streams.err().println(Main.PROGRAM + ": warning: " + Printable.of(kept));
        }
        for (Installation.FileContent file : files) {
            Path path = installation.resolve(file.path());
            streams.out().println((result.unchanged().contains(path) ? "unchanged " : "wrote ") + path);
        }
        for (Path path : result.removed()) {
            streams.out().println("removed " + path);
        }
        if (shippedUnit && !Files.exists(installation.resolve(PACKAGED_UNIT))) {
            streams.err()
                    .println(Main.PROGRAM + ": warning: " + installation.resolve(PACKAGED_UNIT)
                            + " is missing: the mptcpstate package installs it, and it runs the state file");
        }
        streams.out()
                .println(
                        shippedUnit
                                ? "Nothing was started. The package's " + SystemdUnit.NAME + " runs /"
                                        + Installation.STATE_FILE + "; to apply it now and at every boot, run:"
                                : "Nothing was started. To apply it now and at every boot, run:");
        streams.out().println("  systemctl daemon-reload");
        streams.out().println("  systemctl enable --now " + SystemdUnit.NAME);
        if (shippedUnit) {
            streams.out().println("When it runs already, systemctl reload " + SystemdUnit.NAME + " re-reads the file.");
        }
        return ExitCode.OK;
    }

    static String rootOf(ParsedArguments arguments) {
        String root = arguments.value(ROOT.longName());
        return root == null ? "/" : root;
    }

    static Installation.Result install(Installation installation, List<Installation.FileContent> files) {
        try {
            return installation.install(files);
        } catch (Installation.RefusedException e) {
            throw new Failures.CommandFailure(e.permission() ? ExitCode.PERMISSION : ExitCode.FAILED, e.getMessage());
        }
    }

    /** --exec, or the launcher that goes with the running jar ({@link #launcherFor}). */
    private static Path launcher(String exec) {
        if (exec != null) {
            try {
                SystemdUnit.checkValue("--exec " + Printable.of(exec), exec);
            } catch (SystemdUnit.UnsafeValueException e) {
                throw new Failures.CommandFailure(ExitCode.USAGE, e.getMessage());
            }
            Path path = Path.of(exec).toAbsolutePath().normalize();
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new Failures.CommandFailure(
                        ExitCode.USAGE, "--exec " + Printable.of(exec) + ": not an executable file");
            }
            try {
                // the unit names the file itself: a symbolic link could be pointed elsewhere later
                return path.toRealPath();
            } catch (java.io.IOException e) {
                throw new Failures.CommandFailure(
                        ExitCode.USAGE, "--exec " + Printable.of(exec) + ": " + e.getMessage());
            }
        }
        Path code;
        try {
            code = Path.of(PersistCommand.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException | RuntimeException e) {
            code = null;
        }
        Path script = code == null ? null : launcherFor(code);
        if (script == null) {
            throw new Failures.CommandFailure(
                    ExitCode.FAILED,
                    "cannot find the mptcpstate launcher next to " + code + "; give its path with --exec PATH");
        }
        try {
            return script.toRealPath();
        } catch (java.io.IOException e) {
            throw new Failures.CommandFailure(ExitCode.FAILED, script + ": " + e.getMessage());
        }
    }

    /**
     * The launcher that goes with a jar (or classes directory), when it is there and executable: PREFIX/bin/mptcpstate
     * for an installed PREFIX/share/mptcpstate/mptcpstate.jar, else a checkout's ./mptcpstate for its
     * target/mptcpstate.jar or target/classes; null otherwise.
     */
    static Path launcherFor(Path code) {
        Path directory = code.toAbsolutePath().normalize().getParent();
        if (directory == null || directory.getParent() == null) {
            return null;
        }
        Path parent = directory.getParent();
        boolean installed = directory.getFileName().toString().equals("mptcpstate")
                && parent.getFileName() != null
                && parent.getFileName().toString().equals("share")
                && parent.getParent() != null;
        Path script =
                installed ? parent.getParent().resolve("bin").resolve("mptcpstate") : parent.resolve("mptcpstate");
        return Files.isRegularFile(script) && Files.isExecutable(script) ? script : null;
    }
}
