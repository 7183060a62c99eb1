package dev.basalt.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;

/** READ CAPACITY (10) and (16), REPORT LUNS and REQUEST SENSE. */
final class DeviceCommands {
    private DeviceCommands() {
    }

    static Outcome readCapacity10(LogicalUnit unit, ByteBuffer cdb) throws IOException, ScsiException {
        Cdb.requireClear(cdb, 1, 0xff);
        Cdb.requireClear(cdb, 8, 0xfe);
        boolean pmi = (cdb.get(8) & 0x01) != 0;
        if (!pmi && Cdb.u32(cdb, 2) != 0) {
            throw new ScsiException(Sense.invalidFieldInCdb(2));
        }
        long last = Math.max(0, unit.refreshCapacity() - 1);
        ByteBuffer b = ByteBuffer.allocate(8);
        b.putInt(0, (int) Math.min(last, 0xffffffffL));
        b.putInt(4, LogicalUnit.BLOCK_SIZE);
        return Outcome.Done.good(b.array());
    }

    static Outcome readCapacity16(LogicalUnit unit, ByteBuffer cdb) throws IOException, ScsiException {
        long allocation = Cdb.u32(cdb, 10);
        Cdb.requireClear(cdb, 14, 0xfe);
        long last = Math.max(0, unit.refreshCapacity() - 1);
        ByteBuffer b = ByteBuffer.allocate(32);
        b.putLong(0, last);
        b.putInt(8, LogicalUnit.BLOCK_SIZE);
        b.put(13, (byte) BlockLimits.PHYSICAL_BLOCK_EXPONENT);
        if (unit.thinProvisioned()) {
            b.put(14, (byte) 0xc0);                                    // LBPME, LBPRZ
        }
        return Outcome.Done.good(b.array(), allocation);
    }

    static Outcome reportLuns(LunTable table, ByteBuffer cdb) throws ScsiException {
        int select = Cdb.u8(cdb, 2);
        long allocation = Cdb.u32(cdb, 6);
        if (select > 0x02 && !(select >= 0x10 && select <= 0x12)) {
            throw new ScsiException(Sense.invalidFieldInCdb(2));
        }
        if (allocation < 4) {
            throw new ScsiException(Sense.invalidFieldInCdb(6));
        }
        boolean wellKnownOnly = select == 0x01 || select == 0x11;
        int count = wellKnownOnly ? 0 : table.units().size();
        ByteBuffer b = ByteBuffer.allocate(8 + 8 * count);
        b.putInt(0, 8 * count);
        int at = 8;
        if (!wellKnownOnly) {
            for (int lun : table.units().keySet()) {
                b.putShort(at, (short) Luns.encode(lun));
                at += 8;
            }
        }
        return Outcome.Done.good(b.array(), allocation);
    }

    static Outcome requestSense(LogicalUnit unit, ByteBuffer cdb) throws ScsiException {
        Cdb.requireClear(cdb, 1, 0xfe);
        boolean descriptor = (cdb.get(1) & 0x01) != 0;
        Sense sense = unit == null ? Sense.logicalUnitNotSupported() : Sense.noSense();
        byte[] data = descriptor ? sense.descriptor() : sense.fixed();
        return Outcome.Done.good(data, Cdb.u8(cdb, 4));
    }
}
