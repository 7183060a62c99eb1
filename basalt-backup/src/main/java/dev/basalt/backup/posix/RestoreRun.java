package dev.basalt.backup.posix;

import dev.basalt.backup.BlockSink;
import dev.basalt.backup.ByteRange;
import dev.basalt.backup.ChunkHash;
import dev.basalt.backup.CorruptBackupException;
import dev.basalt.backup.Manifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;

/**
 * One restore's chunk work: for each chunk index, on the worker threads, read the stored chunk,
 * decompress it, check its SHA-256 and length, and write it; zero chunks are zeroed, or skipped
 * (with the zero blocks of data chunks) when the sink reads as zeros.
 */
final class RestoreRun {
    /** Zero runs of this granularity inside a data chunk are not written to a sink that reads as zeros. */
    private static final int BLOCK = 4096;

    private final ChunkFiles chunks;
    private final ChunkWorkers workers;

    RestoreRun(ChunkFiles chunks, ChunkWorkers workers) {
        this.chunks = chunks;
        this.workers = workers;
    }

    private static final class Worker implements AutoCloseable {
        final byte[] stored;
        final byte[] raw;
        final ChunkCodec codec = new ChunkCodec();
        final MessageDigest digest = ChunkHash.newDigest();

        Worker(int chunkSize) {
            this.stored = new byte[ChunkCodec.maxEncodedLength(chunkSize)];
            this.raw = new byte[chunkSize];
        }

        @Override
        public void close() {
            codec.close();
        }
    }

    void run(Manifest manifest, BlockSink sink, ProgressMeter progress) throws IOException {
        byte[] zeros = new byte[BLOCK];
        boolean fresh = sink.readsAsZeros();
        workers.run(manifest.chunks().count(), () -> new Worker(manifest.chunkSize()), (worker, index) -> {
            ByteRange range = manifest.chunkRange(index);
            Optional<ChunkHash> hash = manifest.chunks().hash(index);
            if (hash.isEmpty()) {
                if (!fresh) {
                    sink.zero(range);
                }
            } else {
                int length = load(manifest, index, range, hash.get(), worker);
                if (fresh) {
                    writeNonZero(sink, range.offset(), worker.raw, length, zeros);
                } else {
                    sink.write(range.offset(), ByteBuffer.wrap(worker.raw, 0, length));
                }
            }
            progress.add(range.length());
        });
    }

    /** The chunk's verified bytes in {@code worker.raw}; returns their length. */
    private int load(Manifest manifest, int index, ByteRange range, ChunkHash hash, Worker worker) throws IOException {
        int stored;
        try {
            stored = chunks.read(hash, worker.stored);
        } catch (NoSuchFileException e) {
            throw corrupt(manifest, index, range, hash, "is missing from the repository (" + chunks.path(hash) + ")", e);
        } catch (IOException e) {
            throw corrupt(manifest, index, range, hash, "cannot be read from " + chunks.path(hash) + ": " + e.getMessage(), e);
        }
        int length;
        try {
            length = worker.codec.decode(worker.stored, stored, worker.raw);
        } catch (IOException e) {
            throw corrupt(manifest, index, range, hash, "is damaged: " + chunks.path(hash) + " " + e.getMessage(), e);
        }
        if (length != range.length()) {
            throw corrupt(manifest, index, range, hash, "is damaged: " + chunks.path(hash) + " holds " + length
                    + " bytes where the chunk has " + range.length(), null);
        }
        worker.digest.update(worker.raw, 0, length);
        ChunkHash actual = ChunkHash.of(worker.digest.digest());
        if (!actual.equals(hash)) {
            throw corrupt(manifest, index, range, hash, "is damaged: the bytes of " + chunks.path(hash)
                    + " hash to " + actual.hex(), null);
        }
        return length;
    }

    private static CorruptBackupException corrupt(Manifest manifest, int index, ByteRange range, ChunkHash hash,
            String problem, Throwable cause) {
        return new CorruptBackupException(manifest.backupId(), index, range.offset(), hash, problem, cause);
    }

    /** Writes the runs of non-zero blocks only, so the zero blocks of a fresh sink stay holes. */
    private static void writeNonZero(BlockSink sink, long offset, byte[] raw, int length, byte[] zeros) throws IOException {
        int runStart = -1;
        for (int at = 0; at < length; at += BLOCK) {
            int block = Math.min(BLOCK, length - at);
            boolean zero = Arrays.mismatch(raw, at, at + block, zeros, 0, block) < 0;
            if (!zero && runStart < 0) {
                runStart = at;
            } else if (zero && runStart >= 0) {
                sink.write(offset + runStart, ByteBuffer.wrap(raw, runStart, at - runStart));
                runStart = -1;
            }
        }
        if (runStart >= 0) {
            sink.write(offset + runStart, ByteBuffer.wrap(raw, runStart, length - runStart));
        }
    }
}
