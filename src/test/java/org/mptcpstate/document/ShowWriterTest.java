package org.mptcpstate.document;

import org.junit.jupiter.api.Test;
import org.mptcpstate.state.EndpointFlags;
import org.mptcpstate.state.Ineligibility;
import org.mptcpstate.state.MptcpFlag;
import org.mptcpstate.state.ShowDocument;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ShowWriterTest {
    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    /** Also the show document {@code StateLoaderShowTest} loads back. */
    static ShowDocument sample() throws Exception {
        return new ShowDocument(
                new ShowDocument.Mptcp(
                        true,
                        "kernel",
                        new ShowDocument.Limits(4, 3),
                        List.of(
                                new ShowDocument.StandaloneEndpoint(
                                        ip("198.51.100.2"), 8, 8443, EndpointFlags.of(MptcpFlag.SIGNAL), "eth2", null),
                                new ShowDocument.StandaloneEndpoint(
                                        ip("203.0.113.9"),
                                        9,
                                        null,
                                        EndpointFlags.of(MptcpFlag.SUBFLOW, MptcpFlag.FULLMESH),
                                        null,
                                        null))),
                List.of(
                        new ShowDocument.Interface(
                                "eth1",
                                "veth",
                                "up",
                                "up",
                                EndpointFlags.of(MptcpFlag.SIGNAL, MptcpFlag.SUBFLOW),
                                new ShowDocument.IpFamily(
                                        true,
                                        List.of(new ShowDocument.Address(
                                                ip("192.0.2.2"),
                                                24,
                                                EndpointFlags.of(MptcpFlag.SUBFLOW, MptcpFlag.SIGNAL),
                                                1,
                                                null,
                                                List.of()))),
                                new ShowDocument.IpFamily(
                                        false,
                                        List.of(
                                                new ShowDocument.Address(
                                                        ip("2001:db8::2"),
                                                        64,
                                                        EndpointFlags.of(MptcpFlag.SIGNAL, MptcpFlag.SUBFLOW),
                                                        7,
                                                        null,
                                                        List.of()),
                                                new ShowDocument.Address(
                                                        ip("fe80::1"),
                                                        64,
                                                        EndpointFlags.NONE,
                                                        null,
                                                        Ineligibility.LINK_LOCAL,
                                                        List.of("tentative"))))),
                        new ShowDocument.Interface(
                                "lo",
                                "loopback",
                                "up",
                                "unknown",
                                null,
                                new ShowDocument.IpFamily(false, List.of()),
                                new ShowDocument.IpFamily(false, List.of()))));
    }

    private static String write(ShowDocument state, ShowWriter.Format format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ShowWriter.write(state, format, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String golden(String name) throws IOException {
        try (InputStream in = ShowWriterTest.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void yamlMatchesTheDocumentedLayout() throws Exception {
        assertThat(write(sample(), ShowWriter.Format.YAML)).isEqualTo(golden("show.yml"));
    }

    @Test
    void jsonMatchesTheDocumentedLayout() throws Exception {
        assertThat(write(sample(), ShowWriter.Format.JSON)).isEqualTo(golden("show.json"));
    }

    @Test
    void yamlAndJsonCarryTheSameDocument() throws Exception {
        JsonNode fromYaml = new YAMLMapper().readTree(write(sample(), ShowWriter.Format.YAML));
        JsonNode fromJson = new JsonMapper().readTree(write(sample(), ShowWriter.Format.JSON));
        assertThat(fromYaml).isEqualTo(fromJson);
    }

    @Test
    void unstatedFieldsAreLeftOut() {
        ShowDocument partial =
                new ShowDocument(new ShowDocument.Mptcp(null, null, new ShowDocument.Limits(3, null), null), null);
        assertThat(write(partial, ShowWriter.Format.YAML)).isEqualTo("mptcp:\n  limits:\n    subflows: 3\n");
    }

    @Test
    void textThatLooksLikeAnotherTypeStaysText() {
        List<String> tricky = List.of(
                "true",
                "123",
                "null",
                "~",
                "yes",
                "off",
                "1e3",
                "0x1f",
                "0o17",
                ".5",
                "1_000",
                "-",
                "#eth",
                "a: b",
                "- x",
                "eth0 # x",
                "'q'",
                "\"q\"",
                "*alias",
                "&anchor",
                "!tag",
                "@at",
                "`b`",
                "[x]",
                "{x}",
                "%p",
                "",
                " lead",
                "trail ",
                ".inf",
                "-.inf",
                ".nan",
                "0",
                "-0");
        for (String text : tricky) {
            ShowDocument odd = new ShowDocument(
                    null, List.of(new ShowDocument.Interface(text, text, null, null, null, null, null)));
            String yaml = write(odd, ShowWriter.Format.YAML);
            JsonNode parsed = new YAMLMapper().readTree(yaml);
            assertThat(parsed.get("interfaces").get(0).get("name").isString())
                    .as(yaml)
                    .isTrue();
            assertThat(parsed.get("interfaces").get(0).get("name").stringValue())
                    .as(yaml)
                    .isEqualTo(text);
        }
    }

    /** What a YAML 1.1 reader takes for a number must be quoted; addresses stay plain. */
    @Test
    void yaml11NumbersAreQuotedButAddressesAreNot() {
        for (String text : List.of(
                "0x10",
                "012",
                "0o12",
                "1_000",
                "0b101",
                "1:20",
                "190:20:30",
                "+12",
                "2001:1:2:3:4:5:6:7",
                "0X1F",
                "0B1",
                "0O7",
                "0_x1f",
                "1e_3",
                "1E10",
                "2001-12-14",
                "::1",
                ":sym")) {
            ShowDocument odd = new ShowDocument(
                    null, List.of(new ShowDocument.Interface(text, null, null, null, null, null, null)));
            assertThat(write(odd, ShowWriter.Format.YAML)).contains("- name: \"" + text + "\"\n");
        }
        for (String text : List.of("192.0.2.2", "2001:db8::2", "fe80::1", "fd00::1:2", "eth0", "wlp2s0", "br-lan.10")) {
            ShowDocument plain = new ShowDocument(
                    null, List.of(new ShowDocument.Interface(text, null, null, null, null, null, null)));
            assertThat(write(plain, ShowWriter.Format.YAML)).contains("- name: " + text + "\n");
        }
    }

    /**
     * Random names over an alphabet of YAML's indicators, quotes, escapes, control and non-ASCII characters
     * come back unchanged through two readers we did not write (Jackson's YAML parser and snakeyaml-engine's
     * core-schema loader), in every position the document has: key values, sequence entries, flags.
     */
    @Test
    void randomTextRoundTripsThroughTwoYamlReaders() {
        String alphabet = "abyYnN0123456789:./-_ #'\"\\,[]{}&*!|>%@`?~=+<\t\n\r\u0000\u0007\u001b\u007f\u0085\u00a0XBb"
                + "\u00e9\u2028\u2029\ufeff\ud83d\ude00eEx.oO";
        java.util.Random random = new java.util.Random(20261123);
        org.snakeyaml.engine.v2.api.Load core =
                new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder()
                        .setSchema(new org.snakeyaml.engine.v2.schema.CoreSchema())
                        .build());
        for (int n = 0; n < 5000; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(8);
            for (int i = 0; i < length; i++) {
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                text.append(c);
                if (Character.isHighSurrogate(c)) {
                    text.append('\ude00');
                }
            }
            String name = text.toString();
            ShowDocument odd = new ShowDocument(
                    new ShowDocument.Mptcp(null, name, null, null),
                    List.of(new ShowDocument.Interface(
                            name,
                            name,
                            null,
                            null,
                            null,
                            new ShowDocument.IpFamily(
                                    null,
                                    List.of(new ShowDocument.Address(ip4(), 24, null, null, null, List.of(name, "x")))),
                            null)));
            String yaml = write(odd, ShowWriter.Format.YAML);
            JsonNode jackson = new YAMLMapper().readTree(yaml);
            assertThat(jackson.get("interfaces").get(0).get("name").stringValue())
                    .as(yaml)
                    .isEqualTo(name);
            assertThat(jackson.get("interfaces").get(0).get("type").stringValue())
                    .as(yaml)
                    .isEqualTo(name);
            assertThat(jackson.get("mptcp").get("path-manager").stringValue())
                    .as(yaml)
                    .isEqualTo(name);
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> document = (java.util.Map<String, Object>) core.loadFromString(yaml);
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> iface =
                    ((List<java.util.Map<String, Object>>) document.get("interfaces")).get(0);
            assertThat(iface.get("name")).as(yaml).isEqualTo(name);
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> ipv4 = (java.util.Map<String, Object>) iface.get("ipv4");
            @SuppressWarnings("unchecked")
            java.util.Map<String, Object> address = ((List<java.util.Map<String, Object>>) ipv4.get("address")).get(0);
            assertThat(address.get("kernel-flags")).as(yaml).isEqualTo(List.of(name, "x"));
        }
    }

    /** Empty containers are written in flow style, as Jackson's YAML generator writes them. */
    @Test
    void emptyListsAndMappingsMatchJacksonsYaml() throws Exception {
        ShowDocument state = new ShowDocument(
                new ShowDocument.Mptcp(null, null, null, List.of()),
                List.of(new ShowDocument.Interface(
                        "eth0",
                        null,
                        null,
                        null,
                        EndpointFlags.NONE,
                        new ShowDocument.IpFamily(null, List.of()),
                        null)));
        String yaml = write(state, ShowWriter.Format.YAML);
        assertThat(yaml)
                .isEqualTo("mptcp:\n  endpoints: []\ninterfaces:\n- name: eth0\n  mptcp:\n"
                        + "    address-flags: []\n  ipv4:\n    address: []\n");
        tools.jackson.dataformat.yaml.YAMLMapper jackson = tools.jackson.dataformat.yaml.YAMLMapper.builder()
                .disable(tools.jackson.dataformat.yaml.YAMLWriteFeature.WRITE_DOC_START_MARKER)
                .enable(tools.jackson.dataformat.yaml.YAMLWriteFeature.MINIMIZE_QUOTES)
                .build();
        assertThat(jackson.writeValueAsString(new JsonMapper().readTree(write(state, ShowWriter.Format.JSON))))
                .isEqualTo(yaml);
    }

    private static InetAddress ip4() {
        try {
            return ip("192.0.2.1");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * PyYAML, a YAML 1.1 reader as Ansible uses it (yes/no/on/off booleans, octal, sexagesimal, underscores,
     * dates), reads every name back as the string written: the tricky ones and 3,000 random ones over digits,
     * signs, prefixes and indicators. Needs python3 with PyYAML (.ci/run installs python3-yaml); skipped without
     * it, unless the tests are required (CI as root).
     */
    @Test
    void pyyamlReadsBackEveryNameAsTheSameString() throws Exception {
        boolean available;
        try {
            Process probe = new ProcessBuilder("python3", "-c", "import yaml")
                    .redirectErrorStream(true)
                    .start();
            probe.getInputStream().readAllBytes();
            available = probe.waitFor() == 0;
        } catch (IOException e) {
            available = false;
        }
        if (!available && org.mptcpstate.testing.KernelTests.required()) {
            throw new AssertionError("python3 with PyYAML is required for this test (apt-get install python3-yaml)");
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(available, "python3 with PyYAML");
        List<String> names = new java.util.ArrayList<>(List.of(
                "true",
                "123",
                "null",
                "~",
                "yes",
                "off",
                "On",
                "Y",
                "n",
                "1e3",
                "0x1f",
                "0X1F",
                "0o17",
                "017",
                "0b101",
                ".5",
                "1_000",
                "0_x1f",
                "1:20",
                "190:20:30",
                "1:20.5",
                "2001-12-14",
                "2001-12-14t21:59:43.10-05:00",
                "<<",
                "=",
                "-",
                "::1",
                ":x",
                "fe80::1",
                "192.0.2.2",
                "2001:db8::2",
                "eth0",
                "br-lan.10",
                "1.0",
                "1.",
                "+1",
                "-.inf",
                ".NaN",
                ""));
        String alphabet = "0123456789_.:-+eExXbBoOyYnN:/ab";
        java.util.Random random = new java.util.Random(7);
        for (int n = 0; n < 3000; n++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(7);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            names.add(text.toString());
        }
        StringBuilder stream = new StringBuilder();
        for (String name : names) {
            ShowDocument odd = new ShowDocument(
                    null, List.of(new ShowDocument.Interface(name, null, null, null, null, null, null)));
            stream.append("---\n").append(write(odd, ShowWriter.Format.YAML));
        }
        Process python = new ProcessBuilder(
                        "python3",
                        "-c",
                        "import json, sys, yaml\n"
                                + "for d in yaml.safe_load_all(sys.stdin):\n"
                                + "    v = d['interfaces'][0]['name']\n"
                                + "    print(json.dumps([type(v).__name__, v if isinstance(v, str) else repr(v)]))\n")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (java.io.OutputStream in = python.getOutputStream()) {
            in.write(stream.toString().getBytes(StandardCharsets.UTF_8));
        }
        List<String> lines = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .lines()
                .toList();
        assertThat(python.waitFor()).isZero();
        assertThat(lines).hasSize(names.size());
        for (int i = 0; i < names.size(); i++) {
            JsonNode read = new JsonMapper().readTree(lines.get(i));
            assertThat(read.get(0).stringValue())
                    .as("PyYAML's type of %s", names.get(i))
                    .isEqualTo("str");
            assertThat(read.get(1).stringValue())
                    .as("PyYAML's reading of %s", names.get(i))
                    .isEqualTo(names.get(i));
        }
    }
}
