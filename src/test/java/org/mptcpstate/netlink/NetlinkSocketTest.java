package org.mptcpstate.netlink;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The socket's own logic on scripted datagrams (the {@link NetlinkSocket.Transport} seam): dump retries on
 * NLM_F_DUMP_INTR, replies that do not parse, and kernel errors with extended-ack text.
 */
class NetlinkSocketTest {
    private static final int PORT = 4242;
    private static final int RTM_NEWADDR = 20;
    private static final int RTM_GETADDR = 22;
    private static final int NLM_F_MULTI = 0x2;

    /** Answers each request with the datagrams a script makes for it, given the request's sequence number. */
    private static final class Scripted implements Transport {
        final List<byte[]> sent = new ArrayList<>();
        final Deque<byte[]> queued = new ArrayDeque<>();
        final List<IntFunction<List<byte[]>>> answers;

        Scripted(List<IntFunction<List<byte[]>>> answers) {
            this.answers = answers;
        }

        @Override
        public void send(byte[] message) {
            int seq = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder()).getInt(8);
            queued.addAll(answers.get(Math.min(sent.size(), answers.size() - 1)).apply(seq));
            sent.add(message);
        }

        @Override
        public byte[] receive() {
            assertThat(queued)
                    .as("a datagram is waiting (the socket reads no more than was sent)")
                    .isNotEmpty();
            return queued.poll();
        }

        @Override
        public int portId() {
            return PORT;
        }

        @Override
        public byte[] receiveIfQueued() {
            return queued.poll();
        }

        @Override
        public NetlinkSocket.Readiness await(long timeoutMillis, Wakeup wakeup) {
            return queued.isEmpty() ? NetlinkSocket.Readiness.TIMEOUT : NetlinkSocket.Readiness.READABLE;
        }

        @Override
        public void joinGroup(int group) {
            throw new UnsupportedOperationException("a scripted socket joins no group");
        }

        @Override
        public void close() {}
    }

    private static byte[] message(int type, int flags, int seq, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(NetlinkMessage.HEADER + AttributeDecoder.align(payload.length))
                .order(ByteOrder.nativeOrder());
        out.putInt(NetlinkMessage.HEADER + payload.length)
                .putShort((short) type)
                .putShort((short) flags)
                .putInt(seq)
                .putInt(PORT)
                .put(payload);
        return out.array();
    }

    private static byte[] datagram(byte[]... messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] message : messages) {
            out.writeBytes(message);
        }
        return out.toByteArray();
    }

    private static byte[] done(int seq, int flags) {
        return message(NetlinkMessage.NLMSG_DONE, NLM_F_MULTI | flags, seq, new byte[4]);
    }

    /** A dump answered with {@code count} address messages, all flagged interrupted or none. */
    private static IntFunction<List<byte[]>> dumpReply(int count, boolean interrupted) {
        int flags = NLM_F_MULTI | (interrupted ? NetlinkMessage.NLM_F_DUMP_INTR : 0);
        return seq -> {
            List<byte[]> datagrams = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                datagrams.add(message(RTM_NEWADDR, flags, seq, new byte[] {(byte) i, 0, 0, 0}));
            }
            datagrams.add(done(seq, interrupted ? NetlinkMessage.NLM_F_DUMP_INTR : 0));
            return datagrams;
        };
    }

    private static NetlinkSocket socket(Scripted transport) {
        return new NetlinkSocket(transport, 100);
    }

    @Test
    void anInterruptedDumpIsRedoneAndTheCleanResultReturned() {
        Scripted transport = new Scripted(List.of(dumpReply(3, true), dumpReply(2, false)));
        try (NetlinkSocket socket = socket(transport)) {
            List<NetlinkMessage> replies = socket.dump(RTM_GETADDR, new byte[8]);
            assertThat(transport.sent).as("the dump was requested twice").hasSize(2);
            assertThat(replies).hasSize(2);
            assertThat(replies).allSatisfy(m -> assertThat(m.type()).isEqualTo(RTM_NEWADDR));
            assertThat(replies.get(1).payload().get(0)).isEqualTo((byte) 1);
        }
    }

    @Test
    void anInterruptionFlaggedOnlyOnDoneAlsoRedoesTheDump() {
        IntFunction<List<byte[]>> onlyDone = seq -> List.of(datagram(
                message(RTM_NEWADDR, NLM_F_MULTI, seq, new byte[4]), done(seq, NetlinkMessage.NLM_F_DUMP_INTR)));
        Scripted transport = new Scripted(List.of(onlyDone, dumpReply(1, false)));
        try (NetlinkSocket socket = socket(transport)) {
            assertThat(socket.dump(RTM_GETADDR, new byte[8])).hasSize(1);
            assertThat(transport.sent).hasSize(2);
        }
    }

    @Test
    void fiveInterruptedDumpsInARowFailClearly() {
        Scripted transport = new Scripted(List.of(dumpReply(2, true)));
        try (NetlinkSocket socket = socket(transport)) {
            assertThatThrownBy(() -> socket.dump(RTM_GETADDR, new byte[8]))
                    .isInstanceOf(DumpInterruptedException.class)
                    .hasMessage("dump of message type 22 was interrupted 5 times in a row; the kernel's objects keep"
                            + " changing");
            assertThat(transport.sent).hasSize(5);
        }
    }

    @Test
    void aTruncatedReplyIsAMalformedMessageNamingItsType() {
        IntFunction<List<byte[]>> truncated = seq -> {
            byte[] whole = message(RTM_NEWADDR, NLM_F_MULTI, seq, new byte[40]);
            byte[] cut = java.util.Arrays.copyOf(whole, 30);
            return List.of(cut);
        };
        try (NetlinkSocket socket = socket(new Scripted(List.of(truncated)))) {
            assertThatThrownBy(() -> socket.dump(RTM_GETADDR, new byte[8]))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessage("message type 20 claims length 56 with 30 bytes left");
        }
    }

    @Test
    void aDatagramEndingInAPartialHeaderIsMalformed() {
        IntFunction<List<byte[]>> partial = seq ->
                List.of(datagram(message(RTM_NEWADDR, NLM_F_MULTI, seq, new byte[4]), new byte[] {8, 0, 0, 0, 3, 0}));
        try (NetlinkSocket socket = socket(new Scripted(List.of(partial)))) {
            assertThatThrownBy(() -> socket.dump(RTM_GETADDR, new byte[8]))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("too few for a netlink header");
        }
    }

    @Test
    void anErrorWithoutItsCodeIsMalformedNamingTheType() {
        IntFunction<List<byte[]>> shortError = seq -> List.of(message(NetlinkMessage.NLMSG_ERROR, 0, seq, new byte[2]));
        try (NetlinkSocket socket = socket(new Scripted(List.of(shortError)))) {
            assertThatThrownBy(() -> socket.request(RTM_NEWADDR, 0, new byte[8]))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessage("error message (type 2) without an error code");
        }
    }

    /** NLMSG_ERROR, capped (only the request's header echoed), with NLMSGERR_ATTR_MSG. */
    private static IntFunction<List<byte[]>> errorWithExtAck(int errno, String text) {
        return seq -> {
            byte[] string = (text + "\0").getBytes(StandardCharsets.UTF_8);
            ByteBuffer payload = ByteBuffer.allocate(
                            4 + NetlinkMessage.HEADER + 4 + AttributeDecoder.align(string.length))
                    .order(ByteOrder.nativeOrder());
            payload.putInt(-errno);
            payload.putInt(NetlinkMessage.HEADER + 8)
                    .putShort((short) RTM_NEWADDR)
                    .putShort((short) 5)
                    .putInt(seq)
                    .putInt(0);
            payload.putShort((short) (4 + string.length)).putShort((short) 1).put(string);
            return List.of(message(
                    NetlinkMessage.NLMSG_ERROR,
                    NetlinkMessage.NLM_F_CAPPED | NetlinkMessage.NLM_F_ACK_TLVS,
                    seq,
                    payload.array()));
        };
    }

    @Test
    void anErrorWithExtendedAckIsAKernelErrorWithItsText() {
        try (NetlinkSocket socket = socket(new Scripted(List.of(errorWithExtAck(22, "Invalid prefix length"))))) {
            assertThatThrownBy(() -> socket.request(RTM_NEWADDR, 0, new byte[8]))
                    .isInstanceOfSatisfying(KernelErrorException.class, e -> {
                        assertThat(e.errno()).isEqualTo(22);
                        assertThat(e.kernelMessage()).isEqualTo("Invalid prefix length");
                    })
                    .hasMessage("kernel refused: Invalid prefix length (EINVAL)");
        }
    }

    @Test
    void aDumpRefusedWithExtendedAckIsAKernelErrorToo() {
        try (NetlinkSocket socket = socket(new Scripted(List.of(errorWithExtAck(95, "not supported here"))))) {
            assertThatThrownBy(() -> socket.dump(RTM_GETADDR, new byte[8]))
                    .isInstanceOf(KernelErrorException.class)
                    .hasMessageContaining("not supported here");
        }
    }

    @Test
    void repliesToAnEarlierRequestAreSkipped() {
        IntFunction<List<byte[]>> stale = seq -> List.of(
                message(RTM_NEWADDR, NLM_F_MULTI, seq - 1, new byte[4]),
                message(NetlinkMessage.NLMSG_ERROR, 0, seq, new byte[20]));
        try (NetlinkSocket socket = socket(new Scripted(List.of(stale)))) {
            assertThat(socket.request(RTM_NEWADDR, 0, new byte[8])).isEmpty();
        }
    }
}
