package dev.basalt.driver;

/**
 * A {@link VolumeDriver} that makes new volumes from snapshots and from other volumes. The contract
 * of {@link VolumeDriver} (thread safety, idempotence, errors, ids) holds for these methods too.
 *
 * <p>A new volume starts with its source's bytes, and the bytes past the source's size (when the new
 * volume is larger) read as zeros. It is independent of its source from then on: writes to either
 * never reach the other, and either may be deleted without changing the other.
 *
 * <p>A new volume smaller than its source is a bug in the caller (the API refuses it) and is refused
 * with {@link IllegalArgumentException}.
 */
public interface CloneCapable extends VolumeDriver {

    /**
     * Creates the volume from the snapshot's bytes: copy, then grow to {@code volume.sizeGib()}.
     * A volume that already exists with the same size is left as it is (idempotent). Fails with a
     * {@link VolumeDriverException} when the snapshot does not exist.
     *
     * @throws IllegalArgumentException when the volume would be smaller than the snapshot
     */
    void createVolumeFromSnapshot(VolumeSpec volume, String snapshotId);

    /**
     * Creates {@code target} from the bytes of the existing volume {@code sourceVolumeId}: copy,
     * then grow to {@code target.sizeGib()}. A target that already exists with the same size is left
     * as it is (idempotent). Fails with a {@link VolumeDriverException} when the source does not
     * exist.
     *
     * @throws IllegalArgumentException when the target would be smaller than the source, or is the
     *                                  source itself
     */
    void cloneVolume(VolumeSpec target, String sourceVolumeId);
}
