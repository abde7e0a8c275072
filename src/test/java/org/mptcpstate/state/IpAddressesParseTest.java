package org.mptcpstate.state;

import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** IP literals read without any name lookup: what parses, to what, and what does not. */
class IpAddressesParseTest {
    private static String roundTrip(String text) {
        InetAddress address = IpAddresses.parse(text);
        return address == null ? null : IpAddresses.format(address);
    }

    @Test
    void ipv4() {
        assertThat(IpAddresses.parse("192.0.2.1")).isInstanceOf(Inet4Address.class);
        assertThat(IpAddresses.parse("192.0.2.1").getAddress()).containsExactly(192, 0, 2, 1);
        assertThat(roundTrip("0.0.0.0")).isEqualTo("0.0.0.0");
        assertThat(roundTrip("255.255.255.255")).isEqualTo("255.255.255.255");
        assertThat(roundTrip("127.0.0.1")).isEqualTo("127.0.0.1");
    }

    @Test
    void ipv6() {
        assertThat(roundTrip("2001:db8::2")).isEqualTo("2001:db8::2");
        assertThat(roundTrip("2001:DB8:0:0:0:0:0:2")).isEqualTo("2001:db8::2");
        assertThat(roundTrip("::")).isEqualTo("::");
        assertThat(roundTrip("::1")).isEqualTo("::1");
        assertThat(roundTrip("fe80::")).isEqualTo("fe80::");
        assertThat(roundTrip("1:2:3:4:5:6:7:8")).isEqualTo("1:2:3:4:5:6:7:8");
        assertThat(roundTrip("1:2:3:4:5:6:7::")).isEqualTo("1:2:3:4:5:6:7:0");
        assertThat(roundTrip("::2:3:4:5:6:7:8")).isEqualTo("0:2:3:4:5:6:7:8");
        assertThat(roundTrip("fe80::e8e1:4bff:fe94:90ba")).isEqualTo("fe80::e8e1:4bff:fe94:90ba");
        assertThat(roundTrip("0001:0db8:0000:0000:0000:0000:0000:0002")).isEqualTo("1:db8::2");
        assertThat(roundTrip("::ffff:192.0.2.7")).isEqualTo("::ffff:192.0.2.7");
        assertThat(roundTrip("64:ff9b::192.0.2.33")).isEqualTo("64:ff9b::c000:221");
        assertThat(roundTrip("1:2:3:4:5:6:192.0.2.1")).isEqualTo("1:2:3:4:5:6:c000:201");
        assertThat(roundTrip("::192.0.2.1")).isEqualTo("::192.0.2.1");
    }

    @Test
    void aMappedIpv4AddressStaysIpv6() {
        InetAddress mapped = IpAddresses.parse("::ffff:192.0.2.7");
        assertThat(mapped).isInstanceOf(Inet6Address.class);
        assertThat(mapped.getAddress()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 7);
    }

    @Test
    void notLiterals() {
        List<String> bad = List.of(
                "",
                "localhost",
                "example.com",
                "192.0.2",
                "192.0.2.1.5",
                "192.0.2.256",
                "192.0.2.01",
                "0192.0.2.1",
                "192.0.2.-1",
                "192.0.2.1 ",
                " 192.0.2.1",
                "192.0.2.1/24",
                "3232235521",
                "0x7f.0.0.1",
                "1::2::3",
                ":1::",
                "1::2:",
                ":::",
                "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7",
                "12345::",
                "g::1",
                "fe80::1%eth0",
                "::1/128",
                "1.2.3.4::",
                "::1.2.3",
                "::1.2.3.4.5",
                "1:2:3:4:5:6:7:1.2.3.4",
                "::ffff:192.0.2.256",
                "２００１:db8::1",
                "١٩٢.0.2.1",
                "[::1]");
        for (String text : bad) {
            assertThat(IpAddresses.parse(text)).as(text).isNull();
        }
    }
}
