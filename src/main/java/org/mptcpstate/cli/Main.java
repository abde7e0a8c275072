package org.mptcpstate.cli;

import org.mptcpstate.cli.ArgumentParser.UsageException;
import org.mptcpstate.cli.CommandSpec.PositionalSpec;
import org.mptcpstate.kernel.NetlinkKernel;
import org.mptcpstate.state.Printable;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The command line: picks the command, parses its arguments, runs it and turns what it throws into one line
 * on stderr and an exit code ({@link ExitCode}, {@link Failures}). A stack trace only with -Dmptcpstate.debug=true.
 */
public final class Main {
    static final String PROGRAM = "mptcpstate";
    private static final String SUMMARY = "Declarative desired-state configuration for Linux Multipath TCP.";
    private static final CommandSpec HELP = new CommandSpec(
            "help",
            "Display help information about the specified command.",
            List.of(),
            List.of(),
            new PositionalSpec("COMMAND", 0, 1, "The command to describe."));
    private static final List<Command> COMMANDS = List.of(
            new ShowCommand(),
            new DiffCommand(),
            new ApplyCommand(),
            new ValidateCommand(),
            new WatchCommand(),
            new PersistCommand(),
            new UnpersistCommand(),
            new MonitorCommand(),
            new CheckCommand());

    private Main() {}

    public static void main(String[] args) {
        PrintStream out = CheckedOutput.of(new FileOutputStream(FileDescriptor.out), false);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.out.flush();
        System.err.flush();
        // halt, not exit: from Java 21 on, Runtime.exit first looks up a System.Logger for its exit event (about
        // 15 ms on a Java 25 hello-world, measured); no shutdown hook has anything to do once a command returned
        Runtime.getRuntime().halt(code);
    }

    /** Runs one command line in-process: data goes to {@code out}, diagnostics to {@code err}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /**
     * As {@link #run(String[], PrintStream, PrintStream)}, reading "-" from {@code in}. Output that could not be
     * written all (a full disk, a closed pipe) makes a run that went well exit 1 with "write error: REASON".
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        int code = runCommand(args, in, out, err);
        String failure = CheckedOutput.writeFailure(out);
        if (failure != null && (code == ExitCode.OK.code() || code == ExitCode.CHANGES_PENDING.code())) {
            err.println(PROGRAM + ": write error: " + failure);
            err.flush();
            return ExitCode.FAILED.code();
        }
        return code;
    }

    private static int runCommand(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Command.Streams streams = new Command.Streams(in, out, err);
        try {
            return dispatch(args, streams).code();
        } catch (UsageException e) {
            if (ErrorJson.requested(args)) {
                ErrorJson.write(e, ExitCode.USAGE, out);
                return ExitCode.USAGE.code();
            }
            err.println(PROGRAM + ": " + Printable.of(e.getMessage()));
            err.println("Try '" + PROGRAM
                    + (e.command() == null ? "" : " " + e.command().name()) + " --help' for more information.");
            return ExitCode.USAGE.code();
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            if (ErrorJson.requested(args)) {
                ErrorJson.write(e, Failures.exitCode(e), out);
                return Failures.exitCode(e).code();
            }
            err.println(PROGRAM + ": " + Printable.lines(Failures.message(e)));
            if (Boolean.getBoolean("mptcpstate.debug")) {
                e.printStackTrace(err);
            }
            return Failures.exitCode(e).code();
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static ExitCode dispatch(String[] args, Command.Streams streams) throws Exception {
        if (args.length == 0) {
            streams.err().print(programHelp());
            return ExitCode.USAGE;
        }
        String first = args[0];
        switch (first) {
            case "-h", "--help" -> {
                streams.out().print(programHelp());
                return ExitCode.OK;
            }
            case "-V", "--version" -> {
                streams.out().print(Version.text());
                return ExitCode.OK;
            }
            case "help" -> {
                ParsedArguments parsed =
                        ArgumentParser.parse(HELP, Arrays.asList(args).subList(1, args.length));
                if (parsed.operands().isEmpty() || parsed.has(ArgumentParser.HELP)) {
                    streams.out().print(parsed.operands().isEmpty() ? programHelp() : HelpText.command(PROGRAM, HELP));
                    return ExitCode.OK;
                }
                streams.out()
                        .print(HelpText.command(
                                PROGRAM, command(parsed.operands().get(0)).spec()));
                return ExitCode.OK;
            }
            default -> {
                if (first.startsWith("-")) {
                    throw new UsageException(null, "Unknown option: '" + first + "'");
                }
            }
        }
        Command command = command(first);
        if (command.usesKernel()) {
            NetlinkKernel.prepare();
        }
        ParsedArguments parsed =
                ArgumentParser.parse(command.spec(), Arrays.asList(args).subList(1, args.length));
        if (parsed.has(ArgumentParser.HELP)) {
            streams.out().print(HelpText.command(PROGRAM, command.spec()));
            return ExitCode.OK;
        }
        return command.run(parsed, streams);
    }

    private static Command command(String name) {
        for (Command command : COMMANDS) {
            if (command.spec().name().equals(name)) {
                return command;
            }
        }
        throw new UsageException(null, "Unknown command: '" + name + "'");
    }

    /** Every command's declaration, help last: what --help, the man page and the completions are made from. */
    static List<CommandSpec> specs() {
        List<CommandSpec> specs = new java.util.ArrayList<>();
        for (Command command : COMMANDS) {
            specs.add(command.spec());
        }
        specs.add(HELP);
        return specs;
    }

    /** The one-line description of the program, as --help starts. */
    static String summary() {
        return SUMMARY;
    }

    private static String programHelp() {
        List<CommandSpec> specs = specs();
        List<String> footer = new java.util.ArrayList<>();
        footer.add("");
        footer.addAll(ExitCode.helpLines());
        return HelpText.program(PROGRAM, SUMMARY, specs, footer);
    }
}
