package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.cli.CommandSpec.PositionalSpec;
import org.mptcpstate.document.ShowWriter;
import org.mptcpstate.state.ShowDocument;
import org.mptcpstate.state.Snapshot;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code show}: the kernel's MPTCP state as an nmstate-style document. */
final class ShowCommand implements Command {
    private static final OptionSpec JSON = new OptionSpec("--json", null, null, "Print JSON instead of YAML.");

    static final CommandSpec SPEC = new CommandSpec(
            "show",
            "Print the MPTCP state the kernel holds, as an nmstate-style YAML document.",
            List.of("Every endpoint appears once: under its address, or under mptcp.endpoints."),
            List.of(JSON, NamespaceOption.SPEC),
            new PositionalSpec("IFNAME", 0, PositionalSpec.UNBOUNDED, "Only these interfaces (default: all)."));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public ExitCode run(ParsedArguments arguments, Streams streams) throws Exception {
        // The writer's classes initialise on the second core while JNA loads and the kernel is read.
        Thread warmUp = new Thread(new WriterWarmUp(), "writer warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
        Snapshot snapshot = NamespaceOption.query(arguments);
        Set<String> wanted = new LinkedHashSet<>(arguments.operands());
        ShowDocument state = ShowDocument.of(snapshot, wanted);
        if (state.interfaces().size() < wanted.size()) {
            Set<String> missing = new LinkedHashSet<>(wanted);
            state.interfaces().forEach(iface -> missing.remove(iface.name()));
            throw new Failures.CommandFailure(
                    ExitCode.FAILED,
                    (missing.size() == 1 ? "no interface named " : "no interfaces named ") + String.join(", ", missing)
                            + " in this network namespace");
        }
        warmUp.join();
        ShowWriter.write(
                state, arguments.has(JSON.longName()) ? ShowWriter.Format.JSON : ShowWriter.Format.YAML, streams.out());

        return ExitCode.OK;
    }

    private static final class WriterWarmUp implements Runnable {
        @Override
        public void run() {
            ShowWriter.warmUp();
        }
    }
}
