package org.mptcpstate.state;

/**
 * Where something was written: file (or "-" for stdin), 1-based line and column; line 0 means the file as a
 * whole (a summary of many places in it), printed as the file name alone.
 */
public record Position(String file, int line, int column) {
    /** The file as a whole. */
    public static Position wholeFile(String file) {
        return new Position(file, 0, 0);
    }

    public boolean isWholeFile() {
        return line == 0;
    }

    @Override
    public String toString() {
        return line == 0 ? file : file + ":" + line + ":" + column;
    }
}
