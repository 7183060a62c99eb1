package dev.basalt.iscsi.session;

import dev.basalt.iscsi.pdu.Bhs;
import dev.basalt.iscsi.pdu.Opcode;
import dev.basalt.iscsi.pdu.PduWriter;
import dev.basalt.iscsi.scsi.Sense;
import java.io.IOException;
import java.nio.ByteBuffer;

/** Builds the target's PDUs (RFC 7143 section 11) with the session's numbering, and queues them on the writer. */
final class Responder {
    static final int RESIDUAL_OVERFLOW = 0x04;
    static final int RESIDUAL_UNDERFLOW = 0x02;

    private final PduWriter writer;
    private CommandWindow window;

    Responder(PduWriter writer) {
        this.writer = writer;
    }

    void window(CommandWindow numbering) {
        this.window = numbering;
    }

    CommandWindow window() {
        return window;
    }

    void flush() throws IOException {
        writer.flush();
    }

    /** Whether PDUs (and the data buffers they point to) wait to be written. */
    boolean pending() {
        return writer.pending();
    }

    private void numbers(ByteBuffer h, int statSn) {
        h.putInt(24, statSn);
        h.putInt(28, window.expCmdSn());
        h.putInt(32, window.maxCmdSn());
    }

    /** Residual flags and count for a transfer the CDB sized at {@code produced} bytes and the initiator at {@code expected}. */
    static int residualFlags(long produced, long expected) {
        return produced > expected ? RESIDUAL_OVERFLOW : produced < expected ? RESIDUAL_UNDERFLOW : 0;
    }

    static int residualCount(long produced, long expected) {
        return (int) Math.min(Math.abs(produced - expected), 0xffffffffL);
    }

    void scsiResponse(int itt, int status, Sense sense, int residualFlags, int residual, int expDataSn) throws IOException {
        ByteBuffer h = writer.header(Opcode.SCSI_RESPONSE, Bhs.FINAL | residualFlags);
        h.put(3, (byte) status);
        h.putInt(16, itt);
        numbers(h, window.nextStatSn());
        h.putInt(36, expDataSn);
        h.putInt(44, residual);
        ByteBuffer data = null;
        if (sense != null) {
            byte[] fixed = sense.fixed();
            data = ByteBuffer.allocate(2 + fixed.length);
            data.putShort((short) fixed.length).put(fixed).flip();
        }
        writer.add(h, data);
    }

    /** A Data-In PDU; with {@code status} >= 0 it carries the command's status too (F and S set). */
    void dataIn(int itt, int dataSn, long offset, ByteBuffer data, boolean finalInSequence, int status,
                int residualFlags, int residual) throws IOException {
        boolean withStatus = status >= 0;
        int flags = (finalInSequence || withStatus ? Bhs.FINAL : 0) | (withStatus ? 0x01 | residualFlags : 0);
        ByteBuffer h = writer.header(Opcode.DATA_IN, flags);
        if (withStatus) {
            h.put(3, (byte) status);
        }
        h.putInt(16, itt);
        h.putInt(20, Bhs.RESERVED_TAG);
        numbers(h, withStatus ? window.nextStatSn() : window.currentStatSn());
        h.putInt(36, dataSn);
        h.putInt(40, (int) offset);
        if (withStatus) {
            h.putInt(44, residual);
        }
        writer.add(h, data);
    }

    void readyToTransfer(long lunField, int itt, int ttt, int r2tSn, long offset, long length) throws IOException {
        ByteBuffer h = writer.header(Opcode.READY_TO_TRANSFER, Bhs.FINAL);
        h.putLong(8, lunField);
        h.putInt(16, itt);
        h.putInt(20, ttt);
        numbers(h, window.currentStatSn());
        h.putInt(36, r2tSn);
        h.putInt(40, (int) offset);
        h.putInt(44, (int) length);
        writer.add(h, null);
    }

    void nopIn(long lunField, int itt, ByteBuffer data) throws IOException {
        ByteBuffer h = writer.header(Opcode.NOP_IN, Bhs.FINAL);
        h.putLong(8, lunField);
        h.putInt(16, itt);
        h.putInt(20, Bhs.RESERVED_TAG);
        numbers(h, itt == Bhs.RESERVED_TAG ? window.currentStatSn() : window.nextStatSn());
        writer.add(h, data);
    }

    void taskManagementResponse(int itt, int response) throws IOException {
        ByteBuffer h = writer.header(Opcode.TASK_MANAGEMENT_RESPONSE, Bhs.FINAL);
        h.put(2, (byte) response);
        h.putInt(16, itt);
        numbers(h, window.nextStatSn());
        writer.add(h, null);
    }

    void logoutResponse(int itt, int response) throws IOException {
        ByteBuffer h = writer.header(Opcode.LOGOUT_RESPONSE, Bhs.FINAL);
        h.put(2, (byte) response);
        h.putInt(16, itt);
        numbers(h, window.nextStatSn());
        h.putShort(40, (short) 2);                                     // Time2Wait
        h.putShort(42, (short) 0);                                     // Time2Retain: no recovery
        writer.add(h, null);
    }

    /** @param continues the C bit: the answer goes on in the next response */
    void textResponse(int itt, int ttt, boolean last, boolean continues, ByteBuffer data) throws IOException {
        ByteBuffer h = writer.header(Opcode.TEXT_RESPONSE, (last ? Bhs.FINAL : 0) | (continues ? 0x40 : 0));
        h.putInt(16, itt);
        h.putInt(20, ttt);
        numbers(h, window.nextStatSn());
        writer.add(h, data);
    }

    void reject(int reason, ByteBuffer rejectedHeader) throws IOException {
        ByteBuffer h = writer.header(Opcode.REJECT, Bhs.FINAL);
        h.put(2, (byte) reason);
        h.putInt(16, Bhs.RESERVED_TAG);
        numbers(h, window.nextStatSn());
        ByteBuffer copy = ByteBuffer.allocate(Bhs.LENGTH);
        copy.put(rejectedHeader.duplicate().clear().limit(Bhs.LENGTH)).flip();
        writer.add(h, copy);
    }

    /** A Login Response; during login StatSN and the window come from the login numbering. */
    void loginResponse(int flags, long isid, int tsih, int itt, int status, ByteBuffer text) throws IOException {
        ByteBuffer h = writer.header(Opcode.LOGIN_RESPONSE, flags);
        h.put(2, (byte) 0);                                            // version-max
        h.put(3, (byte) 0);                                            // version-active
        h.putShort(8, (short) (isid >>> 32));
        h.putInt(10, (int) isid);
        h.putShort(14, (short) tsih);
        h.putInt(16, itt);
        numbers(h, window.nextStatSn());
        h.put(36, (byte) (status >>> 8));
        h.put(37, (byte) status);
        writer.add(h, text);
    }
}
