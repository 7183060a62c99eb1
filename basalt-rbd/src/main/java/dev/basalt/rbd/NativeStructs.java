package dev.basalt.rbd;

import com.sun.jna.Pointer;

/** Reading the C structures librbd fills: a {@code char *} member, a fixed {@code char[]} member. */
final class NativeStructs {
    private NativeStructs() {
    }

    /** The string a {@code char *} at {@code offset} points to; empty for NULL. */
    static String string(Pointer struct, long offset) {
        Pointer text = struct.getPointer(offset);
        return text == null ? "" : text.getString(0);
    }

    /** The NUL-terminated string in a {@code char[length]} at {@code offset}. */
    static String chars(Pointer struct, long offset, int length) {
        byte[] bytes = struct.getByteArray(offset, length);
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8);
    }
}
