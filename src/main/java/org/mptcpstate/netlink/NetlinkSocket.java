package org.mptcpstate.netlink;

import com.sun.jna.LastErrorException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A netlink socket of one protocol, bound to a kernel-assigned port id, with CAP_ACK, EXT_ACK and strict
 * checking enabled. Requests are answered in full: dumps are read to NLMSG_DONE and redone when the kernel
 * flags them interrupted; a datagram larger than the buffer grows the buffer instead of being truncated.
 * Not thread-safe: one socket per thread (a namespace is entered per thread).
 */
public final class NetlinkSocket implements AutoCloseable {
    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_GENERIC = 16;

    private static final int SOCKADDR_NL_SIZE = 12;
    private static final int INITIAL_BUFFER = 32 * 1024;
    private static final int DUMP_ATTEMPTS = 5;

    private final int fd;
    private final int portId;
    /** Null for a real socket; set only by tests, which feed datagrams instead of the kernel. */
    private final Transport transport;
    private ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(INITIAL_BUFFER);
    private ByteBuffer sendBuffer = ByteBuffer.allocateDirect(4096);
    private int sequence;
    private boolean closed;
    private Consumer<byte[]> tap;

    private NetlinkSocket(int fd, int portId) {
        this.fd = fd;
        this.portId = portId;
        this.transport = null;
        this.sequence = (int) (System.nanoTime() & 0x3fffffff);
    }

    /**
     * Where a test socket's requests go and its datagrams come from, in place of send(2) and recv(2). The
     * test seam: the socket's logic (sequence matching, dump retries, error decoding) runs unchanged on it.
     */
    interface Transport {
        /** One request, as it would be sent: a whole netlink message. */
        void send(byte[] message);

        /** The next datagram, as recv(2) would return it. */
        byte[] receive();
    }

    /** A socket on {@code transport} with port id {@code portId}, for tests; no descriptor is opened. */
    NetlinkSocket(Transport transport, int portId, int firstSequence) {
        this.fd = -1;
        this.portId = portId;
        this.transport = transport;
        this.sequence = firstSequence;
    }

    /** Opens and binds a socket of the given netlink protocol (NETLINK_ROUTE, NETLINK_GENERIC). */
    public static NetlinkSocket open(int protocol) {
        int fd;
        try {
            fd = LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, protocol);
        } catch (LastErrorException e) {
            throw new SystemCallException("socket(AF_NETLINK, protocol " + protocol + ")", e.getErrorCode());
        }
        try {
            setOption(fd, LibC.NETLINK_CAP_ACK, "NETLINK_CAP_ACK");
            setOption(fd, LibC.NETLINK_EXT_ACK, "NETLINK_EXT_ACK");
            setOption(fd, LibC.NETLINK_GET_STRICT_CHK, "NETLINK_GET_STRICT_CHK");
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
            int portId = ByteBuffer.wrap(address).order(ByteOrder.nativeOrder()).getInt(4);
            return new NetlinkSocket(fd, portId);
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    private static void setOption(int fd, int option, String name) {
        setOption(fd, option, 1, name);
    }

    private static void setOption(int fd, int option, int value, String name) {
        try {
            LibC.setsockopt(fd, LibC.SOL_NETLINK, option, new int[] {value}, 4);
        } catch (LastErrorException e) {
            throw new SystemCallException("setsockopt(" + name + ")", e.getErrorCode());
        }
    }

    /**
     * Starts loading the native binding in the background, so that the first socket does not wait for JNA's
     * start-up. Harmless when it is already loaded; a failure is reported by the first socket.
     */
    public static void prepare() {
        LibC.bindInBackground();
    }

    public int portId() {
        return portId;
    }

    /** Sees every datagram received, as raw bytes; for capturing kernel replies in tests. */
    public void tap(Consumer<byte[]> tap) {
        this.tap = tap;
    }

    /** Joins a multicast group by number (rtnetlink groups, or a generic netlink family's group id). */
    public void joinGroup(int group) {
        setOption(fd, LibC.NETLINK_ADD_MEMBERSHIP, group, "NETLINK_ADD_MEMBERSHIP " + group);
    }

    /**
     * A dump request: every message of the reply, in order, read to NLMSG_DONE. Redone from the start when
     * the kernel marks the dump interrupted (the object list changed while it was read).
     */
    public List<NetlinkMessage> dump(int type, byte[] payload) {
        for (int attempt = 1; attempt <= DUMP_ATTEMPTS; attempt++) {
            int seq = send(type, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_DUMP, payload);
            List<NetlinkMessage> replies = new ArrayList<>();
            if (!receiveUntilDone(seq, type, replies)) {
                return replies;
            }
        }
        throw new DumpInterruptedException("dump of message type " + type + " was interrupted " + DUMP_ATTEMPTS
                + " times in a row; the kernel's objects keep changing");
    }

    /**
     * A request that is acknowledged: returns the replies that came before the ack (none for most writes,
     * one for a get), and throws {@link KernelErrorException} when the kernel refuses.
     */
    public List<NetlinkMessage> request(int type, int flags, byte[] payload) {
        int seq = send(type, NetlinkMessage.NLM_F_REQUEST | NetlinkMessage.NLM_F_ACK | flags, payload);
        List<NetlinkMessage> replies = new ArrayList<>();
        while (true) {
            for (NetlinkMessage message : receiveFor(seq)) {
                if (message.type() == NetlinkMessage.NLMSG_ERROR) {
                    int errno = -message.payload().getInt(0);
                    if (errno != 0) {
                        throw kernelError(message, errno);
                    }
                    return replies;
                }
                if (message.type() == NetlinkMessage.NLMSG_DONE) {
                    return replies;
                }
                if (message.type() != NetlinkMessage.NLMSG_NOOP) {
                    replies.add(message);
                }
            }
        }
    }

    /** Reads one datagram and returns its messages, for event listeners; blocks until one arrives. */
    public List<NetlinkMessage> receive() {
        return NetlinkMessage.parseAll(receiveDatagram());
    }

    /** What {@link #await(long, Wakeup)} saw. */
    public enum Readiness {
        /** A datagram (or an error such as ENOBUFS) is waiting on the socket. */
        READABLE,
        /** The wake-up was signalled (and consumed). */
        WOKEN,
        /** Nothing happened within the timeout. */
        TIMEOUT
    }

    /**
     * Waits at most {@code timeoutMillis} (negative: no limit) until the socket can be read or {@code wakeup}
     * (may be null) is signalled. poll(2): nothing is read. EINTR counts as a timeout.
     */
    public Readiness await(long timeoutMillis, Wakeup wakeup) {
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
                return Readiness.TIMEOUT;
            }
            throw new SystemCallException("poll(netlink)", e.getErrorCode());
        }
        if (ready <= 0) {
            return Readiness.TIMEOUT;
        }
        if (wakeup != null && view.getShort(14) != 0) {
            wakeup.clear();
            return Readiness.WOKEN;
        }
        return Readiness.READABLE;
    }

    /**
     * Reads one datagram if one arrives within {@code timeoutMillis} (0: only what is already queued) and
     * returns its messages; an empty list when none came. Throws {@link SystemCallException} with ENOBUFS when
     * the kernel dropped events because the socket's buffer overflowed.
     */
    public List<NetlinkMessage> receive(long timeoutMillis) {
        if (timeoutMillis > 0 && await(timeoutMillis, null) != Readiness.READABLE) {
            return List.of();
        }
        ByteBuffer datagram = receiveDatagram(LibC.MSG_DONTWAIT);
        return datagram == null ? List.of() : NetlinkMessage.parseAll(datagram);
    }

    private boolean receiveUntilDone(int seq, int requestType, List<NetlinkMessage> replies) {
        boolean interrupted = false;
        while (true) {
            for (NetlinkMessage message : receiveFor(seq)) {
                if ((message.flags() & NetlinkMessage.NLM_F_DUMP_INTR) != 0) {
                    interrupted = true;
                }
                switch (message.type()) {
                    case NetlinkMessage.NLMSG_DONE -> {
                        int errno = message.payload().remaining() >= 4 ? -message.payload().getInt(0) : 0;
                        if (errno > 0) {
                            throw kernelError(message, errno);
                        }
                        return interrupted;
                    }
                    case NetlinkMessage.NLMSG_ERROR -> {
                        int errno = -message.payload().getInt(0);
                        if (errno != 0) {
                            throw kernelError(message, errno);
                        }
                        return interrupted;
                    }
                    case NetlinkMessage.NLMSG_OVERRUN -> throw new NetlinkException(
                            "netlink overrun while dumping message type " + requestType);
                    case NetlinkMessage.NLMSG_NOOP -> {
                    }
                    default -> replies.add(message);
                }
            }
        }
    }

    /** The messages of the next datagram that answer request {@code seq}; stale answers are dropped. */
    private List<NetlinkMessage> receiveFor(int seq) {
        while (true) {
            List<NetlinkMessage> all = NetlinkMessage.parseAll(receiveDatagram());
            List<NetlinkMessage> ours = new ArrayList<>(all.size());
            for (NetlinkMessage message : all) {
                if (message.portId() != portId && message.portId() != 0) {
                    throw new MalformedMessageException("reply addressed to port " + message.portId()
                            + ", this socket is port " + portId);
                }
                if (message.sequence() != seq) {
                    continue; // answers an earlier request that was abandoned
                }
                if (message.type() == NetlinkMessage.NLMSG_ERROR && message.payload().remaining() < 4) {
                    throw new MalformedMessageException("error message (type " + NetlinkMessage.NLMSG_ERROR
                            + ") without an error code");
                }
                ours.add(message);
            }
            if (!ours.isEmpty()) {
                return ours;
            }
        }
    }

    private ByteBuffer receiveDatagram() {
        return receiveDatagram(0);
    }

    /** One datagram; with MSG_DONTWAIT in {@code flags}, null when none is queued. */
    private ByteBuffer receiveDatagram(int flags) {
        ensureOpen();
        if (transport != null) {
            byte[] datagram = transport.receive();
            if (tap != null) {
                tap.accept(datagram.clone());
            }
            return ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        }
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
            if (tap != null) {
                tap.accept(copy.clone());
            }
            return ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder());
        }
    }

    private int send(int type, int flags, byte[] payload) {
        ensureOpen();
        int seq = ++sequence;
        byte[] message = NetlinkMessage.encode(type, flags, seq, payload);
        if (transport != null) {
            transport.send(message);
            return seq;
        }
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
        return seq;
    }

    private static KernelErrorException kernelError(NetlinkMessage message, int errno) {
        return new KernelErrorException(errno, extendedAckMessage(message));
    }

    /** The NLMSGERR_ATTR_MSG text of an error or done message, or null. */
    static String extendedAckMessage(NetlinkMessage message) {
        if ((message.flags() & NetlinkMessage.NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        ByteBuffer payload = message.payload();
        int offset = 4;
        if (message.type() == NetlinkMessage.NLMSG_ERROR) {
            if (payload.remaining() < 4 + NetlinkMessage.HEADER) {
                return null;
            }
            int echoed = payload.getInt(payload.position() + 4);
            if ((message.flags() & NetlinkMessage.NLM_F_CAPPED) != 0) {
                offset += NetlinkMessage.HEADER;
            } else if (echoed < NetlinkMessage.HEADER || echoed > payload.remaining() - 4) {
                return null; // an echoed request that cannot be there; also keeps align() from overflowing
            } else {
                offset += AttributeDecoder.align(echoed);
            }
        }
        if (offset > payload.remaining()) {
            return null;
        }
        AttributeDecoder attributes = AttributeDecoder.of(message.payloadFrom(offset), "extended ack");
        String text = null;
        while (attributes.next()) {
            if (attributes.type() == 1) {
                text = attributes.string();
            }
        }
        return text;
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
            if (transport != null) {
                return;
            }
            try {
                LibC.close(fd);
            } catch (LastErrorException e) {
                // nothing useful to do: the descriptor is gone either way
            }
        }
    }
}
