package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.bus.BusTimeoutException;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Ids;
import dev.basalt.db.BackupRecords;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.BackupRecord;
import dev.basalt.rpc.BackupRpc;
import dev.basalt.rpc.BackupUrl;
import dev.basalt.rpc.CreateBackup;
import dev.basalt.rpc.DeleteBackup;
import dev.basalt.rpc.ImportBackup;
import dev.basalt.rpc.RestoreBackup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup rules, by Cinder's ({@code cinder/backup/api.py}), for every caller; no HTTP and no
 * policy here (callers check policy before the step it guards). Which backup service does the
 * work is {@link BackupHosts}' to say: the one on the host of the volume concerned, since a Basalt
 * backup service reads and writes the volumes of its own host directly (Cinder's
 * {@code backup_use_same_host = True}). Every operation that writes and then fails undoes what it
 * wrote: no row, quota claim or status is left half-made.
 * <ul>
 *   <li>{@link #create}: the volume must be {@code available} (an {@code in-use} one needs
 *       {@code force}, and is refused even so until backups of attached volumes are built), or the
 *       snapshot named, of that volume, {@code available}; an incremental backup builds on the
 *       volume's latest {@code available} backup (none: 400). The backup service of the volume's
 *       host must be up (else Cinder's {@code ServiceNotFound}, a 503 here). The row is written
 *       {@code creating} claiming {@code backups} and {@code backup_gigabytes} (over quota:
 *       {@link OverQuotaException}), then the volume goes {@code available → backing-up} (the
 *       snapshot {@code available → backing-up}) conditionally (a lost race: 400, row removed), and
 *       the backup service is asked to copy it.</li>
 *   <li>{@link #restore}: an {@code available} backup into the named volume ({@code available},
 *       at least the backup's size) or into a new one ({@link RestoreTargets}); the backup goes
 *       {@code restoring} (while any of its restores runs) and the volume
 *       {@code available → restoring-backup}, and the backup service of the volume's host writes it.</li>
 *   <li>{@link #delete}: an {@code available} or {@code error} backup (any status when forced)
 *       that no incremental backup builds on goes {@code deleting} and its backup service removes
 *       it; one that never reached a backup service (no host) is removed at once, quota
 *       included.</li>
 *   <li>{@link #update}, {@link #resetStatus} ({@code available} or {@code error}, set directly),
 *       {@link #exportRecord} (an {@code available} backup, asked of its backup service) and
 *       {@link #importRecord} (a record from {@link BackupUrl}, written {@code creating} for the
 *       caller's project with its quota, finished by any up backup service).</li>
 * </ul>
 */
public final class BackupService {
    private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);
    private static final String BACKUP_BINARY = BackupRpc.BINARY;
    private static final Set<BackupStatus> DELETABLE = EnumSet.of(BackupStatus.AVAILABLE, BackupStatus.ERROR);

    private final BackupRecords backups;
    private final VolumeService volumes;
    private final SnapshotService snapshotService;
    private final SnapshotRepository snapshots;
    private final Quotas quotas;
    private final BackupHosts hosts;
    private final RestoreTargets restoreTargets;
    private final BackupRpc backupServices;
    private final Clock clock;
    private final Duration callTimeout;

    public BackupService(BackupRecords backups, VolumeService volumes, SnapshotService snapshotService,
                         SnapshotRepository snapshots, Quotas quotas, BackupHosts hosts, RestoreTargets restoreTargets,
                         BackupRpc backupServices, Clock clock, Duration callTimeout) {
        this.backups = requireNonNull(backups, "backups");
        this.volumes = requireNonNull(volumes, "volumes");
        this.snapshotService = requireNonNull(snapshotService, "snapshotService");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.quotas = requireNonNull(quotas, "quotas");
        this.hosts = requireNonNull(hosts, "hosts");
        this.restoreTargets = requireNonNull(restoreTargets, "restoreTargets");
        this.backupServices = requireNonNull(backupServices, "backupServices");
        this.clock = requireNonNull(clock, "clock");
        this.callTimeout = requireNonNull(callTimeout, "callTimeout");
    }

    /** The backup the caller may see: any project's for an administrator, else only its own; 404 otherwise. */
    public Backup visible(RequestContext context, String id) {
        return (context.isAdmin() ? backups.find(id) : backups.find(id, context.projectId()))
                .orElseThrow(() -> notFound(id));
    }

    /** Cinder's answer to a backup that is not there (or not the caller's to see). */
    public static BasaltException notFound(String id) {
        return BasaltException.notFound("Backup %s could not be found.", id);
    }

    /** Starts backing up {@code volume} (visible to the caller) as {@code request} says; the new backup, {@code creating}. */
    public Backup create(RequestContext context, Volume volume, NewBackup request) {
        Snapshot snapshot = request.snapshotId() == null ? null : backupableSnapshot(context, volume, request);
        if (snapshot == null) {
            checkBackupable(volume, request.force());
        }
        ServiceRecord service = hosts.on(BackupHosts.hostOf(volume.host()), request.availabilityZone())
                .orElseThrow(() -> BackupHosts.notFound(Fault.SERVICE_UNAVAILABLE, BACKUP_BINARY));
        String parentId = null;
        if (request.incremental()) {
            parentId = backups.latestAvailable(volume.id(), snapshot == null ? null : snapshot.createdAt())
                    .map(Backup::id).orElseThrow(() -> invalidBackup("No backups available to do an incremental"
                            + " backup."));
        }
        Instant now = StoredTime.now(clock);
        Backup row = Backup.creating(Ids.newId(), context.projectId(), context.userId(), volume.id(),
                request.snapshotId(), service.availabilityZone(), request.name(), request.description(),
                request.container(), volume.size(), parentId, snapshot == null ? null : snapshot.createdAt(),
                request.metadata(), now);
        BackupRecords.CreateOutcome created;
        try {
            created = backups.create(row, quotas.forBackup(context.projectId(), volume.size()));
        } catch (QuotaExceededException e) {
            LOG.info("{} backup of volume {} refused to project {}: {}", context.requestId(), volume.id(),
                    context.projectId(), e.getMessage());
            throw new OverQuotaException(e, e.resource());
        }
        switch (created) {
            case CREATED -> { }
            case PARENT_NOT_FOUND, PARENT_STATUS -> throw invalidBackup("The parent backup must be available for"
                    + " incremental backup.");
        }
        if (!occupySource(volume, snapshot)) {
            backups.delete(row.id());
            throw BasaltException.badRequest("Invalid volume: Volume to be backed up must be available or in-use,"
                    + " but the current status is \"%s\".", currentStatus(context, volume));
        }
        try {
            backupServices.createBackup(service.host(), new CreateBackup(row.id(), context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask backup service {} to take backup {}", context.requestId(), service.host(),
                    row.id(), e);
            releaseSource(volume.id(), snapshot == null ? null : snapshot.id());
            backups.delete(row.id());
            throw unreachable("the backup was not created");
        }
        LOG.info("{} backup {} of volume {} requested by project {} on backup service {}", context.requestId(),
                row.id(), volume.id(), context.projectId(), service.host());
        return backups.find(row.id()).orElse(row);
    }

    /**
     * Starts restoring {@code backup} into the volume {@code volumeId}, or into a new volume
     * (named {@code name}, else {@code restore_backup_<id>}) when {@code volumeId} is null. The
     * backup must be {@code available} when asked (Cinder's check); a restore of it that another
     * request began meanwhile does not stop this one: both run.
     */
    public Restore restore(RequestContext context, Backup backup, String volumeId, String name) {
        if (backup.status() != BackupStatus.AVAILABLE) {
            throw invalidBackup("Backup status must be available");
        }
        if (volumeId == null) {
            return restoreFresh(context, backup, restoreTargets.create(context, backup, name));
        }
        return restoreInto(context, backup, volumes.visible(context, volumeId), false);
    }

    /**
     * Cinder's check of a backup a new volume is made from (3.47 {@code backup_id}): the caller's to
     * see (404) and {@code available}.
     */
    public Backup sourceOfVolume(RequestContext context, String backupId) {
        Backup backup = visible(context, backupId);
        if (backup.status() != BackupStatus.AVAILABLE) {
            throw invalidBackup("Originating backup status must be one of 'available' values");
        }
        return backup;
    }

    /**
     * Cinder's size of a volume made from {@code backup}: the backup's size when none is asked for,
     * else at least the backup's size (400 otherwise).
     */
    public static NewVolume sized(Backup backup, NewVolume wanted) {
        if (wanted.size() == null) {
            return new NewVolume(wanted.name(), wanted.description(), backup.size(), wanted.volumeType(),
                    wanted.availabilityZone(), wanted.metadata(), wanted.snapshotId(), wanted.sourceVolid(),
                    wanted.image(), wanted.groupId());
        }
        if (wanted.size() < backup.size()) {
            throw BasaltException.badRequest("Invalid input received: Volume size %dGB cannot be smaller than the"
                    + " backup size %dGB. It must be >= backup size.", wanted.size(), backup.size());
        }
        return wanted;
    }

    /**
     * Creates the volume {@code plan} says from {@code backup} (Cinder's volume create with a
     * {@code backup_id}, 3.47), answering at once with the volume {@code creating}: the row is written
     * with its quota reserved and the backup's id, and the scheduler places it; its volume service
     * makes the raw volume and has the backup service of its own host restore the backup into it,
     * which ends it {@code available} (or {@code error}). Over quota or a scheduler out of reach
     * leave nothing behind.
     */
    public Volume createVolume(RequestContext context, Backup backup, VolumePlan plan) {
        return volumes.createFromBackup(context, plan, backup.id());
    }

    /** Restores into a volume just made for the restore, deleting it when the restore cannot start. */
    private Restore restoreFresh(RequestContext context, Backup backup, Volume volume) {
        try {
            return restoreInto(context, backup, volume, true);
        } catch (RuntimeException e) {
            volumes.delete(context, volumes.visible(context, volume.id()), true, false);
            throw e;
        }
    }

    private Restore restoreInto(RequestContext context, Backup backup, Volume volume, boolean fresh) {
        if (volume.status() != VolumeStatus.AVAILABLE) {
            throw invalidVolume("Volume to be restored to must be available");
        }
        if (backup.size() > volume.size()) {
            throw invalidVolume(String.format("volume size %d is too small to restore backup of size %d.",
                    volume.size(), backup.size()));
        }
        ServiceRecord service = hosts.on(BackupHosts.hostOf(volume.host()), null)
                .orElseThrow(() -> BackupHosts.notFound(Fault.NOT_FOUND, BACKUP_BINARY));
        if (!backups.beginRestore(backup.id(), volume.id(), service.host())) {
            throw invalidBackup("Backup status must be available");
        }
        if (!volumes.transition(volume.id(), Set.of(VolumeStatus.AVAILABLE), VolumeStatus.RESTORING_BACKUP)) {
            backups.finishRestore(backup.id(), volume.id(), false);
            throw invalidVolume("Volume to be restored to must be available");
        }
        try {
            backupServices.restoreBackup(service.host(), new RestoreBackup(backup.id(), volume.id(), fresh,
                    context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask backup service {} to restore backup {}", context.requestId(), service.host(),
                    backup.id(), e);
            volumes.transition(volume.id(), Set.of(VolumeStatus.RESTORING_BACKUP), VolumeStatus.AVAILABLE);
            backups.finishRestore(backup.id(), volume.id(), false);
            throw unreachable("the backup was not restored");
        }
        LOG.info("{} backup {} is being restored into volume {} by backup service {}", context.requestId(),
                backup.id(), volume.id(), service.host());
        return new Restore(backup.id(), volume.id(), volume.name());
    }

    /** Starts deleting the backup; {@code force} allows any status. */
    public void delete(RequestContext context, Backup backup, boolean force) {
        Set<BackupStatus> expected = force ? EnumSet.allOf(BackupStatus.class) : DELETABLE;
        if (!expected.contains(backup.status())) {
            throw invalidBackup("Backup status must be available or error");
        }
        if (backup.hasDependentBackups()) {
            throw dependents();
        }
        if (backup.host() == null) {
            deleteUnplaced(context, backup, expected);
            return;
        }
        ServiceRecord service = hosts.on(backup.host(), null)
                .orElseThrow(() -> BackupHosts.notFound(Fault.NOT_FOUND, BACKUP_BINARY));
        started(backups.beginDelete(backup.id(), expected), backup.id());
        try {
            backupServices.deleteBackup(service.host(), new DeleteBackup(backup.id(), context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask backup service {} to delete backup {}", context.requestId(), service.host(),
                    backup.id(), e);
            backups.transition(backup.id(), Set.of(BackupStatus.DELETING), backup.status());
            throw unreachable("the backup was not deleted");
        }
        LOG.info("{} backup {} is being deleted by backup service {}", context.requestId(), backup.id(),
                service.host());
    }

    /**
     * A backup no backup service ever took holds no data: its row (and quota claim) goes at once,
     * and a volume or snapshot still {@code backing-up} for it is {@code available} again.
     */
    private void deleteUnplaced(RequestContext context, Backup backup, Set<BackupStatus> expected) {
        started(backups.beginDelete(backup.id(), expected), backup.id());
        backups.delete(backup.id());
        if (backup.status() == BackupStatus.CREATING) {
            releaseSource(backup.volumeId(), backup.snapshotId());
        }
        LOG.info("{} backup {} had no backup service; deleted", context.requestId(), backup.id());
    }

    private static void started(BackupRecords.DeleteOutcome outcome, String id) {
        switch (outcome) {
            case STARTED -> { }
            case NOT_FOUND -> throw notFound(id);
            case STATUS -> throw invalidBackup("Backup status must be available or error");
            case HAS_DEPENDENTS -> throw dependents();
        }
    }

    /** Applies {@code changes}; the backup as it is then. */
    public Backup update(RequestContext context, Backup backup, BackupChanges changes) {
        if ((changes.setName() || changes.setDescription()) && !backups.rename(backup.id(), changes.setName(),
                changes.name(), changes.setDescription(), changes.description())) {
            throw notFound(backup.id());
        }
        if (changes.metadata() != null && !backups.replaceMetadata(backup.id(), changes.metadata())) {
            throw notFound(backup.id());
        }
        return visible(context, backup.id());
    }

    /** Sets the backup's status ({@code available} or {@code error}) whatever it is now. */
    public void resetStatus(RequestContext context, Backup backup, BackupStatus status) {
        if (!backups.resetStatus(backup.id(), status)) {
            throw notFound(backup.id());
        }
        LOG.info("{} backup {} reset to status {}", context.requestId(), backup.id(), status.apiName());
    }

    /** The record of an {@code available} backup, from the backup service that holds it. */
    public BackupRecord exportRecord(RequestContext context, Backup backup) {
        if (backup.status() != BackupStatus.AVAILABLE) {
            throw invalidBackup("Backup status must be available and not " + backup.status().apiName() + ".");
        }
        ServiceRecord service = hosts.on(backup.host(), null)
                .orElseThrow(() -> BackupHosts.notFound(Fault.NOT_FOUND, BACKUP_BINARY));
        try {
            return backupServices.exportRecord(service.host(), backup.id(), callTimeout);
        } catch (BusTimeoutException e) {
            LOG.error("{} backup service {} did not export backup {} in time", context.requestId(), service.host(),
                    backup.id(), e);
            throw unreachable("the backup record was not exported");
        }
    }

    /**
     * Imports an exported record for the caller's project: the row {@code creating} with the
     * record's fields and its quota, finished by an up backup service. A url that is no record
     * Basalt wrote is a 400; a backup that exists (not {@code deleted}) too.
     */
    public Backup importRecord(RequestContext context, String backupService, String backupUrl) {
        ServiceRecord service = hosts.any()
                .orElseThrow(() -> BackupHosts.notFound(Fault.SERVICE_UNAVAILABLE, backupService));
        BackupUrl.Contents contents;
        try {
            contents = BackupUrl.decode(backupUrl);
        } catch (IllegalArgumentException e) {
            throw BasaltException.badRequest("Invalid input received: Can't parse backup record: %s", e.getMessage());
        }
        Backup record = contents.backup();
        Backup row = new Backup(record.id(), context.projectId(), context.userId(), record.volumeId(),
                record.snapshotId(), service.host(), record.availabilityZone(), record.name(), record.description(),
                record.container(), BackupStatus.CREATING, null, record.service(), record.serviceMetadata(),
                record.size(), record.objectCount(), record.parentId(), 0, record.dataTimestamp(), null, null, null,
                null, record.storedBytes(), record.metadata(), StoredTime.now(clock), null);
        try {
            backups.importRecord(row, quotas.forBackup(context.projectId(), row.size()));
        } catch (QuotaExceededException e) {
            LOG.info("{} import of backup {} refused to project {}: {}", context.requestId(), row.id(),
                    context.projectId(), e.getMessage());
            throw new OverQuotaException(e, e.resource());
        }
        try {
            backupServices.importRecord(service.host(), new ImportBackup(row.id(), backupService, backupUrl,
                    context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask backup service {} to import backup {}", context.requestId(), service.host(),
                    row.id(), e);
            backups.delete(row.id());
            throw unreachable("the backup record was not imported");
        }
        LOG.info("{} backup {} is being imported by backup service {} for project {}", context.requestId(), row.id(),
                service.host(), context.projectId());
        return backups.find(row.id()).orElse(row);
    }

    /** Cinder's checks of a snapshot to back up (of {@code volume}, {@code available}); the snapshot. */
    private Snapshot backupableSnapshot(RequestContext context, Volume volume, NewBackup request) {
        Snapshot snapshot = snapshotService.visible(context, request.snapshotId());
        if (!volume.id().equals(snapshot.volumeId())) {
            throw invalidVolume(String.format("Volume %s does not match with snapshot.volume_id %s.", volume.id(),
                    snapshot.volumeId()));
        }
        if (snapshot.status() != SnapshotStatus.AVAILABLE) {
            throw BasaltException.badRequest("Invalid snapshot: Snapshot to be backed up must be available, but the"
                    + " current status is \"%s\".", snapshot.status().apiName());
        }
        return snapshot;
    }

    /**
     * Cinder's checks of a volume to back up. An {@code in-use} volume (with force) stays attached
     * and usable: its backup service reads a temporary snapshot of it instead.
     */
    private static void checkBackupable(Volume volume, boolean force) {
        if (volume.status() != VolumeStatus.AVAILABLE && volume.status() != VolumeStatus.IN_USE) {
            throw invalidVolume(String.format("Volume to be backed up must be available or in-use, but the current"
                    + " status is \"%s\".", volume.status().apiName()));
        }
        if (volume.status() == VolumeStatus.IN_USE && !force) {
            throw invalidVolume("Backing up an in-use volume must use the force flag.");
        }
    }

    /**
     * Moves what is backed up to {@code backing-up}; false when it is no longer in the status it was
     * checked in ({@code available}, or {@code in-use} for a forced backup of an attached volume).
     */
    private boolean occupySource(Volume volume, Snapshot snapshot) {
        return snapshot == null
                ? volumes.transition(volume.id(), Set.of(volume.status()), VolumeStatus.BACKING_UP)
                : snapshots.transition(snapshot.id(), Set.of(SnapshotStatus.AVAILABLE), SnapshotStatus.BACKING_UP);
    }

    /** Gives back what a backup that will not be taken held {@code backing-up}: the snapshot if any, else the volume. */
    private void releaseSource(String volumeId, String snapshotId) {
        if (snapshotId == null) {
            volumes.endBackingUp(volumeId);
        } else {
            snapshots.transition(snapshotId, Set.of(SnapshotStatus.BACKING_UP), SnapshotStatus.AVAILABLE);
        }
    }

    private String currentStatus(RequestContext context, Volume volume) {
        try {
            return volumes.visible(context, volume.id()).status().apiName();
        } catch (BasaltException gone) {
            return "deleted";
        }
    }

    private static BasaltException invalidBackup(String reason) {
        return BasaltException.badRequest("Invalid backup: %s", reason);
    }

    private static BasaltException invalidVolume(String reason) {
        return BasaltException.badRequest("Invalid volume: %s", reason);
    }

    private static BasaltException dependents() {
        return invalidBackup("Incremental backups exist for this backup.");
    }

    private static BasaltException unreachable(String what) {
        return new BasaltException(Fault.SERVICE_UNAVAILABLE,
                "The backup service could not be reached; " + what + ". Try again later.");
    }
}
