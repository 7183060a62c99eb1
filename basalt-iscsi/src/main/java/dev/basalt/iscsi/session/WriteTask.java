package dev.basalt.iscsi.session;

import dev.basalt.iscsi.pdu.ProtocolException;
import dev.basalt.iscsi.scsi.DataSink;
import dev.basalt.iscsi.scsi.Outcome;
import dev.basalt.iscsi.scsi.ScsiException;
import dev.basalt.iscsi.scsi.Sense;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A command waiting for data-out: unsolicited data first (immediate data and Data-Out PDUs up to
 * FirstBurstLength, when InitialR2T is No), then R2T-solicited bursts. Data must arrive in order
 * (DataPDUInOrder and DataSequenceInOrder are Yes), each sequence numbered from DataSN 0. A data
 * PDU out of sequence (DataSN, offset, length or F bit) fails the command, not the connection: as
 * RFC 7143 section 7.8 asks of a target that does not recover within a command, no more R2Ts go
 * out, the data of the bursts already asked for is drained up to their F bits, and the command
 * ends in CHECK CONDITION (ABORTED COMMAND). Data reaches the sink as it arrives, so nothing is
 * buffered here; bytes past what the command needs are dropped.
 */
final class WriteTask {
    /** One outstanding R2T. */
    private static final class Burst {
        final int ttt;
        final long offset;
        final long length;
        long received;
        int nextDataSn;

        Burst(int ttt, long offset, long length) {
            this.ttt = ttt;
            this.offset = offset;
            this.length = length;
        }
    }

    final int itt;
    final long lunField;
    final int lun;
    /** The CDB's transfer length in bytes (for the residual). */
    final long commandLength;
    /** The initiator's expected data transfer length. */
    final long expectedLength;
    /** Bytes handed to the sink: what the command takes. */
    private final long needed;
    private final DataSink sink;
    private final Outcome.Done decided;
    private final long unsolicitedLimit;
    private final List<Burst> bursts = new ArrayList<>(2);
    private boolean unsolicitedOpen;
    private long unsolicitedEnd;
    private int unsolicitedDataSn;
    private long nextOffset;
    private int r2tSn;
    private Sense failure;

    /**
     * @param sink where data goes, or null to drain and then answer {@code decided}
     * @param unsolicitedLimit how far unsolicited data may reach
     * @param moreUnsolicited false when the command PDU had the F bit (no unsolicited Data-Out follows)
     */
    WriteTask(int itt, long lunField, int lun, long commandLength, long expectedLength, long needed, DataSink sink,
              Outcome.Done decided, long unsolicitedLimit, boolean moreUnsolicited) {
        this.itt = itt;
        this.lunField = lunField;
        this.lun = lun;
        this.commandLength = commandLength;
        this.expectedLength = expectedLength;
        this.needed = needed;
        this.sink = sink;
        this.decided = decided;
        this.unsolicitedLimit = unsolicitedLimit;
        this.unsolicitedOpen = moreUnsolicited;
    }

    /** The command PDU's immediate data. */
    void immediate(ByteBuffer data) throws ProtocolException {
        if (data.remaining() > unsolicitedLimit) {
            throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "immediate data beyond FirstBurstLength or the expected length");
        }
        deliver(0, data);
        unsolicitedEnd = data.remaining();
        closeUnsolicitedAtLimit();
        if (!unsolicitedOpen) {
            nextOffset = unsolicitedEnd;
        }
    }

    /** Unsolicited data that reached its limit is over, F bit or not (an initiator that forgets it would wait forever). */
    private void closeUnsolicitedAtLimit() {
        if (unsolicitedEnd >= unsolicitedLimit) {
            unsolicitedOpen = false;
        }
    }

    /** What the sink may hold (see {@link DataSink#memory()}). */
    int memory() {
        return sink == null ? 0 : sink.memory();
    }

    /** An unsolicited Data-Out (TTT ffffffff). */
    void unsolicited(int dataSn, long offset, boolean last, ByteBuffer data) throws ProtocolException {
        if (!unsolicitedOpen) {
            throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "unsolicited Data-Out not allowed here");
        }
        Sense outOfSequence = dataSn != unsolicitedDataSn ? Sense.protocolServiceCrcError()
                : offset != unsolicitedEnd ? Sense.dataOffsetError()
                : offset + data.remaining() > unsolicitedLimit ? Sense.unexpectedUnsolicitedData()
                : null;
        if (outOfSequence != null) {
            fail(outOfSequence, "unsolicited Data-Out DataSN " + dataSn + " at offset " + offset);
        } else {
            deliver(offset, data);
        }
        unsolicitedDataSn++;
        unsolicitedEnd += data.remaining();
        if (last) {
            unsolicitedOpen = false;
        }
        closeUnsolicitedAtLimit();
        if (!unsolicitedOpen) {
            nextOffset = unsolicitedEnd;
        }
    }

    /** A Data-Out answering one of our R2Ts. */
    void solicited(int ttt, int dataSn, long offset, boolean last, ByteBuffer data) throws ProtocolException {
        Burst burst = null;
        for (Burst b : bursts) {
            if (b.ttt == ttt) {
                burst = b;
                break;
            }
        }
        if (burst == null) {
            throw new ProtocolException(ProtocolException.INVALID_PDU_FIELD, "Data-Out for unknown target transfer tag");
        }
        long received = burst.received + data.remaining();
        boolean done = received >= burst.length;
        Sense outOfSequence = dataSn != burst.nextDataSn ? Sense.protocolServiceCrcError()
                : offset != burst.offset + burst.received ? Sense.dataOffsetError()
                : received > burst.length || last != done ? Sense.incorrectAmountOfData()
                : null;
        if (outOfSequence != null) {
            fail(outOfSequence, "Data-Out DataSN " + dataSn + " at offset " + offset + " for R2T " + ttt);
        } else {
            deliver(offset, data);
        }
        burst.nextDataSn++;
        burst.received = received;
        if (last || done) {
            bursts.remove(burst);
        }
    }

    /** The command fails; the first reason is the one reported. */
    private void fail(Sense sense, String what) {
        if (failure == null) {
            failure = sense;
            Connection.LOG.debug("ITT {}: {} out of sequence: the command fails", Integer.toHexString(itt), what);
        }
    }

    /** Sends the R2Ts now due: none while unsolicited data may still come, none once the command failed. */
    void solicit(Responder out, TagSource tags, int maxBurst, int maxOutstanding) throws IOException {
        if (unsolicitedOpen || failure != null) {
            return;
        }
        while (bursts.size() < maxOutstanding && nextOffset < needed) {
            long length = Math.min(maxBurst, needed - nextOffset);
            Burst burst = new Burst(tags.next(), nextOffset, length);
            bursts.add(burst);
            out.readyToTransfer(lunField, itt, burst.ttt, r2tSn++, burst.offset, burst.length);
            nextOffset += length;
        }
    }

    boolean complete() {
        return !unsolicitedOpen && bursts.isEmpty() && (nextOffset >= needed || failure != null);
    }

    /** R2Ts sent: the ExpDataSN of the response. */
    int r2tCount() {
        return r2tSn;
    }

    /** The command's result, once {@link #complete()}. */
    Outcome.Done finish() throws IOException {
        if (failure != null) {
            return Outcome.Done.checkCondition(failure);
        }
        if (decided != null) {
            return decided;
        }
        try {
            return sink.finish(Math.min(Math.max(unsolicitedEnd, nextOffset), needed));
        } catch (ScsiException e) {
            return Outcome.Done.checkCondition(e.sense());
        }
    }

    private void deliver(long offset, ByteBuffer data) {
        if (sink == null || failure != null || offset >= needed || !data.hasRemaining()) {
            return;
        }
        // the sink consumes its buffer: hand it a view, so the caller's length stays
        ByteBuffer piece = data.slice(data.position(), (int) Math.min(data.remaining(), needed - offset));
        try {
            sink.accept(offset, piece);
        } catch (ScsiException e) {
            failure = e.sense();
        } catch (IOException e) {
            failure = Sense.writeError();
            Connection.LOG.warn("write failed: {}", e.toString());
        }
    }

    /** Target transfer tags, never the reserved value. */
    static final class TagSource {
        private int next = 1;

        int next() {
            int tag = next++;
            if (next == 0xffffffff) {
                next = 1;
            }
            return tag;
        }
    }
}
