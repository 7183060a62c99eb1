package dev.basalt.driver;

/**
 * What a driver needs to take a snapshot of a volume.
 *
 * @param id            the snapshot's id, a UUID (as Cinder); drivers name their storage after it
 * @param volumeId      the id of the volume to take the snapshot of
 * @param volumeSizeGib the volume's size in GiB when the snapshot is taken (Cinder's
 *                      {@code snapshot.volume_size}): the snapshot's size, at least 1
 */
public record SnapshotSpec(String id, String volumeId, int volumeSizeGib) {

    public SnapshotSpec {
        VolumeIds.requireValidSnapshotId(id);
        VolumeIds.requireValid(volumeId);
        if (volumeSizeGib < 1) {
            throw new IllegalArgumentException("snapshot size must be at least 1 GiB, got " + volumeSizeGib);
        }
    }

    /** The size in bytes: {@code volumeSizeGib × 2^30}. */
    public long sizeBytes() {
        return Sizes.gibToBytes(volumeSizeGib);
    }
}
