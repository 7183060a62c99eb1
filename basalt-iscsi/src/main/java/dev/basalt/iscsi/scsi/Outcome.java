package dev.basalt.iscsi.scsi;

import java.nio.ByteBuffer;

/**
 * What a command asks of the transport. Either it is finished ({@link Done}, perhaps with a small
 * data-in buffer), or its data must be streamed: blocks read from the logical unit to the
 * initiator ({@link SendBlocks}), or data taken from the initiator into a sink
 * ({@link ReceiveData}). Streaming keeps large transfers out of memory: a connection holds one
 * I/O buffer, whatever the transfer length.
 */
public sealed interface Outcome {

    /** Bytes the command would transfer, by its CDB (the transport compares it with the expected length). */
    long length();

    /** Finished. {@code dataIn} (read-only, may be empty) goes to the initiator before the status. */
    record Done(int status, Sense sense, ByteBuffer dataIn) implements Outcome {
        private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();
        private static final Done GOOD = new Done(ScsiStatus.GOOD, null, EMPTY);

        public static Done good() {
            return GOOD;
        }

        public static Done good(byte[] dataIn) {
            return new Done(ScsiStatus.GOOD, null, ByteBuffer.wrap(dataIn).asReadOnlyBuffer());
        }

        /** GOOD with data truncated to the allocation length (SPC-4 section 4.2.5.6). */
        public static Done good(byte[] dataIn, long allocationLength) {
            int n = (int) Math.min(dataIn.length, allocationLength);
            return new Done(ScsiStatus.GOOD, null, ByteBuffer.wrap(dataIn, 0, n).slice().asReadOnlyBuffer());
        }

        public static Done status(int status) {
            return new Done(status, null, EMPTY);
        }

        public static Done checkCondition(Sense sense) {
            return new Done(ScsiStatus.CHECK_CONDITION, sense, EMPTY);
        }

        @Override
        public long length() {
            return dataIn.remaining();
        }
    }

    /** Send {@code length} bytes of the logical unit from byte {@code position}, then GOOD. */
    record SendBlocks(LogicalUnit unit, long position, long length) implements Outcome {
    }

    /** Receive {@code length} bytes (by the CDB) from the initiator into {@code sink}. */
    record ReceiveData(long length, DataSink sink) implements Outcome {
    }
}
