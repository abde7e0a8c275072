package org.mptcpstate.netlink;

import java.util.List;

/** The kernel's socket, with a copy of every datagram it receives kept. */
final class RecordingTransport implements Transport {
    private final Transport socket;
    private final List<byte[]> datagrams;

    RecordingTransport(Transport socket, List<byte[]> datagrams) {
        this.socket = socket;
        this.datagrams = datagrams;
    }

    @Override
    public int portId() {
        return socket.portId();
    }

    @Override
    public void send(byte[] message) {
        socket.send(message);
    }

    @Override
    public byte[] receive() {
        return record(socket.receive());
    }

    @Override
    public byte[] receiveIfQueued() {
        return record(socket.receiveIfQueued());
    }

    private byte[] record(byte[] datagram) {
        if (datagram != null) {
            datagrams.add(datagram.clone());
        }
        return datagram;
    }

    @Override
    public NetlinkSocket.Readiness await(long timeoutMillis, Wakeup wakeup) {
        return socket.await(timeoutMillis, wakeup);
    }

    @Override
    public void joinGroup(int group) {
        socket.joinGroup(group);
    }

    @Override
    public void close() {
        socket.close();
    }
}
