package org.mptcpstate.netlink;

import com.sun.jna.LastErrorException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An eventfd that another thread (a signal handler) writes to wake a thread blocked in
 * {@link NetlinkSocket#await(long, Wakeup)}. {@link #signal()} is safe from any thread.
 */
public final class Wakeup implements AutoCloseable {
    private static final byte[] ONE =
            ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, 1).array();

    private final int fd;
    private volatile boolean closed;

    private Wakeup(int fd) {
        this.fd = fd;
    }

    public static Wakeup open() {
        try {
            return new Wakeup(LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC));
        } catch (LastErrorException e) {
            throw new SystemCallException("eventfd", e.getErrorCode());
        }
    }

    int fd() {
        return fd;
    }

    /** Wakes the waiting thread (or makes its next wait return at once). */
    public void signal() {
        if (closed) {
            return;
        }
        try {
            LibC.write(fd, ONE.clone(), 8);
        } catch (LastErrorException e) {
            // EAGAIN: the counter is already huge, a wake-up is pending anyway
        }
    }

    /** Consumes pending wake-ups. */
    void clear() {
        try {
            LibC.read(fd, new byte[8], 8);
        } catch (LastErrorException e) {
            // EAGAIN: nothing pending
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.close(fd);
            } catch (LastErrorException e) {
                // gone either way
            }
        }
    }
}
