package org.mptcpstate.cli;

import java.io.PrintStream;

/** One subcommand: its declared arguments and what it does with them. */
interface Command {
    CommandSpec spec();

    /** Runs the command; returns its exit code or throws, and {@link ExitCodes} maps what it throws. */
    int run(ParsedArguments arguments, Streams streams) throws Exception;

    /** Standard output carries data, standard error diagnostics. */
    record Streams(PrintStream out, PrintStream err) {
    }
}
