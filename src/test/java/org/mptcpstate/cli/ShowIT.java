package org.mptcpstate.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.Documents;
import org.mptcpstate.testing.IprouteOracle;
import org.mptcpstate.testing.Mptcpstate;
import org.mptcpstate.testing.Mptcpstate.Run;
import org.mptcpstate.testing.Netns;
import org.mptcpstate.testing.Nobody;
import org.mptcpstate.testing.RawEndpoints;
import org.mptcpstate.testing.SchemaCheck;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mptcpstate.testing.Documents.elements;

/**
 * {@code mptcpstate show} against the real kernel, in namespaces the tests make with iproute2, checked against
 * iproute2 and sysctl(8) as the oracle ({@link IprouteOracle}). Every scenario runs show in-process and as the
 * built jar, as JSON and as YAML, twice.
 */
@Tag("kernel")
class ShowIT {

    // ---------------------------------------------------------------- scenarios

    /** Two veth pairs in one namespace; eight endpoints with the flag combinations; limits; default routes. */
    @Test
    void flagCombinationsOnTwoVethPairs() {
        try (Netns ns = Netns.create("show-flags")) {
            buildFlagCombinations(ns);
            JsonNode doc = assertShowAgreesWithIproute(ns);

            // the scenario really has what it is meant to cover (the values themselves were checked above)
            assertThat(IprouteOracle.documentEndpointIds(doc)).hasSize(8);
            assertThat(doc.path("mptcp").path("endpoints").isEmpty()).isTrue();
            assertThat(doc.at("/mptcp/limits/subflows").asInt()).isEqualTo(5);
            assertThat(iface(doc, "va1").at("/mptcp/address-flags").isArray()).isTrue();
            assertThat(iface(doc, "vb0").at("/mptcp/address-flags").isArray()).isTrue();
            assertThat(iface(doc, "va0").at("/mptcp/address-flags").isMissingNode())
                    .isTrue();
            assertThat(iface(doc, "va0").at("/ipv4/default-route").asBoolean()).isTrue();
            assertThat(iface(doc, "vb0").at("/ipv6/default-route").asBoolean()).isTrue();
            assertThat(iface(doc, "lo").at("/ipv6/default-route").asBoolean())
                    .as("the unreachable IPv6 default sits on lo but is no unicast route")
                    .isFalse();
        }
    }

    /**
     * A veth to a second namespace; endpoints bound to a dev (on that dev's address, and on another interface's
     * address), with a port, on no interface, on link-local addresses, laminar; a down link and a link whose peer
     * is down; a multipath default route.
     */
    @Test
    void specialEndpointsAcrossTwoNamespaces() {
        try (Netns ns = Netns.create("show-special");
                Netns peer = Netns.create("show-peer")) {
            boolean laminar = buildSpecialEndpoints(ns, peer);
            JsonNode doc = assertShowAgreesWithIproute(ns);
            assertShowAgreesWithIproute(peer);

            List<String> unattached = new ArrayList<>();
            elements(doc.at("/mptcp/endpoints"))
                    .forEach(e -> unattached.add(e.path("address").asString()
                            + (e.has("port") ? " port " + e.get("port").asInt() : "")
                            + (e.has("interface") ? " dev " + e.get("interface").asString() : "")));
            assertThat(unattached)
                    .containsExactlyInAnyOrder("192.0.2.10 port 10100", "203.0.113.99", "203.0.113.20 dev e0");
            assertThat(iface(doc, "e0").at("/ipv4/default-route").asBoolean()).isTrue();
            assertThat(iface(doc, "e2").at("/ipv4/default-route").asBoolean()).isTrue();
            assertThat(iface(doc, "e2").path("oper-state").asString()).isEqualTo("lower-layer-down");
            assertThat(iface(doc, "e1").path("state").asString()).isEqualTo("down");
            if (kernelAtLeast(6, 18)) {
                assertThat(laminar)
                        .as("Linux 6.18+ accepts the laminar flag (0x20)")
                        .isTrue();
            }
            if (laminar) {
                assertThat(doc.toString()).contains("\"laminar\"");
            }
        }
    }

    /** net.mptcp.enabled=0 and path_manager=userspace; an endpoint bound to an interface that was deleted. */
    @Test
    void disabledMptcpWithUserspacePathManager() {
        try (Netns ns = Netns.create("show-off")) {
            ns.sysctl("net.mptcp.enabled", "0");
            ns.sysctl("net.mptcp.path_manager", "userspace");
            ns.ip("link", "set", "lo", "up");
            ns.ip("link", "add", "f0", "type", "veth", "peer", "name", "f1");
            ns.ip("link", "add", "gone0", "type", "veth", "peer", "name", "gone1");
            for (String link : List.of("f0", "f1", "gone0")) {
                ns.ip("link", "set", link, "up");
            }
            ns.ip("addr", "add", "192.0.2.50/24", "dev", "f0");
            ns.ip("addr", "add", "198.51.100.50/24", "dev", "gone0");
            ns.ip("mptcp", "endpoint", "add", "192.0.2.50", "subflow");
            ns.ip("mptcp", "endpoint", "add", "198.51.100.50", "dev", "gone0", "signal");
            ns.ip("link", "del", "gone0");
            ns.awaitAddressesSettled();

            JsonNode doc = assertShowAgreesWithIproute(ns);
            assertThat(doc.at("/mptcp/enabled").asBoolean()).isFalse();
            assertThat(doc.at("/mptcp/path-manager").asString()).isEqualTo("userspace");
            assertThat(doc.at("/mptcp/endpoints/0/interface-index").isInt())
                    .as("the endpoint of the deleted interface keeps its index: %s", doc.at("/mptcp"))
                    .isTrue();
        }
    }

    /** Nothing configured: lo down without addresses, the kernel's default limits, no endpoints. */
    @Test
    void freshNamespace() {
        try (Netns ns = Netns.create("show-fresh")) {
            JsonNode doc = assertShowAgreesWithIproute(ns);
            assertThat(elements(doc.path("interfaces"))).hasSize(1);
            assertThat(doc.at("/mptcp/endpoints").isEmpty()).isTrue();
        }
    }

    /**
     * IPv4 addresses in their v4-mapped IPv6 form are a distinct endpoint family: iproute2 prints them as
     * ::ffff:a.b.c.d, and they are on no interface (the interface holds the plain IPv4 address).
     */
    @Test
    void v4MappedEndpointsKeepTheirForm() {
        try (Netns ns = Netns.create("show-mapped")) {
            ns.ip("link", "add", "m0", "type", "veth", "peer", "name", "m1");
            ns.ip("link", "set", "m0", "up");
            ns.ip("link", "set", "m1", "up");
            ns.ip("addr", "add", "192.0.2.60/24", "dev", "m0");
            ns.ip("mptcp", "endpoint", "add", "::ffff:192.0.2.60", "subflow");
            ns.ip("mptcp", "endpoint", "add", "::ffff:203.0.113.60", "signal");
            ns.awaitAddressesSettled();

            JsonNode doc = assertShowAgreesWithIproute(ns);
            List<String> unattached = new ArrayList<>();
            elements(doc.at("/mptcp/endpoints"))
                    .forEach(e -> unattached.add(e.path("address").asString()));
            assertThat(unattached).containsExactlyInAnyOrder("::ffff:192.0.2.60", "::ffff:203.0.113.60");
        }
    }

    /** YAML must not turn interface names into numbers, booleans or null: it parses to the JSON document. */
    @Test
    void yamlKeepsInterfaceNamesThatLookLikeScalars() {
        try (Netns ns = Netns.create("show-names")) {
            String[][] pairs = {
                {"123", "1e3"}, {"-1", ".inf"}, {"0x10", "012"}, {"yes", "null"}, {"~", "on"}, {"1.5", "true"}
            };
            for (String[] pair : pairs) {
                ns.ip("link", "add", pair[0], "type", "veth", "peer", "name", pair[1]);
            }
            ns.ip("addr", "add", "192.0.2.70/24", "dev", "123");
            ns.ip("mptcp", "endpoint", "add", "192.0.2.70", "dev", "123", "subflow");
            ns.ip("mptcp", "endpoint", "add", "198.51.100.70", "dev", "1e3", "signal");

            JsonNode doc = assertShowAgreesWithIproute(ns);
            assertThat(doc.at("/mptcp/endpoints/0/interface").isString()).isTrue();
            Run filtered =
                    Mptcpstate.inProcess("show", "--netns", ns.name(), "123").assertOk();
            assertThat(Documents.yaml(filtered.stdout())
                            .at("/interfaces/0/name")
                            .isString())
                    .isTrue();
            assertThat(Documents.yaml(filtered.stdout()).at("/interfaces/0")).isEqualTo(iface(doc, "123"));
        }
    }

    /** The oracle itself: a document that differs from iproute2 in any one field must fail the comparison. */
    @Test
    void oracleNoticesEveryKindOfDifference() {
        try (Netns ns = Netns.create("show-oracle")) {
            buildFlagCombinations(ns);
            ns.ip("mptcp", "endpoint", "delete", "id", "8");
            ns.ip("mptcp", "endpoint", "add", "203.0.113.99", "signal", "id", "8");
            JsonNode doc = showJson(ns);
            IprouteOracle.assertShowMatches(ns, doc);

            Map<String, Consumer<JsonNode>> mutations = new LinkedHashMap<>();
            mutations.put("enabled", d -> ((ObjectNode) d.get("mptcp")).put("enabled", false));
            mutations.put("path-manager", d -> ((ObjectNode) d.get("mptcp")).put("path-manager", "userspace"));
            mutations.put("limit", d -> ((ObjectNode) d.at("/mptcp/limits")).put("add-addr-accepted", 4));
            mutations.put("unattached endpoint dropped", d -> ((ArrayNode) d.at("/mptcp/endpoints")).remove(0));
            mutations.put(
                    "unattached endpoint flags", d -> ((ArrayNode) d.at("/mptcp/endpoints/0/flags")).add("backup"));
            mutations.put(
                    "unattached endpoint interface",
                    d -> ((ObjectNode) d.at("/mptcp/endpoints/0")).put("interface", "va0"));
            mutations.put("interface dropped", d -> ((ArrayNode) d.get("interfaces")).remove(1));
            mutations.put("type", d -> ((ObjectNode) iface(d, "va0")).put("type", "ethernet"));
            mutations.put("state", d -> ((ObjectNode) iface(d, "va0")).put("state", "down"));
            mutations.put("oper-state", d -> ((ObjectNode) iface(d, "va0")).put("oper-state", "unknown"));
            mutations.put("default-route", d -> ((ObjectNode) iface(d, "va1").get("ipv4")).put("default-route", true));
            mutations.put(
                    "prefix-length",
                    d -> ((ObjectNode) iface(d, "va0").at("/ipv4/address/0")).put("prefix-length", 25));
            mutations.put("address dropped", d -> ((ArrayNode) iface(d, "vb1").at("/ipv6/address")).remove(0));
            mutations.put(
                    "address flags",
                    d -> ((ArrayNode) iface(d, "va0").at("/ipv4/address/0/mptcp-flags")).add("fullmesh"));
            mutations.put(
                    "endpoint id",
                    d -> ((ObjectNode) iface(d, "va0").at("/ipv4/address/0")).put("mptcp-endpoint-id", 9));
            mutations.put(
                    "ineligible",
                    d -> ((ObjectNode) iface(d, "va1").at("/ipv6/address/0")).put("mptcp-ineligible", "link-local"));
            mutations.put(
                    "kernel-flags", d -> ((ObjectNode) iface(d, "va0").at("/ipv4/address/1")).remove("kernel-flags"));
            mutations.put(
                    "address-flags",
                    d -> ((ObjectNode) iface(d, "va0")).putObject("mptcp").putArray("address-flags"));
            for (Map.Entry<String, Consumer<JsonNode>> mutation : mutations.entrySet()) {
                JsonNode changed = doc.deepCopy();
                mutation.getValue().accept(changed);
                assertThat(changed).as(mutation.getKey()).isNotEqualTo(doc);
                assertThatThrownBy(() -> IprouteOracle.assertShowMatches(ns, changed))
                        .as(mutation.getKey())
                        .isInstanceOf(AssertionError.class);
            }
        }
    }

    // ---------------------------------------------------------------- selection and failures

    @Test
    void showInterfaceNamesListsOnlyThose() {
        try (Netns ns = Netns.create("show-filter")) {
            buildFlagCombinations(ns);
            JsonNode all = showJson(ns);

            for (boolean viaJar : new boolean[] {false, true}) {
                Run one = run(viaJar, "show", "--json", "--netns", ns.name(), "vb0")
                        .assertOk();
                JsonNode doc = Documents.json(one.stdout());
                assertThat(elements(doc.path("interfaces"))).containsExactly(iface(all, "vb0"));
                assertThat(doc.path("mptcp")).isEqualTo(all.path("mptcp"));

                Run two = run(viaJar, "show", "--json", "--netns", ns.name(), "vb1", "lo")
                        .assertOk();
                assertThat(elements(Documents.json(two.stdout()).path("interfaces")))
                        .containsExactly(iface(all, "lo"), iface(all, "vb1"));

                Run yaml = run(viaJar, "show", "--netns", ns.name(), "va1").assertOk();
                assertThat(Documents.yaml(yaml.stdout()).path("interfaces"))
                        .isEqualTo(Documents.json(run(viaJar, "show", "--json", "--netns", ns.name(), "va1")
                                        .assertOk()
                                        .stdout())
                                .path("interfaces"));
            }
        }
    }

    /** A failure under --json: the exit code, nothing on stderr, one JSON document on stdout; its "error". */
    private static JsonNode jsonError(Run run, int exitCode) {
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isEqualTo(exitCode);
        assertThat(run.stderr()).isEmpty();
        assertThat(run.stdout().lines().count()).isEqualTo(1);
        JsonNode error = Documents.json(run.stdout()).path("error");
        assertThat(error.path("exit-code").asInt()).isEqualTo(exitCode);
        return error;
    }

    @Test
    void unknownInterfaceNameFails() {
        try (Netns ns = Netns.create("show-unknown")) {
            buildFlagCombinations(ns);
            for (boolean viaJar : new boolean[] {false, true}) {
                Run one = run(viaJar, "show", "--netns", ns.name(), "nosuch0").assertFailsWithOneLine(1);
                assertThat(one.stderr()).contains("nosuch0");
                Run mixed = run(viaJar, "show", "--netns", ns.name(), "va0", "nosuch1", "nosuch2")
                        .assertFailsWithOneLine(1);
                assertThat(mixed.stderr()).contains("nosuch1", "nosuch2").doesNotContain("va0");
                // under --json the same failure is one JSON document on stdout
                JsonNode error =
                        jsonError(run(viaJar, "show", "--json", "--netns", ns.name(), "va0", "nosuch1", "nosuch2"), 1);
                assertThat(error.path("message").asString())
                        .contains("nosuch1", "nosuch2")
                        .doesNotContain("va0");
            }
        }
    }

    @Test
    void missingNamespaceFails() {
        String name;
        try (Netns ns = Netns.create("show-gone")) {
            name = ns.name();
        }
        assertThat(Path.of("/run/netns", name)).doesNotExist();
        for (boolean viaJar : new boolean[] {false, true}) {
            Run run = run(viaJar, "show", "--netns", name).assertFailsWithOneLine(1);
            assertThat(run.stderr()).contains(name);
            assertThat(jsonError(run(viaJar, "show", "--json", "--netns", name, "lo"), 1)
                            .path("code")
                            .asString())
                    .isEqualTo("netns-missing");
        }
    }

    /** Without JNA's native stub (none unpacked, none on the system) show fails with one line, not a trace. */
    @Test
    void missingNativeSupportIsOneLine() {
        try (Netns ns = Netns.create("show-nojna")) {
            Run run = Mptcpstate.process(List.of(
                            Mptcpstate.java(),
                            "-Djna.boot.library.path=/nonexistent",
                            "-Djna.nounpack=true",
                            "-Djna.nosys=true",
                            "-jar",
                            Mptcpstate.jar().toString(),
                            "show",
                            "--netns",
                            ns.name()))
                    .assertFailsWithOneLine(1);
            assertThat(run.stderr()).contains("JNA");
        }
    }

    // ---------------------------------------------------------------- unprivileged

    /** As nobody inside the namespace (no capabilities), show reads the same document root reads. */
    @Test
    void unprivilegedUserInsideTheNamespaceSeesTheSameDocument() throws IOException {
        try (Netns ns = Netns.create("show-nobody")) {
            buildFlagCombinations(ns);
            Path dir = readableJarCopy();
            try {
                Path jar = dir.resolve("mptcpstate.jar");
                List<String> inside = List.of("ip", "netns", "exec", ns.name());
                List<String> asNobody = new ArrayList<>(inside);
                asNobody.addAll(Nobody.prefix());

                Run whoami = Mptcpstate.process(concat(asNobody, List.of("id", "-u")));
                assertThat(whoami.stdout().trim()).as("id -u as nobody").isEqualTo(Nobody.id("-u"));

                for (String[] args : List.of(new String[] {"show", "--json"}, new String[] {"show"})) {
                    Run root = Mptcpstate.jarVia(inside, jar, args).assertOk();
                    Run nobody = Mptcpstate.jarVia(asNobody, jar, args).assertOk();
                    assertThat(nobody.stdout())
                            .as("show %s as nobody vs as root", List.of(args))
                            .isEqualTo(root.stdout());
                }
                JsonNode doc = Documents.json(
                        Mptcpstate.jarVia(asNobody, jar, "show", "--json").stdout());
                assertThat(doc).isEqualTo(showJson(ns));
                IprouteOracle.assertShowMatches(ns, doc);
            } finally {
                deleteTree(dir);
            }
        }
    }

    /** Entering a namespace needs CAP_SYS_ADMIN: nobody with --netns gets 77 and a message saying so. */
    @Test
    void unprivilegedUserCannotEnterANamespace() throws IOException {
        try (Netns ns = Netns.create("show-noperm")) {
            Path dir = readableJarCopy();
            try {
                Run run = Mptcpstate.jarVia(
                                Nobody.prefix(), dir.resolve("mptcpstate.jar"), "show", "--netns", ns.name())
                        .assertFailsWithOneLine(ExitCode.PERMISSION.code());
                assertThat(run.stderr()).containsAnyOf("root", "CAP_SYS_ADMIN");
                JsonNode error = jsonError(
                        Mptcpstate.jarVia(
                                Nobody.prefix(), dir.resolve("mptcpstate.jar"), "show", "--json", "--netns", ns.name()),
                        ExitCode.PERMISSION.code());
                assertThat(error.path("code").asString()).isEqualTo("permission-denied");
                assertThat(error.path("message").asString()).containsAnyOf("root", "CAP_SYS_ADMIN");
            } finally {
                deleteTree(dir);
            }
        }
    }

    // ---------------------------------------------------------------- the common check

    /**
     * Runs show on the namespace in every way (in-process and jar, JSON and YAML, twice each), checks the
     * outputs agree byte for byte, the YAML parses to the JSON document, and the document matches iproute2.
     */
    private static JsonNode assertShowAgreesWithIproute(Netns ns) {
        String[] json = {"show", "--json", "--netns", ns.name()};
        String[] yaml = {"show", "--netns", ns.name()};
        Run jsonRun = Mptcpstate.inProcess(json).assertOk();
        Run yamlRun = Mptcpstate.inProcess(yaml).assertOk();
        assertThat(Mptcpstate.inProcess(json).assertOk().stdout())
                .as("second JSON run")
                .isEqualTo(jsonRun.stdout());
        assertThat(Mptcpstate.inProcess(yaml).assertOk().stdout())
                .as("second YAML run")
                .isEqualTo(yamlRun.stdout());
        assertThat(Mptcpstate.jar(json).assertOk().stdout())
                .as("JSON from the jar")
                .isEqualTo(jsonRun.stdout());
        assertThat(Mptcpstate.jar(yaml).assertOk().stdout())
                .as("YAML from the jar")
                .isEqualTo(yamlRun.stdout());

        JsonNode doc = Documents.json(jsonRun.stdout());
        assertThat(Documents.yaml(yamlRun.stdout()))
                .as("the YAML document parsed, vs the JSON one")
                .isEqualTo(doc);
        IprouteOracle.assertShowMatches(ns, doc);
        assertThat(SchemaCheck.errors(doc)).as("schemas/show.schema.json").isEmpty();
        return doc;
    }

    private static JsonNode showJson(Netns ns) {
        return Documents.json(Mptcpstate.inProcess("show", "--json", "--netns", ns.name())
                .assertOk()
                .stdout());
    }

    private static Run run(boolean viaJar, String... args) {
        return viaJar ? Mptcpstate.jar(args) : Mptcpstate.inProcess(args);
    }

    private static boolean kernelAtLeast(int major, int minor) {
        java.util.regex.Matcher version =
                java.util.regex.Pattern.compile("(\\d+)\\.(\\d+)").matcher(System.getProperty("os.version"));
        if (!version.lookingAt()) {
            return false;
        }
        int actualMajor = Integer.parseInt(version.group(1));
        return actualMajor > major || actualMajor == major && Integer.parseInt(version.group(2)) >= minor;
    }

    private static JsonNode iface(JsonNode doc, String name) {
        for (JsonNode iface : elements(doc.path("interfaces"))) {
            if (iface.path("name").asString().equals(name)) {
                return iface;
            }
        }
        throw new AssertionError("no interface " + name + " in " + doc);
    }

    // ---------------------------------------------------------------- set-up

    /**
     * va0-vb0 and va1-vb1, all up. Endpoints (8, the kernel's maximum): signal, subflow, backup, fullmesh,
     * subflow+backup twice (all of vb0, so vb0 has interface-wide flags), signal+subflow (va1, whose other
     * address is unique-local), subflow+fullmesh. Limits 5/3; an IPv4 default on va0, an IPv6 default on vb0,
     * a default in table 100 and unreachable defaults, which are no interface's default route.
     */
    private static void buildFlagCombinations(Netns ns) {
        ns.ip("link", "set", "lo", "up");
        ns.ip("link", "add", "va0", "type", "veth", "peer", "name", "vb0");
        ns.ip("link", "add", "va1", "type", "veth", "peer", "name", "vb1");
        for (String link : List.of("va0", "vb0", "va1", "vb1")) {
            ns.ip("link", "set", link, "up");
        }
        ns.ip("addr", "add", "192.0.2.1/24", "dev", "va0");
        ns.ip("addr", "add", "192.0.2.2/24", "dev", "va0");
        ns.ip("addr", "add", "2001:db8:a::1/64", "dev", "va0", "nodad");
        ns.ip("addr", "add", "203.0.113.1/24", "dev", "vb0");
        ns.ip("addr", "add", "2001:db8:b::1/64", "dev", "vb0", "nodad");
        ns.ip("addr", "add", "198.51.100.1/25", "dev", "va1");
        ns.ip("addr", "add", "fd00:1::1/64", "dev", "va1", "nodad");
        ns.ip("addr", "add", "198.51.100.129/25", "dev", "vb1");
        ns.ip("addr", "add", "2001:db8:c::1/64", "dev", "vb1", "nodad");

        ns.ip("mptcp", "endpoint", "add", "192.0.2.1", "signal");
        ns.ip("mptcp", "endpoint", "add", "192.0.2.2", "subflow");
        ns.ip("mptcp", "endpoint", "add", "2001:db8:a::1", "backup");
        ns.ip("mptcp", "endpoint", "add", "198.51.100.129", "fullmesh");
        ns.ip("mptcp", "endpoint", "add", "203.0.113.1", "subflow", "backup");
        ns.ip("mptcp", "endpoint", "add", "2001:db8:b::1", "subflow", "backup");
        ns.ip("mptcp", "endpoint", "add", "198.51.100.1", "signal", "subflow");
        ns.ip("mptcp", "endpoint", "add", "2001:db8:c::1", "subflow", "fullmesh");
        ns.ip("mptcp", "limits", "set", "subflows", "5", "add_addr_accepted", "3");

        ns.ip("route", "add", "default", "via", "192.0.2.254", "dev", "va0");
        ns.ip("-6", "route", "add", "default", "via", "2001:db8:b::fe", "dev", "vb0");
        ns.ip("route", "add", "default", "dev", "va1", "table", "100");
        ns.ip("route", "add", "unreachable", "default", "metric", "500");
        ns.ip("-6", "route", "add", "unreachable", "default", "metric", "600");
        ns.awaitAddressesSettled();
    }

    /**
     * e0 in {@code ns} to p0 in {@code peer}; e1-e2 inside ns with e1 down (so e2 has no carrier). Endpoints:
     * signal+backup; signal+port on an existing address; an address on no interface; the link-local fe80:: of
     * e0; 169.254/16 with laminar+subflow; an address bound to its own dev; an address bound to another dev;
     * laminar alone on the down link. Returns whether the kernel took the laminar endpoints.
     */
    private static boolean buildSpecialEndpoints(Netns ns, Netns peer) {
        ns.ip("link", "set", "lo", "up");
        ns.ip("link", "add", "e0", "type", "veth", "peer", "name", "p0", "netns", peer.name());
        ns.ip("link", "add", "e1", "type", "veth", "peer", "name", "e2");
        ns.ip("link", "set", "e0", "up");
        ns.ip("link", "set", "e2", "up");
        peer.ip("link", "set", "p0", "up");
        ns.ip("addr", "add", "192.0.2.10/24", "dev", "e0");
        ns.ip("addr", "add", "2001:db8:2::10/64", "dev", "e0", "nodad");
        ns.ip("addr", "add", "169.254.10.1/16", "dev", "e0");
        ns.ip("addr", "add", "198.51.100.30/24", "dev", "e1");
        ns.ip("addr", "add", "203.0.113.20/24", "dev", "e2");
        peer.ip("addr", "add", "192.0.2.11/24", "dev", "p0");
        peer.ip("addr", "add", "2001:db8:2::11/64", "dev", "p0", "nodad");
        ns.awaitAddressesSettled();
        peer.awaitAddressesSettled();
        String linkLocal = null;
        for (JsonNode info : elements(Documents.json(ns.ip("-j", "-6", "addr", "show", "dev", "e0", "scope", "link"))
                .path(0)
                .path("addr_info"))) {
            linkLocal = info.path("local").asString();
        }
        assertThat(linkLocal).as("link-local address of e0").isNotNull();

        ns.ip("mptcp", "endpoint", "add", "192.0.2.10", "signal", "backup");
        ns.ip("mptcp", "endpoint", "add", "192.0.2.10", "signal", "port", "10100");
        ns.ip("mptcp", "endpoint", "add", "203.0.113.99", "signal");
        ns.ip("mptcp", "endpoint", "add", linkLocal, "subflow");
        ns.ip("mptcp", "endpoint", "add", "2001:db8:2::10", "dev", "e0", "subflow");
        ns.ip("mptcp", "endpoint", "add", "203.0.113.20", "dev", "e0", "subflow");
        boolean laminar = RawEndpoints.add(ns, "169.254.10.1", List.of("subflow"), RawEndpoints.LAMINAR, "laminar")
                & RawEndpoints.add(ns, "198.51.100.30", List.of(), RawEndpoints.LAMINAR, "laminar");
        ns.ip("mptcp", "limits", "set", "subflows", "8", "add_addr_accepted", "8");

        ns.ip(
                "route",
                "add",
                "default",
                "nexthop",
                "via",
                "192.0.2.11",
                "dev",
                "e0",
                "nexthop",
                "via",
                "203.0.113.1",
                "dev",
                "e2",
                "onlink");
        ns.ip("-6", "route", "add", "default", "via", "2001:db8:2::11", "dev", "e0");
        peer.ip("route", "add", "default", "via", "192.0.2.10", "dev", "p0");
        return laminar;
    }

    // ---------------------------------------------------------------- privileges

    /** A copy of the jar that nobody can read (target/ may sit under a directory only root can enter). */
    private static Path readableJarCopy() throws IOException {
        Path dir = Files.createTempDirectory("mptcpstate-it-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = dir.resolve("mptcpstate.jar");
        Files.copy(Mptcpstate.jar(), jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        return dir;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
