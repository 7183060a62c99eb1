package dev.basalt.backup.posix;

import dev.basalt.backup.BackupRequest;
import dev.basalt.backup.BlockSource;
import dev.basalt.backup.ByteRange;
import dev.basalt.backup.ChunkHash;
import dev.basalt.backup.Manifest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One backup's chunk work: for each chunk index, on the worker threads, decide hole / unchanged /
 * read; read only the data ranges; drop all-zero chunks; hash; journal the hash; compress and store
 * it unless already stored. The caller publishes the manifest from {@link #run}'s result.
 */
final class BackupRun {
    private final ChunkFiles chunks;
    private final RepositoryLock lock;
    private final BackupJournal journal;
    private final Path temporaryDirectory;
    private final ChunkWorkers workers;

    /** What the chunks came to. */
    record Result(ChunkHash[] table, long dataBytes, long storedBytes, Set<ChunkHash> referenced) {
    }

    BackupRun(ChunkFiles chunks, RepositoryLock lock, BackupJournal journal, Path temporaryDirectory, ChunkWorkers workers) {
        this.chunks = chunks;
        this.lock = lock;
        this.journal = journal;
        this.temporaryDirectory = temporaryDirectory;
        this.workers = workers;
    }

    /** A worker's buffers: about twice the chunk size. */
    private static final class Worker implements AutoCloseable {
        final byte[] raw;
        final byte[] encoded;
        final ChunkCodec codec = new ChunkCodec();
        final MessageDigest digest = ChunkHash.newDigest();
        final Path temporary;

        Worker(int chunkSize, Path temporary) {
            this.raw = new byte[chunkSize];
            this.encoded = new byte[ChunkCodec.maxEncodedLength(chunkSize)];
            this.temporary = temporary;
        }

        @Override
        public void close() {
            codec.close();
        }
    }

    Result run(BackupRequest request, BlockSource source, ProgressMeter progress) throws IOException {
        long size = source.size();
        int chunkSize = request.chunkSize();
        int count = Manifest.chunkCount(size, chunkSize);
        RangeIndex data = new RangeIndex(source.dataRanges());
        Optional<Manifest> parent = request.parent();
        Optional<RangeIndex> changed = request.changedSinceParent().map(RangeIndex::new);
        boolean hintUsable = changed.isPresent() && parent.orElseThrow().chunkSize() == chunkSize;
        byte[] zeros = new byte[chunkSize];
        ChunkHash[] table = new ChunkHash[count];
        AtomicLong dataBytes = new AtomicLong();
        AtomicLong storedBytes = new AtomicLong();
        AtomicLong workerIds = new AtomicLong();
        workers.run(count,
                () -> new Worker(chunkSize, temporaryDirectory.resolve("chunk-" + workerIds.incrementAndGet() + ".tmp")),
                (worker, index) -> {
                    long start = (long) index * chunkSize;
                    int length = (int) Math.min(chunkSize, size - start);
                    long end = start + length;
                    ChunkHash hash = null;
                    boolean decided = false;
                    if (!data.meets(start, end)) {
                        decided = true; // a hole: nothing to read
                    } else if (hintUsable && !changed.get().meets(start, end) && sameChunk(parent.get(), index, start, length)) {
                        Optional<ChunkHash> previous = parent.get().chunks().hash(index);
                        if (previous.isEmpty()) {
                            decided = true;
                        } else {
                            reference(previous.get());
                            if (chunks.contains(previous.get())) {
                                hash = previous.get();
                                decided = true;
                            } // else the parent's chunk is gone: read it again
                        }
                    }
                    if (!decided) {
                        read(source, data, start, length, worker.raw);
                        if (Arrays.mismatch(worker.raw, 0, length, zeros, 0, length) >= 0) {
                            worker.digest.update(worker.raw, 0, length);
                            hash = ChunkHash.of(worker.digest.digest());
                            reference(hash);
                            if (!chunks.contains(hash)) {
                                int encoded = worker.codec.encode(worker.raw, length, request.compression(), worker.encoded);
                                chunks.write(hash, worker.encoded, encoded, worker.temporary);
                                storedBytes.addAndGet(encoded);
                            }
                        }
                    }
                    if (hash != null) {
                        table[index] = hash;
                        dataBytes.addAndGet(length);
                    }
                    progress.add(length);
                });
        Set<ChunkHash> referenced = new HashSet<>();
        for (ChunkHash hash : table) {
            if (hash != null) {
                referenced.add(hash);
            }
        }
        return new Result(table, dataBytes.get(), storedBytes.get(), referenced);
    }

    private static boolean sameChunk(Manifest parent, int index, long start, int length) {
        return index < parent.chunks().count() && parent.chunkRange(index).equals(new ByteRange(start, length));
    }

    /** Journals the hash (under the shared lock, so no delete is sweeping) before the backup relies on the chunk. */
    private void reference(ChunkHash hash) throws IOException {
        try (RepositoryLock.Hold shared = lock.shared()) {
            journal.reference(hash);
        }
    }

    /** Reads the chunk's data ranges into {@code raw}, zeros elsewhere. */
    private static void read(BlockSource source, RangeIndex data, long start, int length, byte[] raw) throws IOException {
        int filled = 0;
        for (ByteRange part : data.within(start, start + length)) {
            int at = (int) (part.offset() - start);
            Arrays.fill(raw, filled, at, (byte) 0);
            source.read(part.offset(), ByteBuffer.wrap(raw, at, (int) part.length()));
            filled = at + (int) part.length();
        }
        Arrays.fill(raw, filled, length, (byte) 0);
    }
}
