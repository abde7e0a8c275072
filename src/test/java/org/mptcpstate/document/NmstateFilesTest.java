package org.mptcpstate.document;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.mptcpstate.state.Diagnostic;
import org.mptcpstate.state.InterfaceTypes;
import org.mptcpstate.state.InvalidStateException;
import org.mptcpstate.state.WarningCode;
import org.mptcpstate.state.WarningSummary;
import org.mptcpstate.testing.SchemaCheck;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * nmstate's vocabulary, held by our own fixtures in src/test/resources/nmstate: valid/ covers every key of
 * {@link Vocabulary#TABLE} and every interface type (including an nmstatectl-show-shaped host), invalid/ the
 * misspellings and forms that stay errors, each ending with its expected problems as "# error: LINE:COLUMN:
 * message" lines. Jackson's YAML parser (not ours) walks the fixtures for the coverage; the JSON Schema
 * validator checks the same files against schemas/mptcpstate.schema.json.
 */
class NmstateFilesTest {
    private static final Path VALID = Path.of("src/test/resources/nmstate/valid");
    private static final Path INVALID = Path.of("src/test/resources/nmstate/invalid");
    private static final YAMLMapper YAML = new YAMLMapper();

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyValidFixtureLoadsWithOneSummaryOfIgnoredKeys() throws Exception {
        List<Path> files = files(VALID);
        assertThat(files).hasSizeGreaterThanOrEqualTo(22);
        return files.stream()
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                    LoadedState loaded = StateLoader.load(file.getFileName().toString(), Files.readAllBytes(file));
                    assertThat(loaded.state()).isNotNull();
                    for (Diagnostic warning : loaded.warnings()) {
                        assertThat(warning.code()).isIn("nmstate-ignored", "flag-duplicate");
                    }
                    List<Diagnostic> printed = WarningSummary.of(loaded.warnings(), false);
                    assertThat(printed.stream().filter(w -> "nmstate-ignored".equals(w.code())))
                            .as("one summary line per file")
                            .hasSizeLessThanOrEqualTo(1);
                    assertThat(SchemaCheck.stateFileErrors(YAML.readTree(file.toFile())))
                            .as("schema")
                            .isEmpty();
                }));
    }

    @TestFactory
    Stream<DynamicTest> everyInvalidFixtureGivesItsErrors() throws Exception {
        List<Path> files = files(INVALID);
        assertThat(files).hasSizeGreaterThanOrEqualTo(18);
        // what a schema cannot say: a name across list items
        Set<String> schemaCannotTell = Set.of("i17-two-kernel-entries.yml", "i18-mptcp-settings-twice.yml");
        return files.stream()
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
                    String name = file.getFileName().toString();
                    List<String> expected = new ArrayList<>();
                    for (String line : Files.readAllLines(file)) {
                        if (line.startsWith("# error: ")) {
                            expected.add(name + ":" + line.substring("# error: ".length()));
                        }
                    }
                    assertThat(expected).as("the fixture's # error: lines").isNotEmpty();
                    assertThatThrownBy(() -> StateLoader.load(name, Files.readAllBytes(file)))
                            .isInstanceOfSatisfying(
                                    InvalidStateException.class,
                                    e -> assertThat(e.problems())
                                            .extracting(Diagnostic::toString)
                                            .containsExactlyElementsOf(expected));
                    if (!schemaCannotTell.contains(name)) {
                        assertThat(SchemaCheck.stateFileErrors(YAML.readTree(file.toFile())))
                                .as("schema")
                                .isNotEmpty();
                    }
                }));
    }

    /** Each level's keys, as Jackson reads the valid fixtures: "interface mtu", "address valid-lft", ... */
    private static Set<String> keysUsed() throws Exception {
        Set<String> used = new TreeSet<>();
        for (Path file : files(VALID)) {
            JsonNode doc = YAML.readTree(file.toFile());
            doc.propertyNames().forEach(key -> used.add("TOP " + key));
            JsonNode mptcp = doc.path("mptcp");
            mptcp.propertyNames().forEach(key -> used.add("MPTCP " + key));
            mptcp.path("limits").propertyNames().forEach(key -> used.add("LIMITS " + key));
            for (JsonNode endpoint : mptcp.path("endpoints")) {
                endpoint.propertyNames().forEach(key -> used.add("ENDPOINT " + key));
            }
            for (JsonNode iface : doc.path("interfaces")) {
                iface.propertyNames().forEach(key -> used.add("INTERFACE " + key));
                iface.path("mptcp").propertyNames().forEach(key -> used.add("INTERFACE_MPTCP " + key));
                for (String family : List.of("ipv4", "ipv6")) {
                    JsonNode ip = iface.path(family);
                    ip.propertyNames().forEach(key -> used.add(family.toUpperCase() + " " + key));
                    for (JsonNode address : ip.path("address")) {
                        address.propertyNames().forEach(key -> used.add("ADDRESS " + key));
                    }
                }
            }
        }
        return used;
    }

    @Test
    void theValidFixturesUseEveryKeyOfTheVocabularyAndEverySpellingOfIt() throws Exception {
        Set<String> used = keysUsed();
        List<String> missing = new ArrayList<>();
        for (Vocabulary.Row row : Vocabulary.TABLE) {
            if (row.kind() == Vocabulary.KeyKind.POLICY || row.kind() == Vocabulary.KeyKind.ELSEWHERE) {
                continue; // errors: the invalid fixtures have them
            }
            List<String> spellings = new ArrayList<>(List.of(row.key()));
            if (row.aliases() != null) {
                spellings.addAll(List.of(row.aliases().split(", ")));
            }
            for (String key : spellings) {
                boolean seen = row.level() == Vocabulary.Level.IP
                        ? used.contains("IPV4 " + key) || used.contains("IPV6 " + key)
                        : used.contains(row.level() + " " + key);
                if (!seen) {
                    missing.add(row.level() + " " + key);
                }
            }
        }
        assertThat(missing).as("vocabulary keys no valid fixture uses").isEmpty();
    }

    @Test
    void theValidFixturesUseEveryInterfaceTypeAndState() throws Exception {
        Set<String> types = new TreeSet<>();
        Set<String> states = new TreeSet<>();
        boolean untyped = false;
        for (Path file : files(VALID)) {
            for (JsonNode iface : YAML.readTree(file.toFile()).path("interfaces")) {
                if (iface.has("type")) {
                    types.add(iface.path("type").asString());
                } else {
                    untyped = true;
                }
                states.add(iface.path("state").asString("(none)"));
            }
        }
        assertThat(types).containsAll(InterfaceTypes.nmstateTypes()).contains("team", "wireguard");
        assertThat(untyped).as("an interface without a type").isTrue();
        assertThat(states).contains("up", "down", "absent", "ignore", "unknown", "(none)");
    }

    @Test
    void theShowShapedHostGivesOneSummaryLineAndNoOtherWarning() throws Exception {
        Path file = VALID.resolve("30-nmstatectl-show-host.yml");
        LoadedState loaded = StateLoader.load("host.yml", Files.readAllBytes(file));
        List<Diagnostic> printed = WarningSummary.of(loaded.warnings(), false);
        assertThat(printed).hasSize(1);
        assertThat(printed.get(0).code()).isEqualTo(WarningCode.NMSTATE_IGNORED.code());
        assertThat(printed.get(0).toString())
                .startsWith("host.yml: ignoring ")
                .contains("top level 5 (dns-resolver, hostname, ovs-db, route-rules, routes)")
                .endsWith("; --verbose lists each [nmstate-ignored]");
        // the DHCP and SLAAC addresses are dynamic, the static ones are not
        assertThat(loaded.state().interfaces().get(1).addresses())
                .extracting(a -> a.ip().getHostAddress() + (a.dynamic() ? " dynamic" : ""))
                .containsExactly(
                        "192.0.2.100 dynamic",
                        "2001:db8:100:0:0:0:0:100 dynamic",
                        "2001:db8:100:0:ff:feff:fe00:100 dynamic",
                        "fe80:0:0:0:ff:feff:fe00:100");
    }
}
