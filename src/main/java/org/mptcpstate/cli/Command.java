package org.mptcpstate.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** One subcommand: its declared arguments and what it does with them. */
interface Command {
    CommandSpec spec();

    /** Runs the command; returns its exit code or throws, and {@link Failures} maps what it throws. */
    ExitCode run(ParsedArguments arguments, Streams streams) throws Exception;

    /** Whether the command talks to the kernel: then the native binding is loaded while its arguments are read. */
    default boolean usesKernel() {
        return true;
    }

    /** Standard input (for "-"), standard output for data, standard error for diagnostics. */
    record Streams(InputStream in, PrintStream out, PrintStream err) {}
}
