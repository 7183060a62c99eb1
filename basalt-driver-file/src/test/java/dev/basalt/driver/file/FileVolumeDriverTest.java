package dev.basalt.driver.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.basalt.driver.Sizes;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.VolumeSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file driver on a temporary directory of the root filesystem: ext4 here and in CI, which
 * cannot share extents, so snapshots and clones are copies of the data ranges.
 */
class FileVolumeDriverTest extends FileVolumeDriverContract {
    @TempDir
    Path temp;

    @Override
    protected Path root() {
        return temp;
    }

    @Override
    protected boolean sharesExtents() {
        String type;
        try {
            type = Files.getFileStore(temp).type();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assumeTrue("ext4".equals(type), () -> "the temp directory is on " + type + ", not ext4");
        return false;
    }

    /* Fallbacks for platforms without fallocate(2) do the same on every filesystem: tested here only. */

    @Test
    void aThickVolumeIsExtendedWithZerosWhereFallocateIsMissing() throws Exception {
        FileVolumeDriver thick = startedDriver("thick-extend-nofallocate", false, VolumeClear.ZERO, 0,
                Fallocate.UNSUPPORTED);
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 1);
        thick.createVolume(volume);
        Path file = root().resolve("thick-extend-nofallocate").resolve("volume-" + volume.id());
        FileContents.write(file, Sizes.GIB - PATTERN.length, PATTERN);

        thick.extendVolume(volume.id(), 2);

        assertThat(Files.size(file)).isEqualTo(2 * Sizes.GIB);
        assertThat(FileContents.allocatedBytes(file)).isGreaterThanOrEqualTo(2 * Sizes.GIB);
        assertThat(FileContents.read(file, Sizes.GIB - PATTERN.length, PATTERN.length)).isEqualTo(PATTERN);
        assertThat(FileContents.read(file, Sizes.GIB, 4096)).containsOnly(0);
        thick.deleteVolume(volume.id());
    }

    @Test
    void aThickCopyGetsItsHolesWrittenWithZerosWhereFallocateIsMissing() throws Exception {
        FileVolumeDriver thick = startedDriver("thick-copy-nofallocate", false, VolumeClear.ZERO, 0,
                Fallocate.UNSUPPORTED, Reflink.UNSUPPORTED);
        Path directory = root().resolve("thick-copy-nofallocate");
        VolumeSpec volume = new VolumeSpec(UUID.randomUUID().toString(), 1);
        thick.createVolume(volume);
        FileContents.write(directory.resolve("volume-" + volume.id()), Sizes.MIB, PATTERN);
        VolumeSpec clone = new VolumeSpec(UUID.randomUUID().toString(), 1);

        thick.cloneVolume(clone, volume.id());

        Path file = directory.resolve("volume-" + clone.id());
        assertThat(FileContents.allocatedBytes(file)).isGreaterThanOrEqualTo(Sizes.GIB);
        assertThat(FileContents.read(file, Sizes.MIB, PATTERN.length)).isEqualTo(PATTERN);
        assertThat(FileContents.read(file, 0, 4096)).containsOnly(0);
        thick.deleteVolume(clone.id());
        thick.deleteVolume(volume.id());
    }
}
