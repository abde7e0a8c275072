package org.mptcpstate.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A netlink socket of one protocol. Requests are answered in full: dumps are read to NLMSG_DONE and redone when the
 * kernel flags them interrupted; replies are matched to their request by sequence number and port. The bytes go
 * through a {@link Transport}: the kernel's socket, or a test's script. Not thread-safe: one socket per thread (a
 * namespace is entered per thread).
 */
public final class NetlinkSocket implements AutoCloseable {
    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_SOCK_DIAG = 4;
    public static final int NETLINK_GENERIC = 16;

    private static final int DUMP_ATTEMPTS = 5;

    private final Transport transport;
    private int sequence;
    private boolean closed;

    /** A socket over {@code transport}, numbering its requests from {@code firstSequence} + 1. */
    NetlinkSocket(Transport transport, int firstSequence) {
        this.transport = transport;
        this.sequence = firstSequence;
    }

    /** Opens and binds a kernel socket of the given netlink protocol (NETLINK_ROUTE, NETLINK_GENERIC). */
    public static NetlinkSocket open(int protocol) {
        return new NetlinkSocket(SocketTransport.open(protocol), (int) (System.nanoTime() & 0x3fffffff));
    }

    /**
     * Starts loading the native binding in the background, so that the first socket does not wait for JNA's
     * start-up. Harmless when it is already loaded; a failure is reported by the first socket.
     */
    public static void prepare() {
        LibC.bindInBackground();
    }

    /**
     * For a long-running process that reacts to events: binds the system calls of receiving, sending and waiting
     * directly (JNA's direct mapping), which halves their cost but adds about 30 ms to the start. Returns whether
     * it worked (else the calls stay as they were). Call it before the first socket is used.
     */
    public static boolean bindForLongRunning() {
        return LibC.bindDirect();
    }

    public int portId() {
        return transport.portId();
    }

    /** Joins a multicast group by number (rtnetlink groups, or a generic netlink family's group id). */
    public void joinGroup(int group) {
        ensureOpen();
        transport.joinGroup(group);
    }

    /**
     * Asks for a receive buffer of {@code bytes} (SO_RCVBUFFORCE as root, else SO_RCVBUF, capped by
     * net.core.rmem_max): how many queued events the kernel keeps before it drops them (ENOBUFS).
     */
    public void receiveBuffer(int bytes) {
        ensureOpen();
        transport.receiveBuffer(bytes);
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
        return transport.await(timeoutMillis, wakeup);
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
        ensureOpen();
        byte[] datagram = transport.receiveIfQueued();
        return datagram == null ? List.of() : NetlinkMessage.parseAll(wrap(datagram));
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
                        int errno = message.payload().remaining() >= 4
                                ? -message.payload().getInt(0)
                                : 0;
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
                    case NetlinkMessage.NLMSG_OVERRUN ->
                        throw new NetlinkException("netlink overrun while dumping message type " + requestType);
                    case NetlinkMessage.NLMSG_NOOP -> {}
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
                if (message.portId() != transport.portId() && message.portId() != 0) {
                    throw new MalformedMessageException("reply addressed to port " + message.portId()
                            + ", this socket is port " + transport.portId());
                }
                if (message.sequence() != seq) {
                    continue; // answers an earlier request that was abandoned
                }
                if (message.type() == NetlinkMessage.NLMSG_ERROR
                        && message.payload().remaining() < 4) {
                    throw new MalformedMessageException(
                            "error message (type " + NetlinkMessage.NLMSG_ERROR + ") without an error code");
                }
                ours.add(message);
            }
            if (!ours.isEmpty()) {
                return ours;
            }
        }
    }

    private ByteBuffer receiveDatagram() {
        ensureOpen();
        return wrap(transport.receive());
    }

    private static ByteBuffer wrap(byte[] datagram) {
        return ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
    }

    private int send(int type, int flags, byte[] payload) {
        ensureOpen();
        int seq = ++sequence;
        transport.send(NetlinkMessage.encode(type, flags, seq, payload));
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
            transport.close();
        }
    }
}
