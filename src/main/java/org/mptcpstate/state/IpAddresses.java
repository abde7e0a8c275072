package org.mptcpstate.state;

import java.net.Inet4Address;
import java.net.InetAddress;

/** Text forms of IP addresses as iproute2 prints them (RFC 5952 for IPv6). */
public final class IpAddresses {
    private IpAddresses() {
    }

    public static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        if (isV4Mapped(groups)) {
            return "::ffff:" + dottedTail(b);
        }
        if (isV4Compatible(groups)) {
            // glibc's inet_ntop (and so iproute2) writes the deprecated IPv4-compatible form dotted
            return "::" + dottedTail(b);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    private static String dottedTail(byte[] b) {
        return (b[12] & 0xff) + "." + (b[13] & 0xff) + "." + (b[14] & 0xff) + "." + (b[15] & 0xff);
    }

    /** The first six groups zero and the seventh not: ::1 and ::100 stay hex, as in inet_ntop. */
    private static boolean isV4Compatible(int[] groups) {
        for (int i = 0; i < 6; i++) {
            if (groups[i] != 0) {
                return false;
            }
        }
        return groups[6] != 0;
    }

    private static boolean isV4Mapped(int[] groups) {
        for (int i = 0; i < 5; i++) {
            if (groups[i] != 0) {
                return false;
            }
        }
        return groups[5] == 0xffff;
    }
}
