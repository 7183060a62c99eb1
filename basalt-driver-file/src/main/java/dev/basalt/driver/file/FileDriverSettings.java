package dev.basalt.driver.file;

import static java.util.Objects.requireNonNull;

import dev.basalt.driver.Sizes;
import dev.basalt.driver.VolumeClear;
import java.nio.file.Path;

/**
 * Configuration of the {@code file} driver, from cinder.conf.
 *
 * @param directory    where the volume files live ({@code file_volumes_dir})
 * @param sparse       create volumes as sparse files that take space only as data is written;
 *                     otherwise allocate all their space at create ({@code file_sparse_volumes})
 * @param clear        how to wipe a volume on delete ({@code volume_clear})
 * @param clearSizeMib wipe only the first this many MiB of a volume; 0 wipes all of it
 *                     ({@code volume_clear_size})
 * @param backendName  the backend's name, reported to the scheduler and used as the pool name
 *                     ({@code volume_backend_name})
 */
public record FileDriverSettings(Path directory, boolean sparse, VolumeClear clear, long clearSizeMib,
                                 String backendName) {

    public FileDriverSettings {
        directory = requireNonNull(directory, "directory").toAbsolutePath().normalize();
        requireNonNull(clear, "clear");
        if (clearSizeMib < 0) {
            throw new IllegalArgumentException("volume_clear_size must be >= 0 MiB, got " + clearSizeMib);
        }
        requireNonNull(backendName, "backendName");
        if (backendName.isBlank()) {
            throw new IllegalArgumentException("volume_backend_name must not be blank");
        }
    }

    /** Cinder's defaults: sparse volumes, {@code volume_clear = zero} over the whole volume. */
    public static FileDriverSettings defaults(Path directory) {
        return new FileDriverSettings(directory, true, VolumeClear.ZERO, 0, FileVolumeDriver.NAME);
    }

    /** How many bytes at the start of a volume of {@code volumeBytes} bytes to wipe on delete. */
    long clearLength(long volumeBytes) {
        if (clear == VolumeClear.NONE) {
            return 0;
        }
        if (clearSizeMib == 0) {
            return volumeBytes;
        }
        return Math.min(volumeBytes, Sizes.mibToBytes(clearSizeMib));
    }
}
