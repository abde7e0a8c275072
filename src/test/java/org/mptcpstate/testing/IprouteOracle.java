package org.mptcpstate.testing;

import org.assertj.core.api.SoftAssertions;
import tools.jackson.databind.JsonNode;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.mptcpstate.testing.Documents.elements;
import static org.mptcpstate.testing.Documents.stringSet;
import static org.mptcpstate.testing.Documents.strings;

/**
 * Checks a {@code show --json} document of a whole namespace against what iproute2 and sysctl(8) report for
 * that namespace. Nothing is compared with values the test itself set up: every expectation comes from
 * {@code ip -j ...}, {@code ip mptcp limits} or {@code sysctl -n}, read right after the document.
 */
public final class IprouteOracle {
    /** iproute2's JSON keys for address flags, which show lists as kernel-flags. */
    private static final List<String> KERNEL_FLAG_KEYS =
            List.of("secondary", "temporary", "dynamic", "deprecated", "tentative", "dadfailed");
    /** iproute2's operstate words and the document's. */
    private static final Map<String, String> OPER_STATES = Map.of(
            "UNKNOWN",
            "unknown",
            "NOTPRESENT",
            "not-present",
            "DOWN",
            "down",
            "LOWERLAYERDOWN",
            "lower-layer-down",
            "TESTING",
            "testing",
            "DORMANT",
            "dormant",
            "UP",
            "up");
    /** Endpoint flag bits that iproute2 6.1 prints only as rawflags (fact sheet: laminar 0x20, kernel 6.18). */
    private static final Map<Integer, String> RAW_FLAG_NAMES = Map.of(0x20, "laminar");

    private static final Pattern UNKNOWN_DEV = Pattern.compile("if(\\d+)");

    private IprouteOracle() {}

    /** An endpoint as {@code ip -j mptcp endpoint show} prints it. */
    public record Endpoint(int id, String address, Integer port, Set<String> flags, String dev) {}

    /** An address as {@code ip -j addr show} prints it. */
    public record Address(String ifname, String family, String ip, int prefixLength, Set<String> kernelFlags) {
        String key() {
            return ip + "/" + prefixLength;
        }
    }

    public static List<Endpoint> endpoints(Netns ns) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (JsonNode node : elements(Documents.json(ns.ip("-j", "mptcp", "endpoint", "show")))) {
            Set<String> flags = new TreeSet<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getValue().isBoolean() && field.getValue().booleanValue()) {
                    flags.add(field.getKey());
                }
            }
            if (node.has("rawflags")) {
                int raw = Integer.parseInt(node.get("rawflags").asString(), 16);
                for (int bit = 1; bit != 0; bit <<= 1) {
                    if ((raw & bit) != 0) {
                        flags.add(RAW_FLAG_NAMES.getOrDefault(bit, String.format("0x%x", bit)));
                    }
                }
            }
            endpoints.add(new Endpoint(
                    node.get("id").asInt(),
                    node.get("address").asString(),
                    node.has("port") ? node.get("port").asInt() : null,
                    flags,
                    node.has("dev") ? node.get("dev").asString() : null));
        }
        return endpoints;
    }

    public static List<Address> addresses(Netns ns) {
        List<Address> addresses = new ArrayList<>();
        for (JsonNode link : elements(Documents.json(ns.ip("-j", "addr", "show")))) {
            for (JsonNode info : elements(link.path("addr_info"))) {
                String family = info.path("family").asString();
                if (!family.equals("inet") && !family.equals("inet6")) {
                    continue;
                }
                Set<String> kernelFlags = new HashSet<>();
                for (String key : KERNEL_FLAG_KEYS) {
                    if (info.path(key).asBoolean(false)) {
                        kernelFlags.add(key);
                    }
                }
                addresses.add(new Address(
                        link.path("ifname").asString(),
                        family,
                        info.path("local").asString(),
                        info.path("prefixlen").asInt(),
                        kernelFlags));
            }
        }
        return addresses;
    }

    /** `ip mptcp limits` has no JSON: "add_addr_accepted 0 subflows 2". */
    public static Map<String, Integer> limits(Netns ns) {
        String[] words = ns.ip("mptcp", "limits").trim().split("\\s+");
        Map<String, Integer> limits = new HashMap<>();
        for (int i = 0; i + 1 < words.length; i += 2) {
            limits.put(words[i], Integer.valueOf(words[i + 1]));
        }
        return limits;
    }

    /** Interfaces that have a unicast default route in the main table, for "-4" or "-6". */
    public static Set<String> defaultRouteInterfaces(Netns ns, String family) {
        Set<String> names = new HashSet<>();
        for (JsonNode route : elements(Documents.json(ns.ip(family, "-j", "route", "show", "default")))) {
            String type = route.path("type").asString("unicast");
            if (!type.equals("unicast")) {
                continue;
            }
            if (route.has("dev")) {
                names.add(route.get("dev").asString());
            }
            for (JsonNode hop : elements(route.path("nexthops"))) {
                if (hop.has("dev")) {
                    names.add(hop.get("dev").asString());
                }
            }
        }
        return names;
    }

    /**
     * Why the rule (nmstate's, NetworkManager's: fact sheet section 4) makes an address ineligible for
     * interface-wide flags, from the address ranges: loopback 127/8 and ::1, link-local 169.254/16 and fe80::/10,
     * multicast 224/4 and ff00::/8, unique-local fc00::/7.
     */
    static String ineligibility(String ip) {
        byte[] b;
        try {
            b = InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            throw new AssertionError("iproute2 printed an unreadable address " + ip, e);
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b.length == 4) {
            if (b0 == 127) {
                return "loopback";
            }
            if (b0 == 169 && b1 == 254) {
                return "link-local";
            }
            if ((b0 & 0xf0) == 0xe0) {
                return "multicast";
            }
            return null;
        }
        boolean loopback = b[15] == 1;
        for (int i = 0; i < 15; i++) {
            loopback &= b[i] == 0;
        }
        if (loopback) {
            return "loopback";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return "link-local";
        }
        if (b0 == 0xff) {
            return "multicast";
        }
        if ((b0 & 0xfe) == 0xfc) {
            return "unique-local";
        }
        return null;
    }

    /** Asserts everything at once and reports every difference. */
    public static void assertShowMatches(Netns ns, JsonNode doc) {
        SoftAssertions softly = new SoftAssertions();
        checkShow(softly, ns, doc);
        softly.assertAll();
    }

    private record Occurrence(int id, JsonNode node, String ifname, String family) {}

    private static void checkShow(SoftAssertions softly, Netns ns, JsonNode doc) {
        JsonNode mptcp = doc.path("mptcp");

        // sysctls
        String enabled = ns.exec("sysctl", "-n", "net.mptcp.enabled").trim();
        String pathManager = ns.exec("sysctl", "-n", "net.mptcp.path_manager").trim();
        softly.assertThat(mptcp.path("enabled").isBoolean())
                .as("mptcp.enabled is a boolean")
                .isTrue();
        softly.assertThat(mptcp.path("enabled").asBoolean())
                .as("mptcp.enabled vs sysctl %s", enabled)
                .isEqualTo(!enabled.equals("0"));
        softly.assertThat(mptcp.path("path-manager").asString())
                .as("mptcp.path-manager")
                .isEqualTo(pathManager);

        // limits
        Map<String, Integer> limits = limits(ns);
        softly.assertThat(mptcp.path("limits").path("subflows").isInt())
                .as("limits.subflows is a number")
                .isTrue();
        softly.assertThat(mptcp.path("limits").path("subflows").asInt())
                .as("limits.subflows")
                .isEqualTo(limits.get("subflows"));
        softly.assertThat(mptcp.path("limits").path("add-addr-accepted").asInt())
                .as("limits.add-addr-accepted")
                .isEqualTo(limits.get("add_addr_accepted"));

        // links
        Map<String, JsonNode> links = new HashMap<>();
        for (JsonNode link : elements(Documents.json(ns.ip("-d", "-j", "link", "show")))) {
            links.put(link.path("ifname").asString(), link);
        }
        List<JsonNode> interfaces = elements(doc.path("interfaces"));
        List<String> names = new ArrayList<>();
        interfaces.forEach(i -> names.add(i.path("name").asString()));
        softly.assertThat(names).as("interface names").containsExactlyInAnyOrderElementsOf(links.keySet());
        softly.assertThat(names).as("interfaces are sorted by name").isSorted();
        for (JsonNode iface : interfaces) {
            String name = iface.path("name").asString();
            JsonNode link = links.get(name);
            if (link == null) {
                continue;
            }
            String kind = link.path("linkinfo").path("info_kind").asString(null);
            String linkType = link.path("link_type").asString();
            String type = linkType.equals("loopback")
                    ? "loopback"
                    : kind != null ? kind : linkType.equals("ether") ? "ethernet" : linkType;
            softly.assertThat(iface.path("type").asString())
                    .as("type of %s", name)
                    .isEqualTo(type);
            softly.assertThat(iface.path("state").asString())
                    .as("state of %s", name)
                    .isEqualTo(stringSet(link.path("flags")).contains("UP") ? "up" : "down");
            softly.assertThat(iface.path("oper-state").asString())
                    .as("oper-state of %s", name)
                    .isEqualTo(OPER_STATES.get(link.path("operstate").asString()));
        }

        // default routes
        Set<String> v4Default = defaultRouteInterfaces(ns, "-4");
        Set<String> v6Default = defaultRouteInterfaces(ns, "-6");
        for (JsonNode iface : interfaces) {
            String name = iface.path("name").asString();
            softly.assertThat(iface.path("ipv4").path("default-route").isBoolean())
                    .as("ipv4.default-route of %s is a boolean", name)
                    .isTrue();
            softly.assertThat(iface.path("ipv4").path("default-route").asBoolean())
                    .as("ipv4.default-route of %s (ip -4 route show default: %s)", name, v4Default)
                    .isEqualTo(v4Default.contains(name));
            softly.assertThat(iface.path("ipv6").path("default-route").asBoolean())
                    .as("ipv6.default-route of %s (ip -6 route show default: %s)", name, v6Default)
                    .isEqualTo(v6Default.contains(name));
        }

        // addresses
        List<Address> addresses = addresses(ns);
        Map<String, Map<String, Address>> oracleByInterfaceFamily = new HashMap<>();
        for (Address address : addresses) {
            oracleByInterfaceFamily
                    .computeIfAbsent(address.ifname() + " " + address.family(), k -> new HashMap<>())
                    .put(address.ip(), address);
        }
        List<Occurrence> occurrences = new ArrayList<>();
        for (JsonNode iface : interfaces) {
            String name = iface.path("name").asString();
            Set<Set<String>> eligibleFlagSets = new HashSet<>();
            for (String family : List.of("ipv4", "ipv6")) {
                String ipFamily = family.equals("ipv4") ? "inet" : "inet6";
                Map<String, Address> oracle = oracleByInterfaceFamily.getOrDefault(name + " " + ipFamily, Map.of());
                List<String> oracleKeys = new ArrayList<>();
                addresses.stream()
                        .filter(a -> a.ifname().equals(name) && a.family().equals(ipFamily))
                        .forEach(a -> oracleKeys.add(a.key()));
                List<String> docKeys = new ArrayList<>();
                for (JsonNode address : elements(iface.path(family).path("address"))) {
                    docKeys.add(address.path("ip").asString() + "/"
                            + address.path("prefix-length").asInt());
                }
                softly.assertThat(docKeys)
                        .as("%s addresses of %s", family, name)
                        .containsExactlyInAnyOrderElementsOf(oracleKeys);
                for (JsonNode address : elements(iface.path(family).path("address"))) {
                    String ip = address.path("ip").asString();
                    Address expected = oracle.get(ip);
                    String reason = ineligibility(ip);
                    softly.assertThat(address.path("mptcp-ineligible").asString(null))
                            .as("mptcp-ineligible of %s on %s", ip, name)
                            .isEqualTo(reason);
                    softly.assertThat(address.path("mptcp-flags").isArray())
                            .as("mptcp-flags of %s on %s is listed", ip, name)
                            .isTrue();
                    softly.assertThat(strings(address.path("mptcp-flags")))
                            .as("mptcp-flags of %s", ip)
                            .doesNotHaveDuplicates();
                    if (expected != null) {
                        softly.assertThat(stringSet(address.path("kernel-flags")))
                                .as("kernel-flags of %s on %s", ip, name)
                                .isEqualTo(expected.kernelFlags());
                    }
                    if (address.has("mptcp-endpoint-id")) {
                        occurrences.add(
                                new Occurrence(address.get("mptcp-endpoint-id").asInt(), address, name, ipFamily));
                    } else {
                        softly.assertThat(strings(address.path("mptcp-flags")))
                                .as("mptcp-flags of %s on %s, which has no endpoint", ip, name)
                                .isEmpty();
                    }
                    if (reason == null) {
                        eligibleFlagSets.add(stringSet(address.path("mptcp-flags")));
                    }
                }
            }
            // the interface-wide list: only when every eligible address has the same flags
            JsonNode addressFlags = iface.path("mptcp").path("address-flags");
            if (eligibleFlagSets.size() == 1) {
                softly.assertThat(addressFlags.isArray())
                        .as("mptcp.address-flags of %s is listed", name)
                        .isTrue();
                softly.assertThat(stringSet(addressFlags))
                        .as("mptcp.address-flags of %s", name)
                        .isEqualTo(eligibleFlagSets.iterator().next());
            } else {
                softly.assertThat(addressFlags.isMissingNode())
                        .as(
                                "%s has no mptcp.address-flags: its eligible addresses have flags %s",
                                name, eligibleFlagSets)
                        .isTrue();
            }
        }
        for (JsonNode endpoint : elements(mptcp.path("endpoints"))) {
            occurrences.add(new Occurrence(endpoint.path("id").asInt(), endpoint, null, null));
        }

        // endpoints: each exactly once, where it belongs
        List<Endpoint> endpoints = endpoints(ns);
        List<Integer> oracleIds = new ArrayList<>();
        endpoints.forEach(e -> oracleIds.add(e.id()));
        List<Integer> docIds = new ArrayList<>();
        occurrences.forEach(o -> docIds.add(o.id()));
        softly.assertThat(docIds)
                .as("endpoint ids in the document (ip mptcp endpoint show: %s)", endpoints)
                .containsExactlyInAnyOrderElementsOf(oracleIds);
        for (Endpoint endpoint : endpoints) {
            List<Occurrence> found =
                    occurrences.stream().filter(o -> o.id() == endpoint.id()).toList();
            if (found.size() != 1) {
                continue;
            }
            Occurrence occurrence = found.get(0);
            boolean onItsAddress = endpoint.port() == null
                    && addresses.stream()
                            .anyMatch(a -> a.ip().equals(endpoint.address())
                                    && (endpoint.dev() == null || a.ifname().equals(endpoint.dev())));
            String what = "endpoint " + endpoint;
            if (occurrence.ifname() != null) {
                softly.assertThat(onItsAddress)
                        .as("%s is listed under an address of %s", what, occurrence.ifname())
                        .isTrue();
                softly.assertThat(occurrence.node().path("ip").asString())
                        .as("address of %s", what)
                        .isEqualTo(endpoint.address());
                softly.assertThat(stringSet(occurrence.node().path("mptcp-flags")))
                        .as("mptcp-flags of %s", what)
                        .isEqualTo(endpoint.flags());
                if (endpoint.dev() != null) {
                    softly.assertThat(occurrence.ifname())
                            .as("interface of %s", what)
                            .isEqualTo(endpoint.dev());
                }
            } else {
                JsonNode node = occurrence.node();
                softly.assertThat(onItsAddress)
                        .as("%s is listed under mptcp.endpoints", what)
                        .isFalse();
                softly.assertThat(node.path("address").asString())
                        .as("address of %s", what)
                        .isEqualTo(endpoint.address());
                softly.assertThat(node.has("port") ? node.get("port").asInt() : null)
                        .as("port of %s", what)
                        .isEqualTo(endpoint.port());
                softly.assertThat(strings(node.path("flags")))
                        .as("flags of %s", what)
                        .doesNotHaveDuplicates();
                softly.assertThat(stringSet(node.path("flags")))
                        .as("flags of %s", what)
                        .isEqualTo(endpoint.flags());
                String dev = endpoint.dev();
                Matcher unknown = dev == null ? null : UNKNOWN_DEV.matcher(dev);
                if (dev != null && !links.containsKey(dev) && unknown.matches()) {
                    softly.assertThat(node.has("interface"))
                            .as("%s names no interface", what)
                            .isFalse();
                    softly.assertThat(node.path("interface-index").asInt(-1))
                            .as("interface-index of %s", what)
                            .isEqualTo(Integer.parseInt(unknown.group(1)));
                } else {
                    softly.assertThat(node.path("interface").asString(null))
                            .as("interface of %s", what)
                            .isEqualTo(dev);
                    softly.assertThat(node.has("interface-index"))
                            .as("%s has no interface-index", what)
                            .isFalse();
                }
            }
        }
    }

    /** The endpoints a document lists, in any place, by id (for quick assertions in tests). */
    public static Set<Integer> documentEndpointIds(JsonNode doc) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (JsonNode endpoint : elements(doc.path("mptcp").path("endpoints"))) {
            ids.add(endpoint.path("id").asInt());
        }
        for (JsonNode iface : elements(doc.path("interfaces"))) {
            for (String family : List.of("ipv4", "ipv6")) {
                for (JsonNode address : elements(iface.path(family).path("address"))) {
                    if (address.has("mptcp-endpoint-id")) {
                        ids.add(address.get("mptcp-endpoint-id").asInt());
                    }
                }
            }
        }
        return ids;
    }
}
