package org.mptcpstate.kernel;

/**
 * The kernel dropped events because they came faster than they were read (ENOBUFS on the socket); the
 * subscription stays usable.
 */
public final class EventsLostException extends KernelException {
    private static final long serialVersionUID = 1L;

    EventsLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
