package dev.basalt.volume.target;

import static java.util.Objects.requireNonNull;

import dev.basalt.driver.BlockDevice;
import dev.basalt.iscsi.scsi.BackingStore;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A volume driver's {@link BlockDevice} as the backing store of a logical unit of Basalt's iSCSI
 * target: reads past the end read as zeros, UNMAP discards, FUA and SYNCHRONIZE CACHE flush, and the
 * capacity is the device's size asked again at each READ CAPACITY. Whatever the driver throws
 * (including its unchecked errors) reaches the target as an {@link IOException} naming the volume, so
 * that the initiator gets sense data for that command and keeps its connection.
 */
final class BlockDeviceStore implements BackingStore {
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 << 10).asReadOnlyBuffer();

    private final BlockDevice device;
    private final String name;

    BlockDeviceStore(BlockDevice device, String name) {
        this.device = requireNonNull(device, "device");
        this.name = requireNonNull(name, "name");
    }

    @Override
    public long size() throws IOException {
        try {
            return device.size();
        } catch (RuntimeException e) {
            throw failure("reading the size", e);
        }
    }

    @Override
    public void read(ByteBuffer dst, long position) throws IOException {
        long at = position;
        try {
            while (dst.hasRemaining()) {
                int n = device.read(at, dst);
                if (n <= 0) {
                    zeroFill(dst);
                    return;
                }
                at += n;
            }
        } catch (RuntimeException e) {
            throw failure("reading " + dst.remaining() + " bytes at " + at, e);
        }
    }

    @Override
    public void write(ByteBuffer src, long position) throws IOException {
        try {
            device.write(position, src);
        } catch (RuntimeException e) {
            throw failure("writing at " + position, e);
        }
    }

    @Override
    public boolean concurrentIo() {
        return device.concurrentIo();
    }

    @Override
    public void flush() throws IOException {
        try {
            device.flush();
        } catch (RuntimeException e) {
            throw failure("flushing", e);
        }
    }

    @Override
    public boolean deallocate(long position, long length) throws IOException {
        try {
            device.discard(position, length);
            return true;
        } catch (RuntimeException e) {
            throw failure("discarding " + length + " bytes at " + position, e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            device.close();
        } catch (RuntimeException e) {
            throw failure("closing", e);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private static void zeroFill(ByteBuffer dst) {
        while (dst.hasRemaining()) {
            ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit(Math.min(zeros.capacity(), dst.remaining()));
            dst.put(zeros);
        }
    }

    private IOException failure(String what, RuntimeException e) {
        return new IOException(name + ": " + what + " failed: " + e.getMessage(), e);
    }
}
