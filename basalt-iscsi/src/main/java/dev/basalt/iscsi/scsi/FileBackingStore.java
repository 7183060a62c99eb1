package dev.basalt.iscsi.scsi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw file as a {@link BackingStore}: positional I/O through one shared {@link FileChannel}, holes
 * punched for UNMAP and the allocation read with SEEK_DATA / SEEK_HOLE ({@link SparseFile}); the size
 * is the file's, so a file grown while exported is seen at the next READ CAPACITY. Nothing is cached
 * in memory: a write is in the file (the page cache) when it completes, on the disk after
 * {@link #flush()} (fdatasync).
 *
 * <p>Never interrupt a thread doing I/O here: an interrupted FileChannel closes itself.
 */
public final class FileBackingStore implements BackingStore {
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final Path path;
    private final FileChannel channel;
    private final SparseFile sparse;

    private FileBackingStore(Path path, FileChannel channel, SparseFile sparse) {
        this.path = path;
        this.channel = channel;
        this.sparse = sparse;
    }

    /** Opens the file (read-only when asked); fails when it is missing or not a regular file. */
    public static FileBackingStore open(Path path, boolean readOnly) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("backing file is missing or not a regular file: " + path);
        }
        FileChannel channel = readOnly
                ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new FileBackingStore(path, channel, SparseFile.open(path, !readOnly));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public void read(ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                while (dst.hasRemaining()) {
                    ByteBuffer zeros = ZEROS.duplicate();
                    zeros.limit(Math.min(zeros.capacity(), dst.remaining()));
                    dst.put(zeros);
                }
                return;
            }
            at += n;
        }
    }

    @Override
    public void write(ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
    }

    @Override
    public void flush() throws IOException {
        channel.force(false);
    }

    @Override
    public boolean deallocate(long position, long length) throws IOException {
        return sparse.punchHole(position, length);
    }

    @Override
    public boolean mapsAllocation() {
        return sparse.mapsAllocation();
    }

    @Override
    public long nextData(long offset) throws IOException {
        return sparse.nextData(offset);
    }

    @Override
    public long nextHole(long offset) throws IOException {
        return sparse.nextHole(offset);
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            sparse.close();
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
