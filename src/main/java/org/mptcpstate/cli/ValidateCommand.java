package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.PositionalSpec;
import org.mptcpstate.state.InvalidStateException;
import org.mptcpstate.state.Printable;

import java.util.List;

/** {@code validate FILE...}: offline checks of state files; no kernel access. */
final class ValidateCommand implements Command {
    static final CommandSpec SPEC = new CommandSpec(
            "validate",
            "Check state files without touching the kernel.",
            List.of("Reports every problem as FILE:LINE:COLUMN: message; exits 65 when any file is invalid."),
            List.of(WarningOutput.VERBOSE),
            new PositionalSpec("FILE", 1, PositionalSpec.UNBOUNDED, "State files (YAML or JSON), - for stdin."));

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
        ExitCode code = ExitCode.OK;
        for (String file : arguments.operands()) {
            try {
                StateInput.load(file, streams.in(), streams.err(), WarningOutput.verbose(arguments));
                streams.out().println(Printable.of(file) + ": valid");
            } catch (InvalidStateException e) {
                streams.err().println(Printable.lines(e.getMessage()));
                code = ExitCode.INVALID_INPUT;
            } catch (Failures.CommandFailure e) {
                streams.err().println(Main.PROGRAM + ": " + Printable.of(e.getMessage()));
                code = ExitCode.INVALID_INPUT;
            }
        }
        return code;
    }
}
