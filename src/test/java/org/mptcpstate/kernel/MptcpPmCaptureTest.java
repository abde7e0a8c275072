package org.mptcpstate.kernel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.mptcpstate.netlink.AttributeDecoder;
import org.mptcpstate.netlink.GenericNetlink;
import org.mptcpstate.netlink.MalformedMessageException;
import org.mptcpstate.netlink.NetlinkMessage;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.state.KernelEndpoint;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.Snapshot.Limits;
import org.mptcpstate.testing.Captures;
import org.mptcpstate.testing.RawNetlink;
import org.mptcpstate.testing.RawNetlink.Span;
import tools.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * mptcp_pm replies captured from a real namespace, decoded with {@link MptcpPm}, compared with what iproute2
 * printed for the same namespace ({@code ip -j mptcp endpoint show}, {@code ip mptcp limits}).
 */
class MptcpPmCaptureTest {
    private static final String DUMP = "mptcp-get-addr-dump";
    private static final String LIMITS = "mptcp-get-limits";
    private static final String GET_ONE = "mptcp-get-addr-id-3";
    private static final int GET_ONE_ID = 3;
    private static final int GENL_HEADER = 4;

    /** The get-addr replies of a capture: every data message must be of the mptcp_pm family genl named. */
    private static List<NetlinkMessage> replies(String capture) {
        int family = Captures.oracleFamilyId();
        List<NetlinkMessage> data = Captures.dataMessages(capture);
        assertThat(data).isNotEmpty().allSatisfy(m -> assertThat(m.type()).isEqualTo(family));
        return data;
    }

    private static KernelEndpoint decode(NetlinkMessage message) {
        return MptcpPm.decodeEndpoint(GenericNetlink.messages(List.of(message)).get(0));
    }

    private static JsonNode oracleEndpoints() {
        return Captures.oracleJson("ip-mptcp-endpoint-show.json");
    }

    private static JsonNode oracleEndpoint(int id) {
        for (JsonNode endpoint : oracleEndpoints()) {
            if (endpoint.get("id").asInt() == id) {
                return endpoint;
            }
        }
        throw new AssertionError("iproute2 showed no endpoint " + id);
    }

    private static int oraclePort(JsonNode endpoint) {
        return endpoint.has("port") ? endpoint.get("port").asInt() : 0;
    }

    static void assertEndpointMatches(KernelEndpoint decoded, JsonNode oracle) {
        String what = "endpoint " + oracle;
        assertThat(decoded.id()).as(what + ": id").isEqualTo(oracle.get("id").asInt());
        assertThat(IpAddresses.format(decoded.address()))
                .as(what + ": address")
                .isEqualTo(oracle.get("address").asString());
        assertThat(decoded.port()).as(what + ": port").isEqualTo(oraclePort(oracle));
        assertThat(decoded.flags().bits()).as(what + ": flag bits").isEqualTo(Captures.oracleFlagBits(oracle));
        assertThat(decoded.flags().names()).as(what + ": flag names").containsAll(Captures.oracleFlagNames(oracle));
        assertThat(decoded.interfaceIndex()).as(what + ": interface index").isEqualTo(Captures.oracleIfindex(oracle));
    }

    @Test
    void theCaptureCoversEveryKindOfEndpointTheBriefAsksFor() {
        Set<String> flags = new TreeSet<>();
        boolean port = false;
        boolean dev = false;
        boolean ipv6 = false;
        int bits = 0;
        for (JsonNode endpoint : oracleEndpoints()) {
            flags.addAll(Captures.oracleFlagNames(endpoint));
            port |= endpoint.has("port");
            dev |= endpoint.has("dev");
            ipv6 |= endpoint.get("address").asString().contains(":");
            bits |= Captures.oracleFlagBits(endpoint);
        }
        assertThat(flags).contains("signal", "subflow", "backup", "fullmesh");
        assertThat(port).isTrue();
        assertThat(dev).isTrue();
        assertThat(ipv6).isTrue();
        assertThat(bits & MptcpFlag.LAMINAR.bit())
                .as("a laminar endpoint (iproute2 6.1 prints it as rawflags)")
                .isNotZero();
    }

    @Test
    void everyEndpointOfTheDumpMatchesIproute2InOrder() {
        JsonNode oracle = oracleEndpoints();
        List<NetlinkMessage> messages = replies(DUMP);
        assertThat(messages).hasSize(oracle.size());
        for (int i = 0; i < messages.size(); i++) {
            assertEndpointMatches(decode(messages.get(i)), oracle.get(i));
        }
    }

    @Test
    void everyFlagBitTheKernelReportedHasAName() {
        for (NetlinkMessage message : replies(DUMP)) {
            KernelEndpoint endpoint = decode(message);
            assertThat(endpoint.flags().unknownBits())
                    .as("endpoint %d", endpoint.id())
                    .isZero();
            assertThat(endpoint.flags().names()).noneMatch(name -> name.startsWith("0x"));
        }
    }

    @Test
    void limitsMatchIproute2() {
        String[] words = Captures.oracleText("ip-mptcp-limits.txt").strip().split("\\s+");
        Map<String, Integer> oracle = new HashMap<>();
        for (int i = 0; i + 1 < words.length; i += 2) {
            oracle.put(words[i], Integer.parseInt(words[i + 1]));
        }
        assertThat(oracle).containsOnlyKeys("subflows", "add_addr_accepted");
        Limits limits =
                MptcpPm.decodeLimits(GenericNetlink.messages(replies(LIMITS)).get(0));
        assertThat(limits.subflows()).isEqualTo(oracle.get("subflows"));
        assertThat(limits.addAddrAccepted()).isEqualTo(oracle.get("add_addr_accepted"));
    }

    /** A get (do) with NLM_F_ACK: the reply comes in one datagram, the ack (error 0) in the next. */
    @Test
    void aGetIsAnsweredByTheReplyThenTheAck() {
        for (String capture : List.of(GET_ONE, LIMITS)) {
            List<byte[]> datagrams = Captures.datagrams(capture);
            assertThat(datagrams).as(capture).hasSize(2);
            List<NetlinkMessage> reply = NetlinkMessage.parseAll(ByteBuffer.wrap(datagrams.get(0)));
            List<NetlinkMessage> ack = NetlinkMessage.parseAll(ByteBuffer.wrap(datagrams.get(1)));
            assertThat(reply).hasSize(1);
            assertThat(reply.get(0).type()).isEqualTo(Captures.oracleFamilyId());
            assertThat(reply.get(0).flags() & NetlinkMessage.NLM_F_MULTI).isZero();
            assertThat(ack).hasSize(1);
            assertThat(ack.get(0).type()).isEqualTo(NetlinkMessage.NLMSG_ERROR);
            assertThat(ack.get(0).payload().getInt(0))
                    .as("error code of the ack")
                    .isZero();
            assertThat(ack.get(0).sequence()).isEqualTo(reply.get(0).sequence());
        }
        assertEndpointMatches(decode(replies(GET_ONE).get(0)), oracleEndpoint(GET_ONE_ID));
    }

    @Test
    void theAddrNestCarriesTheNestedBitAndTheDecoderMasksIt() {
        for (byte[] datagram : Captures.datagrams(DUMP)) {
            for (Span message : RawNetlink.messages(datagram)) {
                if (message.rawType() != Captures.oracleFamilyId()) {
                    continue;
                }
                List<Span> top = RawNetlink.inside(datagram, message, RawNetlink.MESSAGE_HEADER + GENL_HEADER);
                assertThat(top).hasSize(1);
                assertThat(top.get(0).rawType())
                        .as("raw nla_type of the ADDR nest")
                        .isEqualTo(MptcpPm.ATTR_ADDR | 0x8000);
            }
        }
        for (NetlinkMessage message : replies(DUMP)) {
            AttributeDecoder top =
                    GenericNetlink.messages(List.of(message)).get(0).decoder("test");
            assertThat(top.next()).isTrue();
            assertThat(top.type()).isEqualTo(MptcpPm.ATTR_ADDR);
            assertThat(top.nestedFlag()).isTrue();
        }
    }

    /** Per endpoint, in dump order: the ADDR nest of each reply message. */
    private static List<Nest> rawNests() {
        List<Nest> nests = new ArrayList<>();
        for (byte[] datagram : Captures.datagrams(DUMP)) {
            for (Span message : RawNetlink.messages(datagram)) {
                if (message.rawType() == Captures.oracleFamilyId()) {
                    Span addr = RawNetlink.inside(datagram, message, RawNetlink.MESSAGE_HEADER + GENL_HEADER)
                            .get(0);
                    nests.add(new Nest(datagram, message, addr, RawNetlink.inside(datagram, addr, 4)));
                }
            }
        }
        return nests;
    }

    private record Nest(byte[] datagram, Span message, Span addr, List<Span> attributes) {}

    @Test
    void ifIdxIsSentOnlyForEndpointsBoundToADevice() {
        List<Nest> nests = rawNests();
        JsonNode oracle = oracleEndpoints();
        assertThat(nests).hasSize(oracle.size());
        for (int i = 0; i < nests.size(); i++) {
            Nest nest = nests.get(i);
            Span ifIdx = RawNetlink.find(nest.attributes(), MptcpPm.ADDR_IF_IDX);
            int expected = Captures.oracleIfindex(oracle.get(i));
            if (expected == 0) {
                assertThat(ifIdx).as("if-idx of %s", oracle.get(i)).isNull();
            } else {
                assertThat(ifIdx).as("if-idx of %s", oracle.get(i)).isNotNull();
                assertThat(RawNetlink.u32(nest.datagram(), ifIdx.offset() + 4)).isEqualTo(expected);
            }
        }
    }

    @Test
    void thePortIsInHostByteOrder() {
        List<Nest> nests = rawNests();
        JsonNode oracle = oracleEndpoints();
        boolean sawPort = false;
        for (int i = 0; i < nests.size(); i++) {
            Span port = RawNetlink.find(nests.get(i).attributes(), MptcpPm.ADDR_PORT);
            int expected = oraclePort(oracle.get(i));
            if (port == null) {
                assertThat(expected).isZero();
                continue;
            }
            byte[] value = RawNetlink.value(nests.get(i).datagram(), port);
            assertThat(value).hasSize(2);
            int hostOrder = Short.toUnsignedInt(
                    ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getShort());
            int networkOrder = Short.toUnsignedInt(
                    ByteBuffer.wrap(value).order(ByteOrder.BIG_ENDIAN).getShort());
            assertThat(hostOrder)
                    .as("port of %s read in host order", oracle.get(i))
                    .isEqualTo(expected);
            if (expected != 0 && ByteOrder.nativeOrder() != ByteOrder.BIG_ENDIAN) {
                sawPort = true;
                assertThat(networkOrder)
                        .as("reading it in network order would be wrong")
                        .isNotEqualTo(expected);
            }
        }
        assertThat(sawPort).isTrue();
    }

    @Test
    void unknownAttributesInsideAndBesideTheNestAreSkipped() {
        JsonNode oracle = oracleEndpoints();
        List<Nest> nests = rawNests();
        for (int i = 0; i < nests.size(); i++) {
            Nest nest = nests.get(i);
            byte[] message = RawNetlink.messageBytes(nest.datagram(), nest.message());
            int base = nest.message().offset();
            int nestAt = nest.addr().offset() - base;
            byte[] unknownU32 = RawNetlink.attribute(99, new byte[] {1, 2, 3, 4});
            byte[] unknownString = RawNetlink.attribute(0x3ffe, new byte[] {'x', 'y', 'z'});
            byte[] unknownNest = RawNetlink.attribute(98 | 0x8000, RawNetlink.attribute(1, new byte[] {7}));
            // first inside the nest, then at its end, then after it at top level
            byte[] patched = RawNetlink.insert(message, nestAt + 4, unknownU32, 0, nestAt);
            int nestEnd = nestAt + RawNetlink.u16(patched, nestAt);
            patched = RawNetlink.insert(patched, nestEnd, unknownNest, 0, nestAt);
            patched = RawNetlink.insert(patched, patched.length, unknownString, 0);
            List<NetlinkMessage> parsed = NetlinkMessage.parseAll(ByteBuffer.wrap(patched));
            assertThat(parsed).hasSize(1);
            assertEndpointMatches(decode(parsed.get(0)), oracle.get(i));
        }
    }

    @Test
    void aU32FlagsAttributeOfTwoBytesIsMalformed() {
        Nest nest = rawNests().get(0);
        Span flags = RawNetlink.find(nest.attributes(), MptcpPm.ADDR_FLAGS);
        byte[] message = RawNetlink.messageBytes(nest.datagram(), nest.message());
        byte[] patched =
                RawNetlink.withU16(message, flags.offset() - nest.message().offset(), 6);
        NetlinkMessage parsed =
                NetlinkMessage.parseAll(ByteBuffer.wrap(patched)).get(0);
        assertThatThrownBy(() -> decode(parsed))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("should hold 4 bytes, holds 2");
    }

    @Test
    void aU8IdOfTwoBytesIsMalformed() {
        Nest nest = rawNests().get(0);
        Span id = RawNetlink.find(nest.attributes(), MptcpPm.ADDR_ID);
        byte[] message = RawNetlink.messageBytes(nest.datagram(), nest.message());
        byte[] patched =
                RawNetlink.withU16(message, id.offset() - nest.message().offset(), 6);
        NetlinkMessage parsed =
                NetlinkMessage.parseAll(ByteBuffer.wrap(patched)).get(0);
        assertThatThrownBy(() -> decode(parsed)).isInstanceOf(MalformedMessageException.class);
    }

    @Test
    void aU32LimitOfTwoBytesIsMalformed() {
        byte[] datagram = Captures.datagrams(LIMITS).get(0);
        Span message = RawNetlink.messages(datagram).get(0);
        for (Span attribute : RawNetlink.inside(datagram, message, RawNetlink.MESSAGE_HEADER + GENL_HEADER)) {
            byte[] patched = RawNetlink.withU16(datagram, attribute.offset(), 6);
            NetlinkMessage parsed =
                    NetlinkMessage.parseAll(ByteBuffer.wrap(patched)).get(0);
            assertThatThrownBy(() -> MptcpPm.decodeLimits(
                            GenericNetlink.messages(List.of(parsed)).get(0)))
                    .as("limit attribute %d cut to 2 bytes", attribute.type())
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("should hold 4 bytes, holds 2");
        }
    }

    @Test
    void aFamilyThatDisagreesWithTheAddressSizeIsMalformed() {
        for (Nest nest : rawNests()) {
            Span family = RawNetlink.find(nest.attributes(), MptcpPm.ADDR_FAMILY);
            int value = RawNetlink.u16(nest.datagram(), family.offset() + 4);
            int other = value == MptcpPm.AF_INET ? MptcpPm.AF_INET6 : MptcpPm.AF_INET;
            byte[] message = RawNetlink.messageBytes(nest.datagram(), nest.message());
            byte[] patched = RawNetlink.withU16(
                    message, family.offset() + 4 - nest.message().offset(), other);
            NetlinkMessage parsed =
                    NetlinkMessage.parseAll(ByteBuffer.wrap(patched)).get(0);
            assertThatThrownBy(() -> decode(parsed))
                    .isInstanceOf(MalformedMessageException.class)
                    .hasMessageContaining("-byte address for family " + other);
        }
    }

    @Test
    void aReplyWithoutTheAddrNestIsMalformed() {
        Nest nest = rawNests().get(0);
        byte[] message = RawNetlink.messageBytes(nest.datagram(), nest.message());
        int typeAt = nest.addr().offset() - nest.message().offset() + 2;
        byte[] patched = RawNetlink.withU16(message, typeAt, 99 | 0x8000);
        NetlinkMessage parsed =
                NetlinkMessage.parseAll(ByteBuffer.wrap(patched)).get(0);
        assertThatThrownBy(() -> decode(parsed))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("no address attribute");
    }

    @Test
    void aNestLongerThanItsMessageIsMalformed() {
        Nest nest = rawNests().get(0);
        byte[] message = RawNetlink.messageBytes(nest.datagram(), nest.message());
        int nestAt = nest.addr().offset() - nest.message().offset();
        byte[] patched = RawNetlink.withU16(message, nestAt, message.length - nestAt + 4);
        NetlinkMessage parsed =
                NetlinkMessage.parseAll(ByteBuffer.wrap(patched)).get(0);
        assertThatThrownBy(() -> decode(parsed))
                .isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("claims length");
    }

    @Test
    void theLaminarAddWasAcknowledgedWithoutExtendedAck() {
        Assumptions.assumeTrue(
                Captures.exists("mptcp-add-addr-laminar"),
                "iproute2 made the laminar endpoint itself, so its add was not captured");
        List<NetlinkMessage> messages = Captures.messages("mptcp-add-addr-laminar");
        assertThat(messages).hasSize(1);
        NetlinkMessage ack = messages.get(0);
        assertThat(ack.type()).isEqualTo(NetlinkMessage.NLMSG_ERROR);
        assertThat(ack.payload().getInt(0)).isZero();
        assertThat(ack.flags() & NetlinkMessage.NLM_F_CAPPED)
                .as("NETLINK_CAP_ACK: request not echoed in full")
                .isNotZero();
        assertThat(ack.flags() & NetlinkMessage.NLM_F_ACK_TLVS).isZero();
    }
}
