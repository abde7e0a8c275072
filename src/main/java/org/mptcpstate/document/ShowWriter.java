package org.mptcpstate.document;

import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.ShowDocument;

import java.io.OutputStream;
import java.util.List;

/**
 * Writes a {@link ShowDocument} as YAML ({@link YamlEmitter}) or JSON (Jackson's generator): one walk of the
 * state for both formats, keys in a fixed order, null (unstated) fields left out.
 */
public final class ShowWriter {
    public enum Format {
        YAML,
        JSON
    }

    private ShowWriter() {}

    /** Loads and initialises the writer's classes by writing a small document to nowhere. */
    public static void warmUp() {
        ShowDocument sample = new ShowDocument(
                new ShowDocument.Mptcp(true, "kernel", new ShowDocument.Limits(2, 0), List.of()),
                List.of(new ShowDocument.Interface(
                        "eth0",
                        null,
                        null,
                        null,
                        null,
                        null,
                        new ShowDocument.IpFamily(
                                null,
                                List.of(new ShowDocument.Address(
                                        IpAddresses.parse("192.0.2.1"), 24, null, null, null, List.of()))))));
        write(sample, Format.YAML, OutputStream.nullOutputStream());
    }

    /** Writes the document; {@code out} is flushed, not closed. */
    public static void write(ShowDocument state, Format format, OutputStream out) {
        try (DocumentSink sink = format == Format.YAML ? new YamlEmitter(out) : new JsonSink(out)) {
            writeState(sink, state);
        }
    }

    /** Writes the document as one JSON value into {@code g}, a generator in the middle of a larger document. */
    public static void write(ShowDocument state, tools.jackson.core.JsonGenerator g) {
        writeState(new JsonSink(g), state);
    }

    private static void writeState(DocumentSink g, ShowDocument state) {
        g.startObject();
        if (state.mptcp() != null) {
            g.name("mptcp");
            writeMptcp(g, state.mptcp());
        }
        if (state.interfaces() != null) {
            g.name("interfaces");
            g.startArray();
            for (ShowDocument.Interface iface : state.interfaces()) {
                writeInterface(g, iface);
            }
            g.endArray();
        }
        g.endObject();
    }

    private static void writeMptcp(DocumentSink g, ShowDocument.Mptcp mptcp) {
        g.startObject();
        if (mptcp.enabled() != null) {
            g.name("enabled");
            g.bool(mptcp.enabled());
        }
        stringProperty(g, "path-manager", mptcp.pathManager());
        ShowDocument.Limits limits = mptcp.limits();
        if (limits != null) {
            g.name("limits");
            g.startObject();
            numberProperty(g, "subflows", limits.subflows());
            numberProperty(g, "add-addr-accepted", limits.addAddrAccepted());
            g.endObject();
        }
        if (mptcp.endpoints() != null) {
            g.name("endpoints");
            g.startArray();
            for (ShowDocument.StandaloneEndpoint endpoint : mptcp.endpoints()) {
                g.startObject();
                g.name("address");
                g.string(IpAddresses.format(endpoint.address()));
                numberProperty(g, "id", endpoint.id());
                numberProperty(g, "port", endpoint.port());
                flagsProperty(g, "flags", endpoint.flags());
                stringProperty(g, "interface", endpoint.interfaceName());
                numberProperty(g, "interface-index", endpoint.interfaceIndex());
                g.endObject();
            }
            g.endArray();
        }
        g.endObject();
    }

    private static void writeInterface(DocumentSink g, ShowDocument.Interface iface) {
        g.startObject();
        g.name("name");
        g.string(iface.name());
        stringProperty(g, "type", iface.type());
        stringProperty(g, "state", iface.state());
        stringProperty(g, "oper-state", iface.operState());
        if (iface.addressFlags() != null) {
            g.name("mptcp");
            g.startObject();
            flagsProperty(g, "address-flags", iface.addressFlags());
            g.endObject();
        }
        ipProperty(g, "ipv4", iface.ipv4());
        ipProperty(g, "ipv6", iface.ipv6());
        g.endObject();
    }

    private static void ipProperty(DocumentSink g, String name, ShowDocument.IpFamily ip) {
        if (ip == null) {
            return;
        }
        g.name(name);
        g.startObject();
        if (ip.defaultRoute() != null) {
            g.name("default-route");
            g.bool(ip.defaultRoute());
        }
        if (ip.addresses() != null) {
            g.name("address");
            g.startArray();
            for (ShowDocument.Address address : ip.addresses()) {
                g.startObject();
                g.name("ip");
                g.string(IpAddresses.format(address.ip()));
                g.name("prefix-length");
                g.number(address.prefixLength());
                flagsProperty(g, "mptcp-flags", address.mptcpFlags());
                numberProperty(g, "mptcp-endpoint-id", address.endpointId());
                if (address.ineligible() != null) {
                    g.name("mptcp-ineligible");
                    g.string(address.ineligible().yamlName());
                }
                if (!address.kernelFlags().isEmpty()) {
                    stringArray(g, "kernel-flags", address.kernelFlags());
                }
                g.endObject();
            }
            g.endArray();
        }
        g.endObject();
    }

    private static void flagsProperty(DocumentSink g, String name, EndpointFlags flags) {
        if (flags != null) {
            stringArray(g, name, flags.names());
        }
    }

    private static void stringArray(DocumentSink g, String name, List<String> values) {
        g.name(name);
        g.startArray();
        for (String value : values) {
            g.string(value);
        }
        g.endArray();
    }

    private static void stringProperty(DocumentSink g, String name, String value) {
        if (value != null) {
            g.name(name);
            g.string(value);
        }
    }

    private static void numberProperty(DocumentSink g, String name, Integer value) {
        if (value != null) {
            g.name(name);
            g.number(value);
        }
    }
}
