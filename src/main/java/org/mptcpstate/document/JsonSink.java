package org.mptcpstate.document;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultIndenter;
import tools.jackson.core.util.DefaultPrettyPrinter;
import tools.jackson.core.util.Separators;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** JSON through Jackson's generator, indented the way `jq .` prints, with a final newline. */
final class JsonSink implements DocumentSink {
    private final OutputStream out;
    private final JsonGenerator g;

    JsonSink(OutputStream out) {
        this.out = out;
        JsonFactory factory = JsonFactory.builder()
                .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
                .build();
        this.g = factory.createGenerator(new PrettyContext(), out);
    }

    /** Writes into a generator the caller owns, as one value of its document: {@link #close()} leaves it open. */
    JsonSink(JsonGenerator g) {
        this.out = null;
        this.g = g;
    }

    @Override
    public void startObject() {
        g.writeStartObject();
    }

    @Override
    public void endObject() {
        g.writeEndObject();
    }

    @Override
    public void name(String name) {
        g.writeName(name);
    }

    @Override
    public void startArray() {
        g.writeStartArray();
    }

    @Override
    public void endArray() {
        g.writeEndArray();
    }

    @Override
    public void string(String value) {
        g.writeString(value);
    }

    @Override
    public void number(long value) {
        g.writeNumber(value);
    }

    @Override
    public void bool(boolean value) {
        g.writeBoolean(value);
    }

    @Override
    public void close() {
        if (out == null) {
            return;
        }
        g.close();
        try {
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Two-space indentation, the way `jq .` prints. */
    private static final class PrettyContext extends ObjectWriteContext.Base {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            Separators separators = Separators.createDefaultInstance()
                    .withObjectNameValueSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator("")
                    .withObjectEmptySeparator("");
            return new DefaultPrettyPrinter(separators)
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    }
}
