package dev.basalt.iscsi.session;

import dev.basalt.iscsi.scsi.DataSink;
import dev.basalt.iscsi.scsi.Outcome;
import dev.basalt.iscsi.scsi.ScsiException;
import dev.basalt.iscsi.scsi.Sense;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A write's data held as its PDUs arrive, handed to the unit's sink in one piece once it is all there:
 * for a unit whose I/O waits on the network, where that one write then runs on a thread of its own
 * instead of one write per PDU on the connection's thread. Its memory is counted by {@link ScsiTasks}
 * with the running commands', not with the sinks'.
 */
final class BufferedWrite implements DataSink {
    private final DataSink sink;
    private final ByteBuffer buffer;

    BufferedWrite(DataSink sink, int length) {
        this.sink = sink;
        this.buffer = ByteBuffer.allocateDirect(length);
    }

    @Override
    public void accept(long offset, ByteBuffer data) {
        int n = Math.min(data.remaining(), buffer.capacity() - (int) offset);
        buffer.put((int) offset, data, data.position(), n);
    }

    /** Writes what arrived through the sink; a failure of the unit is the command's sense data, as a write's. */
    @Override
    public Outcome.Done finish(long received) throws ScsiException {
        try {
            sink.accept(0, buffer.slice(0, (int) received));
            return sink.finish(received);
        } catch (IOException e) {
            Connection.LOG.warn("write failed: {}", e.toString());
            return Outcome.Done.checkCondition(Sense.writeError());
        }
    }
}
