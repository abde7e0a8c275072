package org.mptcpstate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

@Command(name = "mptcpstate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Declarative desired-state configuration for Linux Multipath TCP.",
        subcommands = {ShowCommand.class, HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 failed, 2 changes pending, 64 usage, 65 invalid input,"
                + " 77 permission denied."})
public final class Main implements Callable<Integer> {
    final PrintStream out;
    final PrintStream err;

    @Spec
    CommandLine.Model.CommandSpec spec;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        int code = run(args, out, System.err);
        out.flush();
        System.exit(code);
    }

    /** Runs one command line in-process: the data goes to {@code out}, diagnostics to {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new Main(out, err));
        commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        commandLine.setExitCodeExceptionMapper(ExitCodes::of);
        commandLine.setExecutionExceptionHandler((failure, line, parsed) -> {
            line.getErr().println("mptcpstate: " + ExitCodes.message(failure));
            if (Boolean.getBoolean("mptcpstate.debug")) {
                failure.printStackTrace(line.getErr());
            }
            return ExitCodes.of(failure);
        });
        commandLine.setParameterExceptionHandler((failure, parsedArgs) -> {
            CommandLine line = failure.getCommandLine();
            line.getErr().println("mptcpstate: " + failure.getMessage());
            line.getErr().println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(err);
        return ExitCodes.USAGE;
    }
}
