package org.mptcpstate.netlink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mptcpstate.testing.Captures;
import org.mptcpstate.testing.RawNetlink;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * Refused requests: the kernel's error replies, captured, and the text iproute2 printed for the same request
 * ({@code Error: TEXT.}) as the expected extended-ack message.
 */
class ExtendedAckCaptureTest {
    /** Offsets in an NLMSG_ERROR message: header, error code, then the echoed request header. */
    private static final int ERROR_CODE = 16;

    private static final int ECHOED_HEADER = 20;
    private static final int ECHOED_LENGTH = ECHOED_HEADER;

    private static NetlinkMessage errorMessage(String capture) {
        List<NetlinkMessage> messages = Captures.messages(capture);
        assertThat(messages).as(capture).hasSize(1);
        assertThat(messages.get(0).type()).isEqualTo(NetlinkMessage.NLMSG_ERROR);
        return messages.get(0);
    }

    private static NetlinkMessage parseOne(byte[] datagram) {
        List<NetlinkMessage> messages = NetlinkMessage.parseAll(ByteBuffer.wrap(datagram));
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }

    @ParameterizedTest
    @CsvSource({
        "mptcp-add-addr-duplicate-id, ip-mptcp-endpoint-add-duplicate-id.stderr",
        "mptcp-get-addr-unknown-id,   ip-mptcp-endpoint-show-unknown-id.stderr"
    })
    void theExtendedAckTextIsWhatIproute2Printed(String capture, String oracle) {
        String expected = Captures.iproute2ErrorText(oracle);
        NetlinkMessage error = errorMessage(capture);
        assertThat(error.flags() & NetlinkMessage.NLM_F_CAPPED)
                .as("NETLINK_CAP_ACK is on")
                .isNotZero();
        assertThat(error.flags() & NetlinkMessage.NLM_F_ACK_TLVS)
                .as("extended ack follows")
                .isNotZero();
        int errno = -error.payload().getInt(0);
        assertThat(errno).isPositive();

        assertThat(NetlinkSocket.extendedAckMessage(error)).isEqualTo(expected);
        KernelErrorException exception = new KernelErrorException(errno, NetlinkSocket.extendedAckMessage(error));
        assertThat(exception.kernelMessage()).isEqualTo(expected);
        assertThat(exception.errno()).isEqualTo(errno);
        assertThat(exception.getMessage()).contains(expected).contains(Errno.name(errno));
    }

    /** The kernel's text for a duplicate id names the error it met; the error code of the reply is that one. */
    @Test
    void theDuplicateIdErrorCodeIsTheOneTheTextNames() {
        Matcher number = Pattern.compile("(-\\d+)$")
                .matcher(Captures.iproute2ErrorText("ip-mptcp-endpoint-add-duplicate-id.stderr"));
        assertThat(number.find()).isTrue();
        NetlinkMessage error = errorMessage("mptcp-add-addr-duplicate-id");
        assertThat(error.payload().getInt(0)).isEqualTo(Integer.parseInt(number.group(1)));
    }

    /**
     * Without NETLINK_CAP_ACK the kernel echoes the whole request and clears NLM_F_CAPPED. Derived from the
     * captured reply: the echoed request's payload (its length is in the echoed header) is put back as filler.
     */
    @ParameterizedTest
    @CsvSource({
        "mptcp-add-addr-duplicate-id, ip-mptcp-endpoint-add-duplicate-id.stderr",
        "mptcp-get-addr-unknown-id,   ip-mptcp-endpoint-show-unknown-id.stderr"
    })
    void anUncappedEchoIsSkippedByItsLength(String capture, String oracle) {
        byte[] datagram = Captures.datagrams(capture).get(0);
        int echoedLength = RawNetlink.u32(datagram, ECHOED_LENGTH);
        assertThat(echoedLength)
                .as("the echoed header keeps the request's full length")
                .isGreaterThan(16);
        byte[] filler = new byte[RawNetlink.align(echoedLength) - 16];
        byte[] uncapped = RawNetlink.insert(datagram, ECHOED_HEADER + 16, filler, 0);
        int flags = RawNetlink.u16(uncapped, 6) & ~NetlinkMessage.NLM_F_CAPPED;
        uncapped = RawNetlink.withU16(uncapped, 6, flags);
        assertThat(NetlinkSocket.extendedAckMessage(parseOne(uncapped))).isEqualTo(Captures.iproute2ErrorText(oracle));
    }

    @Test
    void withoutAckTlvsTheTextIsNotLookedFor() {
        byte[] datagram = Captures.datagrams("mptcp-add-addr-duplicate-id").get(0);
        byte[] plain = RawNetlink.withU16(datagram, 6, RawNetlink.u16(datagram, 6) & ~NetlinkMessage.NLM_F_ACK_TLVS);
        NetlinkMessage error = parseOne(plain);
        assertThat(NetlinkSocket.extendedAckMessage(error)).isNull();
        int errno = -error.payload().getInt(0);
        assertThat(new KernelErrorException(errno, null).kernelMessage()).isNull();
    }

    /** A done message carries its extended ack right after the error code (there is no echoed request). */
    @Test
    void aDoneMessageCarriesItsTextAfterTheErrorCode() {
        byte[] error = Captures.datagrams("mptcp-get-addr-unknown-id").get(0);
        int ackAttributes = ECHOED_HEADER + 16; // capped echo: header only
        byte[] tlvs = java.util.Arrays.copyOfRange(error, ackAttributes, error.length);
        List<byte[]> dump = Captures.datagrams("mptcp-get-addr-dump");
        byte[] done = dump.get(dump.size() - 1);
        assertThat(RawNetlink.u16(done, 4)).isEqualTo(NetlinkMessage.NLMSG_DONE);
        byte[] withText = RawNetlink.insert(done, done.length, tlvs, 0);
        withText = RawNetlink.withU16(withText, 6, RawNetlink.u16(withText, 6) | NetlinkMessage.NLM_F_ACK_TLVS);
        assertThat(NetlinkSocket.extendedAckMessage(parseOne(withText)))
                .isEqualTo(Captures.iproute2ErrorText("ip-mptcp-endpoint-show-unknown-id.stderr"));
    }

    @Test
    void acksCarryNoText() {
        for (String capture : List.of("mptcp-get-limits", "mptcp-get-addr-id-3", "genl-resolve-mptcp_pm")) {
            List<NetlinkMessage> messages = Captures.messages(capture);
            NetlinkMessage ack = messages.get(messages.size() - 1);
            assertThat(ack.type()).isEqualTo(NetlinkMessage.NLMSG_ERROR);
            assertThat(ack.flags() & NetlinkMessage.NLM_F_ACK_TLVS).isZero();
            assertThat(NetlinkSocket.extendedAckMessage(ack)).isNull();
        }
    }

    /**
     * An uncapped error whose echoed length is impossible (shorter than a header, longer than the message, or
     * past 2^31) must not be followed: no text, and above all no exception from the buffer arithmetic.
     */
    @ParameterizedTest
    @CsvSource({"0", "15", "4096", "2147483645", "2147483647", "-16", "-1"})
    void anImpossibleEchoedLengthGivesNoText(int echoedLength) {
        byte[] datagram = Captures.datagrams("mptcp-add-addr-duplicate-id").get(0);
        byte[] patched = RawNetlink.withU32(datagram, ECHOED_LENGTH, echoedLength);
        patched = RawNetlink.withU16(patched, 6, RawNetlink.u16(patched, 6) & ~NetlinkMessage.NLM_F_CAPPED);
        NetlinkMessage error = parseOne(patched);
        assertThatCode(() -> NetlinkSocket.extendedAckMessage(error)).doesNotThrowAnyException();
        assertThat(NetlinkSocket.extendedAckMessage(error)).isNull();
    }

    @Test
    void truncatedErrorMessagesGiveNoTextAndNoException() {
        for (String capture : List.of("mptcp-add-addr-duplicate-id", "mptcp-get-addr-unknown-id")) {
            byte[] datagram = Captures.datagrams(capture).get(0);
            for (int length = 16; length < datagram.length; length++) {
                byte[] cut = RawNetlink.withU32(java.util.Arrays.copyOf(datagram, length), 0, length);
                NetlinkMessage error = parseOne(cut);
                assertThatCode(() -> NetlinkSocket.extendedAckMessage(error))
                        .as("%s cut to %d", capture, length)
                        .doesNotThrowAnyException();
            }
        }
    }
}
