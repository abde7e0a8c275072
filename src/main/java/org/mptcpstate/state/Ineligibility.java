package org.mptcpstate.state;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Why an address never gets an endpoint from interface-wide flags. The rule is nmstate's and
 * NetworkManager's: loopback, link-local, multicast and IPv6 unique-local addresses are skipped.
 */
public enum Ineligibility {
    LOOPBACK("loopback"),
    LINK_LOCAL("link-local"),
    MULTICAST("multicast"),
    UNIQUE_LOCAL("unique-local");

    private final String yamlName;

    Ineligibility(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    /** Why this address is ineligible, or null when it is eligible. */
    public static Ineligibility of(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return LOOPBACK;
        }
        if (address.isLinkLocalAddress()) {
            return LINK_LOCAL;
        }
        if (address.isMulticastAddress()) {
            return MULTICAST;
        }
        if (address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc) {
            return UNIQUE_LOCAL;
        }
        return null;
    }

    public static Ineligibility named(String name) {
        for (Ineligibility value : values()) {
            if (value.yamlName.equals(name)) {
                return value;
            }
        }
        return null;
    }
}
