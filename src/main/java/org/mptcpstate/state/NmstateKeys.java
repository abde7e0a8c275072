package org.mptcpstate.state;

/**
 * The keys nmstate defines that mptcpstate does not manage, per level of the document: the one list the
 * loader and schemas/mptcpstate.schema.json follow (a test holds them in step). A state file written for
 * nmstate applies unchanged: these keys are accepted, their values are not read, and each one gets a warning
 * saying it is ignored. A key in neither this list nor mptcpstate's own is an error.
 *
 * <p>Taken from nmstate 2.2's serde types (rust/src/lib: {@code ShowDocument} in net_state.rs,
 * {@code BaseInterface} in ifaces/base.rs and the per-type sections of ifaces/*.rs, {@code InterfaceIp} and
 * {@code InterfaceIpAddr} in ip.rs) and its YAML API document (nmstate.io, devel/yaml_api.md). Keys nmstate
 * shares with mptcpstate ({@code interfaces}, {@code name}, {@code type}, {@code state}, {@code mptcp},
 * {@code ipv4}, {@code ipv6}, {@code address}, {@code ip}, {@code prefix-length}, {@code mptcp-flags}) are
 * mptcpstate's and not listed here.
 */
final class NmstateKeys {
    /** Top level: hostname, DNS, routes, route rules, Open vSwitch and OVN settings. */
    static final String[] TOP = {"hostname", "dns-resolver", "routes", "route-rules", "ovs-db", "ovn"};

    /** An interface: BaseInterface's keys, then the section each interface type adds. */
    static final String[] INTERFACE = {
        "profile-name", "description", "identifier", "mac-address", "permanent-mac-address", "pci-address",
        "alt-names", "mtu", "min-mtu", "max-mtu", "wait-ip", "controller", "accept-all-mac-addresses",
        "copy-mac-from", "ovs-db", "802.1x", "lldp", "ethtool", "dispatch",
        // type-specific sections: ethernet/veth, linux-bridge and ovs-bridge, bond, ovs-interface, the rest
        "ethernet", "veth", "bridge", "link-aggregation", "patch", "dpdk", "vlan", "vxlan", "mac-vlan",
        "mac-vtap", "vrf", "infiniband", "macsec", "libreswan", "hsr", "ipvlan", "ip-tunnel", "team",
    };

    /** The {@code ipv4} section (nmstate refuses autoconf and dhcp-duid there). */
    static final String[] IPV4 = {
        "enabled", "dhcp", "dhcp-client-id", "auto-dns", "auto-gateway", "auto-routes", "auto-route-table-id",
        "auto-route-metric", "allow-extra-address", "dhcp-send-hostname", "dhcp-custom-hostname",
    };

    /** The {@code ipv6} section. */
    static final String[] IPV6 = {
        "enabled", "dhcp", "autoconf", "dhcp-duid", "addr-gen-mode", "token", "auto-dns", "auto-gateway",
        "auto-routes", "auto-route-table-id", "auto-route-metric", "allow-extra-address", "dhcp-send-hostname",
        "dhcp-custom-hostname",
    };

    /** An address: the lifetimes nmstate shows for dynamic addresses. */
    static final String[] ADDRESS = {"valid-left", "preferred-left"};

    /**
     * Levels where nmstate defines nothing mptcpstate ignores: the top-level mptcp section is mptcpstate's own,
     * and in an interface's mptcp section nmstate's one key, address-flags, is mptcpstate's too.
     */
    static final String[] NONE = {};

    private NmstateKeys() {
    }
}
