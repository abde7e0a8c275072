package org.mptcpstate.cli;

import org.mptcpstate.document.ShowWriter;
import org.mptcpstate.plan.Change;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.ShowDocument;
import org.mptcpstate.state.Snapshot;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

import java.io.PrintStream;
import java.net.InetAddress;
import java.util.List;

/**
 * The one JSON document {@code apply --json}, {@code apply --dry-run --json} and {@code diff --json} print, on
 * one line: {@code changed}, {@code dry-run}, {@code verified} (apply only), {@code changes} (each with its
 * action and details, {@code text}, {@code old} and {@code new}), {@code warnings} (code, message, file, line,
 * column), and the {@code show} documents {@code before} and {@code after}, endpoint ids left out (the kernel
 * picks them). The contract with scripts and the Ansible collection: fields are added, never renamed.
 */
final class ResultJson {
    private ResultJson() {}

    /** What one document says; {@code verified} is null for a plan that was not applied. */
    record Result(
            boolean changed,
            boolean dryRun,
            Boolean verified,
            List<Change> changes,
            List<Diagnostic> warnings,
            Snapshot before,
            Snapshot after) {}

    static JsonGenerator generator(PrintStream out) {
        JsonFactory factory = JsonFactory.builder()
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build();
        return factory.createGenerator(ObjectWriteContext.empty(), out);
    }

    static void write(Result result, PrintStream out) {
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            g.writeBooleanProperty("changed", result.changed());
            g.writeBooleanProperty("dry-run", result.dryRun());
            if (result.verified() != null) {
                g.writeBooleanProperty("verified", result.verified());
            }
            g.writeArrayPropertyStart("changes");
            for (Change change : result.changes()) {
                g.writeStartObject();
                PlanPrinter.changeFields(g, change);
                oldAndNew(g, change);
                g.writeEndObject();
            }
            g.writeEndArray();
            warnings(g, result.warnings());
            g.writeName("before");
            ShowWriter.write(PlanPrinter.withoutIds(ShowDocument.of(result.before())), g);
            g.writeName("after");
            ShowWriter.write(PlanPrinter.withoutIds(ShowDocument.of(result.after())), g);
            g.writeEndObject();
        }
        out.println();
    }

    static void warnings(JsonGenerator g, List<Diagnostic> warnings) {
        g.writeArrayPropertyStart("warnings");
        for (Diagnostic warning : warnings) {
            g.writeStartObject();
            WarningOutput.fields(g, warning);
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** What the change found and what it leaves, as objects of the keys a state file uses; null for none. */
    private static void oldAndNew(JsonGenerator g, Change change) {
        if (change instanceof Change.SetEnabled set) {
            g.writeObjectPropertyStart("old");
            g.writeBooleanProperty("enabled", set.from());
            g.writeEndObject();
            g.writeObjectPropertyStart("new");
            g.writeBooleanProperty("enabled", set.to());
            g.writeEndObject();
        } else if (change instanceof Change.SetLimits limits) {
            g.writeObjectPropertyStart("old");
            g.writeNumberProperty("subflows", limits.subflowsFrom());
            g.writeNumberProperty("add-addr-accepted", limits.addAddrAcceptedFrom());
            g.writeEndObject();
            g.writeObjectPropertyStart("new");
            g.writeNumberProperty("subflows", limits.subflows() == null ? limits.subflowsFrom() : limits.subflows());
            g.writeNumberProperty(
                    "add-addr-accepted",
                    limits.addAddrAccepted() == null ? limits.addAddrAcceptedFrom() : limits.addAddrAccepted());
            g.writeEndObject();
        } else if (change instanceof Change.RemoveEndpoint remove) {
            g.writeName("old");
            endpoint(
                    g,
                    remove.endpoint().address(),
                    remove.endpoint().port(),
                    remove.endpoint().flags(),
                    remove.interfaceName());
            g.writeNullProperty("new");
        } else if (change instanceof Change.ChangeFlags flags) {
            g.writeName("old");
            endpoint(
                    g,
                    flags.endpoint().address(),
                    flags.endpoint().port(),
                    flags.endpoint().flags(),
                    flags.interfaceName());
            g.writeName("new");
            endpoint(g, flags.endpoint().address(), flags.endpoint().port(), flags.to(), flags.interfaceName());
        } else if (change instanceof Change.AddEndpoint add) {
            g.writeNullProperty("old");
            g.writeName("new");
            endpoint(g, add.address(), add.port(), add.flags(), add.interfaceName());
        }
    }

    private static void endpoint(
            JsonGenerator g, InetAddress address, int port, EndpointFlags flags, String interfaceName) {
        g.writeStartObject();
        g.writeStringProperty("address", IpAddresses.format(address));
        if (interfaceName != null) {
            g.writeStringProperty("interface", interfaceName);
        }
        if (port != 0) {
            g.writeNumberProperty("port", port);
        }
        g.writeArrayPropertyStart("flags");
        for (String name : flags.names()) {
            g.writeString(name);
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
