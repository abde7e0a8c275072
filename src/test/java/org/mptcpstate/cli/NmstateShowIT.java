package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;
import org.mptcpstate.testing.Netns;
import tools.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An nmstatectl-show-shaped document of a host with DHCP and SLAAC addresses, a bond, a VLAN on it, a Linux
 * bridge, an OVS bridge and its internal interface, a veth pair, a tun device, routes, rules and DNS
 * (src/test/resources/nmstate/valid/30-nmstatectl-show-host.yml) applies its MPTCP part on the real kernel.
 * This kernel cannot make bond, VLAN or Open vSwitch links in a namespace, so links of kinds it can make stand
 * in under the names the document uses (bond0 is a bridge, bond0.100 a macvlan on it, br-ex a tap), and their
 * type mismatches are the expected warnings. The oracle is {@code ip -j mptcp endpoint show} and {@code ip -j
 * link show}.
 */
@Tag("kernel")
class NmstateShowIT {
    private static final Path DOCUMENT = Path.of("src/test/resources/nmstate/valid/30-nmstatectl-show-host.yml");

    /** The host of the document: its links under its names, its addresses; the DHCPv6 lease has expired. */
    private static Netns host() {
        Netns ns = Netns.create("nmshow");
        // no link-local address of the kernel's own: the host has exactly the document's
        ns.sysctl("net.ipv6.conf.default.addr_gen_mode", "1");
        ns.ip("link", "set", "lo", "up");
        ns.ip("link", "add", "eth0", "type", "veth", "peer", "name", "eth0-peer");
        ns.ip("link", "add", "eth1", "type", "veth", "peer", "name", "eth2");
        ns.ip("link", "add", "eth3", "type", "veth", "peer", "name", "eth4");
        ns.ip("link", "add", "veth0", "type", "veth", "peer", "name", "veth0p");
        ns.ip("link", "add", "bond0", "type", "bridge");
        ns.ip("link", "add", "bond0.100", "link", "bond0", "type", "macvlan", "mode", "bridge");
        ns.ip("link", "add", "br0", "type", "bridge");
        ns.ip("tuntap", "add", "br-ex", "mode", "tap");
        ns.ip("tuntap", "add", "tun0", "mode", "tun");
        for (String link :
                List.of("eth0-peer", "eth0", "eth1", "eth2", "eth3", "eth4", "veth0", "veth0p", "bond0", "bond0.100")) {
            ns.ip("link", "set", link, "up");
        }
        for (String link : List.of("br0", "br-ex", "tun0")) {
            ns.ip("link", "set", link, "up");
        }
        // eth0: a DHCPv4 lease and a SLAAC address, with lifetimes as the kernel keeps them for dynamic addresses
        ns.ip("addr", "add", "192.0.2.100/24", "dev", "eth0", "valid_lft", "3418", "preferred_lft", "3418");
        address(ns, "eth0", "2001:db8:100:0:ff:feff:fe00:100/64", "valid_lft", "86395", "preferred_lft", "14395");
        address(ns, "eth0", "fe80::ff:feff:fe00:100/64");
        ns.ip("addr", "add", "198.51.100.10/24", "dev", "bond0");
        address(ns, "bond0", "2001:db8:110::10/64");
        address(ns, "bond0", "fe80::ff:feff:fe00:101/64");
        ns.ip("addr", "add", "203.0.113.10/24", "dev", "bond0.100");
        address(ns, "bond0.100", "fe80::ff:feff:fe00:102/64");
        ns.ip("addr", "add", "192.0.2.200/24", "dev", "br0");
        ns.ip("addr", "add", "203.0.113.50/24", "dev", "br-ex");
        address(ns, "br-ex", "fe80::ff:feff:fe00:150/64");
        ns.ip("addr", "add", "198.51.100.77/24", "dev", "veth0");
        address(ns, "veth0", "fe80::ff:feff:fe00:177/64");
        address(ns, "veth0p", "fe80::ff:feff:fe00:178/64");
        ns.ip("addr", "add", "192.0.2.250/32", "dev", "tun0");
        ns.awaitAddressesSettled();
        // endpoints made before: one the document removes (veth0 has address-flags: []), one on an interface
        // it says to ignore (tun0), which must stay as it is
        ns.ip("mptcp", "endpoint", "add", "198.51.100.77", "dev", "veth0", "subflow");
        ns.ip("mptcp", "endpoint", "add", "192.0.2.250", "id", "7", "dev", "tun0", "subflow", "backup");
        return ns;
    }

    private static void address(Netns ns, String link, String address, String... lifetimes) {
        List<String> args = new ArrayList<>(List.of("addr", "add", address, "dev", link, "nodad"));
        args.addAll(List.of(lifetimes));
        ns.ip(args.toArray(new String[0]));
    }

    /** address -> "flags dev id" as iproute2 reports the endpoint. */
    private static Map<String, String> endpoints(Netns ns) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode endpoint : Documents.elements(Documents.json(ns.ip("-j", "mptcp", "endpoint", "show")))) {
            List<String> flags = new ArrayList<>();
            for (String flag : List.of("signal", "subflow", "backup", "fullmesh")) {
                if (endpoint.path(flag).asBoolean(false)) {
                    flags.add(flag);
                }
            }
            out.put(
                    endpoint.path("address").asString(),
                    String.join(",", flags) + " " + endpoint.path("dev").asString());
        }
        return out;
    }

    private static final Map<String, String> APPLIED = new TreeMap<>(Map.of(
            "192.0.2.100", "subflow eth0",
            "2001:db8:100:0:ff:feff:fe00:100", "subflow eth0",
            "198.51.100.10", "signal,backup bond0",
            "2001:db8:110::10", "signal,backup bond0",
            "203.0.113.50", "subflow,fullmesh br-ex",
            "192.0.2.250", "subflow,backup tun0"));

    @Test
    void theShowDocumentAppliesItsMptcpPartWithFewWarningLines() {
        try (Netns ns = host()) {
            Run run = Mptcpstate.inProcess("apply", DOCUMENT.toString(), "--netns", ns.name());
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(endpoints(ns)).isEqualTo(APPLIED);
            // the ignored interface's endpoint keeps its id: it was not touched
            assertThat(ns.ip("-j", "mptcp", "endpoint", "show")).contains("\"id\":7,");
            String file = DOCUMENT.toString();
            assertThat(run.stderr().lines().toList())
                    .containsExactly(
                            "mptcpstate: warning: " + file + ": ignoring 130 nmstate keys that mptcpstate does not"
                                    + " act on: top level 5 (dns-resolver, hostname, ovs-db, route-rules, routes),"
                                    + " interfaces 96 (accept-all-mac-addresses, bridge, driver, ethernet, ethtool,"
                                    + " link-aggregation, lldp, mac-address, max-mtu, min-mtu, mtu, ovs-db,"
                                    + " permanent-mac-address, veth, vlan, wait-ip), ipv4/ipv6 29 (addr-gen-mode,"
                                    + " auto-dns, auto-gateway, auto-route-table-id, auto-routes, autoconf, dhcp,"
                                    + " dhcp-client-id, dhcp-duid, dhcp-send-hostname); --verbose lists each"
                                    + " [nmstate-ignored]",
                            "mptcpstate: warning: " + file + ":133:11: skipping eth0 2001:db8:100::100: a dynamic"
                                    + " address (the file gives it a lifetime) that is no longer on the interface"
                                    + " [dynamic-address-gone]",
                            "mptcpstate: warning: " + file + ": skipping 3 link-local addresses (eth0, bond0,"
                                    + " br-ex): they get no MPTCP endpoint; --verbose lists each"
                                    + " [link-local-skipped]",
                            "mptcpstate: warning: " + file + ":198:5: interface bond0 is of type bridge, not bond"
                                    + " [type-mismatch]",
                            "mptcpstate: warning: " + file + ":266:5: interface bond0.100 is of type macvlan, not"
                                    + " vlan [type-mismatch]",
                            "mptcpstate: warning: " + file + ":378:5: interface br-ex is of type tun, not"
                                    + " ovs-interface [type-mismatch]");
            Run again = Mptcpstate.inProcess("apply", DOCUMENT.toString(), "--netns", ns.name());
            assertThat(again.exitCode()).as(again.stderr()).isZero();
            assertThat(again.stdout()).isEqualTo("no changes\n");
        }
    }

    @Test
    void verboseListsEachRoutineWarningAndDiffJsonGivesThemAsObjects() {
        try (Netns ns = host()) {
            Run verbose = Mptcpstate.inProcess("diff", DOCUMENT.toString(), "--netns", ns.name(), "--verbose");
            assertThat(verbose.exitCode()).as(verbose.stderr()).isEqualTo(ExitCode.CHANGES_PENDING.code());
            assertThat(verbose.stderr().lines().filter(l -> l.endsWith("[nmstate-ignored]")))
                    .hasSize(130);
            assertThat(verbose.stderr().lines().filter(l -> l.endsWith("[link-local-skipped]")))
                    .containsExactly(
                            "mptcpstate: warning: " + DOCUMENT + ":145:11: skipping eth0 fe80::ff:feff:fe00:100:"
                                    + " link-local addresses get no MPTCP endpoint [link-local-skipped]",
                            "mptcpstate: warning: " + DOCUMENT + ":226:11: skipping bond0 fe80::ff:feff:fe00:101:"
                                    + " link-local addresses get no MPTCP endpoint [link-local-skipped]",
                            "mptcpstate: warning: " + DOCUMENT + ":397:11: skipping br-ex fe80::ff:feff:fe00:150:"
                                    + " link-local addresses get no MPTCP endpoint [link-local-skipped]");

            Run json = Mptcpstate.inProcess("diff", "--json", DOCUMENT.toString(), "--netns", ns.name());
            JsonNode warnings = Documents.json(json.stdout()).path("warnings");
            List<String> codes = new ArrayList<>();
            for (JsonNode warning : warnings) {
                codes.add(warning.path("code").asString());
                assertThat(warning.path("file").asString()).isEqualTo(DOCUMENT.toString());
                assertThat(warning.path("message").asString()).isNotEmpty();
            }
            // the loader's warning (nmstate keys not read) first, as on stderr
            assertThat(codes)
                    .containsExactly(
                            "nmstate-ignored",
                            "dynamic-address-gone",
                            "link-local-skipped",
                            "type-mismatch",
                            "type-mismatch",
                            "type-mismatch");
            assertThat(json.stderr())
                    .as("under --json the warnings are in the document only")
                    .isEmpty();
            JsonNode summary = warnings.get(2);
            assertThat(summary.has("line")).as("a summary names no line").isFalse();
            assertThat(summary.path("message").asString())
                    .isEqualTo("skipping 3 link-local addresses (eth0, bond0, br-ex): they get no MPTCP endpoint;"
                            + " --verbose lists each");
            assertThat(warnings.get(1).path("line").asInt()).isEqualTo(133);
            assertThat(warnings.get(1).path("column").asInt()).isEqualTo(11);
            assertThat(endpoints(ns)).as("diff writes nothing").containsOnlyKeys("198.51.100.77", "192.0.2.250");
        }
    }

    /** absent removes the endpoints of a link that stays; an absent interface that does not exist is fine. */
    @Test
    void anAbsentInterfaceLosesItsEndpointsAndKeepsItsLink() throws Exception {
        try (Netns ns = host()) {
            assertThat(Mptcpstate.inProcess("apply", DOCUMENT.toString(), "--netns", ns.name())
                            .exitCode())
                    .isZero();
            Path file = Mptcpstate.stateFile("interfaces:\n"
                    + "- name: bond0\n  type: bond\n  state: absent\n  link-aggregation: {mode: active-backup}\n"
                    + "- name: bond9\n  type: bond\n  state: absent\n");
            Run run = Mptcpstate.inProcess("apply", file.toString(), "--netns", ns.name());
            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stderr())
                    .contains(":2:3: interface bond0 is absent in the file but exists: its MPTCP endpoints are"
                            + " removed; mptcpstate does not delete links [absent-link-kept]");
            Map<String, String> expected = new TreeMap<>(APPLIED);
            expected.remove("198.51.100.10");
            expected.remove("2001:db8:110::10");
            assertThat(endpoints(ns)).isEqualTo(expected);
            assertThat(Documents.json(ns.ip("-j", "link", "show", "bond0"))
                            .get(0)
                            .path("ifname")
                            .asString())
                    .isEqualTo("bond0");
        }
    }
}
