package org.mptcpstate.kernel;

import java.util.List;

/**
 * The kernel's address and link events of one network namespace, as {@code watch} waits for them: the event
 * port. Implemented over rtnetlink by {@link NetlinkEvents}; tests script their own.
 */
public interface KernelEvents extends AutoCloseable {
    /** What a wait for events ended with. */
    enum Wait {
        /** Address or link events came (and were read). */
        CHANGED,
        /** The kernel dropped events (ENOBUFS): the state must be re-read. */
        LOST,
        /** {@link #wakeUp()} was called. */
        WOKEN,
        /** Nothing within the timeout. */
        TIMEOUT
    }

    /** Waits at most {@code timeoutMillis} (0: only look) for events or a wake-up. */
    Wait await(long timeoutMillis);

    /** Makes a current or the next {@link #await} return {@link Wait#WOKEN}; safe from any thread. */
    void wakeUp();

    /**
     * The address and link events that the waits since the last call read, decoded, in the order they came; null
     * when they are not known (not decoded, or some were lost): then the namespace must be read in full.
     */
    default List<NetworkChange> takeChanges() {
        return null;
    }

    /**
     * Runs a wait that finds nothing {@code rounds} times, so that its code is compiled before the first event;
     * stops early at an event or a wake-up, which the next {@link #await} then reports.
     */
    default void warmUp(int rounds) {}

    @Override
    void close();
}
