package org.mptcpstate.document;

import org.mptcpstate.state.MptcpFlag;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys of each level of a state file, in one table ({@link #TABLE}) that the loader, docs/state-file.md and
 * schemas/mptcpstate.schema.json follow (tests hold all three in step): the keys mptcpstate acts on, the read-only
 * keys {@code show} prints (type-checked and ignored, so show output loads as it is), and the whole vocabulary of
 * nmstate's state files, so that a file written for nmstate, or printed by {@code nmstatectl show}, loads as it is.
 *
 * <p>nmstate's keys come from nmstate 2.2.38's serde types (rust/src/lib: {@code NetworkState} in net_state.rs,
 * {@code BaseInterface} in ifaces/base.rs and each type's section in ifaces/*.rs, {@code InterfaceIp} and {@code
 * InterfaceIpAddr} in ip.rs) and its YAML API document for newer releases (devel/yaml_api.md: pci-address,
 * alt-names, ip-tunnel). The levels mptcpstate acts on are strict: a key that is in none of the lists is an error
 * with the nearest known key suggested, as nmstate's own {@code deny_unknown_fields} makes it. The sections of
 * interface types and the top-level sections other than {@code interfaces} and {@code mptcp} are opaque: their
 * name must be known, their contents are not read, because mptcpstate acts on none of their ~300 keys and they
 * change with every nmstate release.
 */
final class Vocabulary {
    /** A level of the document: where a key may appear. */
    enum Level {
        TOP("top level"),
        MPTCP("mptcp"),
        LIMITS("mptcp.limits"),
        ENDPOINT("mptcp.endpoints[]"),
        INTERFACE("interfaces[]"),
        INTERFACE_MPTCP("interfaces[].mptcp"),
        /** A key of both ipv4 and ipv6. */
        IP("ipv4, ipv6"),
        IPV4("ipv4"),
        IPV6("ipv6"),
        ADDRESS("ipv4/ipv6 address[]");

        /** How the docs' table names it. */
        final String label;

        Level(String label) {
            this.label = label;
        }
    }

    /** What a key is at its level. */
    enum KeyKind {
        /** mptcpstate reads it. */
        MANAGED("read"),
        /** A fact show prints: type-checked and ignored. */
        READ_ONLY("show's, ignored"),
        /** nmstate's, a value mptcpstate does not act on: not read, counted in one summary warning. */
        NMSTATE("nmstate's, ignored"),
        /** nmstate's section, opaque: its contents are not read; counted in one summary warning. */
        SECTION("nmstate's section, ignored"),
        /** nmstate's key of a sibling section that nmstate refuses here (autoconf under ipv4): an error. */
        ELSEWHERE("error"),
        /** A key of nmstate's policy files (nmpolicy), which are no states: an error. */
        POLICY("error: a policy"),
        /** None of the above: an error, with the nearest known key suggested. */
        UNKNOWN("error");

        /** How the docs' table names it. */
        final String label;

        KeyKind(String label) {
            this.label = label;
        }
    }

    /** One key at one level; {@code aliases} are other spellings nmstate reads ("a, b"; null: none). */
    static final class Row {
        private final Level level;
        private final String key;
        private final KeyKind kind;
        private final String aliases;
        private final String note;
        /** The aliases, split once: messages and lookups need them on every key read. */
        private final String[] spellings;

        Row(Level level, String key, KeyKind kind, String aliases, String note) {
            this.level = level;
            this.key = key;
            this.kind = kind;
            this.aliases = aliases;
            this.note = note;
            this.spellings = aliases == null ? new String[0] : splitAliases(aliases);
        }

        Level level() {
            return level;
        }

        String key() {
            return key;
        }

        KeyKind kind() {
            return kind;
        }

        String aliases() {
            return aliases;
        }

        boolean is(String spelling) {
            return key.equals(spelling) || contains(spellings, spelling);
        }

        private static String[] splitAliases(String aliases) {
            List<String> out = new ArrayList<>();
            int start = 0;
            for (int comma = aliases.indexOf(", "); comma >= 0; comma = aliases.indexOf(", ", start)) {
                out.add(aliases.substring(start, comma));
                start = comma + 2;
            }
            out.add(aliases.substring(start));
            return out.toArray(new String[0]);
        }
    }

    private static Row row(Level level, String key, KeyKind kind, String note) {
        return new Row(level, key, kind, null, note);
    }

    /** The vocabulary. Notes say what mptcpstate does with the key, or what nmstate means by it. */
    static final Row[] TABLE = {
        row(Level.TOP, "mptcp", KeyKind.MANAGED, "mptcpstate's own (nmstate has no such key): the namespace"),
        row(Level.TOP, "interfaces", KeyKind.MANAGED, "the interfaces whose addresses get endpoints"),
        row(Level.TOP, "description", KeyKind.NMSTATE, "nmstate 2.2.33+: a description of the state"),
        row(Level.TOP, "hostname", KeyKind.SECTION, "running, config"),
        row(Level.TOP, "dns-resolver", KeyKind.SECTION, "running, config: server, search, options"),
        row(Level.TOP, "routes", KeyKind.SECTION, "running, config: route entries"),
        row(Level.TOP, "route-rules", KeyKind.SECTION, "config: rule entries"),
        row(Level.TOP, "ovs-db", KeyKind.SECTION, "external_ids, other_config"),
        row(Level.TOP, "ovn", KeyKind.SECTION, "nmstate 2.2.13+: bridge-mappings"),
        row(Level.TOP, "capture", KeyKind.POLICY, "nmpolicy: capture rules"),
        row(Level.TOP, "desiredState", KeyKind.POLICY, "nmpolicy: the state template (also desired)"),
        row(Level.TOP, "desired", KeyKind.POLICY, "nmpolicy: the state template"),
        row(Level.MPTCP, "enabled", KeyKind.MANAGED, "net.mptcp.enabled"),
        row(Level.MPTCP, "limits", KeyKind.MANAGED, "subflows, add-addr-accepted"),
        row(Level.MPTCP, "endpoints", KeyKind.MANAGED, "endpoints not tied to an interface address"),
        row(Level.MPTCP, "path-manager", KeyKind.READ_ONLY, "net.mptcp.path_manager"),
        row(Level.LIMITS, "subflows", KeyKind.MANAGED, "0 to 8"),
        row(Level.LIMITS, "add-addr-accepted", KeyKind.MANAGED, "0 to 8"),
        row(Level.ENDPOINT, "address", KeyKind.MANAGED, "an IP address"),
        row(Level.ENDPOINT, "port", KeyKind.MANAGED, "1 to 65535; with signal, without subflow"),
        row(Level.ENDPOINT, "flags", KeyKind.MANAGED, "endpoint flags"),
        row(Level.ENDPOINT, "interface", KeyKind.MANAGED, "the interface it is bound to"),
        row(Level.ENDPOINT, "id", KeyKind.READ_ONLY, "the kernel's endpoint id"),
        row(Level.ENDPOINT, "interface-index", KeyKind.READ_ONLY, "for an endpoint bound to a gone interface"),
        row(Level.INTERFACE, "name", KeyKind.MANAGED, "required"),
        row(Level.INTERFACE, "type", KeyKind.MANAGED, "checked against the link kind (a warning)"),
        row(Level.INTERFACE, "state", KeyKind.MANAGED, "up, down, absent, ignore, unknown"),
        row(Level.INTERFACE, "mptcp", KeyKind.MANAGED, "address-flags"),
        row(Level.INTERFACE, "ipv4", KeyKind.MANAGED, "addresses and their mptcp-flags"),
        row(Level.INTERFACE, "ipv6", KeyKind.MANAGED, "addresses and their mptcp-flags"),
        row(Level.INTERFACE, "oper-state", KeyKind.READ_ONLY, "the operational state"),
        row(Level.INTERFACE, "profile-name", KeyKind.NMSTATE, "NetworkManager profile"),
        row(Level.INTERFACE, "description", KeyKind.NMSTATE, "free text"),
        row(Level.INTERFACE, "driver", KeyKind.NMSTATE, "nmstate 2.2.27+, show only"),
        row(Level.INTERFACE, "identifier", KeyKind.NMSTATE, "name, mac-address, pci-address"),
        row(Level.INTERFACE, "mac-address", KeyKind.NMSTATE, ""),
        row(Level.INTERFACE, "permanent-mac-address", KeyKind.NMSTATE, "show only"),
        row(Level.INTERFACE, "pci-address", KeyKind.NMSTATE, "nmstate 2.2.47+"),
        row(Level.INTERFACE, "mtu", KeyKind.NMSTATE, ""),
        row(Level.INTERFACE, "min-mtu", KeyKind.NMSTATE, "show only"),
        row(Level.INTERFACE, "max-mtu", KeyKind.NMSTATE, "show only"),
        row(Level.INTERFACE, "wait-ip", KeyKind.NMSTATE, "any, ipv4, ipv6, ipv4+ipv6"),
        row(Level.INTERFACE, "controller", KeyKind.NMSTATE, "the controller (bond, bridge, vrf)"),
        row(Level.INTERFACE, "accept-all-mac-addresses", KeyKind.NMSTATE, "promiscuous mode"),
        row(Level.INTERFACE, "copy-mac-from", KeyKind.NMSTATE, ""),
        row(Level.INTERFACE, "ovs-db", KeyKind.SECTION, "external_ids, other_config"),
        row(Level.INTERFACE, "802.1x", KeyKind.SECTION, "802.1X authentication"),
        row(Level.INTERFACE, "lldp", KeyKind.SECTION, "enabled, neighbors"),
        row(Level.INTERFACE, "ethtool", KeyKind.SECTION, "pause, feature, coalesce, ring, fec"),
        row(Level.INTERFACE, "dispatch", KeyKind.SECTION, "post-activation, post-deactivation scripts"),
        row(Level.INTERFACE, "alt-names", KeyKind.SECTION, "nmstate 2.2.51+: alternative names"),
        row(Level.INTERFACE, "ethernet", KeyKind.SECTION, "types ethernet, veth: speed, duplex, sr-iov"),
        row(Level.INTERFACE, "veth", KeyKind.SECTION, "types ethernet, veth: peer"),
        row(Level.INTERFACE, "link-aggregation", KeyKind.SECTION, "type bond: mode, options, port"),
        row(Level.INTERFACE, "bridge", KeyKind.SECTION, "types linux-bridge, ovs-bridge: options, port"),
        row(Level.INTERFACE, "patch", KeyKind.SECTION, "type ovs-interface: peer"),
        row(Level.INTERFACE, "dpdk", KeyKind.SECTION, "type ovs-interface: devargs, queues"),
        row(Level.INTERFACE, "vlan", KeyKind.SECTION, "type vlan: base-iface, id, protocol"),
        row(Level.INTERFACE, "vxlan", KeyKind.SECTION, "type vxlan: base-iface, id, remote"),
        row(Level.INTERFACE, "mac-vlan", KeyKind.SECTION, "type mac-vlan: base-iface, mode"),
        row(Level.INTERFACE, "mac-vtap", KeyKind.SECTION, "type mac-vtap: base-iface, mode"),
        row(Level.INTERFACE, "vrf", KeyKind.SECTION, "type vrf: port, route-table-id"),
        row(Level.INTERFACE, "infiniband", KeyKind.SECTION, "type infiniband: mode, pkey"),
        row(Level.INTERFACE, "macsec", KeyKind.SECTION, "type macsec"),
        row(Level.INTERFACE, "libreswan", KeyKind.SECTION, "type ipsec"),
        row(Level.INTERFACE, "hsr", KeyKind.SECTION, "type hsr: port1, port2, protocol"),
        row(Level.INTERFACE, "ipvlan", KeyKind.SECTION, "type ipvlan: base-iface, mode"),
        row(Level.INTERFACE, "ip-tunnel", KeyKind.SECTION, "nmstate 2.2.59+, type ip-tunnel"),
        row(Level.INTERFACE, "team", KeyKind.SECTION, "nmstate 1.x, type team"),
        row(Level.INTERFACE_MPTCP, "address-flags", KeyKind.MANAGED, "the flags of every eligible address"),
        row(Level.IP, "address", KeyKind.MANAGED, "addresses that must be on the interface"),
        row(Level.IP, "enabled", KeyKind.MANAGED, "type-checked; addresses are not added or removed"),
        row(Level.IP, "default-route", KeyKind.READ_ONLY, "a default route in the main table"),
        row(Level.IP, "dhcp", KeyKind.NMSTATE, ""),
        row(Level.IPV6, "autoconf", KeyKind.NMSTATE, "SLAAC"),
        row(Level.IPV4, "autoconf", KeyKind.ELSEWHERE, "IPv6 only: nmstate refuses it under ipv4"),
        row(Level.IP, "dhcp-client-id", KeyKind.NMSTATE, "IPv4's (nmstate drops it under ipv6)"),
        row(Level.IP, "dhcp-duid", KeyKind.NMSTATE, "IPv6's (nmstate drops it under ipv4)"),
        row(Level.IP, "auto-dns", KeyKind.NMSTATE, ""),
        row(Level.IP, "auto-gateway", KeyKind.NMSTATE, ""),
        row(Level.IP, "auto-routes", KeyKind.NMSTATE, ""),
        row(Level.IP, "auto-route-table-id", KeyKind.NMSTATE, ""),
        row(Level.IP, "auto-route-metric", KeyKind.NMSTATE, "nmstate 2.2.1+"),
        row(Level.IP, "addr-gen-mode", KeyKind.NMSTATE, "IPv6's (nmstate drops it under ipv4)"),
        row(Level.IP, "allow-extra-address", KeyKind.NMSTATE, ""),
        row(Level.IP, "token", KeyKind.NMSTATE, "IPv6's (nmstate drops it under ipv4)"),
        row(Level.IP, "dhcp-send-hostname", KeyKind.NMSTATE, ""),
        row(Level.IP, "dhcp-custom-hostname", KeyKind.NMSTATE, ""),
        row(Level.ADDRESS, "ip", KeyKind.MANAGED, "required"),
        row(Level.ADDRESS, "prefix-length", KeyKind.MANAGED, "checked against the kernel's"),
        row(Level.ADDRESS, "mptcp-flags", KeyKind.MANAGED, "this address's flags: overrides the interface's"),
        new Row(
                Level.ADDRESS,
                "valid-life-time",
                KeyKind.MANAGED,
                "valid-lft, valid-left",
                "not forever: a dynamic address, skipped with a warning once gone"),
        new Row(Level.ADDRESS, "preferred-life-time", KeyKind.MANAGED, "preferred-lft, preferred-left", "type-checked"),
        row(Level.ADDRESS, "mptcp-endpoint-id", KeyKind.READ_ONLY, "the endpoint's id"),
        row(Level.ADDRESS, "mptcp-ineligible", KeyKind.READ_ONLY, "why it gets no endpoint"),
        row(Level.ADDRESS, "kernel-flags", KeyKind.READ_ONLY, "the kernel's address flags"),
    };

    static final Keys TOP = new Keys(Level.TOP, "the top level");
    static final Keys MPTCP = new Keys(Level.MPTCP, "mptcp");
    static final Keys LIMITS = new Keys(Level.LIMITS, "mptcp.limits");
    static final Keys ENDPOINT = new Keys(Level.ENDPOINT, "an endpoint");
    static final Keys INTERFACE = new Keys(Level.INTERFACE, "an interface");
    static final Keys INTERFACE_MPTCP = new Keys(Level.INTERFACE_MPTCP, "an interface's mptcp");
    static final Keys IPV4 = new Keys(Level.IPV4, "ipv4");
    static final Keys IPV6 = new Keys(Level.IPV6, "ipv6");
    static final Keys ADDRESS = new Keys(Level.ADDRESS, "an address");

    private static final Keys[] LEVELS = {TOP, MPTCP, LIMITS, ENDPOINT, INTERFACE, INTERFACE_MPTCP, IPV4, IPV6, ADDRESS
    };

    /** The flags a state file may ask for: every named one but implicit, which only the kernel sets. */
    static final String[] SETTABLE_FLAGS = settableFlags();

    private Vocabulary() {}

    /** The keys of one level of the document. */
    static final class Keys {
        final Level level;
        /** "an interface": how messages name the level. */
        final String where;
        /** Keys mptcpstate reads, each spelling (aliases too). */
        final String[] managed;
        /** Keys show prints that are facts, type-checked and ignored. */
        final String[] readOnly;
        /** nmstate's keys and sections mptcpstate does not act on: ignored, counted in a summary warning. */
        final String[] nmstate;

        private final Row[] rows;

        Keys(Level level, String where) {
            this.level = level;
            this.where = where;
            List<Row> mine = new ArrayList<>();
            for (Row row : TABLE) {
                if (row.level == level || (row.level == Level.IP && (level == Level.IPV4 || level == Level.IPV6))) {
                    mine.add(row);
                }
            }
            this.rows = mine.toArray(new Row[0]);
            this.managed = keys(KeyKind.MANAGED, KeyKind.MANAGED, true);
            this.readOnly = keys(KeyKind.READ_ONLY, KeyKind.READ_ONLY, false);
            this.nmstate = keys(KeyKind.NMSTATE, KeyKind.SECTION, true);
        }

        private String[] keys(KeyKind kind, KeyKind orKind, boolean withAliases) {
            List<String> out = new ArrayList<>();
            for (Row row : rows) {
                if (row.kind == kind || row.kind == orKind) {
                    out.add(row.key);
                    if (withAliases) {
                        out.addAll(List.of(row.spellings));
                    }
                }
            }
            return out.toArray(new String[0]);
        }

        /** The row of a key or of one of its aliases, or null. */
        Row row(String key) {
            for (Row row : rows) {
                if (row.is(key)) {
                    return row;
                }
            }
            return null;
        }

        KeyKind kind(String key) {
            Row row = row(key);
            return row == null ? KeyKind.UNKNOWN : row.kind;
        }

        /** The canonical spelling of a key that may be an alias. */
        String canonical(String key) {
            Row row = row(key);
            return row == null ? key : row.key;
        }

        /** The known key closest to a misspelt one, or null. */
        String nearest(String key) {
            return Suggestions.nearest(key, managed, readOnly, nmstate);
        }

        /** Where else an unknown key is known ("an interface"), for "not a key of the top level"; or null. */
        String elsewhere(String key) {
            for (Keys other : LEVELS) {
                if (other != this && other.row(key) != null && other.row(key).kind != KeyKind.POLICY) {
                    return other.where;
                }
            }
            return null;
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

    /** The table as docs/state-file.md holds it (a test compares them). */
    static String markdownTable() {
        StringBuilder out = new StringBuilder("| level | key | mptcpstate | note |\n|---|---|---|---|\n");
        for (Row row : TABLE) {
            out.append("| ")
                    .append(row.level.label)
                    .append(" | `")
                    .append(row.key)
                    .append('`');
            if (row.aliases != null) {
                out.append(" (also `").append(row.aliases.replace(", ", "`, `")).append("`)");
            }
            out.append(" | ")
                    .append(row.kind.label)
                    .append(" | ")
                    .append(row.note)
                    .append(" |\n");
        }
        return out.toString();
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
