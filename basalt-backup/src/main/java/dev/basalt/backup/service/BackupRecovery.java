package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.BackupRepository;
import dev.basalt.backup.Manifest;
import dev.basalt.db.BackupRecords;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.DropBackupBases;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a backup service does at start with the work an earlier run of it left in flight (as
 * Cinder's backup manager does in {@code init_host}), for the backups whose host is this one:
 * <ul>
 *   <li>{@code creating}: the backup goes to {@code error} ("the backup service restarted while the
 *       backup was being made"), its volume back to its status, and what it left is removed: its
 *       files in the repository (chunks only it stored, its journal and temporary files), its
 *       temporary snapshot (of an attached volume) if one was recorded, and its backup base beside
 *       the volume (the volume's volume service is told to drop it); unless its manifest was
 *       already published (the run stopped between storing the last chunk and recording it), in
 *       which case it is recorded {@code available}, its base kept and the volume's older bases
 *       dropped, as after any backup;</li>
 *   <li>a restore this host's backup service was running: the volume it was restoring to goes
 *       {@code error_restoring} (a volume being made from the backup, still {@code creating}:
 *       {@code error}, its quota reservation given back), and the backup back to {@code available}
 *       unless restores on other hosts still run;</li>
 *   <li>{@code deleting}: the delete is done again.</li>
 * </ul>
 * Backups no backup service took yet (no host) are left alone: which service gets them is the api's
 * business. A backup that cannot be recovered is logged, and the others still are.
 */
final class BackupRecovery {
    static final String RESTARTED = "the backup service restarted while the backup was being made";
    private static final Logger LOG = LoggerFactory.getLogger(BackupRecovery.class);

    private final String host;
    private final BackupRepository repository;
    private final BackupRecords backups;
    private final VolumeRepository volumes;
    private final VolumeStatuses statuses;
    private final BackupDeleter deleter;
    private final TemporarySnapshots temporaries;
    private final VolumeDevices devices;

    BackupRecovery(String host, BackupRepository repository, BackupRecords backups, VolumeRepository volumes,
                   VolumeStatuses statuses, BackupDeleter deleter, TemporarySnapshots temporaries,
                   VolumeDevices devices) {
        this.host = requireNonNull(host, "host");
        this.repository = requireNonNull(repository, "repository");
        this.backups = requireNonNull(backups, "backups");
        this.volumes = requireNonNull(volumes, "volumes");
        this.statuses = requireNonNull(statuses, "statuses");
        this.deleter = requireNonNull(deleter, "deleter");
        this.temporaries = requireNonNull(temporaries, "temporaries");
        this.devices = requireNonNull(devices, "devices");
    }

    /** Recovers every backup of this host left in flight and every restore it was running; how many there were. */
    int recover() {
        List<BackupRecords.RunningRestore> restores = backups.restoresOnHost(host);
        for (BackupRecords.RunningRestore restore : restores) {
            try {
                recover(restore);
            } catch (RuntimeException e) {
                LOG.warn("cannot recover the restore of backup {} into volume {}", restore.backupId(),
                        restore.volumeId(), e);
            }
        }
        List<Backup> inFlight = backups.findOnHost(host, Set.of(BackupStatus.CREATING, BackupStatus.DELETING));
        for (Backup backup : inFlight) {
            try {
                recover(backup);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot recover backup {} ({})", backup.id(), backup.status().apiName(), e);
            }
        }
        int recovered = restores.size() + inFlight.size();
        if (recovered > 0) {
            LOG.info("recovered {} backup operation(s) left in flight on {}", recovered, host);
        }
        return recovered;
    }

    private void recover(BackupRecords.RunningRestore restore) {
        LOG.info("backup {} was being restored into volume {} when the service stopped: the volume is"
                + " error_restoring (error if it was being made from the backup)", restore.backupId(),
                restore.volumeId());
        String reason = "the backup service restarted while backup " + restore.backupId()
                + " was being restored into the volume";
        volumes.markFailed(restore.volumeId(), Set.of(VolumeStatus.RESTORING_BACKUP), VolumeStatus.ERROR_RESTORING,
                reason);
        volumes.markError(restore.volumeId(), Set.of(VolumeStatus.CREATING), reason);
        backups.failRestore(restore.backupId(), restore.volumeId(), reason);
    }

    private void recover(Backup backup) throws IOException {
        switch (backup.status()) {
            case CREATING -> recoverCreate(backup);
            case DELETING -> deleter.delete(backup.id(), null);
            default -> {
            }
        }
    }

    private void recoverCreate(Backup backup) throws IOException {
        temporaries.remove(backup.id(), null);
        Optional<Manifest> published = repository.findManifest(backup.id());
        if (published.isPresent()) {
            Manifest manifest = published.get();
            backups.finishCreate(backup.id(), manifest.chunks().dataChunks(), manifest.storedBytes(), null);
            dropBases(backup, DropBackupBases.allBut(backup.volumeId(), backup.id(), null));
            LOG.info("backup {} had been stored when the service stopped: it is available", backup.id());
        } else {
            BackupCreator.removeLeftovers(repository, backup.id());
            dropBases(backup, DropBackupBases.only(backup.volumeId(), backup.id(), null));
            backups.fail(backup.id(), Set.of(BackupStatus.CREATING), BackupStatus.ERROR, RESTARTED);
            LOG.info("backup {} was being made when the service stopped: it is error", backup.id());
        }
        statuses.releaseSource(backup);
    }

    /** Tells the volume service of the backup's volume, if it still exists, to drop bases of it. */
    private void dropBases(Backup backup, DropBackupBases drop) {
        volumes.find(backup.volumeId()).ifPresent(volume -> devices.dropBases(volume, drop));
    }
}
