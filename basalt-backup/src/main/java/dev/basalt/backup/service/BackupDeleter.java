package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.BackupRepository;
import dev.basalt.backup.service.BackupMeters.Outcome;
import dev.basalt.db.BackupRecords;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import dev.basalt.rpc.DropBackupBases;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a {@code deleting} backup (Cinder's backup manager {@code delete_backup}): removes it from
 * the repository (its manifest and every chunk no other backup needs), then its row, which gives
 * its quota back, and has the backup's base dropped (see {@link BackupCreator}) where its volume still
 * is. A repository that fails leaves the backup {@code error_deleting}, with the reason and a user
 * message.
 */
final class BackupDeleter {
    private static final Logger LOG = LoggerFactory.getLogger(BackupDeleter.class);

    private final BackupRepository repository;
    private final BackupRecords backups;
    private final BackupMessages messages;
    private final VolumeRepository volumes;
    private final VolumeDevices devices;

    BackupDeleter(BackupWork work) {
        requireNonNull(work, "work");
        this.repository = work.repository();
        this.backups = work.backups();
        this.messages = work.messages();
        this.volumes = work.volumes();
        this.devices = work.devices();
    }

    Outcome delete(String backupId, String requestId) {
        Optional<Backup> found = backups.find(backupId).filter(b -> b.status() == BackupStatus.DELETING);
        if (found.isEmpty()) {
            LOG.info("backup {} is not deleting: nothing to do", backupId);
            return Outcome.SKIPPED;
        }
        try {
            repository.delete(backupId);
        } catch (IOException | RuntimeException e) {
            String reason = "the backup could not be removed from the repository: " + BackupCreator.reason(e);
            LOG.warn("delete of backup {} failed", backupId, e);
            backups.fail(backupId, Set.of(BackupStatus.DELETING), BackupStatus.ERROR_DELETING, reason);
            messages.deleteFailed(found.get(), requestId);
            return Outcome.FAILED;
        }
        backups.delete(backupId);
        Backup backup = found.get();
        volumes.find(backup.volumeId()).ifPresent(volume -> devices.dropBases(volume,
                DropBackupBases.only(volume.id(), backupId, requestId)));
        LOG.info("backup {} deleted", backupId);
        return Outcome.DONE;
    }
}
