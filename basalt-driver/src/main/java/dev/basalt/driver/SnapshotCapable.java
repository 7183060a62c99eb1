package dev.basalt.driver;

/**
 * A {@link VolumeDriver} that can keep point-in-time copies of volumes. The contract of
 * {@link VolumeDriver} (thread safety, idempotence, errors, ids) holds for these methods too.
 *
 * <p>A snapshot is independent of its volume once taken: writing to, extending or deleting the
 * volume never changes the snapshot's bytes, and deleting the snapshot never changes the volume's.
 * Snapshots count in the provisioned capacity of {@link VolumeDriver#report()}.
 */
public interface SnapshotCapable extends VolumeDriver {

    /**
     * Takes a snapshot of the volume: afterwards the snapshot holds the volume's bytes as they were
     * during this call, {@code snapshot.volumeSizeGib()} GiB of them. A snapshot that already exists
     * with the same size is left as it is (idempotent). Fails with a {@link VolumeDriverException}
     * when the volume does not exist or no longer has the size the snapshot expects.
     */
    void createSnapshot(SnapshotSpec snapshot);

    /**
     * Wipes the snapshot's data (as configured: {@link VolumeClear}; never a byte of any other
     * volume or snapshot) and removes it. A snapshot that does not exist is fine (idempotent).
     */
    void deleteSnapshot(String snapshotId);

    /** Whether the snapshot exists on the storage. */
    boolean hasSnapshot(String snapshotId);
}
