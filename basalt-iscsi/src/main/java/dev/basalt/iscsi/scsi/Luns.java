package dev.basalt.iscsi.scsi;

/** The 8-byte LUN field (SAM-5 section 4.7): peripheral device addressing below 256, flat space above. */
public final class Luns {
    private Luns() {
    }

    /** The first two bytes of the field for a LUN number. */
    public static int encode(int lun) {
        return lun < 256 ? lun : 0x4000 | lun;
    }

    /** The LUN number a field addresses, or -1 for a form this target does not use. */
    public static int decode(long field) {
        if ((field & 0x0000ffffffffffffL) != 0) {
            return -1;
        }
        int first = (int) (field >>> 48) & 0xffff;
        return switch (first >>> 14) {
            case 0 -> (first & 0x3f00) == 0 ? first & 0xff : -1;
            case 1 -> first & 0x3fff;
            default -> -1;
        };
    }
}
