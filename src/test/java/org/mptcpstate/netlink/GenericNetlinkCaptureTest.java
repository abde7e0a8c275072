package org.mptcpstate.netlink;

import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Captures;
import org.mptcpstate.testing.RawNetlink;
import org.mptcpstate.testing.RawNetlink.Span;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The controller's answer about mptcp_pm, decoded with {@link GenericNetlink}, compared with {@code genl}. */
class GenericNetlinkCaptureTest {
    private static final String RESOLVE = "genl-resolve-mptcp_pm";
    private static final int GENL_ID_CTRL = 0x10;
    private static final int CTRL_ATTR_MCAST_GROUPS = 7;

    private static NetlinkMessage reply() {
        List<NetlinkMessage> data = Captures.dataMessages(RESOLVE);
        assertThat(data).hasSize(1);
        assertThat(data.get(0).type()).isEqualTo(GENL_ID_CTRL);
        return data.get(0);
    }

    @Test
    void familyIdVersionAndGroupsMatchGenl() {
        GenericNetlink.Family family = GenericNetlink.parseFamily(reply());
        assertThat(family.name()).isEqualTo("mptcp_pm");
        assertThat(family.id()).isEqualTo(Captures.oracleFamilyId());
        assertThat(family.version()).isEqualTo(Captures.oracleFamilyVersion());
        assertThat(family.multicastGroups()).isEqualTo(Captures.oracleMulticastGroups());
        assertThat(family.multicastGroups()).containsKey("mptcp_pm_events");
    }

    @Test
    void theResolveIsAnsweredByTheReplyThenTheAck() {
        List<byte[]> datagrams = Captures.datagrams(RESOLVE);
        assertThat(datagrams).hasSize(2);
        List<NetlinkMessage> ack = NetlinkMessage.parseAll(ByteBuffer.wrap(datagrams.get(1)));
        assertThat(ack).hasSize(1);
        assertThat(ack.get(0).type()).isEqualTo(NetlinkMessage.NLMSG_ERROR);
        assertThat(ack.get(0).payload().getInt(0)).isZero();
    }

    /**
     * The controller does not set NLA_F_NESTED on its nests (mptcp_pm does, see MptcpPmCaptureTest): the
     * decoder must descend into a nest whatever that bit says.
     */
    @Test
    void groupNestsAreReadWithoutTheNestedBitAndWithIt() {
        byte[] datagram = Captures.datagrams(RESOLVE).get(0);
        Span message = RawNetlink.messages(datagram).get(0);
        List<Span> attributes = RawNetlink.inside(datagram, message, 16 + GenericNetlink.GENL_HEADER);
        Span groups = RawNetlink.find(attributes, CTRL_ATTR_MCAST_GROUPS);
        assertThat(groups).isNotNull();
        GenericNetlink.Family asSent = GenericNetlink.parseFamily(reply());

        byte[] flipped = RawNetlink.withU16(datagram, groups.offset() + 2, groups.rawType() ^ 0x8000);
        for (Span group : RawNetlink.inside(datagram, groups, 4)) {
            flipped = RawNetlink.withU16(flipped, group.offset() + 2, group.rawType() ^ 0x8000);
        }
        GenericNetlink.Family withBitFlipped = GenericNetlink.parseFamily(
                NetlinkMessage.parseAll(ByteBuffer.wrap(flipped)).get(0));
        assertThat(withBitFlipped.multicastGroups()).isEqualTo(Captures.oracleMulticastGroups());
        assertThat(asSent.multicastGroups()).isEqualTo(Captures.oracleMulticastGroups());
    }

    @Test
    void aFamilyIdOfFourBytesIsMalformed() {
        byte[] datagram = Captures.datagrams(RESOLVE).get(0);
        Span message = RawNetlink.messages(datagram).get(0);
        Span id = RawNetlink.find(RawNetlink.inside(datagram, message, 16 + GenericNetlink.GENL_HEADER), 1);
        byte[] patched = RawNetlink.withU16(datagram, id.offset(), 8);
        NetlinkMessage parsed =
                NetlinkMessage.parseAll(ByteBuffer.wrap(patched)).get(0);
        assertThatThrownBy(() -> GenericNetlink.parseFamily(parsed))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("should hold 2 bytes, holds 4");
    }

    @Test
    void aReplyWithoutFamilyIdIsMalformed() {
        byte[] datagram = Captures.datagrams(RESOLVE).get(0);
        Span message = RawNetlink.messages(datagram).get(0);
        Span id = RawNetlink.find(RawNetlink.inside(datagram, message, 16 + GenericNetlink.GENL_HEADER), 1);
        byte[] patched = RawNetlink.withU16(datagram, id.offset() + 2, 0x3ff0);
        NetlinkMessage parsed =
                NetlinkMessage.parseAll(ByteBuffer.wrap(patched)).get(0);
        assertThatThrownBy(() -> GenericNetlink.parseFamily(parsed))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("no family id");
    }
}
