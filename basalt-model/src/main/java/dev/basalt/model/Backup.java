package dev.basalt.model;

import java.time.Instant;
import java.util.Map;

/**
 * A backup of a volume (or of one of its snapshots, {@code snapshotId}), as stored: what Cinder's
 * backup views, its backup manager and its export/import of backup records need.
 *
 * <ul>
 *   <li>{@code host} is the backup service that owns the backup's data (null until one takes it),
 *       {@code service} the backup driver that wrote it, {@code serviceMetadata} that driver's own
 *       note of where the data lies; {@code container} is where the user asked it to go.</li>
 *   <li>{@code size} is the volume's size in GiB (what the backup claims of {@code backup_gigabytes});
 *       {@code objectCount} how many objects the driver stored; {@code storedBytes} how many bytes
 *       they take in the repository (Basalt's own, null until known).</li>
 *   <li>{@code parentId} is the backup an incremental backup builds on; {@code numDependentBackups}
 *       how many backups build on this one (read from the backups that name it their parent, never
 *       stored).</li>
 *   <li>{@code dataTimestamp} is when the data was taken: the backup's creation, or the snapshot's
 *       when backed up from a snapshot.</li>
 *   <li>{@code progress} is the percent done (0 to 100) of the create or restore under way, null
 *       when none ever ran (Basalt's own); {@code restoreVolumeId} the volume last restored to;
 *       {@code tempVolumeId}/{@code tempSnapshotId} what the backup service made to read an
 *       attached volume, to be cleaned up after a crash.</li>
 *   <li>{@code failReason} keeps why an asynchronous operation failed, for the user.</li>
 * </ul>
 */
public record Backup(
        String id,
        String projectId,
        String userId,
        String volumeId,
        String snapshotId,
        String host,
        String availabilityZone,
        String name,
        String description,
        String container,
        BackupStatus status,
        String failReason,
        String service,
        String serviceMetadata,
        int size,
        int objectCount,
        String parentId,
        int numDependentBackups,
        Instant dataTimestamp,
        String restoreVolumeId,
        String tempVolumeId,
        String tempSnapshotId,
        Integer progress,
        Long storedBytes,
        Map<String, String> metadata,
        Instant createdAt,
        Instant updatedAt) {

    public Backup {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if (progress != null && (progress < 0 || progress > 100)) {
            throw new IllegalArgumentException("progress is a percentage, not " + progress);
        }
    }

    /**
     * A new backup as the api records it: {@code creating}, on no backup host yet, nothing stored,
     * no progress, not updated; a full backup when {@code parentId} is null, else an incremental one.
     */
    public static Backup creating(String id, String projectId, String userId, String volumeId, String snapshotId,
                                  String availabilityZone, String name, String description, String container,
                                  int size, String parentId, Instant dataTimestamp, Map<String, String> metadata,
                                  Instant createdAt) {
        return new Backup(id, projectId, userId, volumeId, snapshotId, null, availabilityZone, name, description,
                container, BackupStatus.CREATING, null, null, null, size, 0, parentId, 0, dataTimestamp, null, null,
                null, null, null, metadata, createdAt, null);
    }

    /** Whether the backup builds on another (Cinder's {@code is_incremental}). */
    public boolean incremental() {
        return parentId != null;
    }

    /** Whether other backups build on this one (Cinder's {@code has_dependent_backups}). */
    public boolean hasDependentBackups() {
        return numDependentBackups > 0;
    }

    public Backup withStatus(BackupStatus newStatus) {
        return new Backup(id, projectId, userId, volumeId, snapshotId, host, availabilityZone, name, description,
                container, newStatus, failReason, service, serviceMetadata, size, objectCount, parentId,
                numDependentBackups, dataTimestamp, restoreVolumeId, tempVolumeId, tempSnapshotId, progress,
                storedBytes, metadata, createdAt, updatedAt);
    }

    public Backup withMetadata(Map<String, String> newMetadata) {
        return new Backup(id, projectId, userId, volumeId, snapshotId, host, availabilityZone, name, description,
                container, status, failReason, service, serviceMetadata, size, objectCount, parentId,
                numDependentBackups, dataTimestamp, restoreVolumeId, tempVolumeId, tempSnapshotId, progress,
                storedBytes, newMetadata, createdAt, updatedAt);
    }
}
