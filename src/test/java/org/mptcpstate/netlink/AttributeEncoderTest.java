package org.mptcpstate.netlink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcpstate.testing.Captures;
import org.mptcpstate.testing.RawNetlink;
import org.mptcpstate.testing.RawNetlink.Span;
import tools.jackson.databind.JsonNode;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AttributeEncoderTest {
    /** mptcp_pm address-nest attribute numbers (fact sheet section 1; linux/mptcp_pm.h). */
    private static final int ATTR_ADDR = 1;

    private static final int ADDR_FAMILY = 1;
    private static final int ADDR_ID = 2;
    private static final int ADDR_ADDR4 = 3;
    private static final int ADDR_ADDR6 = 4;
    private static final int ADDR_PORT = 5;
    private static final int ADDR_FLAGS = 6;
    private static final int ADDR_IF_IDX = 7;

    private static AttributeDecoder decoder(byte[] bytes) {
        return AttributeDecoder.of(ByteBuffer.wrap(bytes), "test");
    }

    @Test
    void everyKindOfValueRoundTripsThroughTheDecoder() {
        byte[] raw = {9, 8, 7, 6, 5};
        byte[] bytes = new AttributeEncoder()
                .u8(1, 0xfe)
                .u16(2, 0xbeef)
                .u16BigEndian(3, 8443)
                .u32(4, 0xfffffff0)
                .s32(5, -7)
                .string(6, "mptcp_pm_events")
                .bytes(7, raw)
                .nested(8, n -> n.u32(1, 42).nested(2, m -> m.string(1, "inner")))
                .u8(0x3fff, 1)
                .toBytes();
        AttributeDecoder d = decoder(bytes);
        assertThat(d.next()).isTrue();
        assertThat(d.type()).isEqualTo(1);
        assertThat(d.u8()).isEqualTo(0xfe);
        assertThat(d.next()).isTrue();
        assertThat(d.u16()).isEqualTo(0xbeef);
        assertThat(d.next()).isTrue();
        assertThat(d.u16BigEndian()).isEqualTo(8443);
        assertThat(d.next()).isTrue();
        assertThat(d.u32AsLong()).isEqualTo(0xfffffff0L);
        assertThat(d.next()).isTrue();
        assertThat(d.s32()).isEqualTo(-7);
        assertThat(d.next()).isTrue();
        assertThat(d.string()).isEqualTo("mptcp_pm_events");
        assertThat(d.next()).isTrue();
        assertThat(d.bytes()).isEqualTo(raw);
        assertThat(d.next()).isTrue();
        assertThat(d.type()).isEqualTo(8);
        assertThat(d.nestedFlag()).isTrue();
        AttributeDecoder nest = d.nested();
        assertThat(nest.next()).isTrue();
        assertThat(nest.u32()).isEqualTo(42);
        assertThat(nest.next()).isTrue();
        assertThat(nest.nestedFlag()).isTrue();
        AttributeDecoder inner = nest.nested();
        assertThat(inner.next()).isTrue();
        assertThat(inner.string()).isEqualTo("inner");
        assertThat(inner.next()).isFalse();
        assertThat(nest.next()).isFalse();
        assertThat(d.next()).isTrue();
        assertThat(d.type()).isEqualTo(0x3fff);
        assertThat(d.next()).isFalse();
        d.check();
    }

    @Test
    void nothingEncodedIsNoBytes() {
        assertThat(new AttributeEncoder().toBytes()).isEmpty();
        assertThat(decoder(new byte[0]).next()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
    void everyAttributeIsPaddedToFourBytesWithZeros(int size) {
        byte[] value = new byte[size];
        Arrays.fill(value, (byte) 0xff);
        byte[] bytes = new AttributeEncoder().bytes(1, value).u8(2, 0xaa).toBytes();
        int first = RawNetlink.align(4 + size);
        assertThat(bytes).hasSize(first + 8);
        assertThat(RawNetlink.u16(bytes, 0)).as("nla_len counts no padding").isEqualTo(4 + size);
        for (int i = 4 + size; i < first; i++) {
            assertThat(bytes[i]).as("padding byte %d", i).isZero();
        }
        assertThat(RawNetlink.u16(bytes, first)).isEqualTo(5);
        assertThat(RawNetlink.u16(bytes, first + 2)).isEqualTo(2);
        assertThat(Arrays.copyOfRange(bytes, first + 5, first + 8)).containsOnly(0);
    }

    @Test
    void nestsAndOnlyNestsCarryNlaFNested() {
        byte[] bytes = new AttributeEncoder()
                .u32(1, 5)
                .nested(2, n -> n.u8(3, 1).nested(4, m -> m.u8(5, 1)))
                .toBytes();
        List<Span> top = RawNetlink.attributes(bytes, 0, bytes.length);
        assertThat(top).extracting(Span::rawType).containsExactly(1, 2 | 0x8000);
        List<Span> inside = RawNetlink.inside(bytes, top.get(1), 4);
        assertThat(inside).extracting(Span::rawType).containsExactly(3, 4 | 0x8000);
        assertThat(RawNetlink.inside(bytes, inside.get(1), 4))
                .extracting(Span::rawType)
                .containsExactly(5);
        assertThat(top.get(1).length())
                .as("a nest's length covers its padded content")
                .isEqualTo(4 + (inside.get(1).end() - inside.get(0).offset()));
    }

    @Test
    void theLargestValueFitsAndOneByteMoreIsReportedByToBytes() {
        byte[] largest = new AttributeEncoder().bytes(1, new byte[0xffff - 4]).toBytes();
        assertThat(RawNetlink.u16(largest, 0)).isEqualTo(0xffff);
        AttributeDecoder d = decoder(largest);
        assertThat(d.next()).isTrue();
        assertThat(d.length()).isEqualTo(0xffff - 4);

        AttributeEncoder tooLarge =
                new AttributeEncoder().u8(1, 1).bytes(2, new byte[0xffff - 3]).u8(3, 1);
        assertThatThrownBy(tooLarge::toBytes)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute 2")
                .hasMessageContaining("does not fit");
        AttributeEncoder longString = new AttributeEncoder().string(1, "x".repeat(0xffff - 4));
        assertThatThrownBy(longString::toBytes).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aNestTooLargeForItsHeaderIsReportedByToBytes() {
        AttributeEncoder encoder = new AttributeEncoder()
                .nested(1, n -> n.bytes(1, new byte[40_000]).bytes(2, new byte[40_000]));
        assertThatThrownBy(encoder::toBytes)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit");
        AttributeEncoder innerTooLarge = new AttributeEncoder().nested(1, n -> n.bytes(2, new byte[0x10000]));
        assertThatThrownBy(innerTooLarge::toBytes)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("attribute 2");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0x4000, 0x8000, 0x10000})
    void aTypeOutOfRangeIsReportedByToBytes(int type) {
        assertThatThrownBy(new AttributeEncoder().u8(type, 1)::toBytes)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(new AttributeEncoder().nested(type, n -> n.u8(1, 1))::toBytes)
                .as("nest type %d", type)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
    }

    @Test
    void theFirstErrorIsKept() {
        AttributeEncoder encoder = new AttributeEncoder().u8(0x4000, 1).bytes(2, new byte[0x10000]);
        assertThatThrownBy(encoder::toBytes).hasMessageContaining("attribute type 16384 is out of range");
    }

    /** The family-name attribute of the captured controller reply is what the encoder makes of the same name. */
    @Test
    void aStringIsEncodedAsTheKernelEncodesIt() {
        byte[] datagram = Captures.datagrams("genl-resolve-mptcp_pm").get(0);
        Span message = RawNetlink.messages(datagram).get(0);
        Span name = RawNetlink.find(RawNetlink.inside(datagram, message, 16 + GenericNetlink.GENL_HEADER), 2);
        byte[] kernel = Arrays.copyOfRange(datagram, name.offset(), name.offset() + RawNetlink.align(name.length()));
        String family = Captures.oracleText("genl-ctrl-get-mptcp_pm.txt")
                .lines()
                .filter(l -> l.startsWith("Name: "))
                .findFirst()
                .orElseThrow()
                .substring("Name: ".length())
                .strip();
        assertThat(new AttributeEncoder().string(2, family).toBytes()).isEqualTo(kernel);
    }

    /**
     * Every captured ADDR nest, rebuilt with the encoder from what iproute2 printed, in the kernel's attribute
     * order, is byte for byte what the kernel sent: same values, sizes, padding and NLA_F_NESTED.
     */
    @Test
    void everyEndpointNestIsEncodedAsTheKernelEncodedIt() throws Exception {
        JsonNode oracle = Captures.oracleJson("ip-mptcp-endpoint-show.json");
        int family = Captures.oracleFamilyId();
        int index = 0;
        for (byte[] datagram : Captures.datagrams("mptcp-get-addr-dump")) {
            for (Span message : RawNetlink.messages(datagram)) {
                if (message.rawType() != family) {
                    continue;
                }
                JsonNode endpoint = oracle.get(index++);
                Span nest = RawNetlink.inside(datagram, message, 16 + GenericNetlink.GENL_HEADER)
                        .get(0);
                byte[] kernel = Arrays.copyOfRange(datagram, nest.offset(), nest.end());
                InetAddress address =
                        InetAddress.getByName(endpoint.get("address").asString());
                boolean ipv6 = endpoint.get("address").asString().contains(":");
                List<Span> order = RawNetlink.inside(datagram, nest, 4);
                byte[] ours = new AttributeEncoder()
                        .nested(ATTR_ADDR, n -> {
                            for (Span attribute : order) {
                                switch (attribute.type()) {
                                    case ADDR_FAMILY ->
                                        n.u16(ADDR_FAMILY, ipv6 ? RtNetlink.AF_INET6 : RtNetlink.AF_INET);
                                    case ADDR_ID ->
                                        n.u8(ADDR_ID, endpoint.get("id").asInt());
                                    case ADDR_ADDR4, ADDR_ADDR6 -> n.bytes(attribute.type(), address.getAddress());
                                    case ADDR_PORT ->
                                        n.u16(
                                                ADDR_PORT,
                                                endpoint.has("port")
                                                        ? endpoint.get("port").asInt()
                                                        : 0);
                                    case ADDR_FLAGS -> n.u32(ADDR_FLAGS, Captures.oracleFlagBits(endpoint));
                                    case ADDR_IF_IDX -> n.s32(ADDR_IF_IDX, Captures.oracleIfindex(endpoint));
                                    default -> throw new AssertionError("unexpected attribute " + attribute.type());
                                }
                            }
                        })
                        .toBytes();
                assertThat(ours).as("endpoint %s", endpoint).isEqualTo(kernel);
            }
        }
        assertThat(index).isEqualTo(oracle.size());
    }
}
