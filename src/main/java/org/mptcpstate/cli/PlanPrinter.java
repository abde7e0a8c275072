package org.mptcpstate.cli;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import org.mptcpstate.document.ShowWriter;
import org.mptcpstate.plan.Change;
import org.mptcpstate.plan.Plan;
import org.mptcpstate.plan.Simulation;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.Printable;
import org.mptcpstate.state.ShowDocument;
import org.mptcpstate.state.Snapshot;
import tools.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shows a plan for review: one line per change, then a unified diff of the document; or JSON for bots. */
final class PlanPrinter {
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String CYAN = "\u001b[36m";
    private static final String RESET = "\u001b[0m";

    private PlanPrinter() {}

    static void warnings(Plan plan, boolean verbose, PrintStream err) {
        WarningOutput.text(plan.warnings(), verbose, err);
    }

    /** Warnings about the plan's effect on the live namespace (live subflows it closes), after the plan's own. */
    static void warnings(List<Diagnostic> warnings, boolean verbose, PrintStream err) {
        WarningOutput.text(warnings, verbose, err);
    }

    /** The change lines and the unified diff of current vs result; colour only when {@code colour}. */
    static void text(Plan plan, Snapshot current, PrintStream out, boolean colour) {
        if (plan.isEmpty()) {
            out.println("no changes");
            return;
        }
        for (Change change : plan.changes()) {
            out.println(paint(Printable.of(change.describe()), colour));
        }
        List<String> before = lines(ShowDocument.of(current));
        List<String> after = lines(ShowDocument.of(Simulation.apply(current, plan.changes())));
        Patch<String> patch = DiffUtils.diff(before, after);
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff("current", "desired", before, patch, 3);
        if (!unified.isEmpty()) {
            out.println();
            for (String line : unified) {
                out.println(paint(line, colour));
            }
        }
    }

    private static String paint(String line, boolean colour) {
        if (!colour || line.isEmpty()) {
            return line;
        }
        if (line.startsWith("@@")) {
            return CYAN + line + RESET;
        }
        char first = line.charAt(0);
        if (first == '+' && !line.startsWith("+++")) {
            return GREEN + line + RESET;
        }
        if (first == '-' && !line.startsWith("---")) {
            return RED + line + RESET;
        }
        return line;
    }

    /** The document as YAML lines, endpoint ids left out: the kernel picks ids, so they are not part of a review. */
    private static List<String> lines(ShowDocument state) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShowWriter.write(withoutIds(state), ShowWriter.Format.YAML, out);
        return Arrays.asList(out.toString(StandardCharsets.UTF_8).split("\n"));
    }

    static ShowDocument withoutIds(ShowDocument state) {
        List<ShowDocument.StandaloneEndpoint> endpoints = new ArrayList<>();
        for (ShowDocument.StandaloneEndpoint e : state.mptcp().endpoints()) {
            endpoints.add(new ShowDocument.StandaloneEndpoint(
                    e.address(), null, e.port(), e.flags(), e.interfaceName(), e.interfaceIndex()));
        }
        List<ShowDocument.Interface> interfaces = new ArrayList<>();
        for (ShowDocument.Interface i : state.interfaces()) {
            interfaces.add(new ShowDocument.Interface(
                    i.name(),
                    i.type(),
                    i.state(),
                    i.operState(),
                    i.addressFlags(),
                    withoutIds(i.ipv4()),
                    withoutIds(i.ipv6())));
        }
        ShowDocument.Mptcp m = state.mptcp();
        return new ShowDocument(
                new ShowDocument.Mptcp(m.enabled(), m.pathManager(), m.limits(), endpoints), interfaces);
    }

    private static ShowDocument.IpFamily withoutIds(ShowDocument.IpFamily ip) {
        List<ShowDocument.Address> addresses = new ArrayList<>();
        for (ShowDocument.Address a : ip.addresses()) {
            addresses.add(new ShowDocument.Address(
                    a.ip(), a.prefixLength(), a.mptcpFlags(), null, a.ineligible(), a.kernelFlags()));
        }
        return new ShowDocument.IpFamily(ip.defaultRoute(), addresses);
    }

    /** The fields of one change: action, its details and text (watch --json uses them too). */
    static void changeFields(JsonGenerator g, Change change) {
        if (change instanceof Change.SetEnabled set) {
            g.writeStringProperty("action", "set-enabled");
            g.writeBooleanProperty("from", set.from());
            g.writeBooleanProperty("to", set.to());
        } else if (change instanceof Change.SetLimits limits) {
            g.writeStringProperty("action", "set-limits");
            if (limits.subflows() != null) {
                g.writeNumberProperty("subflows", limits.subflows());
            }
            if (limits.addAddrAccepted() != null) {
                g.writeNumberProperty("add-addr-accepted", limits.addAddrAccepted());
            }
        } else if (change instanceof Change.RemoveEndpoint remove) {
            g.writeStringProperty("action", "remove-endpoint");
            g.writeNumberProperty("id", remove.endpoint().id());
            endpoint(
                    g,
                    remove.endpoint().address(),
                    remove.endpoint().port(),
                    remove.endpoint().flags(),
                    remove.interfaceName());
        } else if (change instanceof Change.ChangeFlags flags) {
            g.writeStringProperty("action", "change-flags");
            g.writeNumberProperty("id", flags.endpoint().id());
            endpoint(g, flags.endpoint().address(), flags.endpoint().port(), flags.to(), flags.interfaceName());
        } else if (change instanceof Change.AddEndpoint add) {
            g.writeStringProperty("action", "add-endpoint");
            endpoint(g, add.address(), add.port(), add.flags(), add.interfaceName());
        }
        g.writeStringProperty("text", change.describe());
    }

    private static void endpoint(
            JsonGenerator g,
            java.net.InetAddress address,
            int port,
            org.mptcpstate.state.EndpointFlags flags,
            String interfaceName) {
        g.writeStringProperty("address", IpAddresses.format(address));
        if (port != 0) {
            g.writeNumberProperty("port", port);
        }
        g.writeArrayPropertyStart("flags");
        for (String name : flags.names()) {
            g.writeString(name);
        }
        g.writeEndArray();
        if (interfaceName != null) {
            g.writeStringProperty("interface", interfaceName);
        }
    }
}
