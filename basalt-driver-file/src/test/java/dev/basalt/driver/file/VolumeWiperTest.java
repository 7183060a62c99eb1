package dev.basalt.driver.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.basalt.driver.Sizes;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeWiperTest {
    @TempDir
    Path temp;

    /** A 64 MiB sparse file with data at its start, middle and end. */
    private Path fileWithData() throws Exception {
        Path file = temp.resolve("volume");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(64 * Sizes.MIB);
        }
        byte[] ones = FileVolumeDriverTestSupport.ones(300_000);
        FileContents.write(file, 0, ones);
        FileContents.write(file, 32 * Sizes.MIB + 17, ones);
        FileContents.write(file, 64 * Sizes.MIB - ones.length, ones);
        return file;
    }

    @Test
    void punchesHolesWhereTheFilesystemCan() throws Exception {
        assumeTrue(LinuxFallocate.isAvailable(), "needs fallocate(2)");
        Path file = fileWithData();

        VolumeWiper.Method method = new VolumeWiper(Fallocate.system()).wipe(file, Files.size(file));

        assertThat(method).isEqualTo(VolumeWiper.Method.PUNCH_HOLE);
        assertThat(Files.size(file)).isEqualTo(64 * Sizes.MIB);
        assertThat(FileContents.allZero(file)).isTrue();
        assertThat(FileContents.allocatedBytes(file)).isZero();
    }

    @Test
    void writesZerosOverDataOnlyWhereHolesCannotBePunched() throws Exception {
        Path file = fileWithData();
        long allocatedBefore = FileContents.allocatedBytes(file);

        VolumeWiper.Method method = new VolumeWiper(Fallocate.UNSUPPORTED).wipe(file, Files.size(file));

        assertThat(method).isEqualTo(VolumeWiper.Method.ZERO_WRITE);
        assertThat(Files.size(file)).isEqualTo(64 * Sizes.MIB);
        assertThat(FileContents.allZero(file)).isTrue();
        // three chunks of 1 MiB had data; the holes between stayed holes
        assertThat(FileContents.allocatedBytes(file)).isGreaterThanOrEqualTo(allocatedBefore)
                .isLessThanOrEqualTo(4 * Sizes.MIB);
    }

    @Test
    void wipesOnlyTheRangeAskedFor() throws Exception {
        Path file = fileWithData();

        new VolumeWiper(Fallocate.UNSUPPORTED).wipe(file, 32 * Sizes.MIB);

        assertThat(FileContents.read(file, 0, 300_000)).containsOnly(0);
        assertThat(FileContents.read(file, 32 * Sizes.MIB + 17, 300_000)).containsOnly(1);
    }

    @Test
    void aWipeLongerThanTheFileStopsAtItsEnd() throws Exception {
        Path file = fileWithData();

        new VolumeWiper(Fallocate.UNSUPPORTED).wipe(file, Sizes.GIB);

        assertThat(Files.size(file)).isEqualTo(64 * Sizes.MIB);
        assertThat(FileContents.allZero(file)).isTrue();
    }

    @Test
    void nothingToWipeIsABug() {
        assertThatThrownBy(() -> new VolumeWiper(Fallocate.UNSUPPORTED).wipe(temp.resolve("x"), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
