package dev.basalt.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a command's data-out goes, piece by piece as PDUs arrive, in offset order. A sink may be
 * handed fewer bytes than the CDB asked for (the initiator's expected length was shorter); it
 * decides in {@link #finish} what that means.
 */
public interface DataSink {

    /**
     * Takes the bytes at {@code offset} (from the start of the command's data). The buffer is only
     * valid during the call.
     *
     * @throws ScsiException to end the command with CHECK CONDITION; the transport drains the rest
     *     of the data without passing it on and then reports the sense
     */
    void accept(long offset, ByteBuffer data) throws IOException, ScsiException;

    /** All data arrived ({@code received} bytes): the command's result. */
    Outcome.Done finish(long received) throws IOException, ScsiException;

    /** The most memory this sink holds while the command runs (the transport bounds the sum per connection). */
    default int memory() {
        return 0;
    }
}
