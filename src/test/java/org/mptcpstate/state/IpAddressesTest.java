package org.mptcpstate.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mptcpstate.netlink.NetlinkMessage;
import org.mptcpstate.netlink.RtNetlink;
import org.mptcpstate.testing.Captures;
import tools.jackson.databind.JsonNode;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IpAddressesTest {
    /**
     * The text iproute2 printed for every captured address (it formats with inet_ntop): the kernel's bytes,
     * decoded, must format to the same text. Addresses are paired by interface and dump order, not by text.
     */
    @Test
    void everyCapturedAddressFormatsAsIproute2PrintedIt() {
        Map<Integer, List<String>> oracle = new LinkedHashMap<>();
        for (JsonNode link : Captures.oracleJson("ip-addr-show.json")) {
            List<String> texts = oracle.computeIfAbsent(link.get("ifindex").asInt(), k -> new ArrayList<>());
            link.get("addr_info").forEach(a -> texts.add(a.get("local").asString()));
        }
        Map<Integer, List<String>> ours = new LinkedHashMap<>();
        for (NetlinkMessage message : Captures.dataMessages("rtnl-addr-dump")) {
            RtNetlink.Address address = RtNetlink.parseAddress(message);
            ours.computeIfAbsent(address.index(), k -> new ArrayList<>()).add(IpAddresses.format(address.local()));
        }
        assertThat(ours).isEqualTo(oracle);
        assertThat(oracle.values().stream().flatMap(List::stream))
                .as("the capture holds compressed IPv6 forms")
                .contains("::1")
                .anyMatch(t -> t.contains("::"))
                .anyMatch(t -> t.startsWith("fe80::"));
    }

    /** RFC 5952 section 4 (and 5 for the IPv4-mapped form): the text each example must have. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // 4.1 leading zeros suppressed; a 0000 field is 0
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:0db8:0000:0001:0001:0001:0001:0001, 2001:db8:0:1:1:1:1:1",
        // 4.2.1 :: used to its maximum capability
        "2001:db8:0:0:0:0:2:1,                    2001:db8::2:1",
        "2001:db8:0:0:0:0:0:1,                    2001:db8::1",
        // 4.2.2 :: never shortens a single 0 field
        "2001:db8:0:1:1:1:1:1,                    2001:db8:0:1:1:1:1:1",
        // 4.2.3 the longest run; the first of equal runs
        "2001:0:0:1:0:0:0:1,                      2001:0:0:1::1",
        "2001:db8:0:0:1:0:0:1,                    2001:db8::1:0:0:1",
        // 4.3 lowercase
        "2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:FFFF,  2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff",
        // edges of the same rules
        "0:0:0:0:0:0:0:0,                         ::",
        "0:0:0:0:0:0:0:1,                         ::1",
        "fe80:0:0:0:0:0:0:0,                      fe80::",
        "1:0:0:0:0:0:0:0,                         1::"
    })
    void rfc5952Examples(String input, String expected) throws Exception {
        assertThat(IpAddresses.format(InetAddress.getByName(input))).isEqualTo(expected);
    }

    /**
     * RFC 5952 section 5: an IPv4-mapped address is written {@code ::ffff:} and a dotted quad. Java turns such
     * bytes into an Inet4Address unless they are built as an Inet6Address explicitly.
     */
    @Test
    void rfc5952Section5MappedAddressesUseDottedQuadWhenKeptAsIpv6() throws Exception {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(InetAddress.getByName("192.0.2.1").getAddress(), 0, mapped, 12, 4);
        assertThat(IpAddresses.format(Inet6Address.getByAddress(null, mapped, -1)))
                .isEqualTo("::ffff:192.0.2.1");
    }

    @Test
    void ipv4IsDottedQuad() throws Exception {
        assertThat(IpAddresses.format(InetAddress.getByName("198.51.100.2"))).isEqualTo("198.51.100.2");
    }

    /** Expected texts are what glibc's inet_ntop (which iproute2 uses) printed for the same bytes. */
    @ParameterizedTest
    @CsvSource({
        "::192.0.2.1, ::192.0.2.1",
        "::1, ::1",
        "::100, ::100",
        "::1:0, ::0.1.0.0",
        "::ffff:0:1, ::ffff:0.0.0.1",
        "0:0:0:0:0:1:0:1, ::1:0:1",
    })
    void ipv4CompatibleAndMappedFormsFollowGlibc(String input, String glibc) throws Exception {
        byte[] bytes = java.net.InetAddress.getByName(input).getAddress();
        if (bytes.length == 4) { // Java turns a mapped address into IPv4; rebuild the IPv6 bytes
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            bytes = mapped;
        }
        assertThat(IpAddresses.format(java.net.Inet6Address.getByAddress(null, bytes, -1)))
                .isEqualTo(glibc);
    }
}
