package dev.basalt.iscsi.scsi;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A logical unit backed by a raw file: 512-byte blocks, positional I/O through one shared
 * {@link FileChannel} (safe for concurrent use by every session), holes punched for UNMAP.
 * The capacity is the file's size rounded down to a block, read when the unit is opened and again
 * on every READ CAPACITY, so a file grown while exported is seen by the initiator's next rescan.
 * Nothing is cached in memory: a write is in the file (the page cache) when it completes, and on
 * the disk after FUA or SYNCHRONIZE CACHE.
 *
 * <p>Never interrupt a thread doing I/O here: an interrupted FileChannel closes itself.
 */
public final class LogicalUnit implements Closeable {
    public static final int BLOCK_SIZE = 512;
    public static final int BLOCK_SHIFT = 9;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final int number;
    private final String serial;
    private final boolean readOnly;
    private final Path path;
    private final FileChannel channel;
    private final SparseFile sparse;
    private final long naa;
    private final IoThrottle throttle;
    private volatile long blocks;

    private LogicalUnit(int number, String serial, boolean readOnly, Path path, FileChannel channel, SparseFile sparse,
                        IoThrottle throttle) throws IOException {
        this.number = number;
        this.throttle = throttle;
        this.serial = requireNonNull(serial, "serial");
        this.readOnly = readOnly;
        this.path = path;
        this.channel = channel;
        this.sparse = sparse;
        this.naa = naaLocallyAssigned(serial);
        refreshCapacity();
    }

    /** Opens the file (read-only when the unit is), without rate limits. */
    public static LogicalUnit open(int number, Path path, boolean readOnly, String serial) throws IOException {
        return open(number, path, readOnly, serial, null);
    }

    /** Opens the file (read-only when the unit is); reads and writes wait for {@code throttle} (null: none). */
    public static LogicalUnit open(int number, Path path, boolean readOnly, String serial, IoThrottle throttle)
            throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new IOException("backing file is missing or not a regular file: " + path);
        }
        FileChannel channel = readOnly
                ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            return new LogicalUnit(number, serial, readOnly, path, channel, SparseFile.open(path, !readOnly), throttle);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** What holds back this unit's reads and writes, or null when nothing does. */
    IoThrottle throttle() {
        return throttle;
    }

    public int number() {
        return number;
    }

    public String serial() {
        return serial;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public Path path() {
        return path;
    }

    /** Capacity in blocks as last read. */
    public long blocks() {
        return blocks;
    }

    /** Reads the file's size again. */
    public long refreshCapacity() throws IOException {
        blocks = channel.size() >>> BLOCK_SHIFT;
        return blocks;
    }

    /** The NAA locally assigned identifier (NAA 3h, 60 bits from the serial's SHA-256): stable, unique in practice. */
    public long naa() {
        return naa;
    }

    public boolean thinProvisioned() {
        return !readOnly;
    }

    /** Fills {@code dst} from byte {@code position}; bytes past the end of the file read as zeros. */
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

    /** Writes all of {@code src} at byte {@code position}. */
    public void write(ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
    }

    /** Makes completed writes durable (fdatasync: data and the metadata needed to read it back). */
    public void flush() throws IOException {
        channel.force(false);
    }

    /** Releases a byte range: punches a hole, or writes zeros where holes cannot be punched. */
    public void deallocate(long position, long length) throws IOException {
        if (length <= 0) {
            return;
        }
        if (!sparse.punchHole(position, length)) {
            writeZeros(position, length);
        }
    }

    /** Writes zeros over a byte range. */
    public void writeZeros(long position, long length) throws IOException {
        long at = position;
        long end = position + length;
        while (at < end) {
            ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int) Math.min(zeros.capacity(), end - at));
            write(zeros, at);
            at += zeros.limit();
        }
    }

    /** The underlying file's allocation map, for GET LBA STATUS. */
    SparseFile sparseFile() {
        return sparse;
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            sparse.close();
        }
    }

    private static long naaLocallyAssigned(String serial) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(serial.getBytes(StandardCharsets.UTF_8));
            long bits = 0;
            for (int i = 0; i < 8; i++) {
                bits = (bits << 8) | (h[i] & 0xff);
            }
            return (0x3L << 60) | (bits >>> 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "LUN " + number + " (" + path + (readOnly ? ", read-only" : "") + ")";
    }
}
