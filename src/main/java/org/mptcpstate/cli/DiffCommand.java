package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.plan.Planner;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.Snapshot;

import java.util.ArrayList;
import java.util.List;

/** {@code diff FILE|-}: what apply would change, without writing anything. */
final class DiffCommand implements Command {
    static final OptionSpec JSON = new OptionSpec("--json", null, null, "Print the plan as JSON for bots.");

    static final CommandSpec SPEC = new CommandSpec(
            "diff",
            "Show what apply would change, one line per change and a unified diff; writes nothing.",
            List.of("Exit codes: 0 no changes, 2 changes pending, 65 invalid input, 1 other failure."),
            List.of(JSON, NamespaceOption.SPEC, WarningOutput.VERBOSE),
            StateInput.ONE_FILE);

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public ExitCode run(ParsedArguments arguments, Streams streams) throws Exception {
        return diff(arguments, arguments.has(JSON.longName()), streams);
    }

    /** Loads the file named first among the operands, reads the kernel meanwhile, and prints the plan. */
    static ExitCode diff(ParsedArguments arguments, boolean json, Streams streams) throws Exception {
        PendingQuery query = PendingQuery.start(arguments);
        boolean verbose = WarningOutput.verbose(arguments);
        DesiredState desired = StateInput.load(arguments.operands().get(0), streams.in(), streams.err(), verbose)
                .state();
        Snapshot current = query.get();
        Plan plan = Planner.plan(desired, current);
        List<Diagnostic> effects = new ArrayList<>(query.notices());
        effects.addAll(LiveSubflows.warnings(arguments, plan));
        return print(plan, effects, current, json, verbose, streams);
    }

    /** {@code effects}: warnings about what the plan does to the live namespace (the subflows it closes). */
    static ExitCode print(
            Plan plan, List<Diagnostic> effects, Snapshot current, boolean json, boolean verbose, Streams streams) {
        PlanPrinter.warnings(plan, verbose, streams.err());
        PlanPrinter.warnings(effects, verbose, streams.err());
        if (json) {
            PlanPrinter.json(plan, effects, verbose, streams.out());
        } else {
            PlanPrinter.text(plan, current, streams.out(), System.console() != null);
        }
        return plan.isEmpty() ? ExitCode.OK : ExitCode.CHANGES_PENDING;
    }
}
