package org.mptcpstate.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Byte-level access to captured netlink datagrams, independent of the product's decoders: finding messages and
 * attributes by offset, and patching or splicing bytes to derive malformed or unusual inputs from real ones.
 * Everything is in native byte order, as netlink is.
 */
public final class RawNetlink {
    public static final int MESSAGE_HEADER = 16;
    public static final int ATTRIBUTE_HEADER = 4;

    private RawNetlink() {}

    /** A message or attribute found at {@code offset} in a byte array; {@code length} is its own length field. */
    public record Span(int offset, int length, int rawType) {
        public int type() {
            return rawType & 0x3fff;
        }

        public boolean nestedBit() {
            return (rawType & 0x8000) != 0;
        }

        public int end() {
            return offset + length;
        }
    }

    /** The messages of a datagram (offset, nlmsg_len, nlmsg_type). */
    public static List<Span> messages(byte[] datagram) {
        List<Span> spans = new ArrayList<>();
        int at = 0;
        while (at + MESSAGE_HEADER <= datagram.length) {
            int length = u32(datagram, at);
            spans.add(new Span(at, length, u16(datagram, at + 4)));
            at += align(length);
        }
        return spans;
    }

    /** The attributes between {@code from} and {@code to} (offset, nla_len, raw nla_type). */
    public static List<Span> attributes(byte[] data, int from, int to) {
        List<Span> spans = new ArrayList<>();
        int at = from;
        while (at + ATTRIBUTE_HEADER <= to) {
            int length = u16(data, at);
            spans.add(new Span(at, length, u16(data, at + 2)));
            if (length < ATTRIBUTE_HEADER) {
                break;
            }
            at += align(length);
        }
        return spans;
    }

    /** The attributes inside a nest (or after a fixed header of {@code skip} bytes in a message). */
    public static List<Span> inside(byte[] data, Span container, int skip) {
        return attributes(data, container.offset() + skip, container.end());
    }

    public static Span find(List<Span> spans, int type) {
        return spans.stream().filter(s -> s.type() == type).findFirst().orElse(null);
    }

    public static byte[] value(byte[] data, Span attribute) {
        return Arrays.copyOfRange(data, attribute.offset() + ATTRIBUTE_HEADER, attribute.end());
    }

    public static int align(int length) {
        return (length + 3) & ~3;
    }

    public static int u16(byte[] data, int offset) {
        return Short.toUnsignedInt(buffer(data).getShort(offset));
    }

    public static int u32(byte[] data, int offset) {
        return buffer(data).getInt(offset);
    }

    public static byte[] withU16(byte[] data, int offset, int value) {
        byte[] copy = data.clone();
        buffer(copy).putShort(offset, (short) value);
        return copy;
    }

    public static byte[] withU32(byte[] data, int offset, int value) {
        byte[] copy = data.clone();
        buffer(copy).putInt(offset, value);
        return copy;
    }

    /**
     * Inserts {@code inserted} at {@code at} and grows by its length the u32 length of the message at
     * {@code messageOffset} and the u16 lengths of the enclosing attributes at {@code nestOffsets}.
     */
    public static byte[] insert(byte[] data, int at, byte[] inserted, int messageOffset, int... nestOffsets) {
        byte[] out = new byte[data.length + inserted.length];
        System.arraycopy(data, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(data, at, out, at + inserted.length, data.length - at);
        ByteBuffer b = buffer(out);
        b.putInt(messageOffset, b.getInt(messageOffset) + inserted.length);
        for (int nest : nestOffsets) {
            b.putShort(nest, (short) (Short.toUnsignedInt(b.getShort(nest)) + inserted.length));
        }
        return out;
    }

    /** An attribute (header, value, zero padding) built by hand. */
    public static byte[] attribute(int rawType, byte[] value) {
        byte[] out = new byte[align(ATTRIBUTE_HEADER + value.length)];
        buffer(out).putShort(0, (short) (ATTRIBUTE_HEADER + value.length)).putShort(2, (short) rawType);
        System.arraycopy(value, 0, out, ATTRIBUTE_HEADER, value.length);
        return out;
    }

    /** A single message copied out of a datagram, as its own datagram. */
    public static byte[] messageBytes(byte[] datagram, Span message) {
        return Arrays.copyOfRange(datagram, message.offset(), message.end());
    }

    public static ByteBuffer buffer(byte[] data) {
        return ByteBuffer.wrap(data).order(ByteOrder.nativeOrder());
    }
}
