package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.BackupRepository;
import dev.basalt.backup.Manifest;
import dev.basalt.backup.NoSuchBackupException;
import dev.basalt.backup.service.BackupMeters.Outcome;
import dev.basalt.common.BasaltException;
import dev.basalt.db.BackupRecords;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import dev.basalt.rpc.BackupRecord;
import dev.basalt.rpc.BackupUrl;
import dev.basalt.rpc.ImportBackup;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exports and imports backup records (Cinder's backup manager {@code export_record} and
 * {@code import_record}). A record ({@link BackupUrl}) carries the backup's fields and its
 * repository manifest, so a backup whose row is gone, or that lives in a repository another
 * deployment shares, becomes a backup again wherever the repository holds its chunks.
 */
final class RecordExchange {
    private static final Logger LOG = LoggerFactory.getLogger(RecordExchange.class);

    private final BackupServiceSettings settings;
    private final BackupRepository repository;
    private final BackupRecords backups;

    RecordExchange(BackupServiceSettings settings, BackupRepository repository, BackupRecords backups) {
        this.settings = requireNonNull(settings, "settings");
        this.repository = requireNonNull(repository, "repository");
        this.backups = requireNonNull(backups, "backups");
    }

    /**
     * The record of an {@code available} backup.
     *
     * @throws BasaltException 404 when the backup does not exist, 400 when it is not available or its
     *     data is not in this host's repository
     */
    BackupRecord export(String backupId) throws IOException {
        Backup backup = backups.find(backupId)
                .orElseThrow(() -> BasaltException.notFound("Backup %s could not be found.", backupId));
        if (backup.status() != BackupStatus.AVAILABLE) {
            throw BasaltException.badRequest("Invalid backup: Backup status must be available and not %s.",
                    backup.status().apiName());
        }
        byte[] manifest;
        try {
            manifest = repository.exportManifest(backupId);
        } catch (NoSuchBackupException e) {
            throw BasaltException.badRequest("Invalid backup: backup %s is not in the backup repository of host %s.",
                    backupId, settings.host());
        }
        return new BackupRecord(settings.driverName(), BackupUrl.encode(backup, manifest));
    }

    /**
     * Finishes the import of a record into its {@code creating} row: takes its manifest into the
     * repository (every chunk it names must be there) and makes the backup {@code available} on this
     * host; anything wrong with the record leaves the backup {@code error} with the reason.
     */
    Outcome importRecord(ImportBackup request) {
        Optional<Backup> found = backups.find(request.backupId()).filter(b -> b.status() == BackupStatus.CREATING);
        if (found.isEmpty()) {
            LOG.info("backup {} is not being imported: nothing to do", request.backupId());
            return Outcome.SKIPPED;
        }
        if (!ourDriver(request.backupService())) {
            return fail(request, "the record was exported by backup service " + request.backupService()
                    + "; this backup service runs " + settings.driverName());
        }
        BackupUrl.Contents contents;
        try {
            contents = BackupUrl.decode(request.backupUrl());
        } catch (IllegalArgumentException e) {
            return fail(request, e.getMessage());
        }
        if (!contents.backup().id().equals(request.backupId())) {
            return fail(request, "the record is of backup " + contents.backup().id() + ", not " + request.backupId());
        }
        Manifest manifest;
        try {
            manifest = repository.importManifest(contents.manifest());
        } catch (IOException | RuntimeException e) {
            return fail(request, "the backup's data is not usable in this host's backup repository: "
                    + BackupCreator.reason(e));
        }
        if (!backups.assignHost(request.backupId(), Set.of(BackupStatus.CREATING), settings.host(),
                settings.driverName())
                || !backups.finishCreate(request.backupId(), manifest.chunks().dataChunks(), manifest.storedBytes(),
                        contents.backup().serviceMetadata())) {
            LOG.info("backup {} left creating while its record was imported", request.backupId());
            return Outcome.SKIPPED;
        }
        LOG.info("backup {} imported", request.backupId());
        return Outcome.DONE;
    }

    private boolean ourDriver(String backupService) {
        return backupService == null || backupService.isBlank() || backupService.equals(settings.driverName())
                || backupService.equals("posix") && settings.driverName().equals(BackupServiceSettings.POSIX_DRIVER);
    }

    private Outcome fail(ImportBackup request, String reason) {
        LOG.warn("import of backup {} failed: {}", request.backupId(), reason);
        // The failed import is this host's to delete.
        backups.assignHost(request.backupId(), Set.of(BackupStatus.CREATING), settings.host(), settings.driverName());
        backups.fail(request.backupId(), Set.of(BackupStatus.CREATING), BackupStatus.ERROR,
                "import of the backup record failed: " + reason);
        return Outcome.FAILED;
    }
}
