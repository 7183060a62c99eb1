package dev.basalt.backup.posix;

import com.github.luben.zstd.Zstd;
import dev.basalt.backup.Compression;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A chunk's stored form: an 8-byte header ({@code 'B' 'K'}, format 1, the algorithm's code, the
 * uncompressed length as a big-endian int) and the payload. Each chunk names its own algorithm, so
 * any chunk can be read whatever the repository's current setting. A payload that does not shrink is
 * stored uncompressed. One instance per worker thread (it keeps a deflater and an inflater).
 */
final class ChunkCodec implements AutoCloseable {
    static final int HEADER_BYTES = 8;
    private static final int ZSTD_LEVEL = 3;
    private static final int ZLIB_LEVEL = 1;

    private final Deflater deflater = new Deflater(ZLIB_LEVEL);
    private final Inflater inflater = new Inflater();

    /** The most bytes {@link #encode} writes for {@code rawLength} bytes. */
    static int maxEncodedLength(int rawLength) {
        return HEADER_BYTES + (int) Math.max(rawLength, Zstd.compressBound(rawLength));
    }

    /** Encodes {@code raw[0, length)} into {@code out} (at least {@link #maxEncodedLength} long); returns the bytes used. */
    int encode(byte[] raw, int length, Compression compression, byte[] out) {
        int payload = switch (compression) {
            case NONE -> -1;
            case ZLIB -> deflate(raw, length, out);
            case ZSTD -> zstd(raw, length, out);
        };
        Compression used = compression;
        if (payload < 0 || payload >= length) {
            System.arraycopy(raw, 0, out, HEADER_BYTES, length);
            payload = length;
            used = Compression.NONE;
        }
        out[0] = 'B';
        out[1] = 'K';
        out[2] = 1;
        out[3] = (byte) used.code();
        out[4] = (byte) (length >>> 24);
        out[5] = (byte) (length >>> 16);
        out[6] = (byte) (length >>> 8);
        out[7] = (byte) length;
        return HEADER_BYTES + payload;
    }

    /**
     * Decodes {@code stored[0, storedLength)} into {@code raw}; returns the uncompressed length.
     *
     * @throws IOException describing what is wrong with a damaged chunk
     */
    int decode(byte[] stored, int storedLength, byte[] raw) throws IOException {
        if (storedLength < HEADER_BYTES || stored[0] != 'B' || stored[1] != 'K' || stored[2] != 1) {
            throw new IOException("has no valid chunk header");
        }
        int length = (stored[4] & 0xff) << 24 | (stored[5] & 0xff) << 16 | (stored[6] & 0xff) << 8 | (stored[7] & 0xff);
        if (length < 0 || length > raw.length) {
            throw new IOException("claims " + length + " bytes, more than a chunk holds");
        }
        Compression compression;
        try {
            compression = Compression.ofCode(stored[3]);
        } catch (IllegalArgumentException e) {
            throw new IOException("names an unknown compression (code " + stored[3] + ")", e);
        }
        int payload = storedLength - HEADER_BYTES;
        switch (compression) {
            case NONE -> {
                if (payload != length) {
                    throw new IOException("holds " + payload + " bytes where its header says " + length);
                }
                System.arraycopy(stored, HEADER_BYTES, raw, 0, length);
            }
            case ZLIB -> inflate(stored, payload, raw, length);
            case ZSTD -> {
                long result = Zstd.decompressByteArray(raw, 0, length, stored, HEADER_BYTES, payload);
                if (Zstd.isError(result) || result != length) {
                    throw new IOException("does not decompress (zstd: "
                            + (Zstd.isError(result) ? Zstd.getErrorName(result) : result + " bytes") + ")");
                }
            }
        }
        return length;
    }

    private int deflate(byte[] raw, int length, byte[] out) {
        deflater.reset();
        deflater.setInput(raw, 0, length);
        deflater.finish();
        int capacity = Math.min(out.length - HEADER_BYTES, length);
        int produced = 0;
        while (!deflater.finished() && produced < capacity) {
            produced += deflater.deflate(out, HEADER_BYTES + produced, capacity - produced);
        }
        return deflater.finished() ? produced : -1;
    }

    private int zstd(byte[] raw, int length, byte[] out) {
        long result = Zstd.compressByteArray(out, HEADER_BYTES, out.length - HEADER_BYTES, raw, 0, length, ZSTD_LEVEL);
        return Zstd.isError(result) ? -1 : (int) result;
    }

    private void inflate(byte[] stored, int payload, byte[] raw, int length) throws IOException {
        inflater.reset();
        inflater.setInput(stored, HEADER_BYTES, payload);
        int produced = 0;
        try {
            while (produced < length && !inflater.finished()) {
                int n = inflater.inflate(raw, produced, length - produced);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                produced += n;
            }
        } catch (DataFormatException e) {
            throw new IOException("does not decompress (zlib: " + e.getMessage() + ")", e);
        }
        if (produced != length || !inflater.finished()) {
            throw new IOException("decompresses to other than the " + length + " bytes its header says (zlib)");
        }
    }

    @Override
    public void close() {
        deflater.end();
        inflater.end();
    }
}
