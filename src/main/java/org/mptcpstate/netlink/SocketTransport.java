package org.mptcpstate.netlink;

import com.sun.jna.LastErrorException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A kernel netlink socket of one protocol, bound to a kernel-assigned port id, with CAP_ACK, EXT_ACK and strict
 * checking enabled. A datagram larger than the receive buffer grows the buffer instead of being truncated (but
 * see {@link #receiveIfQueued()}).
 */
final class SocketTransport implements Transport {
    private static final int SOCKADDR_NL_SIZE = 12;
    private static final int INITIAL_BUFFER = 32 * 1024;

    private final int fd;
    private final int portId;
    private ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(INITIAL_BUFFER);
    private ByteBuffer sendBuffer = ByteBuffer.allocateDirect(4096);
    private boolean closed;

    private SocketTransport(int fd, int portId) {
        this.fd = fd;
        this.portId = portId;
    }

    /** Opens and binds a socket of the given netlink protocol (NETLINK_ROUTE, NETLINK_GENERIC). */
    static SocketTransport open(int protocol) {
        int fd;
        try {
            fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw new SystemCallException("socket(AF_NETLINK, protocol " + protocol + ")", e.getErrorCode());
        }
        try {
            setOption(fd, LibC.NETLINK_CAP_ACK, 1, "NETLINK_CAP_ACK");
            setOption(fd, LibC.NETLINK_EXT_ACK, 1, "NETLINK_EXT_ACK");
            setOption(fd, LibC.NETLINK_GET_STRICT_CHK, 1, "NETLINK_GET_STRICT_CHK");
            byte[] address = new byte[SOCKADDR_NL_SIZE];
            ByteBuffer.wrap(address).order(ByteOrder.nativeOrder()).putShort(0, (short) LibC.AF_NETLINK);
            try {
                LibC.bind(fd, address, address.length);
            } catch (LastErrorException e) {
                throw new SystemCallException("bind(AF_NETLINK)", e.getErrorCode());
            }
            int[] length = {SOCKADDR_NL_SIZE};
            try {
                LibC.getsockname(fd, address, length);
            } catch (LastErrorException e) {
                throw new SystemCallException("getsockname(AF_NETLINK)", e.getErrorCode());
            }
            return new SocketTransport(
                    fd, ByteBuffer.wrap(address).order(ByteOrder.nativeOrder()).getInt(4));
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    private static void setOption(int fd, int option, int value, String name) {
        try {
            LibC.setsockopt(fd, LibC.SOL_NETLINK, option, new int[] {value}, 4);
        } catch (LastErrorException e) {
            throw new SystemCallException("setsockopt(" + name + ")", e.getErrorCode());
        }
    }

    @Override
    public int portId() {
        return portId;
    }

    @Override
    public void joinGroup(int group) {
        ensureOpen();
        setOption(fd, LibC.NETLINK_ADD_MEMBERSHIP, group, "NETLINK_ADD_MEMBERSHIP " + group);
    }

    @Override
    public void send(byte[] message) {
        ensureOpen();
        if (sendBuffer.capacity() < message.length) {
            sendBuffer = ByteBuffer.allocateDirect(message.length);
        }
        sendBuffer.clear();
        sendBuffer.put(message).flip();
        long sent;
        try {
            sent = LibC.send(fd, sendBuffer, message.length, 0);
        } catch (LastErrorException e) {
            throw new SystemCallException("send(netlink)", e.getErrorCode());
        }
        if (sent != message.length) {
            throw new NetlinkException("netlink send wrote " + sent + " of " + message.length + " bytes");
        }
    }

    @Override
    public byte[] receive() {
        return receive(0);
    }

    /**
     * One queued datagram, read with one recv(2) and no exception when none is queued: what an event listener
     * does for every event, so it costs one system call and no JNA exception (see LibC.recvQuiet). Without a peek
     * at the size first, a datagram larger than the buffer would be cut: that is reported as ENOBUFS, lost events
     * (an event is a few hundred bytes, the buffer 32 KiB).
     */
    @Override
    public byte[] receiveIfQueued() {
        ensureOpen();
        while (true) {
            long size = LibC.recvQuiet(fd, receiveBuffer, receiveBuffer.capacity(), LibC.MSG_TRUNC | LibC.MSG_DONTWAIT);
            if (size > receiveBuffer.capacity()) {
                throw new SystemCallException(
                        "recv(netlink): a datagram of " + size + " bytes did not fit in " + receiveBuffer.capacity(),
                        Errno.ENOBUFS);
            }
            if (size >= 0) {
                byte[] copy = new byte[(int) size];
                receiveBuffer.duplicate().position(0).limit((int) size).get(copy);
                return copy;
            }
            int errno = LibC.lastError();
            if (errno == Errno.EAGAIN) {
                return null;
            }
            if (errno != Errno.EINTR) {
                throw new SystemCallException("recv(netlink)", errno);
            }
        }
    }

    @Override
    public void receiveBuffer(int bytes) {
        ensureOpen();
        try {
            // root (CAP_NET_ADMIN) may go beyond net.core.rmem_max
            LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, new int[] {bytes}, 4);
        } catch (LastErrorException e) {
            try {
                LibC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_RCVBUF, new int[] {bytes}, 4);
            } catch (LastErrorException again) {
                throw new SystemCallException("setsockopt(SO_RCVBUF)", again.getErrorCode());
            }
        }
    }

    /** One datagram; with MSG_DONTWAIT in {@code flags}, null when none is queued. */
    private byte[] receive(int flags) {
        ensureOpen();
        while (true) {
            long size;
            try {
                size = LibC.recv(fd, receiveBuffer, receiveBuffer.capacity(), LibC.MSG_PEEK | LibC.MSG_TRUNC | flags);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EAGAIN && (flags & LibC.MSG_DONTWAIT) != 0) {
                    return null;
                }
                throw new SystemCallException("recv(netlink, peek)", e.getErrorCode());
            }
            if (size > receiveBuffer.capacity()) {
                receiveBuffer = ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, size + 4096));
                continue;
            }
            long read;
            try {
                read = LibC.recv(fd, receiveBuffer, receiveBuffer.capacity(), flags);
            } catch (LastErrorException e) {
                throw new SystemCallException("recv(netlink)", e.getErrorCode());
            }
            byte[] copy = new byte[(int) read];
            receiveBuffer.duplicate().position(0).limit((int) read).get(copy);
            return copy;
        }
    }

    /** poll(2) on the socket and the wake-up's eventfd; EINTR counts as a timeout. */
    @Override
    public NetlinkSocket.Readiness await(long timeoutMillis, Wakeup wakeup) {
        ensureOpen();
        int count = wakeup == null ? 1 : 2;
        byte[] fds = new byte[8 * count];
        ByteBuffer view = ByteBuffer.wrap(fds).order(ByteOrder.nativeOrder());
        view.putInt(0, fd).putShort(4, LibC.POLLIN);
        if (wakeup != null) {
            view.putInt(8, wakeup.fd()).putShort(12, LibC.POLLIN);
        }
        int timeout = timeoutMillis < 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, timeoutMillis);
        int ready;
        try {
            ready = LibC.poll(fds, count, timeout);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EINTR) {
                return NetlinkSocket.Readiness.TIMEOUT;
            }
            throw new SystemCallException("poll(netlink)", e.getErrorCode());
        }
        if (ready <= 0) {
            return NetlinkSocket.Readiness.TIMEOUT;
        }
        if (wakeup != null && view.getShort(14) != 0) {
            wakeup.clear();
            return NetlinkSocket.Readiness.WOKEN;
        }
        return NetlinkSocket.Readiness.READABLE;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("netlink socket is closed");
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                LibC.close(fd);
            } catch (LastErrorException e) {
                // nothing useful to do: the descriptor is gone either way
            }
        }
    }
}
