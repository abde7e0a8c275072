package org.mptcpstate.kernel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.mptcpstate.netlink.MalformedMessageException;
import org.mptcpstate.netlink.NetlinkMessage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Jazzer: any bytes as a received datagram go through NetlinkMessage.parseAll and every decoder
 * ({@link Decoders#decodeWithAll}); only {@link MalformedMessageException} may escape, and it is the expected
 * refusal. The same bytes are also decoded as one message's payload, past the framing check. In `mvn verify`
 * this runs the seed corpus in src/test/resources/org/mptcpstate/kernel/NetlinkDecoderFuzzTestInputs
 * (captured kernel replies); JAZZER_FUZZ=1 fuzzes.
 */
class NetlinkDecoderFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void anyDatagram(byte[] input) {
        try {
            for (NetlinkMessage message : NetlinkMessage.parseAll(ByteBuffer.wrap(input))) {
                Decoders.decodeWithAll(message);
            }
        } catch (MalformedMessageException expected) {
            // refused as a whole
        }
        if (input.length >= 16) {
            int type = Short.toUnsignedInt(ByteBuffer.wrap(input)
                    .order(java.nio.ByteOrder.nativeOrder())
                    .getShort(4));
            int flags = Short.toUnsignedInt(ByteBuffer.wrap(input)
                    .order(java.nio.ByteOrder.nativeOrder())
                    .getShort(6));
            Decoders.decodeWithAll(new NetlinkMessage(
                    type, flags, 0, 0, ByteBuffer.wrap(Arrays.copyOfRange(input, 16, input.length))));
        }
    }
}
