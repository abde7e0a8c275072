package org.mptcpstate.cli;

import org.mptcpstate.check.CheckFacts;
import org.mptcpstate.check.Checker;
import org.mptcpstate.check.Coexistence;
import org.mptcpstate.check.FactsReader;
import org.mptcpstate.check.Finding;
import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.cli.CommandSpec.PositionalSpec;
import org.mptcpstate.kernel.NetlinkKernel;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.plan.Planner;
import org.mptcpstate.plan.Simulation;
import org.mptcpstate.state.DesiredState;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.Printable;
import org.mptcpstate.state.Snapshot;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

import java.io.PrintStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code check [FILE]}: the traps that stop MPTCP subflows, in the current state or in the state FILE would
 * produce. Writes nothing.
 */
final class CheckCommand implements Command {
    static final OptionSpec JSON = new OptionSpec("--json", null, null, "Print the findings as JSON.");
    static final OptionSpec PEER = new OptionSpec(
            "--peer",
            null,
            "ADDR",
            "An address of the peer connections go to, repeatable: the first is the one they connect to, the"
                    + " others the peer announces. Default: the peers of live connections, else any remote address.",
            true);

    static final CommandSpec SPEC = new CommandSpec(
            "check",
            "Find what stops MPTCP subflows: sysctls, limits, rp_filter, routing, live subflows; writes nothing.",
            List.of(
                    "With FILE, checks the state that applying FILE would produce.",
                    "One finding per line: severity, kind, what it concerns, why, and the fix.",
                    "Exit codes: 0 no errors (warnings allowed), 1 an error-level finding or failure,"
                            + " 65 invalid FILE."),
            List.of(JSON, PEER, NamespaceOption.SPEC, WarningOutput.VERBOSE),
            new PositionalSpec("FILE", 0, 1, "A state file (YAML or JSON), - for stdin."));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public ExitCode run(ParsedArguments arguments, Streams streams) throws Exception {
        List<InetAddress> peers = peers(arguments.all(PEER.longName()));
        boolean verbose = WarningOutput.verbose(arguments);
        DesiredState desired = arguments.operands().isEmpty()
                ? null
                : StateInput.load(arguments.operands().get(0), streams.in(), streams.err(), verbose)
                        .state();
        Inspection inspection = NamespaceOption.call(arguments, new Inspect(desired, peers));
        if (inspection.plan() != null) {
            PlanPrinter.warnings(inspection.plan(), verbose, streams.err());
        }
        RuntimeNotices.print(inspection.notices(), streams.err());
        List<Finding> findings = new ArrayList<>(Checker.check(inspection.snapshot(), inspection.facts()));
        findings.addAll(inspection.otherManagers());
        if (arguments.has(JSON.longName())) {
            json(findings, streams.out());
        } else {
            text(findings, streams.out());
        }
        for (Finding finding : findings) {
            if (finding.severity() == Finding.Severity.ERROR) {
                return ExitCode.FAILED;
            }
        }
        return ExitCode.OK;
    }

    private static List<InetAddress> peers(List<String> texts) {
        List<InetAddress> peers = new ArrayList<>();
        for (String text : texts) {
            InetAddress peer = IpAddresses.parse(text);
            if (peer == null) {
                throw new ArgumentParser.UsageException(
                        SPEC, "--peer takes an IPv4 or IPv6 address, not '" + Printable.of(text) + "'");
            }
            if (!peers.contains(peer)) {
                peers.add(peer);
            }
        }
        return peers;
    }

    /**
     * The state checked (current, or simulated from FILE's plan), the facts read with it, the plan, and the findings
     * about other endpoint managers in the namespace.
     */
    private record Inspection(
            Snapshot snapshot, CheckFacts facts, Plan plan, List<Finding> otherManagers, List<Diagnostic> notices) {}

    /** The kernel work, on the namespace thread; a class, not a lambda (start-up time). */
    private static final class Inspect implements Callable<Inspection> {
        private final DesiredState desired;
        private final List<InetAddress> peers;

        Inspect(DesiredState desired, List<InetAddress> peers) {
            this.desired = desired;
            this.peers = peers;
        }

        @Override
        public Inspection call() {
            try (NetlinkKernel kernel = NetlinkKernel.open()) {
                Snapshot current = kernel.query();
                Plan plan = desired == null ? null : Planner.plan(desired, current);
                Snapshot checked = plan == null ? current : Simulation.apply(current, plan.changes());
                return new Inspection(
                        checked,
                        FactsReader.read(kernel, checked, current, peers),
                        plan,
                        Coexistence.check(kernel),
                        RuntimeNotices.interrupted());
            }
        }
    }

    /** One line per finding; {@code no problems found} after them when none is an error or a warning. */
    static void text(List<Finding> findings, PrintStream out) {
        boolean problems = false;
        for (Finding finding : findings) {
            out.println(Printable.of(finding.toString()));
            problems |= finding.severity() != Finding.Severity.INFO;
        }
        if (!problems) {
            out.println("no problems found");
        }
    }

    /**
     * {"findings": [{"severity", "code", "interface", "address", "subject", "reason", "fix"}], "errors": N,
     * "warnings": N, "infos": N}.
     */
    static void json(List<Finding> findings, PrintStream out) {
        JsonFactory factory = JsonFactory.builder()
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build();
        int errors = 0;
        int warnings = 0;
        int infos = 0;
        try (JsonGenerator g = factory.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeArrayPropertyStart("findings");
            for (Finding finding : findings) {
                g.writeStartObject();
                g.writeStringProperty("severity", finding.severity().word());
                g.writeStringProperty("code", finding.code());
                if (finding.interfaceName() != null) {
                    g.writeStringProperty("interface", finding.interfaceName());
                }
                if (finding.address() != null) {
                    g.writeStringProperty("address", finding.address());
                }
                if (finding.subject() != null) {
                    g.writeStringProperty("subject", finding.subject());
                }
                g.writeStringProperty("reason", finding.reason());
                if (finding.fix() != null) {
                    g.writeStringProperty("fix", finding.fix());
                }
                g.writeEndObject();
                switch (finding.severity()) {
                    case ERROR -> errors++;
                    case WARNING -> warnings++;
                    case INFO -> infos++;
                }
            }
            g.writeEndArray();
            g.writeNumberProperty("errors", errors);
            g.writeNumberProperty("warnings", warnings);
            g.writeNumberProperty("infos", infos);
            g.writeEndObject();
        }
        out.println();
    }
}
