package org.mptcpstate.cli;

import org.mptcpstate.reconcile.Interruption;

/**
 * SIGINT and SIGTERM while {@code apply} holds the namespace lock: the handlers only record the signal, and
 * the reconciler asks between changes ({@link Interruption}), so the apply stops at a change boundary and rolls
 * back instead of dying half-way. Before the handlers are installed (start-up, waiting for the lock) the JVM's
 * default applies: the process exits having changed nothing. Closing restores the previous handlers.
 *
 * <p>Test hook: the system property {@code mptcpstate.test.stepDelayMillis} (default 0) makes each check sleep
 * that long first, so a test can signal between two particular changes. It slows applies down and nothing else.
 */
final class ApplySignals implements Interruption, AutoCloseable {
    static final String STEP_DELAY_PROPERTY = "mptcpstate.test.stepDelayMillis";

    private final long stepDelayMillis = Long.getLong(STEP_DELAY_PROPERTY, 0L);
    private volatile String received;
    private final Signals.Installed previousInt;
    private final Signals.Installed previousTerm;

    private ApplySignals() {
        Signals.Handler handler = new Recorder(this);
        // with -Xrs the JVM keeps INT and TERM (null): the command carries on with the JVM's default handling
        previousInt = Signals.handle("INT", handler);
        previousTerm = Signals.handle("TERM", handler);
    }

    /** A class, not a method reference: those are spun at run time, costing start-up time. */
    private static final class Recorder implements Signals.Handler {
        private final ApplySignals signals;

        Recorder(ApplySignals signals) {
            this.signals = signals;
        }

        @Override
        public void handle(String signalName) {
            signals.record(signalName);
        }
    }

    static ApplySignals install() {
        return new ApplySignals();
    }

    private void record(String signalName) {
        if (received == null) {
            received = signalName;
        }
    }

    @Override
    public String requested() {
        if (stepDelayMillis > 0) {
            try {
                Thread.sleep(stepDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return received;
    }

    /** The signal received so far, without the test delay. */
    String received() {
        return received;
    }

    @Override
    public void close() {
        if (previousInt != null) {
            previousInt.restore();
        }
        if (previousTerm != null) {
            previousTerm.restore();
        }
    }
}
