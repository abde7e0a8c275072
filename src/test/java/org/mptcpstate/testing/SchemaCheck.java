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

/**
 * Validates documents against the schemas users and editors see: schemas/show.schema.json for what
 * {@code show} prints, schemas/mptcpstate.schema.json for state files.
 */
public final class SchemaCheck {
    public static final Path SHOW_SCHEMA = Path.of("schemas/show.schema.json");
    public static final Path STATE_FILE_SCHEMA = Path.of("schemas/mptcpstate.schema.json");
    private static Schema show;
    private static Schema stateFile;

    private SchemaCheck() {}

    private static Schema read(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(in);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + path.toAbsolutePath(), e);
        }
    }

    private static synchronized Schema show() {
        if (show == null) {
            show = read(SHOW_SCHEMA);
        }
        return show;
    }

    private static synchronized Schema stateFile() {
        if (stateFile == null) {
            stateFile = read(STATE_FILE_SCHEMA);
        }
        return stateFile;
    }

    /** The show schema's complaints about {@code document}, as text; empty when it is valid. */
    public static List<String> errors(JsonNode document) {
        return show().validate(document).stream().map(Error::toString).toList();
    }

    /** The state-file schema's complaints about {@code document}, as text; empty when it is valid. */
    public static List<String> stateFileErrors(JsonNode document) {
        return stateFile().validate(document).stream().map(Error::toString).toList();
    }
}
