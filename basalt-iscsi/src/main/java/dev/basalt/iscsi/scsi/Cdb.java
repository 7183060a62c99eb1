package dev.basalt.iscsi.scsi;

import java.nio.ByteBuffer;

/** Big-endian fields of a CDB or parameter list, read at absolute positions. */
final class Cdb {
    private Cdb() {
    }

    static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }

    static int u16(ByteBuffer b, int i) {
        return b.getShort(i) & 0xffff;
    }

    static int u24(ByteBuffer b, int i) {
        return (u8(b, i) << 16) | u16(b, i + 1);
    }

    static long u32(ByteBuffer b, int i) {
        return b.getInt(i) & 0xffffffffL;
    }

    static long u64(ByteBuffer b, int i) {
        return b.getLong(i);
    }

    /** Fails with INVALID FIELD IN CDB when any bit of {@code mask} is set in byte {@code i}. */
    static void requireClear(ByteBuffer cdb, int i, int mask) throws ScsiException {
        if ((cdb.get(i) & mask) != 0) {
            throw new ScsiException(Sense.invalidFieldInCdb(i));
        }
    }
}
