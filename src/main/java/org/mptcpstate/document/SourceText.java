package org.mptcpstate.document;

import org.mptcpstate.state.Position;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A state file's bytes as text: UTF-8, or UTF-16 with a byte-order mark (a UTF-8 one is skipped), decoded
 * strictly so that a byte that is not text is reported at its line and column rather than replaced.
 */
final class SourceText {
    private SourceText() {}

    /** The text, or null when the bytes are not valid text (the error is recorded). */
    static String decode(byte[] content, LoadDiagnostics diagnostics) {
        Charset charset = StandardCharsets.UTF_8;
        int skip = 0;
        if (content.length >= 2 && (content[0] & 0xff) == 0xfe && (content[1] & 0xff) == 0xff) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
        } else if (content.length >= 2 && (content[0] & 0xff) == 0xff && (content[1] & 0xff) == 0xfe) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
        } else if (content.length >= 3
                && (content[0] & 0xff) == 0xef
                && (content[1] & 0xff) == 0xbb
                && (content[2] & 0xff) == 0xbf) {
            skip = 3;
        }
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content, skip, content.length - skip);
        CharBuffer out = CharBuffer.allocate(content.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        out.flip();
        if (result.isError()) {
            int bad = in.position();
            String byteText = bad < content.length ? " (byte 0x" + hex2(content[bad] & 0xff) + ")" : "";
            diagnostics.error(
                    positionAt(diagnostics.file(), out, out.length()),
                    "not valid " + charset.name() + " text" + byteText + "; a state file is UTF-8");
            return null;
        }
        return out.toString();
    }

    /** Line and column (1-based, in code points) just after text[0, end). */
    static Position positionAt(String file, CharSequence text, int end) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                column = 1;
            } else if (c != '\r' && !Character.isLowSurrogate(c)) {
                column++;
            }
        }
        return new Position(file, line, column);
    }

    /** Line and column of the code point with this index. */
    static Position positionOfCodePoint(String file, String text, int codePointIndex) {
        int end = 0;
        for (int n = 0; n < codePointIndex && end < text.length(); n++) {
            end += Character.charCount(text.codePointAt(end));
        }
        return positionAt(file, text, end);
    }

    private static String hex2(int value) {
        String hex = Integer.toHexString(value);
        return hex.length() == 1 ? "0" + hex : hex;
    }
}
