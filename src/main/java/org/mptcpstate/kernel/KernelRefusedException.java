package org.mptcpstate.kernel;

import org.mptcpstate.netlink.Errno;

/**
 * The kernel refused a request: its errno and, when it gave one, its extended-ack text. The message reads like
 * {@code kernel refused: too many addresses or duplicate one: -17 (EEXIST)}.
 */
public final class KernelRefusedException extends KernelException {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String kernelMessage;

    public KernelRefusedException(int errno, String kernelMessage) {
        this(errno, kernelMessage, null);
    }

    KernelRefusedException(int errno, String kernelMessage, Throwable cause) {
        super(format(errno, kernelMessage), cause);
        this.errno = errno;
        this.kernelMessage = kernelMessage;
    }

    private static String format(int errno, String kernelMessage) {
        return "kernel refused: " + Errno.explain(errno, kernelMessage);
    }

    public int errno() {
        return errno;
    }

    /** The C name of the errno, for example {@code EEXIST}. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The extended-ack message, or null when the kernel sent none. */
    public String kernelMessage() {
        return kernelMessage;
    }
}
