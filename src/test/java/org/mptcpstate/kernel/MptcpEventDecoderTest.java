package org.mptcpstate.kernel;

import org.junit.jupiter.api.Test;
import org.mptcpstate.netlink.AttributeEncoder;
import org.mptcpstate.netlink.GenericNetlink;
import org.mptcpstate.netlink.MalformedMessageException;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mptcp_pm events from attribute bytes built as the kernel builds them (ports big-endian). */
class MptcpEventDecoderTest {
    private static GenericNetlink.Message message(int command, byte[] attributes) {
        return new GenericNetlink.Message(
                command, 1, ByteBuffer.wrap(attributes).order(ByteOrder.nativeOrder()));
    }

    @Test
    void subEstablishedCarriesAddressesBigEndianPortsIdsAndInterface() throws Exception {
        byte[] attributes = new AttributeEncoder()
                .u32(MptcpEventDecoder.ATTR_TOKEN, 0xdeadbeef)
                .u16(MptcpEventDecoder.ATTR_FAMILY, 2)
                .u8(MptcpEventDecoder.ATTR_LOC_ID, 1)
                .u8(MptcpEventDecoder.ATTR_REM_ID, 7)
                .bytes(
                        MptcpEventDecoder.ATTR_SADDR4,
                        InetAddress.getByName("198.51.100.1").getAddress())
                .bytes(
                        MptcpEventDecoder.ATTR_DADDR4,
                        InetAddress.getByName("198.51.100.2").getAddress())
                .u16BigEndian(MptcpEventDecoder.ATTR_SPORT, 40000)
                .u16BigEndian(MptcpEventDecoder.ATTR_DPORT, 5201)
                .u8(MptcpEventDecoder.ATTR_BACKUP, 1)
                .s32(MptcpEventDecoder.ATTR_IF_IDX, 3)
                .u32(99, 1) // an attribute of a newer kernel: skipped
                .toBytes();
        MptcpEvent event = MptcpEventDecoder.decode(message(MptcpEvent.SUB_ESTABLISHED, attributes))
                .withInterfaceName("eth1");
        assertThat(event.name()).isEqualTo("sub-established");
        assertThat(event.tokenHex()).isEqualTo("deadbeef");
        assertThat(event.localPort()).isEqualTo(40000);
        assertThat(event.remotePort()).isEqualTo(5201);
        assertThat(org.mptcpstate.cli.EventPrinterAccess.text(event))
                .isEqualTo("sub-established token=deadbeef"
                        + " family=ipv4 local=198.51.100.1:40000 remote=198.51.100.2:5201 loc-id=1 rem-id=7 backup=true"
                        + " interface=eth1");
    }

    @Test
    void ipv6AndResetAttributes() throws Exception {
        byte[] attributes = new AttributeEncoder()
                .u32(MptcpEventDecoder.ATTR_TOKEN, 1)
                .u16(MptcpEventDecoder.ATTR_FAMILY, 10)
                .bytes(
                        MptcpEventDecoder.ATTR_SADDR6,
                        InetAddress.getByName("2001:db8::1").getAddress())
                .bytes(
                        MptcpEventDecoder.ATTR_DADDR6,
                        InetAddress.getByName("2001:db8::2").getAddress())
                .u16BigEndian(MptcpEventDecoder.ATTR_SPORT, 443)
                .u16BigEndian(MptcpEventDecoder.ATTR_DPORT, 50000)
                .u8(MptcpEventDecoder.ATTR_ERROR, 104)
                .u32(MptcpEventDecoder.ATTR_RESET_REASON, 1)
                .u32(MptcpEventDecoder.ATTR_RESET_FLAGS, 2)
                .s32(MptcpEventDecoder.ATTR_IF_IDX, 9)
                .toBytes();
        MptcpEvent event = MptcpEventDecoder.decode(message(MptcpEvent.SUB_CLOSED, attributes));
        assertThat(org.mptcpstate.cli.EventPrinterAccess.text(event))
                .isEqualTo("sub-closed token=00000001"
                        + " family=ipv6 local=[2001:db8::1]:443 remote=[2001:db8::2]:50000 interface=#9 error=104"
                        + " reset-reason=1 reset-flags=0x2");
        assertThat(org.mptcpstate.cli.EventPrinterAccess.json(event))
                .isEqualTo("{\"event\":\"sub-closed\","
                        + "\"token\":\"00000001\",\"family\":\"ipv6\",\"local-address\":\"2001:db8::1\",\"local-port\":443,"
                        + "\"remote-address\":\"2001:db8::2\",\"remote-port\":50000,\"interface-index\":9,\"error\":104,"
                        + "\"reset-reason\":1,\"reset-flags\":2}\n");
    }

    @Test
    void unknownEventTypesAndMalformedAddresses() {
        assertThat(MptcpEventDecoder.decode(message(42, new byte[0])).name()).isEqualTo("event-42");
        byte[] bad = new AttributeEncoder()
                .bytes(MptcpEventDecoder.ATTR_SADDR4, new byte[3])
                .toBytes();
        assertThatThrownBy(() -> MptcpEventDecoder.decode(message(MptcpEvent.CREATED, bad)))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("saddr4 is 3 bytes");
    }
}
