package org.mptcpstate.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Walks the netlink attributes (TLVs) of one message or nest.
 *
 * <p>Errors are sticky: a malformed header or a value of the wrong size records the first problem, makes
 * {@link #next()} return false from then on and the accessors return zero values, so a parser can read
 * linearly and call {@link #check()} once at the end. Nested decoders share their parent's error.
 */
public final class AttributeDecoder {
    static final int HEADER = 4;
    static final int NESTED_BIT = 0x8000;
    static final int BYTE_ORDER_BIT = 0x4000;
    static final int TYPE_MASK = 0x3fff;

    private final ByteBuffer area;
    private final String context;
    private final FirstError error;
    private int type;
    private boolean nested;
    /** Where the current attribute's value starts in {@code area}; -1 when there is none. */
    private int valueStart = -1;

    private int valueLength;

    private AttributeDecoder(ByteBuffer area, String context, FirstError error) {
        this.area = area.slice().order(ByteOrder.nativeOrder());
        this.context = context;
        this.error = error;
    }

    /** Decodes the attributes between the buffer's position and limit; the buffer itself is not moved. */
    public static AttributeDecoder of(ByteBuffer area, String context) {
        return new AttributeDecoder(area, context, new FirstError());
    }

    /** Advances to the next attribute; false at the end or once any error is recorded. */
    public boolean next() {
        if (error.message != null || area.remaining() == 0) {
            valueStart = -1;
            return false;
        }
        if (area.remaining() < HEADER) {
            return fail("trailing " + area.remaining() + " bytes are too short for an attribute header");
        }
        int start = area.position();
        int length = Short.toUnsignedInt(area.getShort(start));
        int rawType = Short.toUnsignedInt(area.getShort(start + 2));
        if (length < HEADER || length > area.remaining()) {
            return fail("attribute " + (rawType & TYPE_MASK) + " claims length " + length + " with " + area.remaining()
                    + " bytes left");
        }
        type = rawType & TYPE_MASK;
        nested = (rawType & NESTED_BIT) != 0;
        // positions, not a slice: a slice per attribute was most of the garbage of a 1,000-link dump
        valueStart = start + HEADER;
        valueLength = length - HEADER;
        int aligned = Math.min(align(length), area.remaining());
        area.position(start + aligned);
        return true;
    }

    static int align(int length) {
        return (length + 3) & ~3;
    }

    private boolean fail(String message) {
        error.record(context + ": " + message);
        valueStart = -1;
        return false;
    }

    /** The attribute type with the nested and byte-order bits masked off. */
    public int type() {
        return type;
    }

    /** Whether the sender set NLA_F_NESTED. */
    public boolean nestedFlag() {
        return nested;
    }

    public int length() {
        return valueStart < 0 ? 0 : valueLength;
    }

    private boolean want(int size) {
        if (valueStart < 0) {
            return false;
        }
        if (valueLength != size) {
            fail("attribute " + type + " should hold " + size + " bytes, holds " + valueLength);
            return false;
        }
        return true;
    }

    public int u8() {
        return want(1) ? Byte.toUnsignedInt(area.get(valueStart)) : 0;
    }

    public int u16() {
        return want(2) ? Short.toUnsignedInt(area.getShort(valueStart)) : 0;
    }

    /** A 16-bit value in network byte order (big-endian), as ports are in MPTCP events. */
    public int u16BigEndian() {
        return want(2)
                ? Byte.toUnsignedInt(area.get(valueStart)) << 8 | Byte.toUnsignedInt(area.get(valueStart + 1))
                : 0;
    }

    /** An unsigned 32-bit value; callers that can see values above 2^31 use {@link #u32AsLong()}. */
    public int u32() {
        return want(4) ? area.getInt(valueStart) : 0;
    }

    public long u32AsLong() {
        return Integer.toUnsignedLong(u32());
    }

    public int s32() {
        return want(4) ? area.getInt(valueStart) : 0;
    }

    public long u64() {
        return want(8) ? area.getLong(valueStart) : 0;
    }

    /** A NUL-terminated string; everything from the first NUL on is dropped. */
    public String string() {
        if (valueStart < 0) {
            return "";
        }
        byte[] bytes = bytes();
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    public byte[] bytes() {
        if (valueStart < 0) {
            return new byte[0];
        }
        byte[] out = new byte[valueLength];
        area.get(valueStart, out);
        return out;
    }

    /** The raw value, read-only, in native byte order. */
    public ByteBuffer value() {
        return valueStart < 0
                ? ByteBuffer.allocate(0)
                : slice().asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /** The value as a nest of attributes; its errors are this decoder's errors. */
    public AttributeDecoder nested() {
        ByteBuffer inner = valueStart < 0 ? ByteBuffer.allocate(0) : slice();
        return new AttributeDecoder(inner, context + " > attribute " + type, error);
    }

    private ByteBuffer slice() {
        return area.duplicate()
                .position(valueStart)
                .limit(valueStart + valueLength)
                .slice()
                .order(ByteOrder.nativeOrder());
    }

    /** Records a problem found by the caller (an impossible value, say) as this decoder's error. */
    public void reject(String message) {
        if (error.message == null) {
            fail(message);
        }
    }

    /** The first error recorded, or null. */
    public String error() {
        return error.message;
    }

    /** Throws the first recorded error, if any. */
    public void check() {
        if (error.message != null) {
            throw new MalformedMessageException(error.message);
        }
    }

    private static final class FirstError {
        private String message;

        void record(String text) {
            if (message == null) {
                message = text;
            }
        }
    }
}
