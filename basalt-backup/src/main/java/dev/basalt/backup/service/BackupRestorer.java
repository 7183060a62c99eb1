package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.BackupRepository;
import dev.basalt.backup.BlockSink;
import dev.basalt.backup.Manifest;
import dev.basalt.backup.file.FileBlockSink;
import dev.basalt.backup.service.BackupMeters.Operation;
import dev.basalt.backup.service.BackupMeters.Outcome;
import dev.basalt.db.BackupRecords;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.RestoreBackup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a {@code restoring} backup into its {@code restoring-backup} volume (Cinder's backup
 * manager {@code restore_backup}): asks the volume's volume service where the volume's file is on
 * this host and writes the backup into it, every chunk verified against its hash. A volume made
 * blank for the restore keeps its holes; an existing volume (possibly larger than the backup) gets
 * the backup's bytes and zeros where the backup has none, the rest left as it was.
 *
 * <p>Either way the backup ends {@code available}; the volume ends {@code available}, or
 * {@code error_restoring} (with the reason, also kept as the backup's fail_reason, and a user message
 * about the backup) when a chunk is missing or corrupt or the volume cannot be written.
 */
final class BackupRestorer {
    private static final Logger LOG = LoggerFactory.getLogger(BackupRestorer.class);

    private final BackupWork work;
    private final BackupRepository repository;
    private final BackupRecords backups;

    BackupRestorer(BackupWork work) {
        this.work = requireNonNull(work, "work");
        this.repository = work.repository();
        this.backups = work.backups();
    }

    Outcome restore(RestoreBackup request) {
        Optional<Backup> found = backups.find(request.backupId()).filter(b -> b.status() == BackupStatus.RESTORING);
        if (found.isEmpty()) {
            LOG.info("backup {} is not restoring: nothing to do", request.backupId());
            return Outcome.SKIPPED;
        }
        Backup backup = found.get();
        Optional<Volume> volume = work.volumes().find(request.volumeId());
        if (volume.isEmpty() || volume.get().status() != VolumeStatus.RESTORING_BACKUP) {
            return fail(backup, request, "the restore was not made: volume " + request.volumeId() + " is "
                    + volume.map(v -> v.status().apiName()).orElse("gone") + ", not restoring-backup");
        }
        Manifest manifest;
        Path path;
        try {
            manifest = repository.manifest(backup.id());
            path = work.devices().locate(volume.get(), null, request.requestId());
            try (BlockSink sink = request.freshVolume() ? FileBlockSink.fresh(path) : FileBlockSink.existing(path)) {
                repository.restore(manifest, sink, work.progressOf(backup.id(), Operation.RESTORE_BACKUP));
            }
        } catch (VolumeDevices.DeviceException | IOException | RuntimeException e) {
            LOG.warn("restore of backup {} into volume {} failed", backup.id(), request.volumeId(), e);
            return fail(backup, request, BackupCreator.reason(e));
        }
        work.meters().restored(manifest.volumeSize());
        work.statuses().restored(request.volumeId());
        backups.finishRestore(backup.id(), true);
        LOG.info("backup {} restored into volume {}", backup.id(), request.volumeId());
        return Outcome.DONE;
    }

    private Outcome fail(Backup backup, RestoreBackup request, String reason) {
        String why = "restore of backup " + backup.id() + " into volume " + request.volumeId() + " failed: " + reason;
        work.volumes().markFailed(request.volumeId(), Set.of(VolumeStatus.RESTORING_BACKUP),
                VolumeStatus.ERROR_RESTORING, why);
        backups.fail(backup.id(), Set.of(BackupStatus.RESTORING), BackupStatus.AVAILABLE, why);
        work.messages().restoreFailed(backup, request.requestId());
        return Outcome.FAILED;
    }
}
