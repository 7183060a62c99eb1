package dev.basalt.iscsi.scsi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * MODE SENSE (6) and (10) (SPC-4 sections 6.11, 6.12) with the pages a disk is asked for: caching
 * (write cache enabled: writes land in the page cache and are made durable by FUA or SYNCHRONIZE
 * CACHE, which is the truth initiators need) and control. Nothing is changeable (MODE SELECT is
 * not supported) and nothing is saved.
 */
final class ModeSense {
    static final int PAGE_CACHING = 0x08;
    static final int PAGE_CONTROL = 0x0a;
    static final int PAGE_INFORMATIONAL_EXCEPTIONS = 0x1c;
    static final int ALL_PAGES = 0x3f;

    private static final int CURRENT = 0;
    private static final int CHANGEABLE = 1;
    private static final int DEFAULT = 2;
    private static final int SAVED = 3;

    private ModeSense() {
    }

    static Outcome sense6(LogicalUnit unit, ByteBuffer cdb) throws ScsiException {
        Cdb.requireClear(cdb, 1, 0xf7);
        boolean dbd = (cdb.get(1) & 0x08) != 0;
        byte[] pages = pages(cdb);
        byte[] block = dbd ? new byte[0] : shortBlockDescriptor(unit);
        ByteBuffer b = ByteBuffer.allocate(4 + block.length + pages.length);   // far below the 256-byte limit
        b.put(0, (byte) (b.capacity() - 1));
        b.put(2, deviceSpecific(unit));
        b.put(3, (byte) block.length);
        b.position(4);
        b.put(block).put(pages);
        return Outcome.Done.good(b.array(), Cdb.u8(cdb, 4));
    }

    static Outcome sense10(LogicalUnit unit, ByteBuffer cdb) throws ScsiException {
        Cdb.requireClear(cdb, 1, 0xe7);
        boolean longLba = (cdb.get(1) & 0x10) != 0;
        boolean dbd = (cdb.get(1) & 0x08) != 0;
        byte[] pages = pages(cdb);
        byte[] block = dbd ? new byte[0] : longLba ? longBlockDescriptor(unit) : shortBlockDescriptor(unit);
        int length = 8 + block.length + pages.length;
        ByteBuffer b = ByteBuffer.allocate(length);
        b.putShort(0, (short) (length - 2));
        b.put(3, deviceSpecific(unit));
        b.put(4, (byte) (longLba && !dbd ? 0x01 : 0));
        b.putShort(6, (short) block.length);
        b.position(8);
        b.put(block).put(pages);
        return Outcome.Done.good(b.array(), Cdb.u16(cdb, 7));
    }

    private static byte deviceSpecific(LogicalUnit unit) {
        return (byte) ((unit.readOnly() ? 0x80 : 0) | 0x10);           // WP, DPOFUA
    }

    private static byte[] pages(ByteBuffer cdb) throws ScsiException {
        int control = (cdb.get(2) & 0xc0) >>> 6;
        int page = cdb.get(2) & 0x3f;
        int subpage = Cdb.u8(cdb, 3);
        if (control == SAVED) {
            throw new ScsiException(Sense.savingParametersNotSupported());
        }
        if (subpage != 0 && !(page == ALL_PAGES && subpage == 0xff)) {
            throw new ScsiException(Sense.invalidFieldInCdb(3));
        }
        boolean changeable = control == CHANGEABLE;
        return switch (page) {
            case PAGE_CACHING -> caching(changeable);
            case PAGE_CONTROL -> control(changeable);
            case PAGE_INFORMATIONAL_EXCEPTIONS -> informationalExceptions();
            case ALL_PAGES -> {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                all.writeBytes(caching(changeable));
                all.writeBytes(control(changeable));
                all.writeBytes(informationalExceptions());
                yield all.toByteArray();
            }
            default -> throw new ScsiException(Sense.invalidFieldInCdb(2));
        };
    }

    private static byte[] caching(boolean changeable) {
        byte[] p = new byte[20];
        p[0] = PAGE_CACHING;
        p[1] = 0x12;
        if (!changeable) {
            p[2] = 0x04;                                               // WCE
        }
        return p;
    }

    private static byte[] control(boolean changeable) {
        byte[] p = new byte[12];
        p[0] = PAGE_CONTROL;
        p[1] = 0x0a;
        if (!changeable) {
            p[3] = 0x10;                                               // unrestricted reordering
            p[5] = 0x40;                                               // TAS: aborted tasks of other nexuses report TASK ABORTED
            p[8] = (byte) 0xff;                                        // busy timeout: unlimited
            p[9] = (byte) 0xff;
        }
        return p;
    }

    /** Informational exceptions control: no exception reporting (all zero, current and changeable alike). */
    private static byte[] informationalExceptions() {
        byte[] p = new byte[12];
        p[0] = PAGE_INFORMATIONAL_EXCEPTIONS;
        p[1] = 0x0a;
        return p;
    }

    private static byte[] shortBlockDescriptor(LogicalUnit unit) {
        ByteBuffer b = ByteBuffer.allocate(8);
        b.putInt(0, (int) Math.min(unit.blocks(), 0xffffffffL));
        b.putInt(4, LogicalUnit.BLOCK_SIZE);                           // byte 4 reserved, 5..7 length
        return b.array();
    }

    private static byte[] longBlockDescriptor(LogicalUnit unit) {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(0, unit.blocks());
        b.putInt(12, LogicalUnit.BLOCK_SIZE);
        return b.array();
    }
}
