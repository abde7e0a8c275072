package org.mptcpstate.kernel;

/** The kernel refused an operation for lack of privilege; the message says which capability is missing. */
public final class PermissionDeniedException extends KernelException {
    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
