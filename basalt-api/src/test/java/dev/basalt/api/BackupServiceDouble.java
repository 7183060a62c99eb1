package dev.basalt.api;

import dev.basalt.db.BackupRecords;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.BackupRecord;
import dev.basalt.rpc.BackupRpc;
import dev.basalt.rpc.BackupUrl;
import dev.basalt.rpc.CreateBackup;
import dev.basalt.rpc.DeleteBackup;
import dev.basalt.rpc.ImportBackup;
import dev.basalt.rpc.RestoreBackup;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in backup service for the api's tests: records every message and, unless told to hold,
 * does to the rows what a backup service does (a backup becomes {@code available} and its volume
 * {@code available}, or {@code in-use} when attached, again; a restore finishes, its volume {@code available} (a volume made from the backup too); a delete removes the row; an import becomes
 * {@code available}), without any data. Its exported records are {@link BackupUrl}s with a made-up
 * manifest.
 */
final class BackupServiceDouble implements BackupRpc.Server {
    static final String DRIVER = "basalt.backup.posix";

    final List<CreateBackup> creates = new CopyOnWriteArrayList<>();
    final List<RestoreBackup> restores = new CopyOnWriteArrayList<>();
    final List<DeleteBackup> deletes = new CopyOnWriteArrayList<>();
    final List<String> exports = new CopyOnWriteArrayList<>();
    final List<ImportBackup> imports = new CopyOnWriteArrayList<>();
    volatile boolean hold;

    private final String host;
    private final BackupRecords backups;
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;

    BackupServiceDouble(String host, BackupRecords backups, VolumeRepository volumes, SnapshotRepository snapshots) {
        this.host = host;
        this.backups = backups;
        this.volumes = volumes;
        this.snapshots = snapshots;
    }

    @Override
    public void createBackup(CreateBackup request) {
        creates.add(request);
        if (hold) {
            return;
        }
        backups.assignHost(request.backupId(), Set.of(BackupStatus.CREATING), host, DRIVER);
        backups.finishCreate(request.backupId(), 1, 1024L, "{}");
        Backup b = backups.find(request.backupId()).orElseThrow();
        if (b.snapshotId() != null) {
            snapshots.transition(b.snapshotId(), Set.of(SnapshotStatus.BACKING_UP), SnapshotStatus.AVAILABLE);
        } else {
            volumes.find(b.volumeId()).ifPresent(v -> volumes.transition(v.id(), Set.of(VolumeStatus.BACKING_UP),
                    v.attachStatus() == AttachStatus.ATTACHED ? VolumeStatus.IN_USE : VolumeStatus.AVAILABLE));
        }
    }

    @Override
    public void restoreBackup(RestoreBackup request) {
        restores.add(request);
        if (hold) {
            return;
        }
        backups.finishRestore(request.backupId(), request.volumeId(), true);
        volumes.transition(request.volumeId(), Set.of(VolumeStatus.RESTORING_BACKUP), VolumeStatus.AVAILABLE);
        volumes.markAvailable(request.volumeId());
    }

    @Override
    public void deleteBackup(DeleteBackup request) {
        deletes.add(request);
        if (!hold) {
            backups.delete(request.backupId());
        }
    }

    @Override
    public BackupRecord exportRecord(String backupId) {
        exports.add(backupId);
        Backup b = backups.find(backupId).orElseThrow();
        return new BackupRecord(DRIVER, BackupUrl.encode(b, ("manifest of " + backupId).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void importRecord(ImportBackup request) {
        imports.add(request);
        if (!hold) {
            backups.transition(request.backupId(), Set.of(BackupStatus.CREATING), BackupStatus.AVAILABLE);
        }
    }
}
