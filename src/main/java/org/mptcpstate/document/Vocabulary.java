package org.mptcpstate.document;

import org.mptcpstate.state.MptcpFlag;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys of each level of a state file, in one table that the loader and schemas/mptcpstate.schema.json
 * follow (a test holds them in step): the keys mptcpstate acts on, the read-only keys {@code show} prints (type
 * checked and ignored, so show output loads as it is), and the keys nmstate defines that mptcpstate does not
 * manage. A state file written for nmstate applies unchanged: nmstate's keys are accepted, their values are not
 * read, and each one gets a warning saying it is ignored. A key in none of the lists is an error.
 *
 * <p>nmstate's keys are taken from nmstate 2.2's serde types (rust/src/lib: {@code NetworkState} in
 * net_state.rs, {@code BaseInterface} in ifaces/base.rs and the per-type sections of ifaces/*.rs,
 * {@code InterfaceIp} and {@code InterfaceIpAddr} in ip.rs) and its YAML API document (nmstate.io,
 * devel/yaml_api.md). Keys nmstate shares with mptcpstate ({@code interfaces}, {@code name}, {@code type},
 * {@code state}, {@code mptcp}, {@code ipv4}, {@code ipv6}, {@code address}, {@code ip}, {@code prefix-length},
 * {@code mptcp-flags}) are mptcpstate's.
 */
final class Vocabulary {
    private static final String[] NONE = {};

    /** nmstate's top level: hostname, DNS, routes, route rules, Open vSwitch and OVN settings. */
    private static final String[] NMSTATE_TOP = {"hostname", "dns-resolver", "routes", "route-rules", "ovs-db", "ovn"};

    /** nmstate's interface keys: BaseInterface's, then the section each interface type adds. */
    private static final String[] NMSTATE_INTERFACE = {
        "profile-name",
        "description",
        "identifier",
        "mac-address",
        "permanent-mac-address",
        "pci-address",
        "alt-names",
        "mtu",
        "min-mtu",
        "max-mtu",
        "wait-ip",
        "controller",
        "accept-all-mac-addresses",
        "copy-mac-from",
        "ovs-db",
        "802.1x",
        "lldp",
        "ethtool",
        "dispatch",
        // type-specific sections: ethernet/veth, linux-bridge and ovs-bridge, bond, ovs-interface, the rest
        "ethernet",
        "veth",
        "bridge",
        "link-aggregation",
        "patch",
        "dpdk",
        "vlan",
        "vxlan",
        "mac-vlan",
        "mac-vtap",
        "vrf",
        "infiniband",
        "macsec",
        "libreswan",
        "hsr",
        "ipvlan",
        "ip-tunnel",
        "team",
    };

    /** nmstate's {@code ipv4} section (nmstate refuses autoconf and dhcp-duid there). */
    private static final String[] NMSTATE_IPV4 = {
        "enabled",
        "dhcp",
        "dhcp-client-id",
        "auto-dns",
        "auto-gateway",
        "auto-routes",
        "auto-route-table-id",
        "auto-route-metric",
        "allow-extra-address",
        "dhcp-send-hostname",
        "dhcp-custom-hostname",
    };

    /** nmstate's {@code ipv6} section. */
    private static final String[] NMSTATE_IPV6 = {
        "enabled",
        "dhcp",
        "autoconf",
        "dhcp-duid",
        "addr-gen-mode",
        "token",
        "auto-dns",
        "auto-gateway",
        "auto-routes",
        "auto-route-table-id",
        "auto-route-metric",
        "allow-extra-address",
        "dhcp-send-hostname",
        "dhcp-custom-hostname",
    };

    /** nmstate's address keys: the lifetimes it shows for dynamic addresses. */
    private static final String[] NMSTATE_ADDRESS = {"valid-left", "preferred-left"};

    static final Keys TOP = new Keys(new String[] {"mptcp", "interfaces"}, NONE, NMSTATE_TOP);
    /** The top-level mptcp section is mptcpstate's own: nmstate defines nothing there. */
    static final Keys MPTCP =
            new Keys(new String[] {"enabled", "limits", "endpoints"}, new String[] {"path-manager"}, NONE);

    static final Keys LIMITS = new Keys(new String[] {"subflows", "add-addr-accepted"}, NONE, NONE);
    static final Keys ENDPOINT = new Keys(
            new String[] {"address", "port", "flags", "interface"}, new String[] {"id", "interface-index"}, NONE);
    static final Keys INTERFACE = new Keys(
            new String[] {"name", "type", "state", "mptcp", "ipv4", "ipv6"},
            new String[] {"oper-state"},
            NMSTATE_INTERFACE);
    /** An interface's mptcp section: nmstate's one key there, address-flags, is mptcpstate's too. */
    static final Keys INTERFACE_MPTCP = new Keys(new String[] {"address-flags"}, NONE, NONE);

    static final Keys IPV4 = new Keys(new String[] {"address"}, new String[] {"default-route"}, NMSTATE_IPV4)
            .elsewhere(minus(NMSTATE_IPV6, NMSTATE_IPV4), "ipv6");
    static final Keys IPV6 = new Keys(new String[] {"address"}, new String[] {"default-route"}, NMSTATE_IPV6)
            .elsewhere(minus(NMSTATE_IPV4, NMSTATE_IPV6), "ipv4");
    static final Keys ADDRESS = new Keys(
            new String[] {"ip", "prefix-length", "mptcp-flags"},
            new String[] {"mptcp-endpoint-id", "mptcp-ineligible", "kernel-flags"},
            NMSTATE_ADDRESS);

    /** The flags a state file may ask for: every named one but implicit, which only the kernel sets. */
    static final String[] SETTABLE_FLAGS = settableFlags();

    private Vocabulary() {}

    /** What a key is at its level. */
    enum KeyKind {
        /** mptcpstate acts on it. */
        MANAGED,
        /** A fact show prints: type-checked and ignored. */
        READ_ONLY,
        /** nmstate's, not managed by mptcpstate: ignored with a warning. */
        NMSTATE,
        /** nmstate's key of a sibling section (ipv6's under ipv4): an error that says where it belongs. */
        ELSEWHERE,
        /** None of the above: an error, with the nearest known key suggested. */
        UNKNOWN
    }

    /** The keys of one level of the document. */
    static final class Keys {
        /** Keys mptcpstate acts on. */
        final String[] managed;
        /** Keys show prints that are facts, type-checked and ignored. */
        final String[] readOnly;
        /** nmstate's keys mptcpstate does not manage: ignored with a warning. */
        final String[] nmstate;
        /** nmstate's keys of a sibling section (ipv6's under ipv4). */
        private String[] elsewhere = NONE;

        private String elsewhereSection;

        Keys(String[] managed, String[] readOnly, String[] nmstate) {
            this.managed = managed;
            this.readOnly = readOnly;
            this.nmstate = nmstate;
        }

        private Keys elsewhere(String[] keys, String section) {
            elsewhere = keys;
            elsewhereSection = section;
            return this;
        }

        KeyKind kind(String key) {
            if (contains(managed, key)) {
                return KeyKind.MANAGED;
            }
            if (contains(readOnly, key)) {
                return KeyKind.READ_ONLY;
            }
            if (contains(nmstate, key)) {
                return KeyKind.NMSTATE;
            }
            return contains(elsewhere, key) ? KeyKind.ELSEWHERE : KeyKind.UNKNOWN;
        }

        /** The section a {@link KeyKind#ELSEWHERE} key belongs under. */
        String elsewhereSection() {
            return elsewhereSection;
        }

        /** The known key closest to a misspelt one, or null. */
        String nearest(String key) {
            return Suggestions.nearest(key, managed, readOnly, nmstate);
        }
    }

    static boolean contains(String[] keys, String key) {
        for (String candidate : keys) {
            if (candidate.equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** The keys of {@code keys} that {@code except} lacks. */
    private static String[] minus(String[] keys, String[] except) {
        List<String> out = new ArrayList<>();
        for (String key : keys) {
            if (!contains(except, key)) {
                out.add(key);
            }
        }
        return out.toArray(new String[0]);
    }

    private static String[] settableFlags() {
        List<String> names = new ArrayList<>();
        for (MptcpFlag flag : MptcpFlag.values()) {
            if (flag != MptcpFlag.IMPLICIT) {
                names.add(flag.yamlName());
            }
        }
        return names.toArray(new String[0]);
    }
}
