package org.mptcpstate.kernel;

/** The running kernel has no MPTCP (no sysctls, no mptcp_pm family). */
public final class MptcpUnsupportedException extends KernelException {
    private static final long serialVersionUID = 1L;

    public MptcpUnsupportedException(String message) {
        super(message);
    }
}
