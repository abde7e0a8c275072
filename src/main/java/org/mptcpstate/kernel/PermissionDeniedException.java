package org.mptcpstate.kernel;

/** The kernel refused an operation for lack of privilege; the message says which capability is missing. */
public final class PermissionDeniedException extends RuntimeException {
    public PermissionDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
