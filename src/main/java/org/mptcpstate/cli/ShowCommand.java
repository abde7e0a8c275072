package org.mptcpstate.cli;

import org.mptcpstate.kernel.NetlinkKernel;
import org.mptcpstate.state.CurrentState;
import org.mptcpstate.state.NetworkState;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.StateWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "show", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Print the MPTCP state the kernel holds, as an nmstate-style YAML document.",
                "Every endpoint appears once: under its address, or under mptcp.endpoints."})
final class ShowCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Parameters(paramLabel = "IFNAME", arity = "0..*", description = "Only these interfaces (default: all).")
    List<String> names = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON instead of YAML.")
    boolean json;

    @Mixin
    NamespaceOption namespace;

    @Override
    public Integer call() throws Exception {
        Snapshot snapshot = namespace.call(() -> {
            try (NetlinkKernel kernel = NetlinkKernel.open()) {
                return kernel.query();
            }
        });
        Set<String> wanted = new LinkedHashSet<>(names);
        NetworkState state = CurrentState.of(snapshot, wanted);
        if (state.interfaces().size() < wanted.size()) {
            Set<String> missing = new LinkedHashSet<>(wanted);
            state.interfaces().forEach(iface -> missing.remove(iface.name()));
            throw new ExitCodes.CommandFailure(ExitCodes.FAILED, (missing.size() == 1 ? "no interface named "
                    : "no interfaces named ") + String.join(", ", missing) + " in this network namespace");
        }
        StateWriter.write(state, json ? StateWriter.Format.JSON : StateWriter.Format.YAML, main.out);
        return ExitCodes.OK;
    }
}
