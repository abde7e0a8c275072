package org.mptcpstate.testing;

import org.mptcpstate.netlink.AttributeEncoder;
import org.mptcpstate.netlink.GenericNetlink;
import org.mptcpstate.netlink.KernelErrorException;
import org.mptcpstate.netlink.NetlinkSocket;
import org.mptcpstate.netlink.NetworkNamespace;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Adds an endpoint with flags iproute2 may not know yet (laminar is newer than iproute2 6.1): `ip mptcp
 * endpoint add` first, and when iproute2 refuses the flag word, a raw mptcp_pm add-addr request. Reading
 * back is still iproute2's job: this is set-up only.
 */
public final class RawEndpoints {
    public static final int LAMINAR = 0x20;

    private RawEndpoints() {}

    /**
     * Adds {@code address} with the flag words (and the raw bits {@code extraBits}); returns false when neither
     * iproute2 nor the kernel accepts them (an older kernel), true when the kernel took the endpoint.
     */
    public static boolean add(Netns ns, String address, List<String> words, int extraBits, String wordForBits) {
        List<String> command =
                new java.util.ArrayList<>(List.of("ip", "-n", ns.name(), "mptcp", "endpoint", "add", address));
        command.addAll(words);
        command.add(wordForBits);
        if (Netns.runAllowingFailure(command).exitCode() == 0) {
            return true;
        }
        int bits = extraBits;
        for (String word : words) {
            bits |= switch (word) {
                case "signal" -> 0x1;
                case "subflow" -> 0x2;
                case "backup" -> 0x4;
                case "fullmesh" -> 0x8;
                default -> throw new IllegalArgumentException(word);
            };
        }
        int flags = bits;
        try {
            NetworkNamespace.call(ns.path(), () -> {
                InetAddress inet = InetAddress.getByName(address);
                boolean v4 = inet instanceof Inet4Address;
                byte[] attributes = new AttributeEncoder()
                        .nested(
                                1,
                                nest -> nest.u16(1, v4 ? 2 : 10)
                                        .bytes(v4 ? 3 : 4, inet.getAddress())
                                        .u32(6, flags))
                        .toBytes();
                try (NetlinkSocket socket = NetlinkSocket.open(NetlinkSocket.NETLINK_GENERIC)) {
                    GenericNetlink.Family family = GenericNetlink.resolve(socket, "mptcp_pm");
                    GenericNetlink.request(socket, family, 1, attributes);
                }
                return null;
            });
        } catch (KernelErrorException e) {
            return false;
        } catch (Exception e) {
            throw new AssertionError("raw add of " + address + " failed", e);
        }
        return true;
    }
}
