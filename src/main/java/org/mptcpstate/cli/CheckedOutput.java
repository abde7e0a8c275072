package org.mptcpstate.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A PrintStream that remembers why its first write failed: PrintStream itself only keeps that one failed
 * ({@link #checkError()}), and "write error: No space left on device" needs the reason.
 */
final class CheckedOutput extends PrintStream {
    private final Recorder recorder;

    private CheckedOutput(Recorder recorder, boolean autoFlush) {
        super(recorder, autoFlush, StandardCharsets.UTF_8);
        this.recorder = recorder;
    }

    static CheckedOutput of(OutputStream target, boolean autoFlush) {
        return new CheckedOutput(new Recorder(target), autoFlush);
    }

    /** Why a write failed ("No space left on device"), once one did; else null. */
    String failure() {
        IOException first = recorder.first;
        return first == null ? null : first.getMessage();
    }

    /**
     * The one-line reason after "write error: " when {@code out} could not write everything, else null. Flushes
     * {@code out} first.
     */
    static String writeFailure(PrintStream out) {
        if (!out.checkError()) {
            return null;
        }
        String reason = out instanceof CheckedOutput checked ? checked.failure() : null;
        return reason == null ? "standard output could not be written" : reason;
    }

    /** Passes writes on and keeps the first exception. */
    private static final class Recorder extends FilterOutputStream {
        private volatile IOException first;

        Recorder(OutputStream target) {
            super(target);
        }

        @Override
        public void write(int b) throws IOException {
            try {
                out.write(b);
            } catch (IOException e) {
                throw record(e);
            }
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                throw record(e);
            }
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw record(e);
            }
        }

        private IOException record(IOException e) {
            if (first == null) {
                first = e;
            }
            return e;
        }
    }
}
