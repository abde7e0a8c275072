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
    private int attributeStart;

    public AttributeEncoder u8(int type, int value) {
        if (begin(type, 1)) {
            buffer.put((byte) value);
            end();
        }
        return this;
    }

    public AttributeEncoder u16(int type, int value) {
        if (begin(type, 2)) {
            buffer.putShort((short) value);
            end();
        }
        return this;
    }

    public AttributeEncoder u16BigEndian(int type, int value) {
        if (begin(type, 2)) {
            buffer.put((byte) (value >>> 8)).put((byte) value);
            end();
        }
        return this;
    }

    public AttributeEncoder u32(int type, int value) {
        if (begin(type, 4)) {
            buffer.putInt(value);
            end();
        }
        return this;
    }

    public AttributeEncoder s32(int type, int value) {
        return u32(type, value);
    }

    /** A NUL-terminated UTF-8 string. */
    public AttributeEncoder string(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (begin(type, bytes.length + 1)) {
            buffer.put(bytes).put((byte) 0);
            end();
        }
        return this;
    }

    public AttributeEncoder bytes(int type, byte[] value) {
        if (begin(type, value.length)) {
            buffer.put(value);
            end();
        }
        return this;
    }

    /** A nest: the body writes the inner attributes; the header gets NLA_F_NESTED. */
    public AttributeEncoder nested(int type, Consumer<AttributeEncoder> body) {
        AttributeEncoder inner = new AttributeEncoder();
        body.accept(inner);
        return nested(type, inner);
    }

    /** A nest holding the attributes {@code inner} encoded (and its first problem, if any). */
    public AttributeEncoder nested(int type, AttributeEncoder inner) {
        if (type < 0 || type > AttributeDecoder.TYPE_MASK) {
            recordError("attribute type " + type + " is out of range");
            return this;
        }
        if (inner.error != null) {
            recordError(inner.error);
            return this;
        }
        byte[] content = inner.toBytes();
        if (header(type | AttributeDecoder.NESTED_BIT, content.length)) {
            buffer.put(content);
            end();
        }
        return this;
    }

    /** Writes the header of an attribute of {@code length} value bytes; false (and the error kept) when it cannot. */
    private boolean begin(int type, int length) {
        if (type < 0 || type > AttributeDecoder.TYPE_MASK) {
            recordError("attribute type " + type + " is out of range");
            return false;
        }
        return header(type, length);
    }

    private boolean header(int rawType, int length) {
        if (error != null) {
            return false;
        }
        int total = AttributeDecoder.HEADER + length;
        if (total > MAX_ATTRIBUTE) {
            recordError("attribute " + (rawType & AttributeDecoder.TYPE_MASK) + " value of " + length
                    + " bytes does not fit in an attribute");
            return false;
        }
        ensure(AttributeDecoder.align(total));
        attributeStart = buffer.position();
        buffer.putShort((short) total).putShort((short) rawType);
        return true;
    }

    /** Pads the attribute just written to the 4-byte boundary. */
    private void end() {
        int total = buffer.getShort(attributeStart) & 0xffff;
        buffer.position(attributeStart + AttributeDecoder.align(total));
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
