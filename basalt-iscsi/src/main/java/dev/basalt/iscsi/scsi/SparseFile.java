package dev.basalt.iscsi.scsi;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The parts of a file's allocation the block layer uses beyond reads and writes: releasing space
 * (UNMAP, WRITE SAME with UNMAP) and finding it (GET LBA STATUS).
 */
interface SparseFile extends Closeable {

    /**
     * Deallocates a range, keeping the size: reads of it return zeros, its space is released.
     *
     * @return false when the file system cannot (nothing changed; the caller writes zeros)
     */
    boolean punchHole(long offset, long length) throws IOException;

    /** The first offset at or after {@code offset} that holds data, or -1 when there is none before the end. */
    long nextData(long offset) throws IOException;

    /** The first offset at or after {@code offset} in a hole (the file's end counts as one). */
    long nextHole(long offset) throws IOException;

    /** Whether allocation can be queried ({@link #nextData}, {@link #nextHole}). */
    boolean mapsAllocation();

    @Override
    void close() throws IOException;

    /** A file with fallocate(2) and lseek(2) SEEK_DATA/SEEK_HOLE on Linux, or one that can do neither. */
    static SparseFile open(Path path, boolean writable) throws IOException {
        if (LinuxSparseFile.isAvailable()) {
            return LinuxSparseFile.open(path, writable);
        }
        return new DenseFile();
    }

    /** Without native access: nothing can be punched, everything counts as allocated. */
    final class DenseFile implements SparseFile {
        @Override
        public boolean punchHole(long offset, long length) {
            return false;
        }

        @Override
        public long nextData(long offset) {
            return offset;
        }

        @Override
        public long nextHole(long offset) {
            return Long.MAX_VALUE;
        }

        @Override
        public boolean mapsAllocation() {
            return false;
        }

        @Override
        public void close() {
        }
    }
}
