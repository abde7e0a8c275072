package org.mptcpstate.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Builds a sequence of netlink attributes. Nests get NLA_F_NESTED, as iproute2 sends them. The first problem
 * (a value too large for an attribute, a type out of range) is kept and thrown by {@link #toBytes()}.
 */
public final class AttributeEncoder {
    private static final int MAX_ATTRIBUTE = 0xffff;

    private ByteBuffer buffer = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
    private String error;

    public AttributeEncoder u8(int type, int value) {
        return put(type, 1, b -> b.put((byte) value));
    }

    public AttributeEncoder u16(int type, int value) {
        return put(type, 2, b -> b.putShort((short) value));
    }

    public AttributeEncoder u16BigEndian(int type, int value) {
        return put(type, 2, b -> b.put((byte) (value >>> 8)).put((byte) value));
    }

    public AttributeEncoder u32(int type, int value) {
        return put(type, 4, b -> b.putInt(value));
    }

    public AttributeEncoder s32(int type, int value) {
        return u32(type, value);
    }

    /** A NUL-terminated UTF-8 string. */
    public AttributeEncoder string(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        return put(type, bytes.length + 1, b -> b.put(bytes).put((byte) 0));
    }

    public AttributeEncoder bytes(int type, byte[] value) {
        return put(type, value.length, b -> b.put(value));
    }

    /** A nest: the body writes the inner attributes; the header gets NLA_F_NESTED. */
    public AttributeEncoder nested(int type, Consumer<AttributeEncoder> body) {
        if (type < 0 || type > AttributeDecoder.TYPE_MASK) {
            recordError("attribute type " + type + " is out of range");
            return this;
        }
        AttributeEncoder inner = new AttributeEncoder();
        body.accept(inner);
        if (inner.error != null) {
            recordError(inner.error);
            return this;
        }
        byte[] content = inner.toBytes();
        return header(type | AttributeDecoder.NESTED_BIT, content.length, b -> b.put(content));
    }

    private AttributeEncoder put(int type, int length, Consumer<ByteBuffer> writer) {
        if (type < 0 || type > AttributeDecoder.TYPE_MASK) {
            recordError("attribute type " + type + " is out of range");
            return this;
        }
        return header(type, length, writer);
    }

    private AttributeEncoder header(int rawType, int length, Consumer<ByteBuffer> writer) {
        if (error != null) {
            return this;
        }
        int total = AttributeDecoder.HEADER + length;
        if (total > MAX_ATTRIBUTE) {
            recordError("attribute " + (rawType & AttributeDecoder.TYPE_MASK) + " value of " + length
                    + " bytes does not fit in an attribute");
            return this;
        }
        ensure(AttributeDecoder.align(total));
        int start = buffer.position();
        buffer.putShort((short) total).putShort((short) rawType);
        writer.accept(buffer);
        buffer.position(start + AttributeDecoder.align(total));
        return this;
    }

    private void recordError(String message) {
        if (error == null) {
            error = message;
        }
    }

    private void ensure(int more) {
        if (buffer.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more))
                    .order(ByteOrder.nativeOrder());
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }

    /** The encoded attributes, padding included. */
    public byte[] toBytes() {
        if (error != null) {
            throw new IllegalArgumentException(error);
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }
}
