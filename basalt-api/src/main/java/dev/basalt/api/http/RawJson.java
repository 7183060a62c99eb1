package dev.basalt.api.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.SerializableString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A JSON value already written out as UTF-8, for {@link com.fasterxml.jackson.core.JsonGenerator#writeRawValue(
 * SerializableString)}: a byte generator copies its bytes as they are (after the separator it adds),
 * without encoding or escaping them again; a character generator writes {@link #getValue()}. It is
 * never written as a quoted string: the quoted forms are not supported.
 */
public final class RawJson implements SerializableString {
    private final byte[] utf8;

    /** Takes {@code utf8} as it is (not copied): it must be one complete JSON value and must not change. */
    public RawJson(byte[] utf8) {
        this.utf8 = requireNonNull(utf8, "utf8");
    }

    @Override
    public String getValue() {
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return utf8;
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        if (offset + utf8.length > buffer.length) {
            return -1;
        }
        System.arraycopy(utf8, 0, buffer, offset, utf8.length);
        return utf8.length;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(utf8);
        return utf8.length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        if (utf8.length > buffer.remaining()) {
            return -1;
        }
        buffer.put(utf8);
        return utf8.length;
    }

    @Override
    public char[] asQuotedChars() {
        throw unsupported();
    }

    @Override
    public byte[] asQuotedUTF8() {
        throw unsupported();
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        throw unsupported();
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        throw unsupported();
    }

    /** Not as characters: a character generator then writes {@link #getValue()} instead. */
    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        return -1;
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) {
        throw unsupported();
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        throw unsupported();
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("raw JSON is written as it is, never quoted as a string");
    }
}
