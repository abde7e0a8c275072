package org.mptcpstate.state;

import org.junit.jupiter.api.Test;
import org.mptcpstate.testing.SchemaCheck;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaTest {
    private static JsonNode resource(String name) throws Exception {
        try (InputStream in = SchemaTest.class.getResourceAsStream("/golden/" + name)) {
            return name.endsWith(".json") ? new JsonMapper().readTree(in) : new YAMLMapper().readTree(in);
        }
    }

    @Test
    void showDocumentsAreValid() throws Exception {
        assertThat(SchemaCheck.errors(resource("show.json"))).isEmpty();
        assertThat(SchemaCheck.errors(resource("show.yml"))).isEmpty();
    }

    @Test
    void everyExampleIsValid() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yml")).toList()) {
                JsonNode document = new YAMLMapper().readTree(file.toFile());
                assertThat(SchemaCheck.errors(document)).as(file.toString()).isEmpty();
            }
        }
    }

    @Test
    void schemaRejectsWhatTheKernelRefuses() {
        YAMLMapper yaml = new YAMLMapper();
        assertThat(SchemaCheck.errors(yaml.readTree("interfaces:\n- name: eth1\n  mptcp:\n"
                + "    address-flags: [signal, fullmesh]\n"))).isNotEmpty();
        assertThat(SchemaCheck.errors(yaml.readTree("mptcp:\n  limits:\n    subflows: 9\n"))).isNotEmpty();
        assertThat(SchemaCheck.errors(yaml.readTree("mptcp:\n  limit:\n    subflows: 2\n"))).isNotEmpty();
        assertThat(SchemaCheck.errors(yaml.readTree("interfaces:\n- name: eth1\n  mptcp:\n"
                + "    address-flags: [sigal]\n"))).isNotEmpty();
        assertThat(SchemaCheck.errors(yaml.readTree("interfaces:\n- name: averyveryverylongname\n")))
                .isNotEmpty();
    }
}
