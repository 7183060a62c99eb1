package dev.basalt.volume.file;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.Ids;
import dev.basalt.volume.driver.VolumeIds;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Names in the volume directory: a volume is {@code volume-<id>} (as Cinder names them); a file
 * being made is {@code .basalt-tmp-volume-<id>} until it is renamed into place, so a crash never
 * leaves a half-made file under a volume's name.
 */
final class VolumeFiles {
    static final String VOLUME_PREFIX = "volume-";
    static final String TEMP_PREFIX = ".basalt-tmp-";

    private final Path directory;

    VolumeFiles(Path directory) {
        this.directory = requireNonNull(directory, "directory");
    }

    Path directory() {
        return directory;
    }

    /** The volume's file; the id is checked first so that it cannot name anything else. */
    Path volume(String volumeId) {
        return directory.resolve(VOLUME_PREFIX + VolumeIds.requireValid(volumeId));
    }

    /** Where the volume's file is made before it is renamed into place. */
    Path temporary(String volumeId) {
        return directory.resolve(TEMP_PREFIX + VOLUME_PREFIX + VolumeIds.requireValid(volumeId));
    }

    /** A temporary file for anything else, e.g. the probe that checks the directory is writable. */
    Path temporary(String purpose, String unique) {
        return directory.resolve(TEMP_PREFIX + purpose + "-" + unique);
    }

    /** The volume id a file name in the directory stands for, if it is a volume's name. */
    static Optional<String> volumeId(String fileName) {
        if (fileName.startsWith(VOLUME_PREFIX)) {
            String id = fileName.substring(VOLUME_PREFIX.length());
            if (Ids.isUuidLike(id)) {
                return Optional.of(id);
            }
        }
        return Optional.empty();
    }

    static boolean isTemporary(String fileName) {
        return fileName.startsWith(TEMP_PREFIX);
    }
}
