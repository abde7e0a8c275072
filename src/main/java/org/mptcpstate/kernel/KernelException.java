package org.mptcpstate.kernel;

/**
 * The kernel could not be read or written: the message says what and why, in one line. The kernel port's
 * failures are this class and its subclasses only; what the netlink layer throws is translated at the adapter.
 */
public class KernelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KernelException(String message) {
        super(message);
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
