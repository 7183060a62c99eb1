package dev.basalt.iscsi.pdu;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.util.zip.CRC32C;

/**
 * Reads PDUs from a connection through one reusable buffer, reading ahead as much as the socket
 * has so that a stream of small PDUs costs few system calls. {@link #next()} returns views of the
 * header, additional header segments and data segment of the next PDU; they stay valid until the
 * next call. A PDU longer than the negotiated limit is refused before its data is read, so the
 * memory a connection holds never depends on a length the peer sent.
 */
public final class PduReader {
    /** TotalAHSLength is one byte counting 4-byte words. */
    private static final int MAX_AHS = 255 * 4;
    private static final int DIGEST = 4;
    private static final int READ_AHEAD = 64 * 1024;

    private final ReadableByteChannel channel;
    private final ByteBuffer buffer;
    private final int maxDataSegmentCapacity;
    private final CRC32C crc = new CRC32C();
    private int start;
    private int end;
    private int maxDataSegment;
    private boolean headerDigest;
    private boolean dataDigest;
    private ByteBuffer header;
    private ByteBuffer ahs;
    private ByteBuffer data;

    /**
     * @param maxDataSegmentCapacity the largest data segment this reader will ever accept (the
     *     largest MaxRecvDataSegmentLength the target declares); sizes the buffer
     * @param maxDataSegment the limit in force now (8192 during login)
     */
    public PduReader(ReadableByteChannel channel, int maxDataSegmentCapacity, int maxDataSegment) {
        this.channel = channel;
        this.maxDataSegmentCapacity = maxDataSegmentCapacity;
        this.buffer = ByteBuffer.allocateDirect(maxPduLength(maxDataSegmentCapacity) + READ_AHEAD)
                .order(ByteOrder.BIG_ENDIAN);
        limitDataSegment(maxDataSegment);
    }

    private static int maxPduLength(int maxDataSegment) {
        return Bhs.LENGTH + MAX_AHS + DIGEST + maxDataSegment + 3 + DIGEST;
    }

    /** Sets the largest data segment accepted from now on (our declared MaxRecvDataSegmentLength). */
    public void limitDataSegment(int length) {
        if (length < 512 || length > maxDataSegmentCapacity) {
            throw new IllegalArgumentException("data segment limit " + length + " outside 512.." + maxDataSegmentCapacity);
        }
        this.maxDataSegment = length;
    }

    public void useDigests(boolean header, boolean data) {
        this.headerDigest = header;
        this.dataDigest = data;
    }

    /**
     * Reads the next PDU.
     *
     * @return false when the peer closed the connection between two PDUs
     * @throws EOFException when the connection ends inside a PDU
     * @throws ProtocolException for a PDU that cannot be accepted; the connection must end
     */
    public boolean next() throws IOException, ProtocolException {
        header = null;
        ahs = null;
        data = null;
        if (!fill(Bhs.LENGTH, true)) {
            return false;
        }
        ByteBuffer bhs = buffer.slice(start, Bhs.LENGTH).order(ByteOrder.BIG_ENDIAN);
        int ahsLength = Bhs.ahsLength(bhs);
        int dataLength = Bhs.dataSegmentLength(bhs);
        if (dataLength > maxDataSegment) {
            throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "data segment of " + dataLength
                    + " bytes exceeds MaxRecvDataSegmentLength " + maxDataSegment
                    + " (" + Opcode.name(Bhs.opcode(bhs)) + ")");
        }
        int headerLength = Bhs.LENGTH + ahsLength;
        int dataStart = headerLength + (headerDigest ? DIGEST : 0);
        int paddedData = dataLength + Bhs.padding(dataLength);
        int total = dataStart + (dataLength == 0 ? 0 : paddedData + (dataDigest ? DIGEST : 0));
        fill(total, false);
        bhs = buffer.slice(start, Bhs.LENGTH).order(ByteOrder.BIG_ENDIAN);
        if (headerDigest) {
            crc.reset();
            crc.update(buffer.slice(start, headerLength));
            if ((int) crc.getValue() != littleEndianInt(start + headerLength)) {
                throw new ProtocolException(ProtocolException.PROTOCOL_ERROR, "header digest error");
            }
        }
        if (dataDigest && dataLength > 0) {
            crc.reset();
            crc.update(buffer.slice(start + dataStart, paddedData));
            if ((int) crc.getValue() != littleEndianInt(start + dataStart + paddedData)) {
                byte[] copy = new byte[Bhs.LENGTH];
                bhs.get(0, copy);
                start += total;                                    // the PDU is consumed either way
                throw new ProtocolException(ProtocolException.DATA_DIGEST_ERROR, "data digest error on "
                        + Opcode.name(Bhs.opcode(bhs)), copy);
            }
        }
        header = bhs;
        ahs = buffer.slice(start + Bhs.LENGTH, ahsLength).order(ByteOrder.BIG_ENDIAN);
        data = buffer.slice(start + dataStart, dataLength).order(ByteOrder.BIG_ENDIAN);
        start += total;
        return true;
    }

    /**
     * Whether a whole PDU is already buffered, so that {@link #next()} will not wait for the peer.
     * Lets a connection hold its answers back while more requests are at hand and send them in one
     * write.
     */
    public boolean pduReady() {
        int available = end - start;
        if (available < Bhs.LENGTH) {
            return false;
        }
        ByteBuffer bhs = buffer.slice(start, Bhs.LENGTH);
        int dataLength = Bhs.dataSegmentLength(bhs);
        int total = Bhs.LENGTH + Bhs.ahsLength(bhs) + (headerDigest ? DIGEST : 0)
                + (dataLength == 0 ? 0 : dataLength + Bhs.padding(dataLength) + (dataDigest ? DIGEST : 0));
        return available >= total;
    }

    /** The 48-byte header of the current PDU; valid until the next call of {@link #next()}. */
    public ByteBuffer header() {
        return header;
    }

    /** The additional header segments of the current PDU (usually empty). */
    public ByteBuffer ahs() {
        return ahs;
    }

    /** The data segment of the current PDU without padding or digest. */
    public ByteBuffer data() {
        return data;
    }

    private int littleEndianInt(int index) {
        return (buffer.get(index) & 0xff) | (buffer.get(index + 1) & 0xff) << 8
                | (buffer.get(index + 2) & 0xff) << 16 | (buffer.get(index + 3) & 0xff) << 24;
    }

    /** Makes {@code length} bytes from {@link #start} available; false on a clean end of stream. */
    private boolean fill(int length, boolean atBoundary) throws IOException {
        if (end - start >= length) {
            return true;
        }
        if (start + length > buffer.capacity()) {
            compact();
        }
        while (end - start < length) {
            buffer.limit(buffer.capacity()).position(end);
            int n = channel.read(buffer);
            if (n < 0) {
                if (atBoundary && end == start) {
                    return false;
                }
                throw new EOFException("connection closed inside a PDU");
            }
            end += n;
        }
        return true;
    }

    private void compact() {
        int remaining = end - start;
        // ByteBuffer.compact moves the unread bytes to the front; the ranges may overlap
        buffer.limit(end).position(start);
        buffer.compact();
        start = 0;
        end = remaining;
    }
}
