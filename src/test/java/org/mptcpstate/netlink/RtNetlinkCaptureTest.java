package org.mptcpstate.netlink;

import org.junit.jupiter.api.Test;
import org.mptcpstate.state.IpAddresses;
import org.mptcpstate.testing.Captures;
import org.mptcpstate.testing.RawNetlink;
import org.mptcpstate.testing.RawNetlink.Span;
import tools.jackson.databind.JsonNode;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * rtnetlink dumps captured from a real namespace, decoded with {@link RtNetlink}, compared with what iproute2
 * printed for the same namespace. The tables below are iproute2's names for kernel numbers (how it renders
 * them), not expected values: the expected side is always the captured iproute2 output.
 */
class RtNetlinkCaptureTest {
    /** iproute2 lib/rt_names.c rtnl_rtscope_n2a. */
    private static final Map<Integer, String> SCOPE_NAMES =
            Map.of(0, "global", 200, "site", 253, "link", 254, "host", 255, "nowhere");

    /** iproute2 ipaddress.c ifa_flag_names, bit i = 1 << i (if_addr.h IFA_F_*). */
    private static final List<String> IFA_FLAG_NAMES = List.of(
            "secondary",
            "nodad",
            "optimistic",
            "dadfailed",
            "home",
            "deprecated",
            "tentative",
            "permanent",
            "mngtmpaddr",
            "noprefixroute",
            "autojoin",
            "stable-privacy");

    /** iproute2 ipaddress.c oper_states, indexed by IF_OPER_*. */
    private static final List<String> OPER_STATES =
            List.of("UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP");

    /** iproute2 print_link_flags: the IFF_* names it prints (it never prints IFF_RUNNING). */
    private static final Map<String, Integer> LINK_FLAG_BITS = linkFlagBits();

    /** iproute2 lib/ll_types.c, for the hardware types the capture holds. */
    private static final Map<String, Integer> LINK_TYPES =
            Map.of("ether", RtNetlink.Link.ARPHRD_ETHER, "loopback", RtNetlink.Link.ARPHRD_LOOPBACK);

    private static Map<String, Integer> linkFlagBits() {
        Map<String, Integer> bits = new LinkedHashMap<>();
        String[] names = {
            "UP",
            "BROADCAST",
            "DEBUG",
            "LOOPBACK",
            "POINTOPOINT",
            "NOTRAILERS",
            null,
            "NOARP",
            "PROMISC",
            "ALLMULTI",
            "MASTER",
            "SLAVE",
            "MULTICAST",
            "PORTSEL",
            "AUTOMEDIA",
            "DYNAMIC",
            "LOWER_UP",
            "DORMANT",
            "ECHO"
        };
        for (int i = 0; i < names.length; i++) {
            if (names[i] != null) {
                bits.put(names[i], 1 << i);
            }
        }
        return bits;
    }

    private static List<RtNetlink.Link> links() {
        List<NetlinkMessage> messages = Captures.dataMessages("rtnl-link-dump");
        assertThat(messages).allSatisfy(m -> assertThat(m.type()).isEqualTo(RtNetlink.RTM_NEWLINK));
        return messages.stream().map(RtNetlink::parseLink).toList();
    }

    private static List<RtNetlink.Address> addresses() {
        List<NetlinkMessage> messages = Captures.dataMessages("rtnl-addr-dump");
        assertThat(messages).allSatisfy(m -> assertThat(m.type()).isEqualTo(RtNetlink.RTM_NEWADDR));
        return messages.stream().map(RtNetlink::parseAddress).toList();
    }

    private static List<RtNetlink.Route> routes() {
        List<NetlinkMessage> messages = Captures.dataMessages("rtnl-route-dump-main");
        assertThat(messages).allSatisfy(m -> assertThat(m.type()).isEqualTo(RtNetlink.RTM_NEWROUTE));
        return messages.stream().map(RtNetlink::parseRoute).toList();
    }

    @Test
    void everyLinkMatchesIproute2() {
        JsonNode oracle = Captures.oracleJson("ip-details-link-show.json");
        List<RtNetlink.Link> links = links();
        assertThat(links).hasSize(oracle.size());
        for (int i = 0; i < links.size(); i++) {
            RtNetlink.Link link = links.get(i);
            JsonNode expected = oracle.get(i);
            String what = "link " + expected.get("ifname");
            assertThat(link.index()).as(what).isEqualTo(expected.get("ifindex").asInt());
            assertThat(link.name()).as(what).isEqualTo(expected.get("ifname").asString());
            String kind = expected.has("linkinfo")
                    ? expected.get("linkinfo").get("info_kind").asString()
                    : null;
            assertThat(link.kind()).as(what + " kind").isEqualTo(kind);
            assertThat(LINK_TYPES.get(expected.get("link_type").asString()))
                    .as(what + " link_type")
                    .isEqualTo(link.hardwareType());
            assertThat(OPER_STATES.get(link.operState()))
                    .as(what + " operstate")
                    .isEqualTo(expected.get("operstate").asString());
            Set<String> flags = new TreeSet<>();
            for (Map.Entry<String, Integer> flag : LINK_FLAG_BITS.entrySet()) {
                if ((link.flags() & flag.getValue()) != 0) {
                    flags.add(flag.getKey());
                }
            }
            Set<String> expectedFlags = new TreeSet<>();
            expected.get("flags").forEach(f -> expectedFlags.add(f.asString()));
            assertThat(flags).as(what + " flags").isEqualTo(expectedFlags);
        }
    }

    @Test
    void theCaptureHoldsTheAddressFlagsTheBriefAsksFor() {
        Set<String> seen = new HashSet<>();
        for (JsonNode link : Captures.oracleJson("ip-addr-show.json")) {
            for (JsonNode address : link.get("addr_info")) {
                address.propertyNames().forEach(seen::add);
            }
        }
        assertThat(seen).contains("tentative", "nodad", "deprecated", "secondary", "dynamic");
    }

    /** The addresses iproute2 printed, by interface index, in its order. */
    private static Map<Integer, List<JsonNode>> oracleAddressesByLink() {
        Map<Integer, List<JsonNode>> byLink = new LinkedHashMap<>();
        for (JsonNode link : Captures.oracleJson("ip-addr-show.json")) {
            List<JsonNode> list = byLink.computeIfAbsent(link.get("ifindex").asInt(), k -> new ArrayList<>());
            link.get("addr_info").forEach(list::add);
        }
        return byLink;
    }

    /** The names iproute2 prints for an address's IFA_F_* bits (ipaddress.c print_ifa_flags). */
    private static Set<String> iproute2FlagNames(int flags, int family) {
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < IFA_FLAG_NAMES.size(); i++) {
            int bit = 1 << i;
            if (bit == RtNetlink.Address.IFA_F_PERMANENT) {
                if ((flags & bit) == 0) {
                    names.add("dynamic");
                }
            } else if ((flags & bit) != 0) {
                names.add(
                        bit == RtNetlink.Address.IFA_F_SECONDARY && family == RtNetlink.AF_INET6
                                ? "temporary"
                                : IFA_FLAG_NAMES.get(i));
            }
        }
        return names;
    }

    private static final Set<String> ALL_FLAG_NAMES = allFlagNames();

    private static Set<String> allFlagNames() {
        Set<String> names = new HashSet<>(IFA_FLAG_NAMES);
        names.add("dynamic");
        names.add("temporary");
        return names;
    }

    /**
     * Addresses are matched with iproute2's by interface and position: iproute2 prints each link's addresses in
     * the order of the kernel's dump, so the text form is compared, not used to find the pair.
     */
    @Test
    void everyAddressMatchesIproute2() {
        assertAddressesMatchIproute2(addresses());
    }

    private static void assertAddressesMatchIproute2(List<RtNetlink.Address> addresses) {
        Map<Integer, List<JsonNode>> oracle = oracleAddressesByLink();
        Map<Integer, List<RtNetlink.Address>> decoded = new LinkedHashMap<>();
        for (RtNetlink.Address address : addresses) {
            decoded.computeIfAbsent(address.index(), k -> new ArrayList<>()).add(address);
        }
        assertThat(decoded.keySet()).containsExactlyInAnyOrderElementsOf(oracle.keySet());
        for (Map.Entry<Integer, List<JsonNode>> link : oracle.entrySet()) {
            List<RtNetlink.Address> mine = decoded.get(link.getKey());
            assertThat(mine)
                    .as("addresses of link %d", link.getKey())
                    .hasSize(link.getValue().size());
            for (int i = 0; i < mine.size(); i++) {
                RtNetlink.Address address = mine.get(i);
                JsonNode expected = link.getValue().get(i);
                String what = "address " + expected;
                assertThat(
                                address.family() == RtNetlink.AF_INET
                                        ? "inet"
                                        : address.family() == RtNetlink.AF_INET6
                                                ? "inet6"
                                                : "family " + address.family())
                        .as(what)
                        .isEqualTo(expected.get("family").asString());
                assertThat(IpAddresses.format(address.local()))
                        .as(what)
                        .isEqualTo(expected.get("local").asString());
                assertThat(address.prefixLength())
                        .as(what)
                        .isEqualTo(expected.get("prefixlen").asInt());
                assertThat(SCOPE_NAMES.get(address.scope()))
                        .as(what)
                        .isEqualTo(expected.get("scope").asString());
                assertThat(address.label())
                        .as(what + " label")
                        .isEqualTo(expected.has("label") ? expected.get("label").asString() : null);
                Set<String> expectedFlags = new TreeSet<>();
                for (Map.Entry<String, JsonNode> property : expected.properties()) {
                    if (ALL_FLAG_NAMES.contains(property.getKey())
                            && property.getValue().booleanValue()) {
                        expectedFlags.add(property.getKey());
                    }
                }
                assertThat(iproute2FlagNames(address.flags(), address.family()))
                        .as(what + " flags")
                        .isEqualTo(expectedFlags);
            }
        }
    }

    /** IFA_FLAGS (u32) supersedes the 8-bit ifa_flags field: with that field zeroed the flags still match. */
    @Test
    void ifaFlagsAttributeSupersedesTheHeaderByte() {
        List<RtNetlink.Address> patched = new ArrayList<>();
        for (byte[] datagram : Captures.datagrams("rtnl-addr-dump")) {
            for (Span message : RawNetlink.messages(datagram)) {
                if (message.rawType() != RtNetlink.RTM_NEWADDR) {
                    continue;
                }
                List<Span> attributes = RawNetlink.inside(datagram, message, 16 + RtNetlink.IFADDRMSG);
                assertThat(RawNetlink.find(attributes, 8))
                        .as("IFA_FLAGS is sent")
                        .isNotNull();
                byte[] copy = RawNetlink.messageBytes(datagram, message);
                copy[16 + 2] = 0;
                patched.add(RtNetlink.parseAddress(
                        NetlinkMessage.parseAll(ByteBuffer.wrap(copy)).get(0)));
            }
        }
        assertAddressesMatchIproute2(patched);
    }

    /** A route list per family as iproute2 printed it, matched in order with the decoded routes. */
    @Test
    void mainTableRoutesMatchIproute2() {
        Map<Integer, String> names = new LinkedHashMap<>();
        Captures.ifindexByName().forEach((name, index) -> names.put(index, name));
        Map<Integer, JsonNode> oracles = Map.of(
                RtNetlink.AF_INET,
                Captures.oracleJson("ip-route-show-main.json"),
                RtNetlink.AF_INET6,
                Captures.oracleJson("ip-6-route-show-main.json"));
        for (Map.Entry<Integer, JsonNode> family : oracles.entrySet()) {
            List<RtNetlink.Route> mine =
                    routes().stream().filter(r -> r.family() == family.getKey()).toList();
            JsonNode oracle = family.getValue();
            assertThat(mine).as("routes of family %d", family.getKey()).hasSize(oracle.size());
            for (int i = 0; i < mine.size(); i++) {
                RtNetlink.Route route = mine.get(i);
                JsonNode expected = oracle.get(i);
                String what = "route " + expected;
                String dst = route.destinationLength() == 0
                        ? "default"
                        : IpAddresses.format(route.destination()) + "/" + route.destinationLength();
                assertThat(dst).as(what).isEqualTo(expected.get("dst").asString());
                assertThat(route.outputInterfaces()).as(what).hasSize(1);
                assertThat(names.get(route.outputInterfaces().get(0)))
                        .as(what)
                        .isEqualTo(expected.get("dev").asString());
                assertThat(route.gateway() == null ? null : IpAddresses.format(route.gateway()))
                        .as(what)
                        .isEqualTo(
                                expected.has("gateway")
                                        ? expected.get("gateway").asString()
                                        : null);
                assertThat(route.priority())
                        .as(what + " metric")
                        .isEqualTo(
                                expected.has("metric") ? expected.get("metric").asInt() : 0);
                assertThat(SCOPE_NAMES.get(route.scope()))
                        .as(what + " scope")
                        .isEqualTo(expected.has("scope") ? expected.get("scope").asString() : "global");
                assertThat(route.table())
                        .as(what + " table (the dump was of table main)")
                        .isEqualTo(RtNetlink.RT_TABLE_MAIN);
            }
        }
    }

    @Test
    void defaultRouteInterfacesMatchIproute2() {
        Map<String, Integer> indexes = Captures.ifindexByName();
        Map<Integer, Set<Integer>> oracle = new LinkedHashMap<>();
        oracle.put(RtNetlink.AF_INET, new HashSet<>());
        oracle.put(RtNetlink.AF_INET6, new HashSet<>());
        for (JsonNode route : Captures.oracleJson("ip-route-show-main.json")) {
            if (route.get("dst").asString().equals("default")) {
                oracle.get(RtNetlink.AF_INET).add(indexes.get(route.get("dev").asString()));
            }
        }
        for (JsonNode route : Captures.oracleJson("ip-6-route-show-main.json")) {
            if (route.get("dst").asString().equals("default")) {
                oracle.get(RtNetlink.AF_INET6).add(indexes.get(route.get("dev").asString()));
            }
        }
        assertThat(oracle.values()).allSatisfy(set -> assertThat(set).isNotEmpty());
        Map<Integer, Set<Integer>> mine = new LinkedHashMap<>();
        mine.put(RtNetlink.AF_INET, new HashSet<>());
        mine.put(RtNetlink.AF_INET6, new HashSet<>());
        for (RtNetlink.Route route : routes()) {
            if (route.isDefault()) {
                mine.get(route.family()).addAll(route.outputInterfaces());
            }
        }
        assertThat(mine).isEqualTo(oracle);
    }

    /** Each dump ends with NLMSG_DONE in its own datagram; every part before it is flagged NLM_F_MULTI. */
    @Test
    void dumpsAreMultipartAndEndWithDone() {
        for (String capture :
                List.of("rtnl-link-dump", "rtnl-addr-dump", "rtnl-route-dump-main", "mptcp-get-addr-dump")) {
            List<NetlinkMessage> messages = Captures.messages(capture);
            NetlinkMessage last = messages.get(messages.size() - 1);
            assertThat(last.type()).as(capture).isEqualTo(NetlinkMessage.NLMSG_DONE);
            assertThat(last.payload().getInt(0)).as(capture + " DONE error").isZero();
            assertThat(messages)
                    .allSatisfy(m ->
                            assertThat(m.flags() & NetlinkMessage.NLM_F_MULTI).isNotZero());
            assertThat(messages)
                    .allSatisfy(m -> assertThat(m.flags() & NetlinkMessage.NLM_F_DUMP_INTR)
                            .isZero());
            assertThat(NetlinkTestAccess.extendedAckMessage(last)).isNull();
        }
    }
}
