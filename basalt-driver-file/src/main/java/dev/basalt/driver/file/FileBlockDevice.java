package dev.basalt.driver.file;

import dev.basalt.driver.BlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A volume or snapshot file as a {@link BlockDevice}: positional {@link FileChannel} I/O (safe from
 * many threads at once), {@code fdatasync} for flush and punched holes for discard. Its size is the
 * file's, fixed: writes past the end are refused rather than growing the file.
 */
final class FileBlockDevice implements BlockDevice {
    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;
    private final Fallocate fallocate;

    private FileBlockDevice(Path path, FileChannel channel, boolean readOnly, Fallocate fallocate) {
        this.path = path;
        this.channel = channel;
        this.readOnly = readOnly;
        this.fallocate = fallocate;
    }

    /** Opens the file for reading and writing, or for reading only. */
    static FileBlockDevice open(Path path, boolean readOnly, Fallocate fallocate) throws IOException {
        FileChannel channel = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new FileBlockDevice(path, channel, readOnly, fallocate);
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    /** The file's data ranges (SEEK_DATA/SEEK_HOLE), or the whole file when they cannot be known. */
    @Override
    public java.util.List<Range> dataRanges() throws IOException {
        return dev.basalt.nativeio.SeekData.dataRanges(path)
                .map(ranges -> ranges.stream().map(r -> new Range(r.start(), r.end() - r.start())).toList())
                .orElseGet(() -> java.util.List.of(new Range(0, sizeOrZero())));
    }

    private long sizeOrZero() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public int read(long offset, ByteBuffer dst) throws IOException {
        long size = channel.size();
        if (offset >= size) {
            return dst.hasRemaining() ? -1 : 0;
        }
        int total = 0;
        while (dst.hasRemaining() && offset + total < size) {
            int read = channel.read(dst, offset + total);
            if (read < 0) {
                break;
            }
            total += read;
        }
        return total;
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        requireWritable();
        long end = offset + src.remaining();
        if (offset < 0 || end > channel.size()) {
            throw new IOException("write of " + src.remaining() + " bytes at " + offset + " is past the end of "
                    + path + " (" + channel.size() + " bytes)");
        }
        for (long at = offset; src.hasRemaining(); ) {
            at += channel.write(src, at);
        }
    }

    @Override
    public void flush() throws IOException {
        requireWritable();
        channel.force(false);
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        requireWritable();
        long size = channel.size();
        long end = Math.min(size, offset + length);
        if (offset < 0 || length < 0) {
            throw new IOException("bad range to discard on " + path + ": " + length + " bytes at " + offset);
        }
        if (end > offset && !fallocate.punchHole(path, offset, end - offset)) {
            writeZeros(offset, end);
        }
    }

    /** Where holes cannot be punched: the range written with zeros. */
    private void writeZeros(long from, long to) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(to - from, 1 << 20));
        for (long at = from; at < to; ) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), to - at));
            while (zeros.hasRemaining()) {
                at += channel.write(zeros, at);
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private void requireWritable() throws IOException {
        if (readOnly) {
            throw new IOException(path + " is open read-only (a snapshot)");
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
