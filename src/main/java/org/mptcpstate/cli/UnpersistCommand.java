package org.mptcpstate.cli;

import org.mptcpstate.persist.Installation;
import org.mptcpstate.persist.SystemdUnit;

import java.nio.file.Path;
import java.util.List;

/** {@code unpersist}: removes exactly the files persist wrote (as its manifest records them, unchanged). */
final class UnpersistCommand implements Command {
    private static final CommandSpec.OptionSpec ROOT =
            new CommandSpec.OptionSpec("--root", null, "DIR", "Remove what persist --root DIR installed (default: /).");
    static final CommandSpec SPEC = new CommandSpec(
            "unpersist",
            "Remove the files persist installed; files changed since are left in place.",
            List.of("Run `systemctl disable --now mptcpstate.service` first (it prints that again)."),
            List.of(ROOT),
            null);

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
        Installation installation = new Installation(Path.of(PersistCommand.rootOf(arguments)));
        Installation.Result result;
        try {
            if (!installation.persisted()) {
                streams.err()
                        .println(Main.PROGRAM + ": nothing to remove: no "
                                + installation.resolve(Installation.MANIFEST));
                return ExitCode.OK;
            }
            result = installation.uninstall();
        } catch (Installation.RefusedException e) {
            throw new Failures.CommandFailure(e.permission() ? ExitCode.PERMISSION : ExitCode.FAILED, e.getMessage());
        }
        for (String kept : result.kept()) {
            streams.err().println(Main.PROGRAM + ": warning: " + kept);
        }
        for (Path path : result.removed()) {
            streams.out().println("removed " + path);
        }
        streams.out().println("To stop the service and forget it, run:");
        streams.out().println("  systemctl disable --now " + SystemdUnit.NAME);
        streams.out().println("  systemctl daemon-reload");
        return ExitCode.OK;
    }
}
