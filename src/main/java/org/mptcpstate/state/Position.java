package org.mptcpstate.state;

/** Where something was written: file (or "-" for stdin), 1-based line and column. */
public record Position(String file, int line, int column) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
