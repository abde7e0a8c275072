package org.mptcpstate.netlink;

/**
 * Where a {@link NetlinkSocket}'s requests go and its datagrams come from: the kernel ({@link SocketTransport}),
 * or a test's script. The socket's own logic (sequence matching, dump retries, error decoding) runs unchanged on
 * either: the seam is the connection, below every decision.
 */
interface Transport extends AutoCloseable {
    /** The port id the socket is bound to. */
    int portId();

    /** Sends one request: a whole netlink message. */
    void send(byte[] message);

    /** The next datagram, as recv(2) returns it; blocks until one arrives. */
    byte[] receive();

    /**
     * The next datagram if one is already queued, else null. For event listeners: a datagram too large for the
     * socket's buffer may be reported as ENOBUFS ({@link SystemCallException}), as lost events are.
     */
    byte[] receiveIfQueued();

    /**
     * Waits at most {@code timeoutMillis} (negative: no limit) until a datagram can be read or {@code wakeup}
     * (may be null) is signalled; reads nothing.
     */
    NetlinkSocket.Readiness await(long timeoutMillis, Wakeup wakeup);

    /** Joins a multicast group by number. */
    void joinGroup(int group);

    /** Asks for a receive buffer of this many bytes (the kernel doubles it); a script ignores it. */
    default void receiveBuffer(int bytes) {}

    @Override
    void close();
}
