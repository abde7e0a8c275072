package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.Printable;
import org.mptcpstate.state.WarningSummary;
import tools.jackson.core.JsonGenerator;

import java.io.PrintStream;
import java.util.List;

/**
 * How warnings are printed: one line each on stderr, {@code mptcpstate: warning: FILE:LINE:COLUMN: message [code]}
 * (a summary of many places names the file alone), or one JSON object each ({@code code}, {@code message},
 * {@code file}, {@code line}, {@code column}, each present when known). Routine kinds (link-local addresses
 * skipped, nmstate keys ignored, ...) are summarised in one line per kind unless --verbose is given.
 */
final class WarningOutput {
    /** The option of every command that prints warnings. */
    static final OptionSpec VERBOSE = new OptionSpec(
            "--verbose",
            null,
            null,
            "List each routine warning (link-local and loopback addresses skipped, nmstate keys ignored, ...)"
                    + " instead of one summary line per kind.");

    private WarningOutput() {}

    static boolean verbose(ParsedArguments arguments) {
        return arguments.has(VERBOSE.longName());
    }

    /** The warnings as stderr lines, routine kinds summarised unless {@code verbose}. */
    static void text(List<Diagnostic> warnings, boolean verbose, PrintStream err) {
        for (Diagnostic warning : WarningSummary.of(warnings, verbose)) {
            err.println(Main.PROGRAM + ": warning: " + Printable.of(warning.toString()));
        }
    }

    /** One warning as the fields of a JSON object: code, message, file, line, column (those that are known). */
    static void fields(JsonGenerator g, Diagnostic warning) {
        if (warning.code() != null) {
            g.writeStringProperty("code", warning.code());
        }
        g.writeStringProperty("message", warning.message());
        if (warning.position() != null) {
            g.writeStringProperty("file", warning.position().file());
            if (!warning.position().isWholeFile()) {
                g.writeNumberProperty("line", warning.position().line());
                g.writeNumberProperty("column", warning.position().column());
            }
        }
    }
}
