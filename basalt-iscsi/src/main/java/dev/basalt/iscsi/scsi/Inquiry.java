package dev.basalt.iscsi.scsi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** INQUIRY (SPC-4 section 6.6): standard data and the vital product data pages of a disk. */
final class Inquiry {
    static final String VENDOR = "BASALT";
    static final String PRODUCT = "VIRTUAL-DISK";
    static final String REVISION = "0001";

    static final int PAGE_SUPPORTED = 0x00;
    static final int PAGE_UNIT_SERIAL = 0x80;
    static final int PAGE_DEVICE_ID = 0x83;
    static final int PAGE_BLOCK_LIMITS = 0xb0;
    static final int PAGE_BLOCK_CHARACTERISTICS = 0xb1;
    static final int PAGE_PROVISIONING = 0xb2;
    private static final int[] PAGES = {PAGE_SUPPORTED, PAGE_UNIT_SERIAL, PAGE_DEVICE_ID, PAGE_BLOCK_LIMITS,
        PAGE_BLOCK_CHARACTERISTICS, PAGE_PROVISIONING};

    /** Version descriptors: SAM-5, iSCSI, SPC-4, SBC-3. */
    private static final int[] VERSION_DESCRIPTORS = {0x00a0, 0x0960, 0x0460, 0x04c0};
    private static final int PROTOCOL_ISCSI = 0x5;

    private Inquiry() {
    }

    static Outcome execute(LunTable table, LogicalUnit unit, ByteBuffer cdb) throws ScsiException {
        boolean evpd = (cdb.get(1) & 0x01) != 0;
        Cdb.requireClear(cdb, 1, 0xfe);
        int page = Cdb.u8(cdb, 2);
        int allocation = Cdb.u16(cdb, 3);
        if (!evpd) {
            if (page != 0) {
                throw new ScsiException(Sense.invalidFieldInCdb(2));
            }
            return Outcome.Done.good(standard(unit), allocation);
        }
        if (unit == null) {
            // no logical unit at this number: SPC-4 allows only standard data (qualifier 011b)
            throw new ScsiException(Sense.logicalUnitNotSupported());
        }
        byte[] data = switch (page) {
            case PAGE_SUPPORTED -> supportedPages();
            case PAGE_UNIT_SERIAL -> unitSerial(unit);
            case PAGE_DEVICE_ID -> deviceIdentification(table, unit);
            case PAGE_BLOCK_LIMITS -> blockLimits();
            case PAGE_BLOCK_CHARACTERISTICS -> blockCharacteristics();
            case PAGE_PROVISIONING -> provisioning(unit);
            default -> throw new ScsiException(Sense.invalidFieldInCdb(2));
        };
        return Outcome.Done.good(data, allocation);
    }

    /** Standard data; for a number with no unit, peripheral qualifier 011b and type 1Fh. */
    static byte[] standard(LogicalUnit unit) {
        byte[] b = new byte[96];
        b[0] = unit == null ? (byte) 0x7f : 0x00;          // qualifier 0, direct access block device
        b[2] = 0x06;                                        // SPC-4
        b[3] = 0x12;                                        // HISUP, response data format 2
        b[4] = (byte) (b.length - 5);
        b[7] = 0x02;                                        // CMDQUE
        ascii(b, 8, 8, VENDOR);
        ascii(b, 16, 16, PRODUCT);
        ascii(b, 32, 4, REVISION);
        for (int i = 0; i < VERSION_DESCRIPTORS.length; i++) {
            b[58 + 2 * i] = (byte) (VERSION_DESCRIPTORS[i] >>> 8);
            b[59 + 2 * i] = (byte) VERSION_DESCRIPTORS[i];
        }
        return b;
    }

    private static byte[] supportedPages() {
        byte[] b = new byte[4 + PAGES.length];
        b[1] = PAGE_SUPPORTED;
        b[3] = (byte) PAGES.length;
        for (int i = 0; i < PAGES.length; i++) {
            b[4 + i] = (byte) PAGES[i];
        }
        return b;
    }

    private static byte[] unitSerial(LogicalUnit unit) {
        byte[] serial = unit.serial().getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[4 + serial.length];
        b[1] = (byte) PAGE_UNIT_SERIAL;
        b[3] = (byte) serial.length;
        System.arraycopy(serial, 0, b, 4, serial.length);
        return b;
    }

    private static byte[] deviceIdentification(LunTable table, LogicalUnit unit) {
        ByteArrayOutputStream d = new ByteArrayOutputStream();
        // logical unit: NAA locally assigned (binary)
        designator(d, 0x01, 0x03, longBytes(unit.naa()));
        // logical unit: T10 vendor ID based (ASCII): vendor padded to 8, then the serial
        byte[] t10 = new byte[8 + unit.serial().length()];
        ascii(t10, 0, 8, VENDOR);
        System.arraycopy(unit.serial().getBytes(StandardCharsets.US_ASCII), 0, t10, 8, unit.serial().length());
        designator(d, 0x02, 0x01, t10);
        // target port: relative target port identifier 1 and the target port group
        designator(d, PROTOCOL_ISCSI << 4 | 0x01, 0x80 | 0x10 | 0x04, new byte[] {0, 0, 0, 1});
        int tpg = table.portalGroupTag();
        designator(d, PROTOCOL_ISCSI << 4 | 0x01, 0x80 | 0x10 | 0x05, new byte[] {0, 0, (byte) (tpg >>> 8), (byte) tpg});
        // target port: SCSI name string "<iqn>,t,0x<tpgt>"
        designator(d, PROTOCOL_ISCSI << 4 | 0x03, 0x80 | 0x10 | 0x08,
                nameString(table.targetName() + ",t,0x" + String.format("%04x", tpg)));
        // target device: SCSI name string "<iqn>"
        designator(d, PROTOCOL_ISCSI << 4 | 0x03, 0x80 | 0x20 | 0x08, nameString(table.targetName()));
        byte[] body = d.toByteArray();
        byte[] b = new byte[4 + body.length];
        b[1] = (byte) PAGE_DEVICE_ID;
        b[2] = (byte) (body.length >>> 8);
        b[3] = (byte) body.length;
        System.arraycopy(body, 0, b, 4, body.length);
        return b;
    }

    private static byte[] blockLimits() {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put(1, (byte) PAGE_BLOCK_LIMITS);
        b.putShort(2, (short) 0x3c);
        b.put(4, (byte) 0x01);                                          // WSNZ
        b.put(5, (byte) 0);                                             // no COMPARE AND WRITE
        b.putShort(6, (short) BlockLimits.TRANSFER_GRANULARITY_BLOCKS);
        b.putInt(8, (int) BlockLimits.MAX_TRANSFER_BLOCKS);
        b.putInt(12, (int) BlockLimits.OPTIMAL_TRANSFER_BLOCKS);
        b.putInt(20, (int) BlockLimits.MAX_UNMAP_BLOCKS);
        b.putInt(24, BlockLimits.MAX_UNMAP_DESCRIPTORS);
        b.putInt(28, BlockLimits.UNMAP_GRANULARITY_BLOCKS);
        b.putInt(32, 0x80000000);                                       // UGAVALID, alignment 0
        b.putLong(36, BlockLimits.MAX_WRITE_SAME_BLOCKS);
        return b.array();
    }

    private static byte[] blockCharacteristics() {
        byte[] b = new byte[64];
        b[1] = (byte) PAGE_BLOCK_CHARACTERISTICS;
        b[3] = 0x3c;
        b[5] = 0x01;                                                    // non-rotating medium
        return b;
    }

    private static byte[] provisioning(LogicalUnit unit) {
        byte[] b = new byte[8];
        b[1] = (byte) PAGE_PROVISIONING;
        b[3] = 4;
        if (unit.thinProvisioned()) {
            b[5] = (byte) (0x80 | 0x40 | 0x20 | 0x04);                 // LBPU, LBPWS, LBPWS10, LBPRZ
            b[6] = 0x02;                                                // thin provisioned
        }
        return b;
    }

    private static void designator(ByteArrayOutputStream out, int protocolAndCodeSet, int typeAndAssociation, byte[] value) {
        out.write(protocolAndCodeSet);
        out.write(typeAndAssociation);
        out.write(0);
        out.write(value.length);
        out.writeBytes(value);
    }

    /** UTF-8, NUL-terminated, padded with NULs to a multiple of 4 bytes. */
    private static byte[] nameString(String name) {
        byte[] text = name.getBytes(StandardCharsets.UTF_8);
        int length = (text.length + 1 + 3) & ~3;
        byte[] b = new byte[length];
        System.arraycopy(text, 0, b, 0, text.length);
        return b;
    }

    private static byte[] longBytes(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    private static void ascii(byte[] b, int offset, int width, String text) {
        for (int i = 0; i < width; i++) {
            b[offset + i] = (byte) (i < text.length() ? text.charAt(i) : ' ');
        }
    }
}
