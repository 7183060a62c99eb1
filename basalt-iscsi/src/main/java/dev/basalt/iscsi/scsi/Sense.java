package dev.basalt.iscsi.scsi;

import java.nio.ByteBuffer;

/**
 * Sense data for a CHECK CONDITION (SPC-4 section 4.5): key, additional sense code and qualifier,
 * and optionally the INFORMATION field and a pointer to the offending CDB or parameter byte.
 *
 * @param information the INFORMATION field, or -1 when not valid
 * @param fieldPointer index of the offending byte in the CDB or parameter list, or -1
 * @param inCdb true when {@code fieldPointer} points into the CDB, false for parameter data
 */
public record Sense(int key, int asc, int ascq, long information, int fieldPointer, boolean inCdb) {
    public static final int NO_SENSE = 0x0;
    public static final int NOT_READY = 0x2;
    public static final int MEDIUM_ERROR = 0x3;
    public static final int HARDWARE_ERROR = 0x4;
    public static final int ILLEGAL_REQUEST = 0x5;
    public static final int UNIT_ATTENTION = 0x6;
    public static final int DATA_PROTECT = 0x7;
    public static final int ABORTED_COMMAND = 0xb;
    public static final int MISCOMPARE = 0xe;

    public static final int FIXED_LENGTH = 18;

    public static Sense of(int key, int asc, int ascq) {
        return new Sense(key, asc, ascq, -1, -1, false);
    }

    public static Sense invalidOpcode() {
        return new Sense(ILLEGAL_REQUEST, 0x20, 0x00, -1, 0, true);
    }

    public static Sense invalidFieldInCdb(int byteIndex) {
        return new Sense(ILLEGAL_REQUEST, 0x24, 0x00, -1, byteIndex, true);
    }

    public static Sense invalidFieldInParameterList(int byteIndex) {
        return new Sense(ILLEGAL_REQUEST, 0x26, 0x00, -1, byteIndex, false);
    }

    public static Sense parameterListLengthError() {
        return of(ILLEGAL_REQUEST, 0x1a, 0x00);
    }

    public static Sense lbaOutOfRange() {
        return of(ILLEGAL_REQUEST, 0x21, 0x00);
    }

    public static Sense logicalUnitNotSupported() {
        return of(ILLEGAL_REQUEST, 0x25, 0x00);
    }

    public static Sense invalidFieldInInformationUnit() {
        return of(ILLEGAL_REQUEST, 0x0e, 0x03);
    }

    public static Sense savingParametersNotSupported() {
        return of(ILLEGAL_REQUEST, 0x39, 0x00);
    }

    public static Sense writeProtected() {
        return of(DATA_PROTECT, 0x27, 0x00);
    }

    public static Sense unrecoveredReadError() {
        return of(MEDIUM_ERROR, 0x11, 0x00);
    }

    public static Sense writeError() {
        return of(MEDIUM_ERROR, 0x0c, 0x00);
    }

    public static Sense miscompare(long offset) {
        return new Sense(MISCOMPARE, 0x1d, 0x00, offset, -1, false);
    }

    /** A data PDU out of sequence: an implied digest error (RFC 7143 section 7.8), "protocol service CRC error". */
    public static Sense protocolServiceCrcError() {
        return of(ABORTED_COMMAND, 0x47, 0x05);
    }

    /** Data at an offset other than the one due. */
    public static Sense dataOffsetError() {
        return of(ABORTED_COMMAND, 0x4b, 0x05);
    }

    /** Unsolicited data past FirstBurstLength (RFC 7143 section 11.4.7.2). */
    public static Sense unexpectedUnsolicitedData() {
        return of(ABORTED_COMMAND, 0x0c, 0x0c);
    }

    /** A burst whose F bit and length disagree (RFC 7143 section 11.4.7.2). */
    public static Sense incorrectAmountOfData() {
        return of(ABORTED_COMMAND, 0x0c, 0x0d);
    }

    public static Sense noSense() {
        return of(NO_SENSE, 0x00, 0x00);
    }

    /** Fixed format (response code 70h), the format initiators read unless they set D_SENSE. */
    public byte[] fixed() {
        byte[] b = new byte[FIXED_LENGTH];
        boolean valid = information >= 0 && information <= 0xffffffffL;
        b[0] = (byte) (0x70 | (valid ? 0x80 : 0));
        b[2] = (byte) key;
        if (valid) {
            b[3] = (byte) (information >>> 24);
            b[4] = (byte) (information >>> 16);
            b[5] = (byte) (information >>> 8);
            b[6] = (byte) information;
        }
        b[7] = (byte) (FIXED_LENGTH - 8);
        b[12] = (byte) asc;
        b[13] = (byte) ascq;
        if (fieldPointer >= 0) {
            b[15] = (byte) (0x80 | (inCdb ? 0x40 : 0));
            b[16] = (byte) (fieldPointer >>> 8);
            b[17] = (byte) fieldPointer;
        }
        return b;
    }

    /** Descriptor format (response code 72h), for REQUEST SENSE with DESC set. */
    public byte[] descriptor() {
        int length = 8 + (information >= 0 ? 12 : 0) + (fieldPointer >= 0 ? 8 : 0);
        ByteBuffer b = ByteBuffer.allocate(length);
        b.put((byte) 0x72).put((byte) key).put((byte) asc).put((byte) ascq);
        b.put(new byte[3]).put((byte) (length - 8));
        if (information >= 0) {
            b.put((byte) 0x00).put((byte) 0x0a).put((byte) 0x80).put((byte) 0).putLong(information);
        }
        if (fieldPointer >= 0) {
            b.put((byte) 0x02).put((byte) 0x06).put((byte) 0).put((byte) 0);
            b.put((byte) (0x80 | (inCdb ? 0x40 : 0))).putShort((short) fieldPointer).put((byte) 0);
        }
        return b.array();
    }
}
