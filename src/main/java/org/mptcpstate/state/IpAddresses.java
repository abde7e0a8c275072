package org.mptcpstate.state;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;

/**
 * Text forms of IP addresses: written as iproute2 prints them (RFC 5952 for IPv6), read as literals only.
 */
public final class IpAddresses {
    private IpAddresses() {}

    /**
     * The address as the kernel compares endpoint addresses: an IPv4-mapped IPv6 address is its IPv4
     * address (the kernel refuses a second endpoint on either form).
     */
    public static InetAddress kernelIdentity(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (b[i] != 0) {
                    return address;
                }
            }
            if (b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (java.net.UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
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

    /**
     * The address a literal stands for, or null when the text is not one: dotted-quad IPv4 (four decimal
     * numbers 0 to 255, no leading zeros, which inet_aton would read as octal) or RFC 4291 IPv6 text (hex
     * groups, one {@code ::}, an optional trailing dotted quad); no zone suffix, no prefix length. Never looks a
     * name up: {@code InetAddress.getByName} would ask DNS for anything that is not a literal. An IPv4-mapped
     * IPv6 literal stays an {@link Inet6Address}, as the kernel holds such an endpoint.
     */
    public static InetAddress parse(String text) {
        try {
            if (text.indexOf(':') < 0) {
                byte[] v4 = new byte[4];
                return parseV4(text, 0, text.length(), v4, 0) ? InetAddress.getByAddress(v4) : null;
            }
            byte[] v6 = parseV6(text);
            return v6 == null ? null : Inet6Address.getByAddress(null, v6, (NetworkInterface) null);
        } catch (UnknownHostException e) {
            return null; // only for a wrong array length, which cannot happen here
        }
    }

    /** Parses text[from, to) as a dotted quad into out[offset..offset+3]. */
    private static boolean parseV4(String text, int from, int to, byte[] out, int offset) {
        int part = 0;
        int i = from;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < to && i - start < 4 && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                value = value * 10 + (text.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
                return false;
            }
            out[offset + part] = (byte) value;
            part++;
            if (part < 4) {
                if (i >= to || text.charAt(i) != '.') {
                    return false;
                }
                i++;
            }
        }
        return i == to;
    }

    private static byte[] parseV6(String text) {
        int length = text.length();
        if (length < 2 || length > 45) {
            return null;
        }
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = new int[8];
        int[] tail = new int[8];
        byte[] v4 = new byte[4];
        int headCount;
        int tailCount;
        boolean[] hasV4 = new boolean[1];
        if (gap < 0) {
            headCount = groups(text, 0, length, head, v4, hasV4);
            tailCount = 0;
            if (headCount != 8) {
                return null;
            }
        } else {
            boolean[] headV4 = new boolean[1];
            headCount = gap == 0 ? 0 : groups(text, 0, gap, head, v4, headV4);
            tailCount = gap + 2 == length ? 0 : groups(text, gap + 2, length, tail, v4, hasV4);
            if (headCount < 0 || tailCount < 0 || headV4[0] || headCount + tailCount > 7) {
                return null;
            }
        }
        if (headCount < 0) {
            return null;
        }
        int[] all = new int[8];
        System.arraycopy(head, 0, all, 0, headCount);
        System.arraycopy(tail, 0, all, 8 - tailCount, tailCount);
        byte[] bytes = new byte[16];
        for (int i = 0; i < 8; i++) {
            bytes[2 * i] = (byte) (all[i] >> 8);
            bytes[2 * i + 1] = (byte) all[i];
        }
        if (hasV4[0]) {
            System.arraycopy(v4, 0, bytes, 12, 4);
        }
        return bytes;
    }

    /**
     * Parses colon-separated hex groups in text[from, to) into groups[]; a dotted quad may end the run, and
     * counts as two groups (its bytes go to v4). Returns the number of groups, or -1 when malformed.
     */
    private static int groups(String text, int from, int to, int[] groups, byte[] v4, boolean[] hasV4) {
        int count = 0;
        int i = from;
        while (true) {
            int start = i;
            int value = 0;
            while (i < to && text.charAt(i) != ':') {
                int digit = hexDigit(text.charAt(i));
                if (digit < 0 || i - start >= 4) {
                    break;
                }
                value = (value << 4) | digit;
                i++;
            }
            if (i < to && text.charAt(i) == '.') {
                // a dotted quad: the last thing in the address
                int end = text.indexOf(':', start);
                if (end >= 0 && end < to || count > 6 || !parseV4(text, start, to, v4, 0)) {
                    return -1;
                }
                hasV4[0] = true;
                groups[count++] = 0;
                groups[count++] = 0;
                return count;
            }
            if (i == start || (i < to && text.charAt(i) != ':') || count == 8) {
                return -1;
            }
            groups[count++] = value;
            if (i == to) {
                return count;
            }
            i++; // the ':'
            if (i == to) {
                return -1; // a trailing single colon
            }
        }
    }

    /** ASCII only: Character.digit would also take other scripts' digits. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
