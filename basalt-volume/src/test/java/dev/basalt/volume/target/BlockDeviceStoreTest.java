package dev.basalt.volume.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.driver.BlockDevice;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.VolumeDriverException;
import dev.basalt.driver.VolumeSpec;
import dev.basalt.driver.file.FileDriverSettings;
import dev.basalt.driver.file.FileVolumeDriver;
import dev.basalt.iscsi.scsi.BackingStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A volume driver's block device as the backing store of a logical unit: through the file driver's
 * real device (bytes checked in the volume's file), and a device that fails.
 */
class BlockDeviceStoreTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;
    private FileVolumeDriver driver;
    private final String id = "0b7c5a1e-3f0e-4c55-9d43-5f7f3c6f2a10";

    @BeforeEach
    void volume() {
        driver = new FileVolumeDriver(new FileDriverSettings(dir, true, VolumeClear.ZERO, 0, "file"));
        driver.start();
        driver.createVolume(new VolumeSpec(id, 1));
    }

    @Test
    void readsWritesFlushesAndDiscardsReachTheVolume() throws IOException {
        byte[] data = new byte[64 << 10];
        new Random(2).nextBytes(data);
        try (BackingStore store = new DriverDeviceOpener(driver, id).open(false)) {
            assertThat(store.size()).isEqualTo(GIB);
            store.write(ByteBuffer.wrap(data), 1 << 20);
            store.flush();
            ByteBuffer back = ByteBuffer.allocateDirect(data.length);
            store.read(back, 1 << 20);
            assertThat(back.flip()).isEqualTo(ByteBuffer.wrap(data));
            assertThat(fileBytes((1 << 20), data.length)).isEqualTo(data);

            assertThat(store.deallocate((1 << 20) + 4096, 8192)).isTrue();
            byte[] after = fileBytes(1 << 20, data.length);
            assertThat(Arrays.copyOfRange(after, 4096, 4096 + 8192)).containsOnly(0);
            assertThat(Arrays.copyOfRange(after, 0, 4096)).isEqualTo(Arrays.copyOfRange(data, 0, 4096));
        }
    }

    @Test
    void readsPastTheEndAreZerosAndTheSizeFollowsAnExtend() throws IOException {
        try (BackingStore store = new DriverDeviceOpener(driver, id).open(false)) {
            ByteBuffer tail = ByteBuffer.allocate(8192);
            tail.put(0, (byte) 7);
            store.read(tail, GIB - 4096);
            assertThat(tail.position()).isEqualTo(8192);
            assertThat(tail.array()).containsOnly(0);
            driver.extendVolume(id, 2);
            assertThat(store.size()).isEqualTo(2 * GIB);
        }
    }

    @Test
    void aVolumeThatCannotBeOpenedIsAnIoErrorNamingIt() {
        assertThatThrownBy(() -> new DriverDeviceOpener(driver, "9d0d7a4e-0000-4000-8000-000000000000").open(false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("volume 9d0d7a4e-0000-4000-8000-000000000000 of the file driver");
    }

    @Test
    void theDevicesUncheckedErrorsBecomeIoErrors() {
        BackingStore store = new BlockDeviceStore(new BrokenDevice(), "volume v of the test driver");
        assertThatThrownBy(() -> store.read(ByteBuffer.allocate(512), 0)).isInstanceOf(IOException.class)
                .hasMessageContaining("volume v of the test driver").hasMessageContaining("cluster is down");
        assertThatThrownBy(() -> store.write(ByteBuffer.allocate(512), 0)).isInstanceOf(IOException.class);
        assertThatThrownBy(store::flush).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.deallocate(0, 512)).isInstanceOf(IOException.class);
        assertThatThrownBy(store::size).isInstanceOf(IOException.class);
        assertThatThrownBy(store::close).isInstanceOf(IOException.class);
    }

    private byte[] fileBytes(long offset, int length) throws IOException {
        try (var channel = Files.newByteChannel(driver.exportPath(id))) {
            ByteBuffer b = ByteBuffer.allocate(length);
            channel.position(offset);
            while (b.hasRemaining() && channel.read(b) > 0) {
                // read on
            }
            return b.array();
        }
    }

    /** A device whose storage went away: every call fails unchecked, as a binding's errors may. */
    private static final class BrokenDevice implements BlockDevice {
        private static VolumeDriverException down() {
            return new VolumeDriverException("cluster is down");
        }

        @Override
        public long size() {
            throw down();
        }

        @Override
        public boolean readOnly() {
            return false;
        }

        @Override
        public int read(long offset, ByteBuffer dst) {
            throw down();
        }

        @Override
        public void write(long offset, ByteBuffer src) {
            throw down();
        }

        @Override
        public void flush() {
            throw down();
        }

        @Override
        public void discard(long offset, long length) {
            throw down();
        }

        @Override
        public void close() {
            throw down();
        }
    }
}
