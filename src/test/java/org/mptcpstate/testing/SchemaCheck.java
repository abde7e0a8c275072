package org.mptcpstate.testing;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Validates documents against schemas/mptcpstate.schema.json, the file editors and users see. */
public final class SchemaCheck {
    public static final Path SCHEMA = Path.of("schemas/mptcpstate.schema.json");
    private static Schema schema;

    private SchemaCheck() {
    }

    private static synchronized Schema schema() {
        if (schema == null) {
            try (InputStream in = Files.newInputStream(SCHEMA)) {
                schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
            } catch (IOException e) {
                throw new AssertionError("cannot read " + SCHEMA.toAbsolutePath(), e);
            }
        }
        return schema;
    }

    /** The schema's complaints about {@code document}, as text; empty when it is valid. */
    public static List<String> errors(JsonNode document) {
        return schema().validate(document).stream().map(Error::toString).toList();
    }
}
