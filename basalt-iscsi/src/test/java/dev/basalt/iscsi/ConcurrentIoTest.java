package dev.basalt.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.iscsi.scsi.BackingStore;
import dev.basalt.iscsi.scsi.FileBackingStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LUN on a store whose I/O waits on the network ({@link BackingStore#concurrentIo}, as an RBD image):
 * the target serves a host's queue of reads and writes at once, with the right bytes, and still passes
 * libiscsi's whole conformance suite (whose commands then mix concurrent reads and writes with every
 * other command, which waits for them).
 */
class ConcurrentIoTest {
    private static final String IQN = "iqn.2024-01.dev.basalt:concurrent";
    private static final long SIZE = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void aHostsQueueOfReadsAndWritesIsServedAtOnceWithItsBytes() throws Exception {
        ExternalTools.require("qemu-img", "qemu-io");
        try (Served served = serve(SIZE, Duration.ofMillis(5))) {
            String url = served.url();
            ExternalTools.Run write = ExternalTools.run(Duration.ofMinutes(2), "qemu-img", "bench", "-w", "-c", "400",
                    "-d", "16", "-s", "4096", "-S", "65536", "--pattern=90", "-f", "raw", url);
            assertThat(write.exitCode()).as(write.output()).isZero();
            assertThat(served.store.mostAtOnce.get()).as("writes at once").isGreaterThan(1);

            ExternalTools.Run check = ExternalTools.run(Duration.ofMinutes(2), "qemu-io", "-f", "raw",
                    "-c", "read -P 90 0 4096", "-c", "read -P 90 " + 399 * 65536 + " 4096",
                    "-c", "read -P 0 4096 61440", url);
            assertThat(check.exitCode()).as(check.output()).isZero();
            assertThat(check.output()).doesNotContain("Pattern verification failed");

            served.store.mostAtOnce.set(0);
            // 1 MiB writes: more than a PDU carries, so most of their data comes in Data-Out PDUs
            ExternalTools.Run large = ExternalTools.run(Duration.ofMinutes(2), "qemu-img", "bench", "-w", "-c", "32",
                    "-d", "8", "-s", "1M", "-o", "32M", "--pattern=51", "-f", "raw", url);
            assertThat(large.exitCode()).as(large.output()).isZero();
            assertThat(served.store.mostAtOnce.get()).as("large writes at once").isGreaterThan(1);
            ExternalTools.Run checkLarge = ExternalTools.run(Duration.ofMinutes(2), "qemu-io", "-f", "raw",
                    "-c", "read -P 51 32M 32M", url);
            assertThat(checkLarge.exitCode()).as(checkLarge.output()).isZero();
            assertThat(checkLarge.output()).doesNotContain("Pattern verification failed");

            served.store.mostAtOnce.set(0);
            ExternalTools.Run read = ExternalTools.run(Duration.ofMinutes(2), "qemu-img", "bench", "-c", "400",
                    "-d", "16", "-s", "4096", "-S", "65536", "-f", "raw", url);
            assertThat(read.exitCode()).as(read.output()).isZero();
            assertThat(served.store.mostAtOnce.get()).as("reads at once").isGreaterThan(1);
        }
    }

    @Test
    void theConformanceSuitePassesOnAConcurrentStore() throws Exception {
        ExternalTools.require("iscsi-test-cu");
        try (Served served = serve(1L << 30, Duration.ZERO)) {
            ConformanceSuite.runAndCheck(dir, served.url(), Duration.ofMinutes(15));
        }
    }

    @Test
    void theRangesOfAnUnmapAreDeallocatedAtOnce() throws Exception {
        ExternalTools.require("iscsi-test-cu");
        try (Served served = serve(SIZE, Duration.ofMillis(2))) {
            // libiscsi's UNMAP tests send lists of up to 256 ranges and read every one back as zeros
            ConformanceSuite.runAndCheck(dir, served.url(), Duration.ofMinutes(5), List.of("Unmap"));
            assertThat(served.store.mostDeallocationsAtOnce.get()).as("deallocations at once").isGreaterThan(1);
        }
    }

    private record Served(IscsiTarget target, SlowStore store) implements AutoCloseable {
        String url() {
            return "iscsi://127.0.0.1:" + target.address().getPort() + "/" + IQN + "/0";
        }

        @Override
        public void close() {
            target.close();
        }
    }

    private Served serve(long size, Duration latency) throws IOException {
        Path disk = dir.resolve("lun0.raw");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(size);
        }
        SlowStore store = new SlowStore(FileBackingStore.open(disk, false), latency);
        IscsiTarget target = new IscsiTarget(TargetConfig.defaults().withAddress("127.0.0.1", 0));
        target.start();
        target.addExport(Export.of(IQN, List.of(new Lun(0, readOnly -> store, false, "concurrent-0", IoLimits.NONE))));
        return new Served(target, store);
    }

    /** A file behind a network's latency: each read, write and deallocation waits first, and the most running at once is kept. */
    static final class SlowStore implements BackingStore {
        private final FileBackingStore file;
        private final long latencyNanos;
        private final AtomicInteger atOnce = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        private final AtomicInteger deallocationsAtOnce = new AtomicInteger();
        final AtomicInteger mostDeallocationsAtOnce = new AtomicInteger();

        SlowStore(FileBackingStore file, Duration latency) {
            this.file = file;
            this.latencyNanos = latency.toNanos();
        }

        /** An I/O on the file, after the latency, counted while it runs. */
        private interface Io {
            void run() throws IOException;
        }

        private void slowly(Io io) throws IOException {
            slowly(atOnce, mostAtOnce, io);
        }

        private void slowly(AtomicInteger atOnce, AtomicInteger mostAtOnce, Io io) throws IOException {
            mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
            try {
                if (latencyNanos > 0) {
                    Thread.sleep(Duration.ofNanos(latencyNanos));
                }
                io.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } finally {
                atOnce.decrementAndGet();
            }
        }

        @Override
        public boolean concurrentIo() {
            return true;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public void read(ByteBuffer dst, long position) throws IOException {
            slowly(() -> file.read(dst, position));
        }

        @Override
        public void write(ByteBuffer src, long position) throws IOException {
            slowly(() -> file.write(src, position));
        }

        @Override
        public void flush() throws IOException {
            file.flush();
        }

        @Override
        public boolean deallocate(long position, long length) throws IOException {
            boolean[] punched = new boolean[1];
            slowly(deallocationsAtOnce, mostDeallocationsAtOnce, () -> punched[0] = file.deallocate(position, length));
            return punched[0];
        }

        @Override
        public boolean mapsAllocation() {
            return file.mapsAllocation();
        }

        @Override
        public long nextData(long offset) throws IOException {
            return file.nextData(offset);
        }

        @Override
        public long nextHole(long offset) throws IOException {
            return file.nextHole(offset);
        }

        @Override
        public void close() throws IOException {
            file.close();
        }
    }
}
