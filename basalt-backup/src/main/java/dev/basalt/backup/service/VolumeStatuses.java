package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Backup;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import java.util.Set;

/**
 * The statuses a backup service gives the volumes (and snapshots) its work holds, each a
 * conditional change from the transitional status the api set, so that a volume someone else moved
 * meanwhile (an administrator's reset) is left as it is.
 */
final class VolumeStatuses {
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;

    VolumeStatuses(VolumeRepository volumes, SnapshotRepository snapshots) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.snapshots = requireNonNull(snapshots, "snapshots");
    }

    /**
     * The backup's source leaves {@code backing-up}: the volume goes back to {@code in-use} when it is
     * attached, else {@code available} (its status before the backup); the snapshot, for a backup of
     * a snapshot, to {@code available}.
     */
    void releaseSource(Backup backup) {
        if (backup.snapshotId() != null) {
            snapshots.transition(backup.snapshotId(), Set.of(SnapshotStatus.BACKING_UP), SnapshotStatus.AVAILABLE);
        }
        volumes.find(backup.volumeId()).ifPresent(volume -> volumes.transition(volume.id(),
                Set.of(VolumeStatus.BACKING_UP),
                volume.attachStatus() == AttachStatus.ATTACHED ? VolumeStatus.IN_USE : VolumeStatus.AVAILABLE));
    }

    /** A restore worked: {@code restoring-backup} → {@code available}. */
    void restored(String volumeId) {
        volumes.transition(volumeId, Set.of(VolumeStatus.RESTORING_BACKUP), VolumeStatus.AVAILABLE);
    }
}
