package org.mptcpstate.state;

import org.mptcpstate.state.NetworkState.AddressState;
import org.mptcpstate.state.NetworkState.EndpointState;
import org.mptcpstate.state.NetworkState.InterfaceState;
import org.mptcpstate.state.NetworkState.IpState;
import org.mptcpstate.state.NetworkState.LimitsState;
import org.mptcpstate.state.NetworkState.MptcpState;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a {@link NetworkState} as YAML or JSON through Jackson's streaming generators: one code path for
 * both formats, keys in a fixed order, null (unstated) fields left out.
 */
public final class StateWriter {
    public enum Format { YAML, JSON }

    private StateWriter() {
    }

    /** Loads and initialises the writer's classes by writing a small document to nowhere. */
    public static void warmUp() {
        NetworkState sample = new NetworkState(new MptcpState(true, "kernel", new LimitsState(2, 0), List.of()),
                List.of());
        write(sample, Format.YAML, OutputStream.nullOutputStream());
    }

    /** Writes the document; {@code out} is flushed, not closed. */
    public static void write(NetworkState state, Format format, OutputStream out) {
        try (JsonGenerator generator = generator(format, out)) {
            writeState(generator, state);
        }
        if (format == Format.JSON) {
            try {
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static JsonGenerator generator(Format format, OutputStream out) {
        if (format == Format.YAML) {
            YAMLFactory factory = YAMLFactory.builder()
                    .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
                    .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
                    // without it, MINIMIZE_QUOTES writes a string such as "123" or "1e3" (a valid interface
                    // name) plain, and it reads back as a number
                    .enable(YAMLWriteFeature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                    .stringQuotingChecker(new YamlQuoting())
                    .disable(YAMLWriteFeature.SPLIT_LINES)
                    .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                    .build();
            return factory.createGenerator(ObjectWriteContext.empty(), out);
        }
        JsonFactory factory = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
        return factory.createGenerator(new PrettyContext(), out);
    }

    /** Two-space indentation and a final newline, the way `jq .` prints. */
    private static final class PrettyContext extends ObjectWriteContext.Base {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            Separators separators = Separators.createDefaultInstance()
                    .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator("")
                    .withObjectEmptySeparator("");
            return new DefaultPrettyPrinter(separators)
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    }

    private static void writeState(JsonGenerator g, NetworkState state) {
        g.writeStartObject();
        if (state.mptcp() != null) {
            g.writeName("mptcp");
            writeMptcp(g, state.mptcp());
        }
        if (state.interfaces() != null) {
            g.writeArrayPropertyStart("interfaces");
            for (InterfaceState iface : state.interfaces()) {
                writeInterface(g, iface);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void writeMptcp(JsonGenerator g, MptcpState mptcp) {
        g.writeStartObject();
        if (mptcp.enabled() != null) {
            g.writeBooleanProperty("enabled", mptcp.enabled());
        }
        stringProperty(g, "path-manager", mptcp.pathManager());
        LimitsState limits = mptcp.limits();
        if (limits != null) {
            g.writeObjectPropertyStart("limits");
            numberProperty(g, "subflows", limits.subflows());
            numberProperty(g, "add-addr-accepted", limits.addAddrAccepted());
            g.writeEndObject();
        }
        if (mptcp.endpoints() != null) {
            g.writeArrayPropertyStart("endpoints");
            for (EndpointState endpoint : mptcp.endpoints()) {
                g.writeStartObject();
                g.writeStringProperty("address", IpAddresses.format(endpoint.address()));
                numberProperty(g, "id", endpoint.id());
                numberProperty(g, "port", endpoint.port());
                flagsProperty(g, "flags", endpoint.flags());
                stringProperty(g, "interface", endpoint.interfaceName());
                numberProperty(g, "interface-index", endpoint.interfaceIndex());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void writeInterface(JsonGenerator g, InterfaceState iface) {
        g.writeStartObject();
        g.writeStringProperty("name", iface.name());
        stringProperty(g, "type", iface.type());
        stringProperty(g, "state", iface.state());
        stringProperty(g, "oper-state", iface.operState());
        if (iface.addressFlags() != null) {
            g.writeObjectPropertyStart("mptcp");
            flagsProperty(g, "address-flags", iface.addressFlags());
            g.writeEndObject();
        }
        ipProperty(g, "ipv4", iface.ipv4());
        ipProperty(g, "ipv6", iface.ipv6());
        g.writeEndObject();
    }

    private static void ipProperty(JsonGenerator g, String name, IpState ip) {
        if (ip == null) {
            return;
        }
        g.writeObjectPropertyStart(name);
        if (ip.defaultRoute() != null) {
            g.writeBooleanProperty("default-route", ip.defaultRoute());
        }
        if (ip.addresses() != null) {
            g.writeArrayPropertyStart("address");
            for (AddressState address : ip.addresses()) {
                g.writeStartObject();
                g.writeStringProperty("ip", IpAddresses.format(address.ip()));
                g.writeNumberProperty("prefix-length", address.prefixLength());
                flagsProperty(g, "mptcp-flags", address.mptcpFlags());
                numberProperty(g, "mptcp-endpoint-id", address.endpointId());
                if (address.ineligible() != null) {
                    g.writeStringProperty("mptcp-ineligible", address.ineligible().yamlName());
                }
                if (!address.kernelFlags().isEmpty()) {
                    stringArray(g, "kernel-flags", address.kernelFlags());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void flagsProperty(JsonGenerator g, String name, EndpointFlags flags) {
        if (flags != null) {
            stringArray(g, name, flags.names());
        }
    }

    private static void stringArray(JsonGenerator g, String name, List<String> values) {
        g.writeArrayPropertyStart(name);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }

    private static void stringProperty(JsonGenerator g, String name, String value) {
        if (value != null) {
            g.writeStringProperty(name, value);
        }
    }

    private static void numberProperty(JsonGenerator g, String name, Integer value) {
        if (value != null) {
            g.writeNumberProperty(name, value);
        }
    }
}
