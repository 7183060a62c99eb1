package dev.basalt.iscsi.pdu;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.GatheringByteChannel;
import java.util.zip.CRC32C;

/**
 * Writes PDUs with gathering writes: headers come from a reusable direct arena, data segments
 * are written from the caller's buffers as they are (no copy), and several queued PDUs leave in
 * one system call. Data buffers handed to {@link #add} must stay untouched until {@link #flush}.
 * Not thread-safe: one connection, one writer, one thread.
 */
public final class PduWriter {
    private static final int SLOTS = 32;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(4);

    private final GatheringByteChannel channel;
    private final ByteBuffer[] headers = new ByteBuffer[SLOTS];
    private final ByteBuffer[] headerDigests = new ByteBuffer[SLOTS];
    private final ByteBuffer[] dataDigests = new ByteBuffer[SLOTS];
    private final ByteBuffer[] pads = new ByteBuffer[SLOTS];
    private final ByteBuffer[] iov = new ByteBuffer[SLOTS * 5];
    private final CRC32C crc = new CRC32C();
    private int queued;
    private int iovCount;
    private boolean headerDigest;
    private boolean dataDigest;

    public PduWriter(GatheringByteChannel channel) {
        this.channel = channel;
        ByteBuffer arena = ByteBuffer.allocateDirect(SLOTS * (Bhs.LENGTH + 8));
        for (int i = 0; i < SLOTS; i++) {
            int base = i * (Bhs.LENGTH + 8);
            headers[i] = arena.slice(base, Bhs.LENGTH).order(ByteOrder.BIG_ENDIAN);
            headerDigests[i] = arena.slice(base + Bhs.LENGTH, 4).order(ByteOrder.LITTLE_ENDIAN);
            dataDigests[i] = arena.slice(base + Bhs.LENGTH + 4, 4).order(ByteOrder.LITTLE_ENDIAN);
            pads[i] = ZEROS.duplicate();
        }
    }

    public void useDigests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    /**
     * A cleared header for the next PDU, its opcode and flags set; fill in the rest, then pass it
     * to {@link #add}. Flushes first when the queue is full.
     */
    public ByteBuffer header(int opcode, int flags) throws IOException {
        if (queued == SLOTS) {
            flush();
        }
        ByteBuffer h = headers[queued];
        h.clear();
        Bhs.start(h, opcode, flags);
        return h;
    }

    /** Queues the header last returned by {@link #header} with an optional data segment. */
    public void add(ByteBuffer header, ByteBuffer data) {
        if (header != headers[queued]) {
            throw new IllegalStateException("add the header that header() returned last");
        }
        int length = data == null ? 0 : data.remaining();
        Bhs.putDataSegmentLength(header, length);
        iov[iovCount++] = header;
        if (headerDigest) {
            crc.reset();
            crc.update(header.duplicate());
            ByteBuffer d = headerDigests[queued];
            d.clear();
            d.putInt(0, (int) crc.getValue());
            iov[iovCount++] = d;
        }
        if (length > 0) {
            iov[iovCount++] = data;
            int pad = Bhs.padding(length);
            ByteBuffer padding = null;
            if (pad > 0) {
                padding = pads[queued];
                padding.clear().limit(pad);
                iov[iovCount++] = padding;
            }
            if (dataDigest) {
                crc.reset();
                crc.update(data.duplicate());
                if (padding != null) {
                    crc.update(padding.duplicate());
                }
                ByteBuffer d = dataDigests[queued];
                d.clear();
                d.putInt(0, (int) crc.getValue());
                iov[iovCount++] = d;
            }
        }
        queued++;
    }

    /** Whether PDUs wait in the queue: data buffers handed to {@link #add} are free again when not. */
    public boolean pending() {
        return queued > 0;
    }

    /** Writes everything queued. */
    public void flush() throws IOException {
        if (queued == 0) {
            return;
        }
        int first = 0;
        while (first < iovCount) {
            channel.write(iov, first, iovCount - first);
            while (first < iovCount && !iov[first].hasRemaining()) {
                iov[first++] = null;
            }
        }
        queued = 0;
        iovCount = 0;
    }
}
