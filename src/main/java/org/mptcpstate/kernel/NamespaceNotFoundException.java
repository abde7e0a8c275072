package org.mptcpstate.kernel;

/** The network namespace named on the command line does not exist. */
public final class NamespaceNotFoundException extends KernelException {
    private static final long serialVersionUID = 1L;

    NamespaceNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
