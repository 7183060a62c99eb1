package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.BackupRepository;
import dev.basalt.backup.ProgressListener;
import dev.basalt.backup.service.BackupMeters.Operation;
import dev.basalt.db.BackupRecords;
import dev.basalt.db.VolumeRepository;
import java.time.Clock;

/**
 * What the backup and restore work of a backup service uses: the repository, the rows of backups
 * and volumes, where volumes are, their statuses, user messages, meters and the clock.
 */
record BackupWork(
        BackupRepository repository,
        BackupRecords backups,
        VolumeRepository volumes,
        VolumeDevices devices,
        VolumeStatuses statuses,
        BackupMessages messages,
        BackupMeters meters,
        Clock clock) {

    BackupWork {
        requireNonNull(repository, "repository");
        requireNonNull(backups, "backups");
        requireNonNull(volumes, "volumes");
        requireNonNull(devices, "devices");
        requireNonNull(statuses, "statuses");
        requireNonNull(messages, "messages");
        requireNonNull(meters, "meters");
        requireNonNull(clock, "clock");
    }

    /**
     * Where the progress of the backup's {@code operation} (its create or restore) goes: its row's
     * {@code progress}, a log line per tenth, and the {@code basalt_backup_progress_ratio} gauge of the
     * running operation (removed by {@link BackupMeters#progressEnded} when the operation ends).
     */
    ProgressListener progressOf(String backupId, Operation operation) {
        ProgressRecorder row = new ProgressRecorder(backups, backupId, clock);
        ProgressLog log = new ProgressLog(backupId, operation, clock);
        return (done, total) -> {
            row.progress(done, total);
            log.progress(done, total);
            meters.progress(operation, backupId, total <= 0 ? 1.0 : Math.min(1.0, (double) done / total));
        };
    }
}
