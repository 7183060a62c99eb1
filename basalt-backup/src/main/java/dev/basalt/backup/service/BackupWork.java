package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.BackupRepository;
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

    /** Records the progress of the backup's create or restore in its row. */
    ProgressRecorder progressOf(String backupId) {
        return new ProgressRecorder(backups, backupId, clock);
    }
}
