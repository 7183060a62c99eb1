package dev.basalt.iscsi.scsi;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A logical unit: 512-byte blocks on a {@link BackingStore} (a raw file, or a volume driver's block
 * device), shared by every session. The capacity is the store's size rounded down to a block, read
 * when the unit is opened and again on every READ CAPACITY, so a store grown while exported is seen
 * by the initiator's next rescan. Nothing is cached in memory: a write is in the store when it
 * completes, and durable after FUA or SYNCHRONIZE CACHE.
 */
public final class LogicalUnit implements Closeable {
    public static final int BLOCK_SIZE = 512;
    public static final int BLOCK_SHIFT = 9;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final int number;
    private final String serial;
    private final boolean readOnly;
    private final String source;
    private final BackingStore store;
    private final long naa;
    private final IoThrottle throttle;
    private final boolean concurrentIo;
    private volatile long blocks;

    private LogicalUnit(int number, String serial, boolean readOnly, String source, BackingStore store,
                        IoThrottle throttle) throws IOException {
        this.number = number;
        this.throttle = throttle;
        this.serial = requireNonNull(serial, "serial");
        this.readOnly = readOnly;
        this.source = source;
        this.store = store;
        this.concurrentIo = store.concurrentIo();
        this.naa = naaLocallyAssigned(serial);
        refreshCapacity();
    }

    /** Opens the file (read-only when the unit is), without rate limits. */
    public static LogicalUnit open(int number, Path path, boolean readOnly, String serial) throws IOException {
        return open(number, new BackingFile(path), readOnly, serial, null);
    }

    /** Opens the store (read-only when the unit is); reads and writes wait for {@code throttle} (null: none). */
    public static LogicalUnit open(int number, BackingStoreOpener opener, boolean readOnly, String serial,
                                   IoThrottle throttle) throws IOException {
        BackingStore store = opener.open(readOnly);
        try {
            return new LogicalUnit(number, serial, readOnly, opener.toString(), store, throttle);
        } catch (IOException | RuntimeException e) {
            store.close();
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

    /** What the unit serves (a path, a volume), for logs. */
    public String source() {
        return source;
    }

    /** Whether the target runs reads and writes on this unit several at once ({@link BackingStore#concurrentIo}). */
    public boolean concurrentIo() {
        return concurrentIo;
    }

    /** Capacity in blocks as last read. */
    public long blocks() {
        return blocks;
    }

    /** Reads the store's size again. */
    public long refreshCapacity() throws IOException {
        blocks = store.size() >>> BLOCK_SHIFT;
        return blocks;
    }

    /** The NAA locally assigned identifier (NAA 3h, 60 bits from the serial's SHA-256): stable, unique in practice. */
    public long naa() {
        return naa;
    }

    public boolean thinProvisioned() {
        return !readOnly;
    }

    /** Fills {@code dst} from byte {@code position}; bytes past the end of the store read as zeros. */
    public void read(ByteBuffer dst, long position) throws IOException {
        store.read(dst, position);
    }

    /** Writes all of {@code src} at byte {@code position}. */
    public void write(ByteBuffer src, long position) throws IOException {
        store.write(src, position);
    }

    /** Makes completed writes durable (for a file: fdatasync, data and the metadata needed to read it back). */
    public void flush() throws IOException {
        store.flush();
    }

    /** Releases a byte range: punches a hole, or writes zeros where holes cannot be punched. */
    public void deallocate(long position, long length) throws IOException {
        if (length <= 0) {
            return;
        }
        if (!store.deallocate(position, length)) {
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

    /** The store, whose allocation map GET LBA STATUS reads. */
    BackingStore store() {
        return store;
    }

    @Override
    public void close() throws IOException {
        store.close();
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
        return "LUN " + number + " (" + source + (readOnly ? ", read-only" : "") + ")";
    }
}
