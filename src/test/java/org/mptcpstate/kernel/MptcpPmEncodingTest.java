package org.mptcpstate.kernel;

import org.junit.jupiter.api.Test;
import org.mptcpstate.netlink.GenericNetlink;
import org.mptcpstate.state.EndpointFlags;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mptcpstate.kernel.ContractNamespace.ip;

/**
 * The mptcp_pm write requests, byte for byte against what iproute2 6.1 sends for the same command (genlmsghdr and
 * attributes, captured with {@code strace -e sendmsg -xx ip mptcp ...} on x86-64; little-endian like every
 * platform the pom builds for).
 */
class MptcpPmEncodingTest {
    private static String request(int command, byte[] attributes) {
        return HexFormat.of().formatHex(GenericNetlink.payload(command, 1, attributes));
    }

    @Test
    void addLikeIproute() {
        // ip mptcp endpoint add 192.0.2.1 id 7 port 10100 signal backup dev va0   (va0 = ifindex 3)
        assertThat(request(
                        MptcpPm.CMD_ADD_ADDR,
                        MptcpPm.encodeAddEndpoint(7, ip("192.0.2.1"), 10100, new EndpointFlags(0x5), 3)))
                .isEqualTo("01010000" + "34000180" + "0500020007000000" + "0800060005000000" + "0800070003000000"
                        + "0600050074270000" + "0600010002000000" + "08000300c0000201");
        // ip mptcp endpoint add 2001:db8::1 subflow fullmesh
        assertThat(request(
                        MptcpPm.CMD_ADD_ADDR,
                        MptcpPm.encodeAddEndpoint(0, ip("2001:db8::1"), 0, new EndpointFlags(0xa), 0)))
                .isEqualTo("01010000" + "28000180" + "080006000a000000" + "060001000a000000" + "14000400"
                        + "20010db8000000000000000000000001");
    }

    @Test
    void deleteLikeIproute() {
        // ip mptcp endpoint delete id 1
        assertThat(request(MptcpPm.CMD_DEL_ADDR, MptcpPm.encodeEndpointId(1)))
                .isEqualTo("02010000" + "0c000180" + "0500020001000000");
    }

    @Test
    void setFlagsLikeIprouteButAlwaysWithTheFlags() {
        // ip mptcp endpoint change id 1 backup
        assertThat(request(MptcpPm.CMD_SET_FLAGS, MptcpPm.encodeSetFlags(1, new EndpointFlags(0x4))))
                .isEqualTo("07010000" + "14000180" + "0500020001000000" + "0800060004000000");
        // ip mptcp endpoint change id 1 nobackup leaves the flags out (0c000180 0500020001000000); we send 0
        assertThat(request(MptcpPm.CMD_SET_FLAGS, MptcpPm.encodeSetFlags(1, EndpointFlags.NONE)))
                .isEqualTo("07010000" + "14000180" + "0500020001000000" + "0800060000000000");
    }

    @Test
    void limitsLikeIproute() {
        // ip mptcp limits set subflows 4 add_addr_accepted 3
        assertThat(request(MptcpPm.CMD_SET_LIMITS, MptcpPm.encodeLimits(4, 3)))
                .isEqualTo("05010000" + "0800020003000000" + "0800030004000000");
        assertThat(request(MptcpPm.CMD_SET_LIMITS, MptcpPm.encodeLimits(4, null)))
                .isEqualTo("05010000" + "0800030004000000");
        assertThat(request(MptcpPm.CMD_SET_LIMITS, MptcpPm.encodeLimits(null, null)))
                .isEqualTo("05010000");
    }
}
