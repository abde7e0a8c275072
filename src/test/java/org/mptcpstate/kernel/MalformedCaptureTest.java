package org.mptcpstate.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcpstate.netlink.MalformedMessageException;
import org.mptcpstate.netlink.NetlinkMessage;
import org.mptcpstate.netlink.RtNetlink;
import org.mptcpstate.testing.Captures;
import org.mptcpstate.testing.RawNetlink;
import org.mptcpstate.testing.RawNetlink.Span;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Broken input derived from the captured kernel replies: cut datagrams, cut messages, lengths that lie, values
 * of the wrong size. Every case must end in {@link MalformedMessageException} (or, for a decoder that reads
 * what it can, a result), never in ArrayIndexOutOfBounds, BufferUnderflow or IllegalArgument.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MalformedCaptureTest {
    private static final int FAMILY = Captures.oracleFamilyId();

    private static List<NetlinkMessage> parse(byte[] datagram) {
        return NetlinkMessage.parseAll(ByteBuffer.wrap(datagram));
    }

    /** Decodes with the fitting decoder; only MalformedMessageException may come out. */
    private static boolean decodesOrIsMalformed(NetlinkMessage message, String capture, String what) {
        try {
            Decoders.decode(message, Decoders.isRoute(capture), FAMILY);
            return true;
        } catch (MalformedMessageException e) {
            return false;
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }

    @Test
    void everyCaptureDecodesAsItIs() {
        for (String capture : Captures.all()) {
            for (NetlinkMessage message : Captures.messages(capture)) {
                assertThatCode(() -> Decoders.decode(message, Decoders.isRoute(capture), FAMILY))
                        .as(capture)
                        .doesNotThrowAnyException();
            }
        }
    }

    /** A datagram cut anywhere but between two messages is refused as a whole. */
    @Test
    void truncatedDatagramsAreMalformed() {
        for (String capture : Captures.all()) {
            for (byte[] datagram : Captures.datagrams(capture)) {
                Set<Integer> boundaries = new HashSet<>(List.of(0));
                for (Span message : RawNetlink.messages(datagram)) {
                    boundaries.add(message.offset() + RawNetlink.align(message.length()));
                }
                for (int length = 0; length < datagram.length; length++) {
                    byte[] cut = Arrays.copyOf(datagram, length);
                    if (boundaries.contains(length)) {
                        assertThatCode(() -> parse(cut)).doesNotThrowAnyException();
                    } else {
                        assertThatThrownBy(() -> parse(cut))
                                .as("%s cut to %d bytes", capture, length)
                                .isInstanceOf(MalformedMessageException.class);
                    }
                }
            }
        }
    }

    /**
     * A message cut short with its nlmsg_len made to agree: it frames fine, and its decoder must refuse it
     * whenever the cut falls inside the fixed header or inside an attribute.
     */
    @Test
    void truncatedMessagesAreMalformed() {
        int checked = 0;
        for (String capture : Captures.all()) {
            for (byte[] datagram : Captures.datagrams(capture)) {
                for (Span message : RawNetlink.messages(datagram)) {
                    int header = Decoders.fixedHeader(message.rawType(), Decoders.isRoute(capture), FAMILY);
                    List<Span> attributes = RawNetlink.inside(datagram, message, 16 + header);
                    for (int payload = 0; payload < message.length() - 16; payload++) {
                        byte[] cut = RawNetlink.messageBytes(datagram, message);
                        cut = RawNetlink.withU32(Arrays.copyOf(cut, 16 + payload), 0, 16 + payload);
                        String what = capture + " message type " + message.rawType() + " cut to " + payload;
                        NetlinkMessage parsed = parse(cut).get(0);
                        boolean decoded = decodesOrIsMalformed(parsed, capture, what);
                        if (message.rawType() < 0x10) {
                            continue; // error and done messages: read what is there, never throw
                        }
                        int end = message.offset() + 16 + payload;
                        boolean insideHeader = payload < header;
                        boolean insideAttribute = attributes.stream().anyMatch(a -> a.offset() < end && end < a.end());
                        if (insideHeader || insideAttribute) {
                            assertThat(decoded).as(what).isFalse();
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4, 8, 15, -1, -16, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void anImpossibleNlmsgLenIsMalformed(int length) {
        for (String capture : Captures.all()) {
            for (byte[] datagram : Captures.datagrams(capture)) {
                byte[] patched = RawNetlink.withU32(datagram, 0, length);
                assertThatThrownBy(() -> parse(patched)).as(capture).isInstanceOf(MalformedMessageException.class);
            }
        }
    }

    @Test
    void anNlmsgLenLargerThanTheDatagramIsMalformed() {
        for (String capture : Captures.all()) {
            for (byte[] datagram : Captures.datagrams(capture)) {
                List<Span> messages = RawNetlink.messages(datagram);
                Span last = messages.get(messages.size() - 1);
                for (int extra : new int[] {1, 4, 4096}) {
                    byte[] patched = RawNetlink.withU32(datagram, last.offset(), last.length() + extra);
                    assertThatThrownBy(() -> parse(patched))
                            .as("%s +%d", capture, extra)
                            .isInstanceOf(MalformedMessageException.class)
                            .hasMessageContaining("claims length");
                }
            }
        }
    }

    /** Every top-level attribute of every data message in turn claims more than is left, or less than 4. */
    @Test
    void anAttributeLengthThatLiesIsMalformed() {
        int checked = 0;
        for (String capture : Captures.all()) {
            for (byte[] datagram : Captures.datagrams(capture)) {
                for (Span message : RawNetlink.messages(datagram)) {
                    if (message.rawType() < 0x10) {
                        continue;
                    }
                    byte[] alone = RawNetlink.messageBytes(datagram, message);
                    int header = Decoders.fixedHeader(message.rawType(), Decoders.isRoute(capture), FAMILY);
                    for (Span attribute : RawNetlink.inside(alone, new Span(0, alone.length, 0), 16 + header)) {
                        int tooLong = alone.length - attribute.offset() + 1;
                        for (int length : new int[] {0, 1, 2, 3, tooLong, 0xffff}) {
                            byte[] patched = RawNetlink.withU16(alone, attribute.offset(), length);
                            NetlinkMessage parsed = parse(patched).get(0);
                            String what = capture + " attribute " + attribute.type() + " length " + length;
                            assertThat(decodesOrIsMalformed(parsed, capture, what))
                                    .as(what)
                                    .isFalse();
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(300);
    }

    /** Inside IFLA_LINKINFO: the kind attribute claims more than the nest holds. */
    @Test
    void anAttributeLongerThanItsNestIsMalformed() {
        for (byte[] datagram : Captures.datagrams("rtnl-link-dump")) {
            for (Span message : RawNetlink.messages(datagram)) {
                if (message.rawType() != RtNetlink.RTM_NEWLINK) {
                    continue;
                }
                byte[] alone = RawNetlink.messageBytes(datagram, message);
                Span linkinfo = RawNetlink.find(RawNetlink.inside(alone, new Span(0, alone.length, 0), 32), 18);
                if (linkinfo == null) {
                    continue;
                }
                Span kind = RawNetlink.inside(alone, linkinfo, 4).get(0);
                byte[] patched = RawNetlink.withU16(alone, kind.offset(), linkinfo.end() - kind.offset() + 4);
                assertThatThrownBy(() -> RtNetlink.parseLink(parse(patched).get(0)))
                        .isInstanceOf(MalformedMessageException.class)
                        .hasMessageContaining("claims length");
            }
        }
    }

    /** A fixed-size value of the wrong size, in every message that carries the attribute. */
    @ParameterizedTest(name = "{0} attribute {1} given {2} value bytes")
    @CsvSource({
        "rtnl-addr-dump,       8, 2", // IFA_FLAGS, u32
        "rtnl-addr-dump,       8, 3",
        "rtnl-addr-dump,       2, 3", // IFA_LOCAL, 4 bytes (IPv4)
        "rtnl-route-dump-main, 4, 2", // RTA_OIF, u32
        "rtnl-route-dump-main, 15, 2", // RTA_TABLE, u32
        "rtnl-link-dump,       16, 2", // IFLA_OPERSTATE, u8
        "genl-resolve-mptcp_pm, 3, 2", // CTRL_ATTR_VERSION, u32
        "mptcp-get-limits,     3, 2", // SUBFLOWS, u32
        "mptcp-get-limits,     2, 2"
    }) // RCV_ADD_ADDRS, u32
    void aValueOfTheWrongSizeIsMalformed(String capture, int type, int valueBytes) {
        int checked = 0;
        for (byte[] datagram : Captures.datagrams(capture)) {
            for (Span message : RawNetlink.messages(datagram)) {
                if (message.rawType() < 0x10) {
                    continue;
                }
                byte[] alone = RawNetlink.messageBytes(datagram, message);
                int header = Decoders.fixedHeader(message.rawType(), Decoders.isRoute(capture), FAMILY);
                Span attribute =
                        RawNetlink.find(RawNetlink.inside(alone, new Span(0, alone.length, 0), 16 + header), type);
                if (attribute == null || 4 + valueBytes > RawNetlink.align(attribute.length())) {
                    continue;
                }
                byte[] patched = RawNetlink.withU16(alone, attribute.offset(), 4 + valueBytes);
                assertThatThrownBy(() -> Decoders.decode(parse(patched).get(0), Decoders.isRoute(capture), FAMILY))
                        .isInstanceOf(MalformedMessageException.class);
                checked++;
            }
        }
        if (checked == 0) {
            fail("no message of " + capture + " carries attribute " + type);
        }
    }

    @Test
    void aMessageShorterThanItsFixedHeaderIsMalformed() {
        for (String capture : List.of(
                "rtnl-link-dump",
                "rtnl-addr-dump",
                "rtnl-route-dump-main",
                "genl-resolve-mptcp_pm",
                "mptcp-get-addr-dump",
                "mptcp-get-limits")) {
            NetlinkMessage message = Captures.dataMessages(capture).get(0);
            int header = Decoders.fixedHeader(message.type(), Decoders.isRoute(capture), FAMILY);
            for (int size = 0; size < header; size++) {
                NetlinkMessage shorter = new NetlinkMessage(
                        message.type(),
                        message.flags(),
                        message.sequence(),
                        message.portId(),
                        ByteBuffer.wrap(new byte[size]));
                assertThatThrownBy(() -> Decoders.decode(shorter, Decoders.isRoute(capture), FAMILY))
                        .as("%s with %d bytes", capture, size)
                        .isInstanceOf(MalformedMessageException.class);
            }
        }
    }
}
