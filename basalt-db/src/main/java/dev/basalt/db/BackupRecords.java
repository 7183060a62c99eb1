package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.VolumeStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/**
 * Backups and their metadata (the records of backups; their data lives in a backup repository).
 * Every status change is conditional on the status the caller expects; a {@code false} (or
 * refusing) answer means someone else changed the backup first. Changes that depend on another
 * backup (an incremental backup's parent, a backup others build on) lock that backup's row first
 * in the same transaction, so two requests never both pass their checks.
 *
 * <p>Quota: a backup claims {@code backups} (1) and {@code backup_gigabytes} (its size) in the
 * transaction that inserts its row, in use at once (as Cinder commits a backup's reservation when
 * its row is created), whatever becomes of the backup's work: a backup in {@code error} still
 * counts until it is deleted. {@link #delete} gives the claim back in the transaction that removes
 * the row. A reservation that does not fit throws {@link QuotaExceededException} and writes nothing.
 */
public final class BackupRecords {
    static final String COLUMNS = "id, project_id, user_id, volume_id, snapshot_id, host, availability_zone,"
            + " display_name, display_description, container, status, fail_reason, service, service_metadata, size,"
            + " object_count, parent_id, data_timestamp, restore_volume_id, temp_volume_id, temp_snapshot_id,"
            + " progress, stored_bytes, created_at, updated_at";

    /** The stored columns and how many live backups build on each row (counted, never stored). */
    private static final String SELECT = COLUMNS + ", (SELECT COUNT(*) FROM backups d WHERE d.parent_id = backups.id"
            + " AND d.status <> 'deleted') AS num_dependent_backups";

    private static final KeysetListQuery<Backup> LIST = new KeysetListQuery<>("backups", "Backup", SELECT,
            (rs, ctx) -> row(rs), BackupRecords::withMetadata, MetadataTable.BACKUPS, BackupColumns.ALL);

    /** The statuses in which a backup's work reports progress. */
    private static final Set<BackupStatus> IN_PROGRESS = Set.of(BackupStatus.CREATING, BackupStatus.RESTORING);

    /** Times an import runs at most while concurrent imports of the same record undo it. */
    private static final int IMPORT_ATTEMPTS = 3;

    /** What became of {@link #create}. */
    public enum CreateOutcome {
        CREATED,
        /** The parent backup does not exist (any more), or is a backup of another volume. */
        PARENT_NOT_FOUND,
        /** The parent backup is not {@code available}. */
        PARENT_STATUS
    }

    /** What became of {@link #beginDelete}. */
    public enum DeleteOutcome {
        STARTED,
        NOT_FOUND,
        /** The backup's status is not one the caller allowed. */
        STATUS,
        /** Incremental backups build on this one. */
        HAS_DEPENDENTS
    }

    /** A restore under way: backup {@code backupId} written into volume {@code volumeId} by the backup service of {@code host}. */
    public record RunningRestore(String backupId, String volumeId, String host) {
    }

    private final Jdbi jdbi;

    public BackupRecords(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /**
     * Inserts the backup and its metadata and claims its quota ({@code reservation}, none when
     * null: {@code backups} 1 and {@code backup_gigabytes} its size, as the api computes them) in
     * one transaction; the claim is in use at once and stays until {@link #delete}. An incremental
     * backup ({@code parentId} set) is inserted only while its parent, a backup of the same volume,
     * is {@code available}, holding the parent's row meanwhile so that it cannot start being
     * deleted between the check and the insert. Without a data timestamp the backup's data is
     * taken at its creation ({@code data_timestamp = created_at}, as Cinder does for a backup of a
     * volume). Throws {@link QuotaExceededException} (and writes nothing) when the reservation does
     * not fit.
     */
    public CreateOutcome create(Backup b, QuotaReservation reservation) {
        return QuotaClaims.inTransaction(jdbi, reservation, h -> {
            if (b.parentId() != null) {
                Optional<CreateOutcome> refused = checkParent(h, b);
                if (refused.isPresent()) {
                    return refused.get();
                }
            }
            insert(h, b);
            claim(h, b.id(), reservation);
            return CreateOutcome.CREATED;
        });
    }

    /**
     * Inserts an imported backup record as it is given (its metadata too), claiming its quota
     * ({@code reservation}, none when null) as {@link #create} does. A record whose backup exists
     * and is not {@code deleted} is refused with {@link BackupExistsException} (a 400), writing
     * nothing; a {@code deleted} one is replaced.
     */
    public void importRecord(Backup b, QuotaReservation reservation) {
        for (int attempt = 1; ; attempt++) {
            try {
                QuotaClaims.inTransaction(jdbi, reservation, h -> {
                    Optional<String> status = Locks.backupStatus(h, b.id());
                    if (status.isPresent() && !BackupStatus.DELETED.apiName().equals(status.get())) {
                        throw new BackupExistsException(b.id());
                    }
                    if (status.isPresent()) {
                        remove(h, b.id());
                    }
                    insert(h, b);
                    claim(h, b.id(), reservation);
                    return null;
                });
                return;
            } catch (BasaltException | QuotaExceededException refused) {
                throw refused;
            } catch (RuntimeException raced) {
                // A concurrent import of the same record inserted it first (a duplicate key), or the
                // database chose this one to undo when their inserts waited on each other (a deadlock).
                if (find(b.id()).filter(found -> found.status() != BackupStatus.DELETED).isPresent()) {
                    throw new BackupExistsException(b.id());
                }
                if (attempt == IMPORT_ATTEMPTS) {
                    throw raced;
                }
            }
        }
    }

    /** As {@link #importRecord(Backup, QuotaReservation)}, claiming no quota. */
    public void importRecord(Backup b) {
        importRecord(b, null);
    }

    public Optional<Backup> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + SELECT + " FROM backups WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne()
                .map(b -> withMetadata(h, b)));
    }

    /** The backup if it exists and belongs to {@code projectId} (any project when null). */
    public Optional<Backup> find(String id, String projectId) {
        return find(id).filter(b -> projectId == null || projectId.equals(b.projectId()));
    }

    public Page<Backup> list(BackupQuery query) {
        return jdbi.withHandle(h -> LIST.list(h, query));
    }

    /** Backups in one of {@code statuses} that the backup service {@code host} owns, oldest first. */
    public List<Backup> findOnHost(String host, Set<BackupStatus> statuses) {
        return jdbi.withHandle(h -> withMetadata(h, h.createQuery("SELECT " + SELECT + " FROM backups"
                        + " WHERE host = :host AND status IN (<statuses>) ORDER BY created_at, id")
                .bind("host", host).bindList("statuses", apiNames(statuses))
                .map((rs, ctx) -> row(rs)).list()));
    }

    /**
     * The newest {@code available} backup of the volume (by data timestamp, then creation), which an
     * incremental backup takes as its parent; with {@code dataBefore}, only backups whose data is
     * older than that (a backup of a snapshot builds on backups taken before the snapshot).
     */
    public Optional<Backup> latestAvailable(String volumeId, Instant dataBefore) {
        return jdbi.withHandle(h -> {
            var query = h.createQuery("SELECT " + SELECT + " FROM backups WHERE volume_id = :volume"
                            + " AND status = :available"
                            + (dataBefore == null ? "" : " AND COALESCE(data_timestamp, created_at) < :before")
                            + " ORDER BY COALESCE(data_timestamp, created_at) DESC, created_at DESC, id DESC LIMIT 1")
                    .bind("volume", volumeId).bind("available", BackupStatus.AVAILABLE.apiName());
            if (dataBefore != null) {
                query.bind("before", Rows.timestamp(dataBefore));
            }
            return query.map((rs, ctx) -> row(rs)).findOne().map(b -> withMetadata(h, b));
        });
    }

    /** As {@link #latestAvailable(String, Instant)}, of all the volume's backups. */
    public Optional<Backup> latestAvailable(String volumeId) {
        return latestAvailable(volumeId, null);
    }

    /** How many backups (not {@code deleted}) build on this one. */
    public long countDependents(String id) {
        return jdbi.withHandle(h -> dependents(h, id));
    }

    /** Moves the backup to {@code next} if its status is one of {@code expected}. */
    public boolean transition(String id, Set<BackupStatus> expected, BackupStatus next) {
        return jdbi.withHandle(h -> conditionalUpdate(h, id, expected, "status = :next",
                u -> u.bind("next", next.apiName())));
    }

    /**
     * A backup service takes the backup's work: sets the service's host and its driver's name if the
     * status is one of {@code expected}.
     */
    public boolean assignHost(String id, Set<BackupStatus> expected, String host, String service) {
        return jdbi.withHandle(h -> conditionalUpdate(h, id, expected, "host = :host, service = :service",
                u -> u.bind("host", host).bind("service", service)));
    }

    /**
     * Records the temporary volume or snapshot (null: none) the backup service made to read an
     * attached volume, while the backup is {@code creating}, so that a restart can remove them.
     */
    public boolean recordTemporaries(String id, String tempVolumeId, String tempSnapshotId) {
        return jdbi.withHandle(h -> conditionalUpdate(h, id, Set.of(BackupStatus.CREATING),
                "temp_volume_id = :tv, temp_snapshot_id = :ts",
                u -> u.bind("tv", tempVolumeId).bind("ts", tempSnapshotId)));
    }

    /**
     * creating → available: the data is stored. Records how many objects and bytes it took and the
     * driver's note of where it lies, progress {@code 100}, no failure, no temporaries left.
     */
    public boolean finishCreate(String id, int objectCount, Long storedBytes, String serviceMetadata) {
        return jdbi.withHandle(h -> conditionalUpdate(h, id, Set.of(BackupStatus.CREATING),
                "status = :next, object_count = :objects, stored_bytes = :bytes, service_metadata = :meta,"
                        + " progress = 100, fail_reason = NULL, temp_volume_id = NULL, temp_snapshot_id = NULL",
                u -> u.bind("next", BackupStatus.AVAILABLE.apiName()).bind("objects", objectCount)
                        .bind("bytes", storedBytes).bind("meta", serviceMetadata)));
    }

    /**
     * Begins a restore of the backup into {@code volumeId} by the backup service of {@code host}: the
     * backup goes (or stays) {@code restoring}, into that volume, progress {@code 0}, and {@code host}
     * becomes its host (as Cinder does when a backup service takes a restore). A backup already
     * {@code restoring} into other volumes takes one more: several restores of one backup run at once
     * (as Cinder lets them), and the backup is {@code available} again when the last ends
     * ({@link #finishRestore}). Refused (false) for a backup neither {@code available} nor
     * {@code restoring}.
     */
    public boolean beginRestore(String id, String volumeId, String host) {
        return jdbi.inTransaction(h -> RestoreClaims.begin(h, id, volumeId, host));
    }

    /**
     * As {@link #beginRestore}, into the new volume {@code volumeId} (a volume made from the backup,
     * still {@code creating}), and in the same transaction the volume's workers row is given up by the
     * volume service that made it (unclaimed again), for the backup service that restores it to claim:
     * from then on the volume's create is that backup service's work. Done again for a backup already
     * restoring into that volume (its create was sent again before the backup service took it);
     * refused (false, nothing changed) as {@link #beginRestore} is, or for a volume that is not
     * {@code creating}.
     */
    public boolean beginRestoreIntoNew(String id, String volumeId, String host) {
        return jdbi.inTransaction(h -> {
            boolean creating = h.createQuery("SELECT COUNT(*) FROM volumes WHERE id = :volume AND status = :creating")
                    .bind("volume", volumeId).bind("creating", VolumeStatus.CREATING.apiName())
                    .mapTo(Long.class).one() == 1;
            if (!creating || !RestoreClaims.begin(h, id, volumeId, host)) {
                return false;
            }
            Workers.release(h, CleanableResource.VOLUME, volumeId, VolumeStatus.CREATING.apiName());
            return true;
        });
    }

    /**
     * A restore into the volume cannot go on (the volume failed or went): it ends, keeping why as the
     * backup's fail_reason, and the backup goes back to {@code available} if it was its last; on the
     * caller's handle, in the transaction that fails or removes the volume.
     */
    static void abandonRestoresInto(Handle h, String volumeId, String reason) {
        RestoreClaims.abandonInto(h, volumeId, reason);
    }

    /**
     * Ends the restore of the backup into {@code volumeId}, whether it worked or not (a failed restore
     * marks the volume, not the backup, as Cinder does); the backup goes from {@code restoring} to
     * {@code available} when no other restore of it runs, progress {@code 100} when it worked. False
     * when no such restore was running.
     */
    public boolean finishRestore(String id, String volumeId, boolean restored) {
        return jdbi.inTransaction(h -> RestoreClaims.end(h, id, volumeId, restored, null));
    }

    /**
     * As {@link #finishRestore} for a restore that failed, keeping {@code reason} as the backup's
     * fail_reason; false (nothing changed) when no such restore was running (it was already ended,
     * say by the volume's failure).
     */
    public boolean failRestore(String id, String volumeId, String reason) {
        return jdbi.inTransaction(h -> RestoreClaims.end(h, id, volumeId, false, reason));
    }

    /** Whether the backup is being restored into {@code volumeId} (begun and not yet finished). */
    public boolean isRestoring(String id, String volumeId) {
        return jdbi.withHandle(h -> RestoreClaims.running(h, id, volumeId));
    }

    /** The restores the backup service of {@code host} runs (it began them), oldest first. */
    public List<RunningRestore> restoresOnHost(String host) {
        return jdbi.withHandle(h -> RestoreClaims.onHost(h, host));
    }

    /**
     * Moves the backup to the failed status {@code failed} ({@code error}, {@code error_deleting}) if
     * its status is one of {@code expected}, keeping why for the user. Its quota stays claimed
     * until the row is deleted.
     */
    public boolean fail(String id, Set<BackupStatus> expected, BackupStatus failed, String reason) {
        return jdbi.withHandle(h -> conditionalUpdate(h, id, expected, "status = :next, fail_reason = :reason",
                u -> u.bind("next", failed.apiName()).bind("reason", Rows.truncate(reason, 1024))));
    }

    /**
     * Sets the percent done (0 to 100) of the create or restore under way; false when the backup is
     * neither {@code creating} nor {@code restoring}, or is gone.
     */
    public boolean updateProgress(String id, int percent) {
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("progress is a percentage, not " + percent);
        }
        return jdbi.withHandle(h -> conditionalUpdate(h, id, IN_PROGRESS, "progress = :progress",
                u -> u.bind("progress", percent)));
    }

    /** An administrator's reset: sets the status whatever it is now; false if the backup does not exist. */
    public boolean resetStatus(String id, BackupStatus status) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE backups SET status = :status, fail_reason = NULL,"
                        + " updated_at = :now WHERE id = :id")
                .bind("status", status.apiName()).bind("now", Rows.timestamp(Rows.now())).bind("id", id)
                .execute() == 1);
    }

    /**
     * Moves the backup to {@code deleting} if its status is one of {@code expected} and no backup
     * builds on it, holding its row meanwhile so that no incremental backup can start building on it
     * between the check and the change.
     */
    public DeleteOutcome beginDelete(String id, Set<BackupStatus> expected) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = Locks.backupStatus(h, id);
            if (status.isEmpty()) {
                return DeleteOutcome.NOT_FOUND;
            }
            if (!apiNames(expected).contains(status.get())) {
                return DeleteOutcome.STATUS;
            }
            if (dependents(h, id) > 0) {
                return DeleteOutcome.HAS_DEPENDENTS;
            }
            h.createUpdate("UPDATE backups SET status = :deleting, updated_at = :now WHERE id = :id")
                    .bind("deleting", BackupStatus.DELETING.apiName()).bind("now", Rows.timestamp(Rows.now()))
                    .bind("id", id).execute();
            return DeleteOutcome.STARTED;
        });
    }

    /**
     * Sets the name when {@code setName} and the description when {@code setDescription} (either may
     * be set to null); false if the backup does not exist.
     */
    public boolean rename(String id, boolean setName, String name, boolean setDescription, String description) {
        return jdbi.withHandle(h -> RowUpdates.rename(h, "backups", id, setName, name, setDescription, description));
    }

    /** Removes the row and its metadata, giving back all its quota; true if it was there. */
    public boolean delete(String id) {
        return jdbi.inTransaction(h -> remove(h, id));
    }

    public Map<String, String> metadata(String id) {
        return jdbi.withHandle(h -> metadata(h, List.of(id)).getOrDefault(id, Map.of()));
    }

    /** Replaces all metadata of the backup; false if the backup does not exist. */
    public boolean replaceMetadata(String id, Map<String, String> metadata) {
        return MetadataTable.BACKUPS.replace(jdbi, id, metadata);
    }

    /** Adds or overwrites the given keys; false if the backup does not exist. */
    public boolean mergeMetadata(String id, Map<String, String> metadata) {
        return MetadataTable.BACKUPS.merge(jdbi, id, metadata);
    }

    /** Removes one key; false if the backup or the key did not exist. */
    public boolean deleteMetadataKey(String id, String key) {
        return MetadataTable.BACKUPS.removeKey(jdbi, id, key);
    }

    // --- internals

    /** Locks the parent's row and checks it can be built on; empty when it can. */
    private static Optional<CreateOutcome> checkParent(Handle h, Backup b) {
        Optional<String> status = Locks.backupStatus(h, b.parentId());
        if (status.isEmpty()) {
            return Optional.of(CreateOutcome.PARENT_NOT_FOUND);
        }
        boolean sameVolume = h.createQuery("SELECT volume_id FROM backups WHERE id = :id")
                .bind("id", b.parentId()).mapTo(String.class).one().equals(b.volumeId());
        if (!sameVolume) {
            return Optional.of(CreateOutcome.PARENT_NOT_FOUND);
        }
        if (!BackupStatus.AVAILABLE.apiName().equals(status.get())) {
            return Optional.of(CreateOutcome.PARENT_STATUS);
        }
        return Optional.empty();
    }

    private static void insert(Handle h, Backup b) {
        Instant dataTimestamp = b.dataTimestamp() != null ? b.dataTimestamp() : b.createdAt();
        h.createUpdate("INSERT INTO backups (" + COLUMNS + ") VALUES (:id, :project_id, :user_id, :volume_id,"
                        + " :snapshot_id, :host, :az, :name, :description, :container, :status, :fail_reason,"
                        + " :service, :service_metadata, :size, :object_count, :parent_id, :data_timestamp,"
                        + " :restore_volume_id, :temp_volume_id, :temp_snapshot_id, :progress, :stored_bytes,"
                        + " :created_at, :updated_at)")
                .bind("id", b.id()).bind("project_id", b.projectId()).bind("user_id", b.userId())
                .bind("volume_id", b.volumeId()).bind("snapshot_id", b.snapshotId()).bind("host", b.host())
                .bind("az", b.availabilityZone()).bind("name", b.name()).bind("description", b.description())
                .bind("container", b.container()).bind("status", b.status().apiName())
                .bind("fail_reason", Rows.truncate(b.failReason(), 1024)).bind("service", b.service())
                .bind("service_metadata", b.serviceMetadata()).bind("size", b.size())
                .bind("object_count", b.objectCount()).bind("parent_id", b.parentId())
                .bind("data_timestamp", Rows.timestamp(dataTimestamp))
                .bind("restore_volume_id", b.restoreVolumeId()).bind("temp_volume_id", b.tempVolumeId())
                .bind("temp_snapshot_id", b.tempSnapshotId()).bind("progress", b.progress())
                .bind("stored_bytes", b.storedBytes())
                .bind("created_at", Rows.timestamp(b.createdAt())).bind("updated_at", Rows.timestamp(b.updatedAt()))
                .execute();
        MetadataTable.BACKUPS.insert(h, b.id(), b.metadata());
    }

    /** Reserves the new backup's quota and puts it in use at once: it counts while the row exists. */
    private static void claim(Handle h, String id, QuotaReservation reservation) {
        if (reservation != null) {
            QuotaClaims.reserve(h, id, reservation);
            QuotaClaims.commit(h, id);
        }
    }

    /** Removes the row and its metadata and gives back its quota; true if it was there. */
    private static boolean remove(Handle h, String id) {
        MetadataTable.BACKUPS.deleteAll(h, id);
        RestoreClaims.forget(h, id);
        boolean deleted = h.createUpdate("DELETE FROM backups WHERE id = :id").bind("id", id).execute() == 1;
        if (deleted) {
            QuotaClaims.release(h, id);
        }
        return deleted;
    }

    private static long dependents(Handle h, String id) {
        return h.createQuery("SELECT COUNT(*) FROM backups WHERE parent_id = :id AND status <> :deleted")
                .bind("id", id).bind("deleted", BackupStatus.DELETED.apiName()).mapTo(Long.class).one();
    }

    static Backup row(ResultSet rs) throws SQLException {
        long storedBytes = rs.getLong("stored_bytes");
        Long stored = rs.wasNull() ? null : storedBytes;
        int progressValue = rs.getInt("progress");
        Integer progress = rs.wasNull() ? null : progressValue;
        return new Backup(rs.getString("id"), rs.getString("project_id"), rs.getString("user_id"),
                rs.getString("volume_id"), rs.getString("snapshot_id"), rs.getString("host"),
                rs.getString("availability_zone"), rs.getString("display_name"), rs.getString("display_description"),
                rs.getString("container"), BackupStatus.fromApiName(rs.getString("status")).orElse(BackupStatus.ERROR),
                rs.getString("fail_reason"), rs.getString("service"), rs.getString("service_metadata"),
                rs.getInt("size"), rs.getInt("object_count"), rs.getString("parent_id"),
                rs.getInt("num_dependent_backups"), Rows.instant(rs, "data_timestamp"),
                rs.getString("restore_volume_id"), rs.getString("temp_volume_id"), rs.getString("temp_snapshot_id"),
                progress, stored, Map.of(), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }

    private static List<Backup> withMetadata(Handle h, List<Backup> backups) {
        return MetadataTable.BACKUPS.attachTo(h, backups, Backup::id, Backup::withMetadata);
    }

    private static Backup withMetadata(Handle h, Backup b) {
        return withMetadata(h, List.of(b)).getFirst();
    }

    private static Map<String, Map<String, String>> metadata(Handle h, Collection<String> ids) {
        return MetadataTable.BACKUPS.read(h, ids);
    }

    private static List<String> apiNames(Set<BackupStatus> statuses) {
        return statuses.stream().map(BackupStatus::apiName).toList();
    }

    private static boolean conditionalUpdate(Handle h, String id, Set<BackupStatus> expected, String set,
                                             Consumer<Update> binder) {
        return RowUpdates.ifStatus(h, "backups", id, expected.stream().map(BackupStatus::apiName).toList(), set, binder);
    }
}
