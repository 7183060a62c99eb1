package dev.basalt.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.iscsi.scsi.BackingStore;
import dev.basalt.iscsi.scsi.Sense;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A LUN on a backing store that is not a file (as a volume driver's block device is): the target
 * reads, writes, unmaps and flushes through it, follows its size at READ CAPACITY, and answers its
 * failures with sense data on a connection that keeps serving.
 */
class StoreBackedLunTest extends TargetTestSupport {
    private static final int BLOCKS = 2048;
    private final MemoryStore store = new MemoryStore(BLOCKS * 512L);

    @Override
    Export export() {
        return Export.of(IQN, List.of(new Lun(0, readOnly -> store, false, "memory-0", IoLimits.NONE)));
    }

    @Test
    void readsAndWritesGoThroughTheStore() throws Exception {
        try (TestInitiator i = session()) {
            byte[] data = random(8 * 512, 7);
            assertThat(i.write(0, write16(100, 8), data).good()).isTrue();
            assertThat(Arrays.copyOfRange(store.bytes, 100 * 512, 108 * 512)).isEqualTo(data);
            TestInitiator.Result r = i.read(0, read16(100, 8), data.length);
            assertThat(r.good()).isTrue();
            assertThat(r.data()).isEqualTo(data);
        }
    }

    @Test
    void unmapDiscardsAndSynchronizeCacheFlushesTheStore() throws Exception {
        try (TestInitiator i = session()) {
            assertThat(i.write(0, write16(0, 16), random(16 * 512, 3)).good()).isTrue();
            ByteBuffer list = ByteBuffer.allocate(24).putShort(0, (short) 22).putShort(2, (short) 16)
                    .putLong(8, 4).putInt(16, 8);
            byte[] unmap = {0x42, 0, 0, 0, 0, 0, 0, 0, 24, 0};
            assertThat(i.write(0, unmap, list.array()).good()).isTrue();
            assertThat(store.discarded.get()).isEqualTo(8 * 512);
            assertThat(i.read(0, read16(4, 8), 8 * 512).data()).containsOnly(0);

            byte[] syncCache16 = new byte[16];
            syncCache16[0] = (byte) 0x91;
            assertThat(i.command(0, syncCache16, 0, null, false).good()).isTrue();
            assertThat(store.flushes.get()).isEqualTo(1);
            byte[] fuaWrite = write16(0, 1);
            fuaWrite[1] = 0x08;
            assertThat(i.write(0, fuaWrite, random(512, 4)).good()).isTrue();
            assertThat(store.flushes.get()).isEqualTo(2);
        }
    }

    @Test
    void readCapacityFollowsAStoreGrownWhileExported() throws Exception {
        try (TestInitiator i = session()) {
            assertThat(lastLba(i)).isEqualTo(BLOCKS - 1);
            store.grow(BLOCKS * 1024L);
            assertThat(lastLba(i)).isEqualTo(2 * BLOCKS - 1);
            assertThat(i.read(0, read16(2 * BLOCKS - 1, 1), 512).good()).isTrue();
        }
    }

    @Test
    void failuresOfTheStoreAreSenseDataAndTheConnectionKeepsServing() throws Exception {
        try (TestInitiator i = session()) {
            store.failing = true;
            TestInitiator.Result read = i.read(0, read16(0, 8), 4096);
            assertThat(read.status()).isEqualTo(2);                             // CHECK CONDITION
            assertThat(read.senseKey()).isEqualTo(Sense.MEDIUM_ERROR);
            TestInitiator.Result write = i.write(0, write16(0, 8), random(4096, 5));
            assertThat(write.status()).isEqualTo(2);
            assertThat(write.senseKey()).isEqualTo(Sense.MEDIUM_ERROR);
            byte[] syncCache16 = new byte[16];
            syncCache16[0] = (byte) 0x91;
            TestInitiator.Result sync = i.command(0, syncCache16, 0, null, false);
            assertThat(sync.status()).isEqualTo(2);
            assertThat(sync.senseKey()).isEqualTo(Sense.HARDWARE_ERROR);

            store.failing = false;
            byte[] data = random(4096, 6);
            assertThat(i.write(0, write16(0, 8), data).good()).isTrue();
            assertThat(i.read(0, read16(0, 8), 4096).data()).isEqualTo(data);
        }
    }

    private static long lastLba(TestInitiator i) throws IOException {
        byte[] readCapacity16 = new byte[16];
        readCapacity16[0] = (byte) 0x9e;
        readCapacity16[1] = 0x10;
        readCapacity16[13] = 32;
        TestInitiator.Result r = i.read(0, readCapacity16, 32);
        assertThat(r.good()).isTrue();
        return ByteBuffer.wrap(r.data()).getLong(0);
    }

    /** Bytes in memory, with counters and a switch that makes every call fail, as a storage that went away. */
    static final class MemoryStore implements BackingStore {
        volatile byte[] bytes;
        volatile boolean failing;
        final AtomicInteger flushes = new AtomicInteger();
        final AtomicInteger discarded = new AtomicInteger();

        MemoryStore(long size) {
            bytes = new byte[(int) size];
        }

        synchronized void grow(long size) {
            bytes = Arrays.copyOf(bytes, (int) size);
        }

        private void check() throws IOException {
            if (failing) {
                throw new IOException("the storage is unreachable");
            }
        }

        @Override
        public long size() throws IOException {
            check();
            return bytes.length;
        }

        @Override
        public synchronized void read(ByteBuffer dst, long position) throws IOException {
            check();
            int n = (int) Math.max(0, Math.min(dst.remaining(), bytes.length - position));
            dst.put(bytes, (int) position, n);
            while (dst.hasRemaining()) {
                dst.put((byte) 0);
            }
        }

        @Override
        public synchronized void write(ByteBuffer src, long position) throws IOException {
            check();
            src.get(bytes, (int) position, src.remaining());
        }

        @Override
        public void flush() throws IOException {
            check();
            flushes.incrementAndGet();
        }

        @Override
        public synchronized boolean deallocate(long position, long length) throws IOException {
            check();
            Arrays.fill(bytes, (int) position, (int) (position + length), (byte) 0);
            discarded.addAndGet((int) length);
            return true;
        }

        @Override
        public void close() {
        }
    }
}
