package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.document.LoadedState;
import org.mptcpstate.document.SavedShowLoader;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.plan.Planner;
import org.mptcpstate.plan.Simulation;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.Snapshot;
import org.mptcpstate.state.WarningSummary;

import java.util.ArrayList;
import java.util.List;

/** {@code diff FILE|-}: what apply would change, without writing anything. */
final class DiffCommand implements Command {
    static final OptionSpec JSON = new OptionSpec(
            "--json",
            null,
            null,
            "Print one JSON document: the changes with old and new values, warnings with codes, and the state"
                    + " before and after. Errors are JSON too.");

    static final OptionSpec CURRENT = new OptionSpec(
            "--current",
            null,
            "FILE",
            "Plan against this saved `show` document (YAML or JSON) instead of the kernel: offline, no"
                    + " privileges, for reviewing a change away from the host.");

    static final CommandSpec SPEC = new CommandSpec(
            "diff",
            "Show what apply would change, one line per change and a unified diff; writes nothing.",
            List.of("Exit codes: 0 no changes, 2 changes pending, 65 invalid input, 1 other failure."),
            List.of(JSON, CURRENT, NamespaceOption.SPEC, WarningOutput.VERBOSE),
            StateInput.ONE_FILE);

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public ExitCode run(ParsedArguments arguments, Streams streams) throws Exception {
        String saved = arguments.value(CURRENT.longName());
        if (saved != null) {
            return offline(saved, arguments, arguments.has(JSON.longName()), streams);
        }
        return diff(arguments, arguments.has(JSON.longName()), streams);
    }

    /**
     * {@code --current SAVED}: the plan against a saved show document; no kernel, no /run/mptcpstate, no live
     * subflows are read (what needs the kernel's facts comes from the document).
     */
    private static ExitCode offline(String saved, ParsedArguments arguments, boolean json, Streams streams) {
        if (arguments.value(NamespaceOption.SPEC.longName()) != null) {
            throw new ArgumentParser.UsageException(SPEC, "--current and --netns exclude each other");
        }
        String file = arguments.operands().get(0);
        if ("-".equals(saved) && "-".equals(file)) {
            throw new ArgumentParser.UsageException(SPEC, "--current and FILE cannot both be - (standard input)");
        }
        boolean verbose = WarningOutput.verbose(arguments);
        Snapshot current = SavedShowLoader.load(saved, StateInput.read(saved, streams.in()));
        LoadedState loaded = load(file, json, verbose, streams);
        Plan plan = Planner.plan(loaded.state(), current);
        return print(plan, loaded.warnings(), List.of(), current, json, verbose, streams);
    }

    /** Loads the file named first among the operands, reads the kernel meanwhile, and prints the plan. */
    static ExitCode diff(ParsedArguments arguments, boolean json, Streams streams) throws Exception {
        PendingQuery query = PendingQuery.start(arguments);
        boolean verbose = WarningOutput.verbose(arguments);
        LoadedState loaded = load(arguments.operands().get(0), json, verbose, streams);
        Snapshot current = query.get();
        Plan plan = Planner.plan(loaded.state(), current);
        List<Diagnostic> effects = new ArrayList<>(query.notices());
        effects.addAll(LiveSubflows.warnings(arguments, plan));
        return print(plan, loaded.warnings(), effects, current, json, verbose, streams);
    }

    /** The state file; under --json its warnings are kept for the document instead of printed. */
    static LoadedState load(String file, boolean json, boolean verbose, Streams streams) {
        return json
                ? StateInput.load(file, StateInput.read(file, streams.in()), null, verbose)
                : StateInput.load(file, streams.in(), streams.err(), verbose);
    }

    /**
     * {@code loadWarnings}: the state file's; {@code effects}: warnings about what the plan does to the live
     * namespace (the subflows it closes). Under --json all of them are in the document and stderr stays empty.
     */
    static ExitCode print(
            Plan plan,
            List<Diagnostic> loadWarnings,
            List<Diagnostic> effects,
            Snapshot current,
            boolean json,
            boolean verbose,
            Streams streams) {
        if (json) {
            ResultJson.write(
                    new ResultJson.Result(
                            !plan.isEmpty(),
                            true,
                            null,
                            plan.changes(),
                            warnings(loadWarnings, plan, effects, verbose),
                            current,
                            Simulation.apply(current, plan.changes())),
                    streams.out());
        } else {
            PlanPrinter.warnings(plan, verbose, streams.err());
            PlanPrinter.warnings(effects, verbose, streams.err());
            PlanPrinter.text(plan, current, streams.out(), System.console() != null);
        }
        return plan.isEmpty() ? ExitCode.OK : ExitCode.CHANGES_PENDING;
    }

    /** Every warning of a run, in the order stderr would show them, routine kinds summarised unless verbose. */
    static List<Diagnostic> warnings(
            List<Diagnostic> loadWarnings, Plan plan, List<Diagnostic> effects, boolean verbose) {
        List<Diagnostic> warnings = new ArrayList<>(WarningSummary.of(loadWarnings, verbose));
        warnings.addAll(WarningSummary.of(plan.warnings(), verbose));
        warnings.addAll(WarningSummary.of(effects, verbose));
        return warnings;
    }
}
