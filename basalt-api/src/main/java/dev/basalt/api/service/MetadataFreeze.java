package dev.basalt.api.service;

import dev.basalt.common.BasaltException;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.util.Set;

/**
 * The statuses in which Cinder changes no metadata of a volume, user or image metadata alike
 * ({@code maintenance}, {@code uploading}), and the 400s it answers a change with then.
 */
public final class MetadataFreeze {
    /** A volume in one of these keeps its metadata as it is. */
    public static final Set<VolumeStatus> STATUSES = Set.of(VolumeStatus.MAINTENANCE, VolumeStatus.UPLOADING);

    private MetadataFreeze() {
    }

    /** A 400 unless keys of the volume's metadata may be added or changed now. */
    public static void checkUpdatable(Volume volume) {
        check(volume, "Updating");
    }

    /** A 400 unless a key of the volume's metadata may be removed now. */
    public static void checkDeletable(Volume volume) {
        check(volume, "Deleting");
    }

    private static void check(Volume volume, String change) {
        if (STATUSES.contains(volume.status())) {
            throw BasaltException.badRequest("Invalid volume: %s volume metadata is not allowed for volumes in %s"
                    + " status.", change, volume.status().apiName());
        }
    }
}
