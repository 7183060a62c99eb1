package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.Ids;
import dev.basalt.db.BackupRecords;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Backup;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CreateSnapshot;
import dev.basalt.rpc.DeleteSnapshot;
import dev.basalt.rpc.VolumeRpc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary snapshot through which an attached volume is backed up (Cinder's
 * {@code backup_use_temp_snapshot}, which Basalt always does for an {@code in-use} volume): the
 * volume stays attached and written to through its export while the backup reads a point-in-time
 * copy.
 *
 * <p>The snapshot is a real snapshot row, as Cinder's temporary snapshot: named
 * {@code backup-snap-<volume id>}, no description, {@code creating} then {@code available}, taking
 * no quota. Its id is recorded on the backup ({@code temp_snapshot_id}) before the volume service
 * is asked to take it, so that a backup service that stops half way still finds and removes it
 * ({@link BackupRecovery}). The volume service of the volume's backend takes it
 * ({@link VolumeRpc#createSnapshot}) and removes it ({@link VolumeRpc#deleteSnapshot}) as any other
 * snapshot, with its own crash recovery.
 */
final class TemporarySnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(TemporarySnapshots.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final BackupRecords backups;
    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final VolumeRpc volumeServices;
    private final Clock clock;
    private final Duration timeout;

    /**
     * @param timeout how long the volume service may take to take a snapshot before the backup fails
     */
    TemporarySnapshots(BackupRecords backups, SnapshotRepository snapshots, VolumeRepository volumes,
                       VolumeRpc volumeServices, Clock clock, Duration timeout) {
        this.backups = requireNonNull(backups, "backups");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.volumes = requireNonNull(volumes, "volumes");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
        this.clock = requireNonNull(clock, "clock");
        this.timeout = requireNonNull(timeout, "timeout");
    }

    /** Whether the backup reads a temporary snapshot: a backup of the volume itself while it is attached. */
    static boolean needed(Backup backup, Volume volume) {
        return backup.snapshotId() == null && volume.attachStatus() == AttachStatus.ATTACHED;
    }

    /** Cinder's name of the temporary snapshot of a volume. */
    static String nameFor(String volumeId) {
        return "backup-snap-" + volumeId;
    }

    /**
     * Has the volume service take a temporary snapshot of the {@code backing-up} volume for the
     * {@code creating} backup and waits until it is {@code available}; its id.
     *
     * @throws VolumeDevices.DeviceException when it could not be taken (what was made is removed)
     */
    String take(Backup backup, Volume volume, String requestId) throws VolumeDevices.DeviceException {
        Instant now = clock.instant();
        Snapshot temporary = new Snapshot(Ids.newId(), volume.id(), backup.projectId(), backup.userId(),
                nameFor(volume.id()), null, SnapshotStatus.CREATING, "0%", volume.size(), volume.volumeTypeId(), null,
                Map.of(), now, now, volume.encryptionKeyId());
        SnapshotRepository.CreateOutcome created = snapshots.create(temporary, Set.of(VolumeStatus.BACKING_UP));
        if (created != SnapshotRepository.CreateOutcome.CREATED) {
            throw new VolumeDevices.DeviceException("no temporary snapshot of volume " + volume.id()
                    + " could be taken: it is no longer backing-up");
        }
        if (!backups.recordTemporaries(backup.id(), null, temporary.id())) {
            snapshots.delete(temporary.id());
            throw new VolumeDevices.DeviceException("the backup left creating before its temporary snapshot was taken");
        }
        LOG.info("backup {} of attached volume {} reads temporary snapshot {}", backup.id(), volume.id(),
                temporary.id());
        try {
            volumeServices.createSnapshot(VolumeDevices.backendOf(volume.host()),
                    new CreateSnapshot(temporary.id(), requestId));
            awaitAvailable(temporary.id());
        } catch (VolumeDevices.DeviceException e) {
            remove(backup.id(), requestId);
            throw e;
        } catch (RuntimeException e) {
            remove(backup.id(), requestId);
            throw new VolumeDevices.DeviceException("the temporary snapshot of volume " + volume.id()
                    + " could not be taken: " + BackupCreator.reason(e));
        }
        return temporary.id();
    }

    /**
     * Removes the temporary snapshot recorded on the backup, if any, and forgets it on the backup
     * row (while it is still {@code creating}): the snapshot goes {@code deleting} and its volume
     * service removes it. A failure is logged: the snapshot then stays for an administrator.
     */
    void remove(String backupId, String requestId) {
        Optional<String> recorded = backups.find(backupId).map(Backup::tempSnapshotId);
        if (recorded.isEmpty()) {
            return;
        }
        String snapshotId = recorded.get();
        try {
            removeSnapshot(snapshotId, requestId);
            backups.recordTemporaries(backupId, null, null);
        } catch (RuntimeException e) {
            LOG.warn("cannot remove temporary snapshot {} of backup {}", snapshotId, backupId, e);
        }
    }

    private void removeSnapshot(String snapshotId, String requestId) {
        Optional<Snapshot> snapshot = snapshots.find(snapshotId);
        if (snapshot.isEmpty()) {
            return;
        }
        Optional<Volume> volume = volumes.find(snapshot.get().volumeId());
        if (volume.isEmpty() || volume.get().host() == null) {
            snapshots.delete(snapshotId);
            return;
        }
        SnapshotRepository.DeleteOutcome begun = snapshots.beginDelete(snapshotId,
                Set.of(SnapshotStatus.CREATING, SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR, SnapshotStatus.DELETING));
        if (begun == SnapshotRepository.DeleteOutcome.STARTED) {
            volumeServices.deleteSnapshot(VolumeDevices.backendOf(volume.get().host()),
                    new DeleteSnapshot(snapshotId, requestId));
            LOG.info("temporary snapshot {} of volume {} is being deleted", snapshotId, volume.get().id());
        } else {
            LOG.warn("temporary snapshot {} was not deleted: {}", snapshotId, begun);
        }
    }

    private void awaitAvailable(String snapshotId) throws VolumeDevices.DeviceException {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            Optional<Snapshot> now = snapshots.find(snapshotId);
            if (now.isEmpty()) {
                throw new VolumeDevices.DeviceException("temporary snapshot " + snapshotId + " disappeared");
            }
            switch (now.get().status()) {
                case AVAILABLE -> {
                    return;
                }
                case CREATING -> { }
                default -> throw new VolumeDevices.DeviceException("temporary snapshot " + snapshotId + " is "
                        + now.get().status().apiName() + (now.get().errorReason() == null ? ""
                        : ": " + now.get().errorReason()));
            }
            if (clock.instant().isAfter(deadline)) {
                throw new VolumeDevices.DeviceException("the volume service took no temporary snapshot within "
                        + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VolumeDevices.DeviceException("interrupted while the temporary snapshot was being taken");
            }
        }
    }
}
