package org.mptcpstate.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Handling SIGINT, SIGTERM and SIGHUP: sun.misc.Signal (module jdk.unsupported) is the JDK's only API for it, and
 * this is the one class that uses it (a test holds that).
 */
final class Signals {
    private Signals() {}

    /** What a signal does; called on the JVM's signal thread, so it should only set a flag or wake a loop. */
    interface Handler {
        void handle(String signalName);
    }

    /** A handler in place; {@link #restore()} puts the previous one back. */
    static final class Installed {
        private final String name;
        private final SignalHandler previous;

        private Installed(String name, SignalHandler previous) {
            this.name = name;
            this.previous = previous;
        }

        void restore() {
            Signal.handle(new Signal(name), previous);
        }

        /**
         * Whether the signal was ignored when the JVM started (nohup ignores SIGHUP): the JVM then leaves it
         * ignored, and the handler is never called.
         */
        boolean ignored() {
            return previous == SignalHandler.SIG_IGN;
        }
    }

    /**
     * Handles SIG{@code name} ("INT", "TERM", "HUP") from now on; null when the JVM refuses (with -Xrs it keeps
     * INT and TERM), in which case the JVM's default handling stays.
     */
    static Installed handle(String name, Handler handler) {
        try {
            return new Installed(name, Signal.handle(new Signal(name), new Adapter(handler)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A class, not a lambda: lambdas are spun at run time, costing start-up time. */
    private static final class Adapter implements SignalHandler {
        private final Handler handler;

        Adapter(Handler handler) {
            this.handler = handler;
        }

        @Override
        public void handle(Signal signal) {
            handler.handle(signal.getName());
        }
    }
}
