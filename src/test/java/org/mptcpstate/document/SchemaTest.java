package org.mptcpstate.document;

import org.junit.jupiter.api.Test;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.InvalidStateException;
import org.mptcpstate.state.WarningSummary;
import org.mptcpstate.testing.SchemaCheck;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two schemas users and editors see, held to the code: show documents follow schemas/show.schema.json;
 * state files follow schemas/mptcpstate.schema.json, which must accept what the loader accepts and reject what
 * it rejects.
 */
class SchemaTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    private static JsonNode resource(String name) throws Exception {
        try (InputStream in = SchemaTest.class.getResourceAsStream("/golden/" + name)) {
            return name.endsWith(".json") ? new JsonMapper().readTree(in) : YAML.readTree(in);
        }
    }

    private static List<Path> examples() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @Test
    void showDocumentsAreValidShowDocumentsAndStateFiles() throws Exception {
        for (String name : List.of("show.json", "show.yml")) {
            assertThat(SchemaCheck.errors(resource(name))).as(name).isEmpty();
            assertThat(SchemaCheck.stateFileErrors(resource(name))).as(name).isEmpty();
        }
        JsonNode showExample = YAML.readTree(Path.of("examples/show-output.yml").toFile());
        assertThat(SchemaCheck.errors(showExample)).isEmpty();
    }

    @Test
    void everyExampleIsAValidStateFileAndLoads() throws Exception {
        List<Path> examples = examples();
        assertThat(examples).hasSizeGreaterThanOrEqualTo(7);
        for (Path file : examples) {
            JsonNode document = YAML.readTree(file.toFile());
            assertThat(SchemaCheck.stateFileErrors(document))
                    .as(file.toString())
                    .isEmpty();
            LoadedState loaded = StateLoader.load(file.getFileName().toString(), Files.readAllBytes(file));
            assertThat(loaded.state()).as(file.toString()).isNotNull();
            if (!file.endsWith("nmstate-file.yml")) {
                assertThat(loaded.warnings()).as(file.toString()).isEmpty();
            }
        }
    }

    @Test
    void theNmstateExampleWarnsAsItsCommentSays() throws Exception {
        Path file = Path.of("examples/nmstate-file.yml");
        LoadedState loaded = StateLoader.load("nmstate-file.yml", Files.readAllBytes(file));
        List<Diagnostic> summary = WarningSummary.of(loaded.warnings(), false);
        assertThat(summary).hasSize(1);
        String comment = Files.readString(file)
                .lines()
                .filter(line -> line.startsWith("#   "))
                .map(line -> line.substring(4))
                .reduce((a, b) -> a + " " + b)
                .orElseThrow();
        assertThat(comment).isEqualTo(summary.get(0).toString());
    }

    /** Documents both the schema and the loader must refuse: each differs from a valid file in one point. */
    @Test
    void badDocumentsAreRejectedByBoth() {
        List<String> bad = List.of(
                "interfaces: [{name: eth1, mptcp: {address-flags: [signal, fullmesh]}}]",
                "interfaces: [{name: eth1, mptcp: {address-flags: [sigal]}}]",
                "interfaces: [{name: eth1, mptcp: {address-flags: [implicitly]}}]",
                "interfaces: [{name: eth1, mptcp: {address-flags: signal}}]",
                "interfaces: [{name: eth1, mptcp: {address-flags: null}}]",
                "interfaces: [{name: eth1, mptcp: {adress-flags: [signal]}}]",
                "mptcp: {limits: {subflows: 9}}",
                "mptcp: {limits: {add-addr-accepted: -1}}",
                "mptcp: {limits: {subflows: ' 2'}}",
                "mptcp: {limits: {subflows: '2.0'}}",
                "mptcp: {limits: {subflows: '0X2'}}",
                "mptcp: {limits: {subflows: '9'}}",
                "mptcp: {limit: {subflows: 2}}",
                "mptcp: {enabled: 'enable'}",
                "mptcp: {enabled: 2}",
                "mptcp: {enabled: null}",
                "mptcp: {path-manager: 1}",
                "mptcp: {endpoints: [{address: 192.0.2.1, port: 80, flags: [subflow]}]}",
                "mptcp: {endpoints: [{address: 192.0.2.1, port: 80, flags: [signal, subflow]}]}",
                "mptcp: {endpoints: [{address: 192.0.2.1, port: 80}]}",
                "mptcp: {endpoints: [{address: 192.0.2.1, port: 0, flags: [signal]}]}",
                "mptcp: {endpoints: [{address: 192.0.2.1, port: 65536, flags: [signal]}]}",
                "mptcp: {endpoints: [{address: example.com}]}",
                "mptcp: {endpoints: [{address: 192.0.2.1/32}]}",
                "mptcp: {endpoints: [{address: 192.0.2.01}]}",
                "mptcp: {endpoints: [{address: '1::2::3'}]}",
                "mptcp: {endpoints: [{address: 'fe80::1%eth0'}]}",
                "mptcp: {endpoints: [{address: 0.0.0.0}]}",
                "mptcp: {endpoints: [{address: '::'}]}",
                "mptcp: {endpoints: [{address: 255.255.255.255}]}",
                "mptcp: {endpoints: [{address: 224.0.0.1}]}",
                "mptcp: {endpoints: [{address: '::ffff:239.1.2.3'}]}",
                "mptcp: {endpoints: [{address: 'ff02::1'}]}",
                "mptcp: {endpoints: [{address: 192.0.2.1, id: 0}]}",
                "mptcp: {endpoints: [{address: 192.0.2.1, interface: 'a b'}]}",
                "mptcp: {endpoints: [{port: 80, flags: [signal]}]}",
                "mptcp: {endpoints: " + nineEndpoints() + "}",
                "interfaces: [{name: averyveryverylongname}]",
                "interfaces: [{name: ''}]",
                "interfaces: [{name: br/0}]",
                "interfaces: [{name: 'eth0:1'}]",
                "interfaces: [{name: 'eth 1'}]",
                "interfaces: [{name: .}]",
                "interfaces: [{name: ..}]",
                "interfaces: [{name: 123}]",
                "interfaces: [{type: veth}]",
                "interfaces: [{name: eth1, state: deleted}]",
                "interfaces: [{name: eth1, state: Up}]",
                "interfaces: [{state: absent}]",
                "interfaces: [{name: eth1, ipv4: {enabled: 'enable'}}]",
                "interfaces: [{name: eth1, ipv4: {address: [{ip: 192.0.2.1, prefix-length: ' 24'}]}}]",
                "interfaces: [{name: eth1, ipv4: {address: [{ip: 192.0.2.1, valid-lft: 1, valid-left: 2}]}}]",
                "interfaces: [{name: eth1, ipv4: {address: [{ip: 192.0.2.1, valid-left-time: forever}]}}]",
                "interfaces: [{name: eth1, ipv44: {}}]",
                "interfacs: []",
                "capture: {}\ndesiredState: {}",
                "link-aggregation: {}",
                "interfaces: [{name: eth1, oper-state: 1}]",
                "interfaces: [{name: eth1, ipv4: {address: [{ip: 2001:db8::1}]}}]",
                "interfaces: [{name: eth1, ipv6: {address: [{ip: 192.0.2.1}]}}]",
                "interfaces: [{name: eth1, ipv4: {address: [{ip: 192.0.2.1, prefix-length: 33}]}}]",
                "interfaces: [{name: eth1, ipv6: {address: [{ip: '2001:db8::1', prefix-length: 129}]}}]",
                "interfaces: [{name: eth1, ipv4: {address: [{ip: 192.0.2.1/24}]}}]",
                "interfaces: [{name: eth1, ipv4: {address: [{prefix-length: 24}]}}]",
                "interfaces: [{name: eth1, ipv4: {autoconf: false}}]",
                "interfaces: [{name: eth1, ipv4: {default-route: 'maybe'}}]",
                "interfaces: [{name: eth1, ipv4: {address: [{ip: 192.0.2.1, kernel-flags: dynamic}]}}]",
                "interfaces: [{name: eth1, frobnicate: true}]",
                "interfaces: {name: eth1}",
                "interface: []",
                "- mptcp");
        for (String document : bad) {
            assertThat(SchemaCheck.stateFileErrors(YAML.readTree(document)))
                    .as("schema: " + document)
                    .isNotEmpty();
            boolean refused = false;
            try {
                StateLoader.load("bad.yml", document.getBytes(StandardCharsets.UTF_8));
            } catch (InvalidStateException e) {
                refused = true;
            }
            assertThat(refused).as("loader: " + document).isTrue();
        }
        // What the loader refuses that a schema cannot express: duplicate names and addresses across list items,
        // duplicate keys, 2.0 as a limit (an integer to JSON Schema), names over 15 bytes but not 15 characters,
        // other spellings of the unspecified address (0::0), the broadcast address of an interface's subnet,
        // an endpoint on an address with mptcp-flags, the size, depth and alias limits: see StateLoaderTest.
    }

    /** Documents both accept, close to the bad ones above. */
    @Test
    void goodDocumentsAreAcceptedByBoth() {
        List<String> good = List.of(
                "{}",
                "mptcp: {enabled: true, limits: {subflows: 0, add-addr-accepted: 8}, endpoints: []}",
                "mptcp: {endpoints: [{address: 192.0.2.1, port: 65535, flags: [signal, backup], interface: eth1}]}",
                "mptcp: {endpoints: [{address: '::ffff:192.0.2.1'}, {address: '::2'}, {address: '1:2:3:4:5:6:7::'}]}",
                "mptcp: {endpoints: [{address: '1:2:3:4:5:6:1.2.3.4', id: 255, interface-index: 7}]}",
                "mptcp: {path-manager: userspace}",
                "interfaces: [{name: eth1, type: ethernet, state: up, oper-state: dormant}]",
                "interfaces: [{name: '123'}, {name: '0x10'}, {name: abcdefghijklmno}]",
                "interfaces: [{name: eth1, mptcp: {address-flags: []}}]",
                "interfaces: [{name: eth1, mptcp: {address-flags: [laminar, fullmesh, backup, subflow]}}]",
                "interfaces: [{name: eth1, ipv4: {enabled: true, dhcp: false, address: [{ip: 0.0.0.0, prefix-length: 0}]}}]",
                "interfaces: [{name: eth1, ipv6: {autoconf: false, address: [{ip: '::1', prefix-length: 128, mptcp-flags: []}]}}]",
                "interfaces: [{name: eth1, mtu: 1500, mac-address: 02:00:00:00:00:01, lldp: {enabled: false}}]",
                "routes: {config: []}\ndns-resolver: {}\nhostname: {config: h}\nroute-rules: {}\novs-db: {}\novn: {}",
                "description: a host\ninterfaces: [{name: eth1, driver: virtio_net, description: uplink}]",
                "mptcp: {enabled: 'yes', limits: {subflows: '4', add-addr-accepted: '0x2'}}",
                "mptcp: {enabled: 1, limits: {subflows: '+4'}, endpoints: [{address: 192.0.2.1, port: '443', flags: [signal]}]}",
                "interfaces: [{name: eth1, mptcp: {address-flags: [subflow, subflow]}}]",
                "interfaces: [{name: eth1, ipv4: {enabled: 'True', address: [{ip: 192.0.2.1, prefix-length: '24'}]}}]",
                "interfaces: [{name: eth1, ipv6: {enabled: 'off', address: [{ip: '2001:db8::1', prefix-length: '0x40'}]}}]",
                "interfaces: [{name: eth1, ipv4: {address: [{ip: 192.0.2.1, valid-life-time: 300sec, preferred-lft: 200sec}]}}]",
                "interfaces: [{name: eth1, ipv4: {address: [{ip: 192.0.2.1, valid-left: forever, preferred-left: forever}]}}]",
                "interfaces: [{name: eth1, ipv4: {dhcp-duid: ll, token: '::1'}, ipv6: {dhcp-client-id: mac}}]",
                "interfaces: [{name: eth1, state: absent, frobnicate: [1], ipv44: x}, {name: eth2, state: ignore}]",
                "interfaces: [{name: eth1, state: unknown}, {name: eth2, type: tun, state: down}]",
                "interfaces: [{name: br-ex, type: ovs-bridge, bridge: {port: [{name: br-ex}]}}, {name: br-ex, type: ovs-interface}]",
                "interfaces: [{name: eth1, type: bond, link-aggregation: {mode: 1, port: [eth2]}}]");
        for (String document : good) {
            assertThat(SchemaCheck.stateFileErrors(YAML.readTree(document)))
                    .as("schema: " + document)
                    .isEmpty();
            StateLoader.load("good.yml", document.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String nineEndpoints() {
        StringBuilder list = new StringBuilder("[");
        for (int i = 1; i <= 9; i++) {
            list.append(i > 1 ? ", " : "")
                    .append("{address: 192.0.2.")
                    .append(i)
                    .append('}');
        }
        return list.append(']').toString();
    }

    /** Each level of the schema names exactly the keys the loader knows there, readOnly and nmstate's marked. */
    @Test
    void theSchemaKnowsTheLoadersKeys() throws Exception {
        JsonNode schema = new JsonMapper().readTree(SchemaCheck.STATE_FILE_SCHEMA.toFile());
        JsonNode defs = schema.get("$defs");
        assertLevel("top", schema, Vocabulary.TOP);
        assertLevel("mptcp", defs.get("mptcp"), Vocabulary.MPTCP);
        assertLevel("limits", defs.get("mptcp").get("properties").get("limits"), Vocabulary.LIMITS);
        assertLevel("endpoint", defs.get("endpoint"), Vocabulary.ENDPOINT);
        assertLevel("interface", defs.get("interface"), Vocabulary.INTERFACE);
        assertLevel(
                "interface mptcp", defs.get("interface").get("properties").get("mptcp"), Vocabulary.INTERFACE_MPTCP);
        assertLevel("ipv4", defs.get("ipv4"), Vocabulary.IPV4);
        assertLevel("ipv6", defs.get("ipv6"), Vocabulary.IPV6);
        assertLevel("ipv4 address", defs.get("ipv4AddressEntry"), Vocabulary.ADDRESS);
        assertLevel("ipv6 address", defs.get("ipv6AddressEntry"), Vocabulary.ADDRESS);
    }

    private static void assertLevel(String level, JsonNode object, Vocabulary.Keys keys) {
        assertThat(object.get("additionalProperties").asBoolean(true))
                .as(level + " additionalProperties")
                .isFalse();
        JsonNode properties = object.get("properties");
        List<String> expected = new ArrayList<>();
        expected.addAll(List.of(keys.managed));
        expected.addAll(List.of(keys.readOnly));
        expected.addAll(List.of(keys.nmstate));
        assertThat(new TreeSet<>(properties.propertyNames())).as(level).isEqualTo(new TreeSet<>(expected));
        for (String key : keys.readOnly) {
            assertThat(properties.get(key).path("readOnly").asBoolean())
                    .as(level + " " + key + " readOnly")
                    .isTrue();
        }
        for (String key : keys.managed) {
            assertThat(properties.get(key).path("readOnly").asBoolean())
                    .as(level + " " + key + " readOnly")
                    .isFalse();
        }
        for (String key : keys.nmstate) {
            assertThat(properties.get(key).path("$ref").asString())
                    .as(level + " " + key)
                    .isEqualTo("#/$defs/nmstate");
        }
    }

    /** show's schema describes what the kernel holds, including what a state file may not ask for. */
    @Test
    void showSchemaRejectsWhatTheKernelRefuses() {
        assertThat(SchemaCheck.errors(YAML.readTree(
                        "interfaces:\n- name: eth1\n  mptcp:\n" + "    address-flags: [signal, fullmesh]\n")))
                .isNotEmpty();
        assertThat(SchemaCheck.errors(YAML.readTree("mptcp:\n  limits:\n    subflows: 9\n")))
                .isNotEmpty();
        assertThat(SchemaCheck.errors(YAML.readTree("mptcp:\n  limit:\n    subflows: 2\n")))
                .isNotEmpty();
        assertThat(SchemaCheck.errors(
                        YAML.readTree("interfaces:\n- name: eth1\n  mptcp:\n" + "    address-flags: [sigal]\n")))
                .isNotEmpty();
        assertThat(SchemaCheck.errors(YAML.readTree("interfaces:\n- name: averyveryverylongname\n")))
                .isNotEmpty();
        assertThat(
                        SchemaCheck.errors(
                                YAML.readTree(
                                        "interfaces:\n- name: eth1\n  state: down\n"
                                                + "  ipv4: {address: [{ip: 192.0.2.1, prefix-length: 24, mptcp-flags: [implicit, '0x40']}]}\n")))
                .isEmpty();
    }
}
