package org.mptcpstate.netlink;

/**
 * The kernel answered a request with an error: an errno, and when the kernel gave one, its extended-ack text.
 * The message reads like {@code kernel refused: too many addresses or duplicate one: -34 (EINVAL)}.
 */
public final class KernelErrorException extends NetlinkException {
    private final int errno;
    private final String kernelMessage;

    public KernelErrorException(int errno, String kernelMessage) {
        super(format(errno, kernelMessage));
        this.errno = errno;
        this.kernelMessage = kernelMessage;
    }

    /** "kernel refused: TEXT (NAME)": the kernel's text, or strerror's words when it sent none, and the errno's name. */
    public static String format(int errno, String kernelMessage) {
        return "kernel refused: " + Errno.explain(errno, kernelMessage);
    }

    public int errno() {
        return errno;
    }

    /** The extended-ack message, or null when the kernel sent none. */
    public String kernelMessage() {
        return kernelMessage;
    }
}
