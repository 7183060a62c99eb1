package dev.basalt.driver;

/**
 * A {@link SnapshotCapable} driver that can revert a volume to one of its snapshots in place
 * (Cinder's {@code revert_to_snapshot}). The contract of {@link VolumeDriver} (thread safety,
 * idempotence, errors, ids) holds for this method too.
 */
public interface RevertCapable extends SnapshotCapable {

    /**
     * Makes the volume's bytes the snapshot's again: afterwards the volume reads as the snapshot
     * does, and where the volume is larger than the snapshot (extended since) the rest reads as
     * zeros; the volume keeps its size, its id and its provisioning (thin stays thin). Readers of
     * the volume after this call returns see the snapshot's bytes whole, never a mix; a crash in
     * the middle leaves the volume either as it was or reverted, and never changes a snapshot. The
     * snapshot and the volume's other snapshots stay as they are. Reverting again changes nothing
     * more (idempotent). Fails with a {@link VolumeDriverException} when the volume or the snapshot
     * does not exist, or the snapshot is not of that volume.
     *
     * @throws IllegalArgumentException when the volume is smaller than the snapshot (volumes only grow)
     */
    void revertToSnapshot(SnapshotSpec snapshot);
}
