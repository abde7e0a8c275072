package org.mptcpstate.cli;

import org.mptcpstate.kernel.MptcpEvent;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.Printable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetAddress;

/** One line per MPTCP event: {@code NAME key=value ...}, or a JSON object per line (JSON Lines). */
final class EventPrinter {
    private final PrintStream out;
    private final JsonFactory json;

    EventPrinter(PrintStream out, boolean json) {
        this.out = out;
        this.json = json
                ? JsonFactory.builder()
                        .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                        .build()
                : null;
    }

    /** Prints the event and flushes, so that a reader sees each event as it happens. */
    void print(MptcpEvent event) {
        if (json != null) {
            try (JsonGenerator g = json.createGenerator(ObjectWriteContext.empty(), out)) {
                writeJson(g, event);
            }
            out.print('\n');
        } else {
            out.print(Printable.of(text(event)));
            out.print('\n');
        }
        out.flush();
    }

    static String text(MptcpEvent e) {
        StringBuilder line = new StringBuilder(e.name());
        field(line, "token", e.tokenHex());
        field(line, "family", e.familyName());
        if (e.localAddress() != null || e.localPort() != null) {
            field(line, "local", endpoint(e.localAddress(), e.localPort()));
        }
        if (e.remoteAddress() != null || e.remotePort() != null) {
            field(line, "remote", endpoint(e.remoteAddress(), e.remotePort()));
        }
        field(line, "loc-id", e.localId());
        field(line, "rem-id", e.remoteId());
        field(line, "backup", e.backup());
        if (e.interfaceIndex() != null) {
            field(line, "interface", e.interfaceName() != null ? e.interfaceName() : "#" + e.interfaceIndex());
        }
        field(line, "server-side", e.serverSide());
        field(line, "error", e.error());
        field(line, "flags", e.flags() == null ? null : "0x" + Integer.toHexString(e.flags()));
        field(line, "timeout", e.timeout());
        field(line, "reset-reason", e.resetReason());
        field(line, "reset-flags", e.resetFlags() == null ? null : "0x" + Long.toHexString(e.resetFlags()));
        return line.toString();
    }

    private static void field(StringBuilder line, String key, Object value) {
        if (value != null) {
            line.append(' ').append(key).append('=').append(value);
        }
    }

    /** 192.0.2.1:443, [2001:db8::1]:443, or the address or ":port" alone. */
    private static String endpoint(InetAddress address, Integer port) {
        if (address == null) {
            return ":" + port;
        }
        String text = IpAddresses.format(address);
        if (port == null) {
            return text;
        }
        return (address instanceof Inet6Address ? "[" + text + "]" : text) + ":" + port;
    }

    private static void writeJson(JsonGenerator g, MptcpEvent e) {
        g.writeStartObject();
        g.writeStringProperty("event", e.name());
        if (e.tokenHex() != null) {
            g.writeStringProperty("token", e.tokenHex());
        }
        if (e.familyName() != null) {
            g.writeStringProperty("family", e.familyName());
        }
        if (e.localAddress() != null) {
            g.writeStringProperty("local-address", IpAddresses.format(e.localAddress()));
        }
        number(g, "local-port", e.localPort());
        if (e.remoteAddress() != null) {
            g.writeStringProperty("remote-address", IpAddresses.format(e.remoteAddress()));
        }
        number(g, "remote-port", e.remotePort());
        number(g, "local-id", e.localId());
        number(g, "remote-id", e.remoteId());
        if (e.backup() != null) {
            g.writeBooleanProperty("backup", e.backup());
        }
        if (e.interfaceName() != null) {
            g.writeStringProperty("interface", e.interfaceName());
        }
        number(g, "interface-index", e.interfaceIndex());
        if (e.serverSide() != null) {
            g.writeBooleanProperty("server-side", e.serverSide());
        }
        number(g, "error", e.error());
        number(g, "flags", e.flags());
        if (e.timeout() != null) {
            g.writeNumberProperty("timeout", e.timeout());
        }
        if (e.resetReason() != null) {
            g.writeNumberProperty("reset-reason", e.resetReason());
        }
        if (e.resetFlags() != null) {
            g.writeNumberProperty("reset-flags", e.resetFlags());
        }
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String name, Integer value) {
        if (value != null) {
            g.writeNumberProperty(name, value);
        }
    }
}
