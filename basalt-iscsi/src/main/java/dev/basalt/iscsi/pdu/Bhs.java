package dev.basalt.iscsi.pdu;

import java.nio.ByteBuffer;

/**
 * Field access for the 48-byte Basic Header Segment (RFC 7143 section 11.2). Every method works
 * on absolute positions of a buffer whose position 0 is the first header byte, so a reader's
 * slice or a writer's scratch header can be used directly, without copies.
 */
public final class Bhs {
    public static final int LENGTH = 48;
    /** The value of a tag that names nothing (Initiator Task Tag, Target Transfer Tag). */
    public static final int RESERVED_TAG = 0xffffffff;

    public static final int FINAL = 0x80;

    private Bhs() {
    }

    public static int opcode(ByteBuffer h) {
        return h.get(0) & 0x3f;
    }

    public static boolean immediate(ByteBuffer h) {
        return (h.get(0) & 0x40) != 0;
    }

    public static int flags(ByteBuffer h) {
        return h.get(1) & 0xff;
    }

    public static boolean isFinal(ByteBuffer h) {
        return (h.get(1) & FINAL) != 0;
    }

    /** TotalAHSLength, in bytes (the field counts 4-byte words). */
    public static int ahsLength(ByteBuffer h) {
        return (h.get(4) & 0xff) * 4;
    }

    public static int dataSegmentLength(ByteBuffer h) {
        return ((h.get(5) & 0xff) << 16) | ((h.get(6) & 0xff) << 8) | (h.get(7) & 0xff);
    }

    public static long lun(ByteBuffer h) {
        return h.getLong(8);
    }

    public static int initiatorTaskTag(ByteBuffer h) {
        return h.getInt(16);
    }

    public static int int32(ByteBuffer h, int offset) {
        return h.getInt(offset);
    }

    /** Clears a header and sets its opcode and flags byte. */
    public static void start(ByteBuffer h, int opcode, int flags) {
        for (int i = 0; i < LENGTH; i += 8) {
            h.putLong(i, 0L);
        }
        h.put(0, (byte) opcode);
        h.put(1, (byte) flags);
    }

    public static void putDataSegmentLength(ByteBuffer h, int length) {
        if (length < 0 || length > 0xffffff) {
            throw new IllegalArgumentException("data segment length " + length);
        }
        h.put(5, (byte) (length >>> 16));
        h.put(6, (byte) (length >>> 8));
        h.put(7, (byte) length);
    }

    /** Bytes of padding that follow a data segment of this length (segments end on 4-byte boundaries). */
    public static int padding(int length) {
        return -length & 3;
    }
}
