package org.mptcpstate.document;

/** What {@link ShowWriter} writes a document to: one walk of the state serves YAML and JSON alike. */
interface DocumentSink extends AutoCloseable {
    void startObject();

    void endObject();

    /** The key of the next value; only inside an object. */
    void name(String name);

    void startArray();

    void endArray();

    void string(String value);

    void number(long value);

    void bool(boolean value);

    /** Writes out what is buffered; the output stream itself stays open. */
    @Override
    void close();
}
