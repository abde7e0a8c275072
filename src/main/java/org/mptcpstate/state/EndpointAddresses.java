package org.mptcpstate.state;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * Which addresses an endpoint of {@code mptcp.endpoints} may have. The kernel takes any address, and would then
 * announce or bind subflows to it, so what can never be an address of this host is refused: the unspecified
 * address (0.0.0.0, ::), the limited broadcast address (255.255.255.255; a subnet's broadcast address is known
 * only from an interface's prefix, and the planner refuses it), and multicast addresses. An IPv4-mapped IPv6
 * address counts as its IPv4 address, as in the kernel. Link-local addresses are valid host addresses, but as for
 * interface addresses no endpoint is made for them: the planner skips them with a warning.
 */
public final class EndpointAddresses {
    private EndpointAddresses() {}

    /** Why no endpoint may have this address (a sentence to follow the address), or null when it may. */
    public static String refusal(InetAddress address) {
        InetAddress identity = IpAddresses.kernelIdentity(address);
        if (identity.isAnyLocalAddress()) {
            return "is the unspecified address: an endpoint needs an address of this host";
        }
        if (identity instanceof Inet4Address && isLimitedBroadcast(identity.getAddress())) {
            return "is the broadcast address: an endpoint needs a unicast address of this host";
        }
        if (identity.isMulticastAddress()) {
            return "is a multicast address: an endpoint needs a unicast address of this host";
        }
        return null;
    }

    /**
     * The broadcast address of the IPv4 subnet {@code address/prefixLength}, or null for a prefix of 31 or 32 (no
     * broadcast address: RFC 3021) and for IPv6 (no broadcast at all).
     */
    public static InetAddress subnetBroadcast(InetAddress address, int prefixLength) {
        if (!(address instanceof Inet4Address) || prefixLength >= 31 || prefixLength < 0) {
            return null;
        }
        byte[] bytes = address.getAddress();
        int value =
                ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        int broadcast = value | (prefixLength == 0 ? -1 : (-1 >>> prefixLength));
        try {
            return InetAddress.getByAddress(new byte[] {
                (byte) (broadcast >>> 24), (byte) (broadcast >>> 16), (byte) (broadcast >>> 8), (byte) broadcast
            });
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first address of the IPv4 subnet {@code address/prefixLength} (the host bits cleared). */
    public static InetAddress subnetNetwork(InetAddress address, int prefixLength) {
        byte[] bytes = address.getAddress();
        for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isLimitedBroadcast(byte[] bytes) {
        for (byte b : bytes) {
            if (b != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }
}
