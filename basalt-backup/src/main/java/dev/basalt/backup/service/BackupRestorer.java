package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.BackupRepository;
import dev.basalt.backup.BlockSink;
import dev.basalt.backup.Manifest;
import dev.basalt.backup.file.FileBlockSink;
import dev.basalt.backup.service.BackupMeters.Operation;
import dev.basalt.backup.service.BackupMeters.Outcome;
import dev.basalt.db.BackupRecords;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.RestoreBackup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a {@code restoring} backup into its volume (Cinder's backup manager
 * {@code restore_backup}): asks the volume's volume service where the volume's file is on this host
 * and writes the backup into it, every chunk verified against its hash. A volume made blank for the
 * restore keeps its holes; an existing volume (possibly larger than the backup) gets the backup's
 * bytes and zeros where the backup has none, the rest left as it was.
 *
 * <p>The volume is {@code restoring-backup} (a restore), or {@code creating} (a volume made from
 * the backup, which its volume service handed over: this service claims its workers row before it
 * writes, and leaves a volume whose row a cleaner holds alone). Several volumes may be restored from
 * one backup at once: each restore ends its own claim, and the backup is {@code available} again when
 * the last ends. A restored volume names the backup in its metadata ({@code src_backup_id}, as Cinder
 * does) unless it is the backup's own volume. The volume ends {@code available} (a new one stamped launched and its quota
 * committed, as a create that ends), or, when a chunk is missing or corrupt or the volume cannot be
 * written, {@code error_restoring} after a restore and {@code error} when it was being created, with
 * the reason, also kept as the backup's fail_reason, and a user message about the backup.
 */
final class BackupRestorer {
    private static final Logger LOG = LoggerFactory.getLogger(BackupRestorer.class);
    /** The volume metadata key naming the backup a volume was restored from, as Cinder's. */
    static final String SRC_BACKUP_ID = "src_backup_id";
    private static final Set<VolumeStatus> RESTORABLE = Set.of(VolumeStatus.RESTORING_BACKUP, VolumeStatus.CREATING);

    private final BackupWork work;
    private final BackupRepository repository;
    private final BackupRecords backups;
    private final WorkerRepository workers;
    private final IntSupplier serviceId;

    /** {@code serviceId}: this backup service's number, known once it has registered. */
    BackupRestorer(BackupWork work, WorkerRepository workers, IntSupplier serviceId) {
        this.work = requireNonNull(work, "work");
        this.repository = work.repository();
        this.backups = work.backups();
        this.workers = requireNonNull(workers, "workers");
        this.serviceId = requireNonNull(serviceId, "serviceId");
    }

    Outcome restore(RestoreBackup request) {
        Optional<Backup> found = backups.find(request.backupId()).filter(b -> b.status() == BackupStatus.RESTORING);
        if (found.isEmpty() || !backups.isRestoring(request.backupId(), request.volumeId())) {
            LOG.info("backup {} is not restoring into volume {}: nothing to do", request.backupId(),
                    request.volumeId());
            return Outcome.SKIPPED;
        }
        Backup backup = found.get();
        Optional<Volume> volume = work.volumes().find(request.volumeId());
        if (volume.isEmpty() || !RESTORABLE.contains(volume.get().status())) {
            return fail(backup, request, "the restore was not made: volume " + request.volumeId() + " is "
                    + volume.map(v -> v.status().apiName()).orElse("gone") + ", not restoring-backup");
        }
        boolean creating = volume.get().status() == VolumeStatus.CREATING;
        if (creating && workers.claim(CleanableResource.VOLUME, request.volumeId(), VolumeStatus.CREATING.apiName(),
                serviceId.getAsInt()) == WorkerRepository.Claim.TAKEN) {
            LOG.info("not restoring backup {} into volume {}: a cleaner holds the volume's create", backup.id(),
                    request.volumeId());
            return Outcome.SKIPPED;
        }
        Manifest manifest;
        Path path;
        try {
            manifest = repository.manifest(backup.id());
            path = work.devices().locate(volume.get(), null, request.requestId());
            try (BlockSink sink = request.freshVolume() ? FileBlockSink.fresh(path) : FileBlockSink.existing(path)) {
                repository.restore(manifest, sink, work.progressOf(backup.id(), Operation.RESTORE_BACKUP));
            }
            recordSource(backup, request.volumeId());
        } catch (VolumeDevices.DeviceException | IOException | RuntimeException e) {
            LOG.warn("restore of backup {} into volume {} failed", backup.id(), request.volumeId(), e);
            return fail(backup, request, BackupCreator.reason(e));
        }
        work.meters().restored(manifest.volumeSize());
        if (creating && !work.volumes().markAvailable(request.volumeId())) {
            LOG.warn("backup {} was restored into volume {}, which stopped being created meanwhile", backup.id(),
                    request.volumeId());
            backups.finishRestore(backup.id(), request.volumeId(), false);
            return Outcome.FAILED;
        }
        work.statuses().restored(request.volumeId());
        backups.finishRestore(backup.id(), request.volumeId(), true);
        LOG.info("backup {} restored into volume {}", backup.id(), request.volumeId());
        return Outcome.DONE;
    }

    /**
     * Cinder's {@code src_backup_id}: the backup a volume was restored from, in the volume's metadata,
     * written when the volume is not the backup's own volume, or already names another backup.
     */
    private void recordSource(Backup backup, String volumeId) {
        String previous = work.volumes().metadata(volumeId).get(SRC_BACKUP_ID);
        if (!backup.volumeId().equals(volumeId) || previous != null && !previous.equals(backup.id())) {
            work.volumes().mergeMetadata(volumeId, Map.of(SRC_BACKUP_ID, backup.id()));
        }
    }

    private Outcome fail(Backup backup, RestoreBackup request, String reason) {
        String why = "restore of backup " + backup.id() + " into volume " + request.volumeId() + " failed: " + reason;
        work.volumes().markFailed(request.volumeId(), Set.of(VolumeStatus.RESTORING_BACKUP),
                VolumeStatus.ERROR_RESTORING, why);
        work.volumes().markError(request.volumeId(), Set.of(VolumeStatus.CREATING), why);
        backups.failRestore(backup.id(), request.volumeId(), why);
        work.messages().restoreFailed(backup, request.requestId());
        return Outcome.FAILED;
    }
}
