package org.mptcpstate.netlink;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/** The sock_diag request, as iproute2's ss sends it for {@code ss -M} (seen with strace, iproute2 6.1). */
class InetDiagTest {
    @Test
    void anMptcpDumpCarriesTheProtocolInTheRequestAttribute() {
        byte[] request = InetDiag.request(RtNetlink.AF_INET, InetDiag.IPPROTO_MPTCP, InetDiag.EXT_INFO, 0xffffffff);
        ByteBuffer bytes = ByteBuffer.wrap(request).order(ByteOrder.nativeOrder());
        assertThat(request).hasSize(InetDiag.REQUEST + 8);
        assertThat(bytes.get(0)).as("sdiag_family").isEqualTo((byte) 2);
        assertThat(bytes.get(1)).as("sdiag_protocol: 262 & 0xff").isEqualTo((byte) 6);
        assertThat(bytes.get(2)).as("idiag_ext: INET_DIAG_INFO").isEqualTo((byte) 2);
        assertThat(bytes.getInt(4)).as("idiag_states").isEqualTo(0xffffffff);
        // INET_DIAG_REQ_PROTOCOL (3), u32 262: what ss appends (08 00 03 00 06 01 00 00 on little-endian)
        assertThat(bytes.getShort(InetDiag.REQUEST)).isEqualTo((short) 8);
        assertThat(bytes.getShort(InetDiag.REQUEST + 2)).isEqualTo((short) 3);
        assertThat(bytes.getInt(InetDiag.REQUEST + 4)).isEqualTo(262);
    }

    @Test
    void aTcpDumpHasNoAttribute() {
        byte[] request = InetDiag.request(RtNetlink.AF_INET6, InetDiag.IPPROTO_TCP, InetDiag.EXT_INFO, 2);
        assertThat(request).hasSize(InetDiag.REQUEST);
        assertThat(request[0]).isEqualTo((byte) 10);
        assertThat(request[1]).isEqualTo((byte) 6);
    }
}
