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
     * Whether nothing waits: no event and no wake-up. Looks without waiting and without reading: what waits is left
     * for the next {@link #await}. watch's warm-up asks before each of its rounds, so that it never keeps an event
     * waiting for more than a round.
     */
    default boolean idle() {
        return true;
    }

    @Override
    void close();
}
