package org.mptcpstate.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One netlink message: the 16-byte header's fields and the payload that follows it.
 * The payload is a read-only buffer in native byte order, positioned at its start.
 */
public record NetlinkMessage(int type, int flags, int sequence, int portId, ByteBuffer payload) {
    public static final int HEADER = 16;

    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_MULTI = 0x2;
    public static final int NLM_F_ACK = 0x4;
    public static final int NLM_F_DUMP_INTR = 0x10;
    public static final int NLM_F_DUMP = 0x300;
    /** On an error or done message: the original request was not echoed in full. */
    public static final int NLM_F_CAPPED = 0x100;
    /** On an error or done message: extended-ack attributes follow. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    public NetlinkMessage {
        payload = payload.asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /** The payload from {@code offset} on, as a fresh read-only buffer. */
    public ByteBuffer payloadFrom(int offset) {
        if (offset > payload.remaining()) {
            throw new MalformedMessageException("message type " + type + " has a payload of " + payload.remaining()
                    + " bytes, shorter than its " + offset + "-byte header");
        }
        return payload.duplicate().position(payload.position() + offset).slice().order(ByteOrder.nativeOrder());
    }

    /** Encodes a request: header, then the payload bytes. */
    public static byte[] encode(int type, int flags, int sequence, byte[] payload) {
        ByteBuffer out = ByteBuffer.allocate(HEADER + payload.length).order(ByteOrder.nativeOrder());
        out.putInt(HEADER + payload.length)
                .putShort((short) type)
                .putShort((short) flags)
                .putInt(sequence)
                .putInt(0)
                .put(payload);
        return out.array();
    }

    /**
     * Splits one received datagram into its messages. Lengths are checked against what is there; a
     * message that claims more bytes than the datagram holds is rejected, never read past.
     */
    public static List<NetlinkMessage> parseAll(ByteBuffer datagram) {
        ByteBuffer in = datagram.slice().order(ByteOrder.nativeOrder());
        List<NetlinkMessage> messages = new ArrayList<>();
        while (in.remaining() > 0) {
            if (in.remaining() < HEADER) {
                throw new MalformedMessageException(
                        "datagram ends with " + in.remaining() + " bytes, too few for a netlink header");
            }
            int start = in.position();
            int length = in.getInt(start);
            int type = Short.toUnsignedInt(in.getShort(start + 4));
            if (length < HEADER || length > in.remaining()) {
                throw new MalformedMessageException("message type " + type + " claims length "
                        + Integer.toUnsignedString(length) + " with " + in.remaining() + " bytes left");
            }
            int flags = Short.toUnsignedInt(in.getShort(start + 6));
            int sequence = in.getInt(start + 8);
            int portId = in.getInt(start + 12);
            ByteBuffer payload = in.duplicate()
                    .position(start + HEADER)
                    .limit(start + length)
                    .slice();
            messages.add(new NetlinkMessage(type, flags, sequence, portId, payload));
            in.position(Math.min(start + AttributeDecoder.align(length), in.limit()));
        }
        return messages;
    }
}
