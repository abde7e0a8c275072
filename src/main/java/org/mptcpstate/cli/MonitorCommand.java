package org.mptcpstate.cli;

import org.mptcpstate.cli.CommandSpec.OptionSpec;
import org.mptcpstate.kernel.EventsLostException;
import org.mptcpstate.kernel.MptcpEvent;
import org.mptcpstate.kernel.MptcpEventSubscription;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code monitor}: prints every event of the {@code mptcp_pm_events} group (connections, subflows, addresses
 * announced by peers, listeners) as it happens, one line each, until SIGINT or SIGTERM, which exit 0.
 */
final class MonitorCommand implements Command {
    private static final OptionSpec JSON = new OptionSpec("--json", null, null, "One JSON object per line.");

    static final CommandSpec SPEC = new CommandSpec(
            "monitor",
            "Print MPTCP connection, subflow and address events as they happen.",
            List.of(
                    "Needs root or CAP_NET_ADMIN. Once subscribed it says so on stderr; events go",
                    "to stdout, one line each, until SIGINT or SIGTERM (exit 0)."),
            List.of(JSON, NamespaceOption.SPEC),
            null);

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public ExitCode run(ParsedArguments arguments, Streams streams) throws Exception {
        String namespace = arguments.value(NamespaceOption.SPEC.longName());
        Loop loop = new Loop(
                new EventPrinter(streams.out(), arguments.has(JSON.longName())),
                streams.out(),
                streams.err(),
                namespace);
        try {
            return NamespaceOption.call(arguments, loop);
        } finally {
            loop.exitOnSignal.running = false;
        }
    }

    /** Subscribes, says so, then prints events until the output goes away. */
    private static final class Loop implements Callable<ExitCode> {
        private final EventPrinter printer;
        private final PrintStream out;
        private final PrintStream err;
        private final String namespace;
        private final ExitOnSignal exitOnSignal;

        Loop(EventPrinter printer, PrintStream out, PrintStream err, String namespace) {
            this.printer = printer;
            this.out = out;
            this.err = err;
            this.namespace = namespace;
            this.exitOnSignal = new ExitOnSignal(out);
        }

        @Override
        public ExitCode call() {
            try (MptcpEventSubscription subscription = MptcpEventSubscription.open()) {
                exitOnSignal.running = true;
                Runtime.getRuntime().addShutdownHook(exitOnSignal);
                err.println(Main.PROGRAM + ": monitoring MPTCP events"
                        + (namespace == null ? "" : " in network namespace " + namespace) + "; Ctrl-C stops");
                err.flush();
                while (true) {
                    List<MptcpEvent> events;
                    try {
                        events = subscription.next();
                    } catch (EventsLostException e) {
                        err.println(Main.PROGRAM + ": warning: " + e.getMessage());
                        continue;
                    }
                    for (MptcpEvent event : events) {
                        printer.print(event);
                    }
                    if (out.checkError()) {
                        // stdout failed (a closed pipe, a full disk): stop; Main reports the write error, exit 1
                        return ExitCode.OK;
                    }
                }
            }
        }
    }

    /**
     * SIGINT and SIGTERM end a monitor normally: the JVM runs the shutdown hooks, and this one makes the exit
     * status 0 instead of 130/143. It does nothing once the command has returned, so that every other exit keeps
     * its own status.
     */
    private static final class ExitOnSignal extends Thread {
        private final PrintStream out;
        volatile boolean running;

        ExitOnSignal(PrintStream out) {
            super("monitor exit");
            this.out = out;
        }

        @Override
        public void run() {
            if (running) {
                out.flush();
                Runtime.getRuntime().halt(ExitCode.OK.code());
            }
        }
    }
}
