package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.BackupConflictException;
import dev.basalt.backup.BackupRepository;
import dev.basalt.backup.BackupRequest;
import dev.basalt.backup.Manifest;
import dev.basalt.backup.file.FileBlockSource;
import dev.basalt.backup.service.BackupMeters.Operation;
import dev.basalt.backup.service.BackupMeters.Outcome;
import dev.basalt.backup.service.BackupMessages.Detail;
import dev.basalt.backup.service.ChangeDetection.Plan;
import dev.basalt.backup.service.VolumeDevices.BackupSource;
import dev.basalt.db.BackupRecords;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CreateBackup;
import dev.basalt.rpc.DropBackupBases;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a {@code creating} backup (Cinder's backup manager {@code create_backup}): takes the row for
 * this host, asks the volume's volume service where its bytes are (the snapshot's, for a backup of
 * a snapshot), reads them directly from this host's file and stores them in the repository, then
 * makes the backup {@code available} and gives the volume back its status.
 *
 * <p>Where the volume's storage shares extents (XFS, btrfs), the volume service keeps a <em>backup
 * base</em> for each backup, a reflink of the volume taken when the backup starts, and the backup
 * reads that base: exactly one point in time. An incremental backup (the row names a parent) builds
 * on the parent's manifest; when the parent's base is still kept it compares the two bases' extent
 * maps and reads only the ranges that changed ({@link ChangeDetection}), else it reads every data
 * range and stores only chunks the repository does not hold yet (deduplication by hash). Each
 * backup logs which it did and how much of the volume's data it read, and counts it
 * ({@link BackupMeters#sourceRead}). A volume keeps its latest backup's base only: after a backup
 * that kept one, the volume's other bases are dropped; a failed backup's own base is dropped, and so
 * is one left by a backup a restart cut short, when the backup service starts again
 * ({@link BackupRecovery}).
 *
 * <p>A backup of an attached volume ({@code in-use}, forced) reads a temporary snapshot of it
 * ({@link TemporarySnapshots}), removed when the backup ends either way; the volume stays attached.
 *
 * <p>A failure leaves the backup {@code error} with its reason, the volume back in its status, a user
 * message, and nothing of the failed backup in the repository.
 */
final class BackupCreator {
    private static final Logger LOG = LoggerFactory.getLogger(BackupCreator.class);

    private final BackupServiceSettings settings;
    private final BackupWork work;
    private final BackupRepository repository;
    private final BackupRecords backups;
    private final TemporarySnapshots temporaries;

    BackupCreator(BackupServiceSettings settings, BackupWork work, TemporarySnapshots temporaries) {
        this.settings = requireNonNull(settings, "settings");
        this.work = requireNonNull(work, "work");
        this.repository = work.repository();
        this.backups = work.backups();
        this.temporaries = requireNonNull(temporaries, "temporaries");
    }

    Outcome create(CreateBackup request) {
        Optional<Backup> found = backups.find(request.backupId()).filter(b -> b.status() == BackupStatus.CREATING);
        if (found.isEmpty()
                || !backups.assignHost(request.backupId(), Set.of(BackupStatus.CREATING), settings.host(),
                        settings.driverName())) {
            LOG.info("backup {} is not creating: nothing to do", request.backupId());
            return Outcome.SKIPPED;
        }
        Backup backup = found.get();
        try {
            Optional<Manifest> published = repository.findManifest(backup.id());
            if (published.isPresent()) {
                LOG.info("backup {} was already stored: recording it", backup.id());
                return finish(backup, published.get());
            }
        } catch (IOException e) {
            return fail(backup, request.requestId(), Detail.CREATE_DRIVER_ERROR, "the backup repository failed: "
                    + e.getMessage(), true);
        }
        Optional<Volume> volume = work.volumes().find(backup.volumeId());
        if (volume.isEmpty()) {
            return fail(backup, request.requestId(), Detail.CREATE_DRIVER_ERROR,
                    "volume " + backup.volumeId() + " does not exist", false);
        }
        if (backup.snapshotId() == null && volume.get().status() != VolumeStatus.BACKING_UP) {
            return fail(backup, request.requestId(), Detail.CREATE_DRIVER_ERROR, "the backup was not made: the"
                    + " volume's status is " + volume.get().status().apiName() + ", not backing-up", false);
        }
        BackupSource source;
        try {
            String snapshotId = TemporarySnapshots.needed(backup, volume.get())
                    ? temporaries.take(backup, volume.get(), request.requestId()) : backup.snapshotId();
            source = work.devices().locateForBackup(volume.get(), snapshotId, backup, request.requestId());
        } catch (VolumeDevices.DeviceException e) {
            return fail(backup, request.requestId(), Detail.DEVICE_ERROR, e.getMessage(), false);
        }
        Manifest manifest;
        try {
            Plan plan = ChangeDetection.plan(backupRequest(backup), source);
            try (ReadCounter counter = new ReadCounter(FileBlockSource.open(source.path()))) {
                manifest = repository.backup(plan.request(), counter,
                        work.progressOf(backup.id(), Operation.CREATE_BACKUP));
                recordReads(backup, plan, counter);
            }
        } catch (BackupConflictException e) {
            dropBases(volume.get(), source, DropBackupBases.only(backup.volumeId(), backup.id(), request.requestId()));
            return fail(backup, request.requestId(), Detail.CREATE_DRIVER_ERROR, e.getMessage(), false);
        } catch (IOException | RuntimeException e) {
            LOG.warn("backup {} of volume {} failed", backup.id(), backup.volumeId(), e);
            dropBases(volume.get(), source, DropBackupBases.only(backup.volumeId(), backup.id(), request.requestId()));
            return fail(backup, request.requestId(), Detail.CREATE_DRIVER_ERROR, reason(e), true);
        }
        dropBases(volume.get(), source, DropBackupBases.allBut(backup.volumeId(), backup.id(), request.requestId()));
        work.meters().backedUp(manifest.volumeSize(), manifest.storedBytes());
        return finish(backup, manifest);
    }

    private BackupRequest backupRequest(Backup backup) throws IOException {
        BackupRequest full = BackupRequest.full(backup.id(), backup.volumeId(), settings.compression())
                .withChunkSize(settings.chunkSize());
        if (backup.parentId() == null) {
            return full;
        }
        Manifest parent = repository.findManifest(backup.parentId()).orElseThrow(() -> new IOException(
                "the parent backup " + backup.parentId() + " is not in this host's backup repository"));
        return full.incrementalTo(parent);
    }

    private void recordReads(Backup backup, Plan plan, ReadCounter counter) {
        work.meters().sourceRead(plan.mode(), counter.dataBytes(), counter.bytesRead());
        LOG.info("backup {} of volume {} ({}: {}) read {} of {} bytes of data ({})", backup.id(), backup.volumeId(),
                plan.mode().tag, plan.reason(), counter.bytesRead(), counter.dataBytes(),
                String.format(Locale.ROOT, "%.1f%%", counter.dataBytes() == 0 ? 0.0
                        : 100.0 * counter.bytesRead() / counter.dataBytes()));
    }

    /** Drops backup bases of the volume when this backup kept one (else the volume keeps none). */
    private void dropBases(Volume volume, BackupSource source, DropBackupBases drop) {
        if (source.keptBase()) {
            work.devices().dropBases(volume, drop);
        }
    }

    private Outcome finish(Backup backup, Manifest manifest) {
        temporaries.remove(backup.id(), null);
        if (!backups.finishCreate(backup.id(), manifest.chunks().dataChunks(), manifest.storedBytes(), null)) {
            LOG.warn("backup {} was stored, but its row left creating meanwhile", backup.id());
        }
        work.statuses().releaseSource(backup);
        LOG.info("backup {} of volume {} is available ({} data chunks, {} bytes stored)", backup.id(),
                backup.volumeId(), manifest.chunks().dataChunks(), manifest.storedBytes());
        return Outcome.DONE;
    }

    private Outcome fail(Backup backup, String requestId, Detail detail, String reason, boolean removeLeftovers) {
        LOG.warn("backup {} of volume {} failed: {}", backup.id(), backup.volumeId(), reason);
        if (removeLeftovers) {
            removeLeftovers(repository, backup.id());
        }
        temporaries.remove(backup.id(), requestId);
        backups.fail(backup.id(), Set.of(BackupStatus.CREATING), BackupStatus.ERROR, reason);
        work.statuses().releaseSource(backup);
        work.messages().createFailed(backup, requestId, detail);
        return Outcome.FAILED;
    }

    /** Removes what a failed or cut-short backup left in the repository; a failure is only logged. */
    static void removeLeftovers(BackupRepository repository, String backupId) {
        try {
            repository.delete(backupId);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot remove what backup {} left in the repository", backupId, e);
        }
    }

    /** A failure's message for the user, with its kind when it has no message. */
    static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
