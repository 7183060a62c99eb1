package dev.basalt.iscsi.scsi;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;

/**
 * A SCSI command as the transport hands it over.
 *
 * @param lun the logical unit number addressed
 * @param cdb the command descriptor block (16 bytes, or longer with an extended CDB)
 * @param expectedLength the initiator's Expected Data Transfer Length
 * @param read the initiator expects data in
 * @param write the initiator sends data out
 */
public record ScsiRequest(int lun, ByteBuffer cdb, long expectedLength, boolean read, boolean write) {
    public ScsiRequest {
        requireNonNull(cdb, "cdb");
    }

    public int opcode() {
        return cdb.get(0) & 0xff;
    }
}
