package org.mptcpstate.document;

import org.junit.jupiter.api.Test;
import org.mptcpstate.state.InterfaceTypes;
import org.mptcpstate.state.WarningCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/state-file.md holds the tables the code makes: the vocabulary ({@link Vocabulary#markdownTable()}), the
 * interface types ({@link InterfaceTypes#markdownTable()}) and the warning codes ({@link
 * WarningCode#markdownTable()}). When one changes, run the test with -Dmptcpstate.updateDocs=true once to write it
 * there.
 */
class DocsTablesTest {
    private static final Path FILE = Path.of("docs/state-file.md");

    @Test
    void theVocabularyTable() throws IOException {
        check("vocabulary", "org.mptcpstate.document.Vocabulary", Vocabulary.markdownTable());
    }

    @Test
    void theInterfaceTypeTable() throws IOException {
        check("interface-types", "org.mptcpstate.state.InterfaceTypes", InterfaceTypes.markdownTable());
    }

    @Test
    void theWarningCodeTable() throws IOException {
        check("warning-codes", "org.mptcpstate.state.WarningCode", WarningCode.markdownTable());
    }

    private static void check(String name, String source, String generated) throws IOException {
        String begin = "<!-- " + name + ": generated from " + source + "; do not edit -->";
        String end = "<!-- end of " + name + " -->";
        String text = Files.readString(FILE);
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertThat(from).as("the marker " + begin + " in " + FILE).isNotNegative();
        assertThat(to).as("the end marker after it").isGreaterThan(from);
        String current = text.substring(from + begin.length() + 1, to);
        if (Boolean.getBoolean("mptcpstate.updateDocs") && !current.equals(generated)) {
            Files.writeString(FILE, text.substring(0, from + begin.length() + 1) + generated + text.substring(to));
            current = generated;
        }
        assertThat(current)
                .as(FILE + "'s " + name + " table (-Dmptcpstate.updateDocs=true rewrites it)")
                .isEqualTo(generated);
    }
}
