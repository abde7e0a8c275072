package org.mptcpstate.cli;

import org.mptcpstate.kernel.MptcpEvent;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Lets tests of other packages see how monitor prints an event. */
public final class EventPrinterAccess {
    private EventPrinterAccess() {}

    public static String text(MptcpEvent event) {
        return EventPrinter.text(event);
    }

    public static String json(MptcpEvent event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new EventPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), true).print(event);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
