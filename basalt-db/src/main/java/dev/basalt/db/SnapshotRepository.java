package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.CleanableResource;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
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
 * Snapshots and their metadata. Every status change is conditional on the status the caller
 * expects; a {@code false} (or refusing) answer means someone else changed the snapshot first.
 * Changes that depend on another row (the snapshot's volume, volumes made from the snapshot) lock
 * that row first in the same transaction, so two requests never both pass their checks. Work in
 * flight ({@code creating}, {@code deleting}) has its workers row written and removed in the
 * transactions that change the status ({@link Workers}).
 */
public final class SnapshotRepository {
    static final String COLUMNS = "id, volume_id, project_id, user_id, display_name, display_description, status,"
            + " progress, volume_size, volume_type_id, error_reason, created_at, updated_at, encryption_key_id,"
            + " group_snapshot_id";

    private static final KeysetListQuery<Snapshot> LIST = new KeysetListQuery<>("snapshots", "Snapshot", COLUMNS,
            (rs, ctx) -> row(rs), SnapshotRepository::withMetadata, MetadataTable.SNAPSHOTS, SnapshotColumns.ALL);

    /** What became of {@link #create}. */
    public enum CreateOutcome {
        CREATED,
        /** The volume does not exist (any more). */
        VOLUME_NOT_FOUND,
        /** The volume's status is not one the caller allowed. */
        VOLUME_STATUS
    }

    /** What became of {@link #beginDelete}. */
    public enum DeleteOutcome {
        STARTED,
        NOT_FOUND,
        /** The snapshot's status is not one the caller allowed. */
        STATUS,
        /** A volume is being created from the snapshot. */
        IN_USE,
        /** The snapshot is a member of a group snapshot: it goes with its group snapshot only. */
        GROUP_SNAPSHOT
    }

    private final Jdbi jdbi;

    public SnapshotRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /**
     * Inserts the snapshot (and its metadata) if its volume's status is one of
     * {@code volumeStatuses}, holding the volume's row meanwhile so that it cannot start being
     * deleted or extended between the check and the insert.
     */
    public CreateOutcome create(Snapshot s, Set<VolumeStatus> volumeStatuses) {
        return create(s, volumeStatuses, null);
    }

    /**
     * As {@link #create(Snapshot, Set)}, also reserving the snapshot's quota ({@code reservation},
     * none when null) in the same transaction, after the volume's checks: throws
     * {@link QuotaExceededException} (and inserts nothing) when the reservation does not fit. The
     * claim settles with the snapshot: {@link #markAvailable} commits it, {@link #markFailed} gives
     * the reservation back, {@link #delete} gives everything back.
     */
    public CreateOutcome create(Snapshot s, Set<VolumeStatus> volumeStatuses, QuotaReservation reservation) {
        return QuotaClaims.inTransaction(jdbi, reservation, h -> {
            Optional<String> status = Locks.volumeStatus(h, s.volumeId());
            if (status.isEmpty()) {
                return CreateOutcome.VOLUME_NOT_FOUND;
            }
            if (volumeStatuses.stream().noneMatch(v -> v.apiName().equals(status.get()))) {
                return CreateOutcome.VOLUME_STATUS;
            }
            insert(h, s);
            if (reservation != null) {
                QuotaClaims.reserve(h, s.id(), reservation);
            }
            return CreateOutcome.CREATED;
        });
    }

    /**
     * As {@link #create(Snapshot, Set, QuotaReservation)}, for a snapshot made from existing storage
     * (managed): the row also records the driver's {@code reference} to that storage, which
     * {@link #manageReference} gives back.
     */
    public CreateOutcome createManaged(Snapshot s, String reference, Set<VolumeStatus> volumeStatuses,
                                       QuotaReservation reservation) {
        requireNonNull(reference, "reference");
        return QuotaClaims.inTransaction(jdbi, reservation, h -> {
            Optional<String> status = Locks.volumeStatus(h, s.volumeId());
            if (status.isEmpty()) {
                return CreateOutcome.VOLUME_NOT_FOUND;
            }
            if (volumeStatuses.stream().noneMatch(v -> v.apiName().equals(status.get()))) {
                return CreateOutcome.VOLUME_STATUS;
            }
            insert(h, s);
            h.createUpdate("UPDATE snapshots SET manage_reference = :reference WHERE id = :id")
                    .bind("reference", reference).bind("id", s.id()).execute();
            if (reservation != null) {
                QuotaClaims.reserve(h, s.id(), reservation);
            }
            return CreateOutcome.CREATED;
        });
    }

    /** The reference of the storage the snapshot is (or was) managed from; empty for one Basalt took. */
    public Optional<String> manageReference(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT manage_reference FROM snapshots WHERE id = :id")
                .bind("id", id).mapTo(String.class).findOne().filter(r -> r != null));
    }

    /**
     * Records the size of a {@code creating} managed snapshot once its storage was looked at,
     * moving its {@code gigabytes} reservation from the volume's size the API reserved in one
     * transaction: {@code more} reserved on top (null: nothing), or {@code less} (resource to amount;
     * empty: nothing) given back. Throws {@link QuotaExceededException} (and changes nothing) when
     * {@code more} does not fit; false when the snapshot is no longer {@code creating}.
     */
    public boolean sizeManaged(String id, int size, QuotaReservation more, Map<String, Long> less) {
        return QuotaClaims.inTransaction(jdbi, more, h -> {
            int updated = h.createUpdate("UPDATE snapshots SET volume_size = :size, updated_at = :now"
                            + " WHERE id = :id AND status = :creating")
                    .bind("size", size).bind("now", Rows.timestamp(Rows.now())).bind("id", id)
                    .bind("creating", SnapshotStatus.CREATING.apiName()).execute();
            if (updated != 1) {
                return false;
            }
            if (more != null) {
                QuotaClaims.reserveMore(h, id, more);
            }
            if (!less.isEmpty()) {
                QuotaClaims.reserveLess(h, id, less);
            }
            return true;
        });
    }

    /** Inserts the snapshot with its metadata (and its workers row when it is {@code creating}). */
    static void insert(Handle h, Snapshot s) {
        h.createUpdate("INSERT INTO snapshots (" + COLUMNS + ") VALUES (:id, :volume_id, :project_id, :user_id,"
                        + " :name, :description, :status, :progress, :volume_size, :type, :error_reason,"
                        + " :created_at, :updated_at, :encryption_key_id, :group_snapshot_id)")
                .bind("id", s.id()).bind("volume_id", s.volumeId()).bind("project_id", s.projectId())
                .bind("user_id", s.userId()).bind("name", s.name()).bind("description", s.description())
                .bind("status", s.status().apiName()).bind("progress", s.progress())
                .bind("volume_size", s.volumeSize()).bind("type", s.volumeTypeId())
                .bind("error_reason", s.errorReason())
                .bind("created_at", Rows.timestamp(s.createdAt())).bind("updated_at", Rows.timestamp(s.updatedAt()))
                .bind("encryption_key_id", s.encryptionKeyId()).bind("group_snapshot_id", s.groupSnapshotId())
                .execute();
        MetadataTable.SNAPSHOTS.insert(h, s.id(), s.metadata());
        if (s.status() == SnapshotStatus.CREATING) {
            Workers.recordNew(h, CleanableResource.SNAPSHOT, s.id(), SnapshotStatus.CREATING.apiName());
        }
    }

    public Optional<Snapshot> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM snapshots WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne()
                .map(s -> s.withMetadata(metadata(h, List.of(s.id())).getOrDefault(s.id(), Map.of()))));
    }

    /** The snapshot if it exists and belongs to {@code projectId} (any project when null). */
    public Optional<Snapshot> find(String id, String projectId) {
        return find(id).filter(s -> projectId == null || projectId.equals(s.projectId()));
    }

    public Page<Snapshot> list(SnapshotQuery query) {
        return jdbi.withHandle(h -> LIST.list(h, query, where -> volumeConditions(query, where)));
    }

    /** The conditions of a query on the snapshot's volume: its availability zone, and its host or below. */
    private static void volumeConditions(SnapshotQuery query, KeysetListQuery.Where where) {
        if (query.availabilityZone() != null) {
            where.and("EXISTS (SELECT 1 FROM volumes v WHERE v.id = snapshots.volume_id"
                    + " AND v.availability_zone = :az_filter)").bind("az_filter", query.availabilityZone());
        }
        if (query.host() != null) {
            where.and("EXISTS (SELECT 1 FROM volumes v WHERE v.id = snapshots.volume_id AND (v.host = :host_filter"
                            + " OR v.host LIKE :host_backends OR v.host LIKE :host_pools))")
                    .bind("host_filter", query.host())
                    .bind("host_backends", Rows.escapeLike(query.host()) + "@%")
                    .bind("host_pools", Rows.escapeLike(query.host()) + "#%");
        }
    }

    /** The members of a group snapshot, oldest first. */
    public List<Snapshot> forGroupSnapshot(String groupSnapshotId) {
        return jdbi.withHandle(h -> withMetadata(h, h.createQuery("SELECT " + COLUMNS + " FROM snapshots"
                        + " WHERE group_snapshot_id = :g ORDER BY created_at, id")
                .bind("g", groupSnapshotId).map((rs, ctx) -> row(rs)).list()));
    }

    /** The snapshots of a volume, oldest first. */
    public List<Snapshot> forVolume(String volumeId) {
        return jdbi.withHandle(h -> withMetadata(h, h.createQuery("SELECT " + COLUMNS + " FROM snapshots"
                        + " WHERE volume_id = :v ORDER BY created_at, id")
                .bind("v", volumeId).map((rs, ctx) -> row(rs)).list()));
    }

    /** Snapshots in {@code status} whose volume lives on a backend ({@code host@backend}, any pool), oldest first. */
    public List<Snapshot> findOnBackend(String backend, SnapshotStatus status) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + prefixed("s") + " FROM snapshots s"
                        + " JOIN volumes v ON v.id = s.volume_id"
                        + " WHERE s.status = :status AND (v.host = :backend OR v.host LIKE :pools)"
                        + " ORDER BY s.created_at, s.id")
                .bind("status", status.apiName()).bind("backend", backend)
                .bind("pools", Rows.escapeLike(backend) + "#%")
                .map((rs, ctx) -> row(rs)).list());
    }

    /** Every snapshot whose volume lives on a backend ({@code host@backend}, any pool): snapshot id to volume id. */
    public Map<String, String> idsOnBackend(String backend) {
        return jdbi.withHandle(h -> {
            Map<String, String> ids = new java.util.HashMap<>();
            h.createQuery("SELECT s.id, s.volume_id FROM snapshots s JOIN volumes v ON v.id = s.volume_id"
                            + " WHERE v.host = :backend OR v.host LIKE :pools")
                    .bind("backend", backend).bind("pools", Rows.escapeLike(backend) + "#%")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                    .forEach(e -> ids.put(e.getKey(), e.getValue()));
            return ids;
        });
    }

    /** Moves the snapshot to {@code next} if its status is one of {@code expected}. */
    public boolean transition(String id, Set<SnapshotStatus> expected, SnapshotStatus next) {
        return jdbi.inTransaction(h -> {
            boolean moved = conditionalUpdate(h, id, expected, "status = :next", u -> u.bind("next", next.apiName()));
            if (moved) {
                Workers.settle(h, CleanableResource.SNAPSHOT, id, next.apiName());
                GroupSnapshotRepository.settleGroupOf(h, id);
            }
            return moved;
        });
    }

    /** creating → available, progress {@code 100%}, committing the snapshot's quota reservation. */
    public boolean markAvailable(String id) {
        return jdbi.inTransaction(h -> {
            boolean moved = conditionalUpdate(h, id, Set.of(SnapshotStatus.CREATING),
                    "status = :next, progress = :progress, error_reason = NULL",
                    u -> u.bind("next", SnapshotStatus.AVAILABLE.apiName()).bind("progress", "100%"));
            if (moved) {
                Workers.forget(h, CleanableResource.SNAPSHOT, id);
                QuotaClaims.commit(h, id);
                GroupSnapshotRepository.settleGroupOf(h, id);
            }
            return moved;
        });
    }

    /**
     * Moves the snapshot to the failed status {@code failed} ({@code error}, {@code error_deleting})
     * if its status is one of {@code expected}, keeping why for the user and giving back the quota its
     * failed operation had reserved (what it has in use stays until the row goes).
     */
    public boolean markFailed(String id, Set<SnapshotStatus> expected, SnapshotStatus failed, String reason) {
        return jdbi.inTransaction(h -> {
            boolean moved = conditionalUpdate(h, id, expected, "status = :next, error_reason = :reason",
                    u -> u.bind("next", failed.apiName()).bind("reason", Rows.truncate(reason, 1024)));
            if (moved) {
                Workers.forget(h, CleanableResource.SNAPSHOT, id);
                QuotaClaims.rollback(h, id);
                GroupSnapshotRepository.settleGroupOf(h, id);
            }
            return moved;
        });
    }

    /**
     * Sets status (and progress when not null) if the status is one of {@code expected}: Cinder's
     * {@code os-update_snapshot_status}. Becoming {@code available} commits the snapshot's quota
     * reservation, becoming {@code error} gives it back.
     */
    public boolean updateStatus(String id, Set<SnapshotStatus> expected, SnapshotStatus next, String progress) {
        return jdbi.inTransaction(h -> {
            boolean moved = conditionalUpdate(h, id, expected,
                    "status = :next" + (progress == null ? "" : ", progress = :progress"),
                    u -> {
                        u.bind("next", next.apiName());
                        if (progress != null) {
                            u.bind("progress", progress);
                        }
                    });
            if (moved) {
                Workers.settle(h, CleanableResource.SNAPSHOT, id, next.apiName());
            }
            if (moved && next == SnapshotStatus.AVAILABLE) {
                QuotaClaims.commit(h, id);
            } else if (moved && next == SnapshotStatus.ERROR) {
                QuotaClaims.rollback(h, id);
            }
            if (moved) {
                GroupSnapshotRepository.settleGroupOf(h, id);
            }
            return moved;
        });
    }

    /** An administrator's reset: sets the status whatever it is now; false if the snapshot does not exist. */
    public boolean resetStatus(String id, SnapshotStatus status) {
        return jdbi.inTransaction(h -> {
            boolean reset = h.createUpdate("UPDATE snapshots SET status = :status, error_reason = NULL,"
                            + " updated_at = :now WHERE id = :id")
                    .bind("status", status.apiName()).bind("now", Rows.timestamp(Rows.now())).bind("id", id)
                    .execute() == 1;
            if (reset) {
                Workers.settle(h, CleanableResource.SNAPSHOT, id, status.apiName());
            }
            return reset;
        });
    }

    /**
     * Moves the snapshot to {@code deleting} if its status is one of {@code expected} and no volume
     * is being created from it.
     */
    public DeleteOutcome beginDelete(String id, Set<SnapshotStatus> expected) {
        return begin(id, expected, SnapshotStatus.DELETING);
    }

    /**
     * Moves the snapshot to {@code unmanaging} on the terms of {@link #beginDelete}: the volume
     * service then lets go of it and its row goes.
     */
    public DeleteOutcome beginUnmanage(String id, Set<SnapshotStatus> expected) {
        return begin(id, expected, SnapshotStatus.UNMANAGING);
    }

    private DeleteOutcome begin(String id, Set<SnapshotStatus> expected, SnapshotStatus next) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = Locks.snapshotStatus(h, id);
            if (status.isEmpty()) {
                return DeleteOutcome.NOT_FOUND;
            }
            if (expected.stream().noneMatch(s -> s.apiName().equals(status.get()))) {
                return DeleteOutcome.STATUS;
            }
            if (h.createQuery("SELECT group_snapshot_id FROM snapshots WHERE id = :id").bind("id", id)
                    .mapTo(String.class).findOne().isPresent()) {
                return DeleteOutcome.GROUP_SNAPSHOT;
            }
            if (Locks.volumesCreatingFrom(h, "snapshot_id", id) > 0) {
                return DeleteOutcome.IN_USE;
            }
            h.createUpdate("UPDATE snapshots SET status = :next, updated_at = :now WHERE id = :id")
                    .bind("next", next.apiName()).bind("now", Rows.timestamp(Rows.now()))
                    .bind("id", id).execute();
            Workers.record(h, CleanableResource.SNAPSHOT, id, next.apiName());
            return DeleteOutcome.STARTED;
        });
    }

    /**
     * Sets the name when {@code setName} and the description when {@code setDescription} (either may
     * be set to null); false if the snapshot does not exist.
     */
    public boolean rename(String id, boolean setName, String name, boolean setDescription, String description) {
        return jdbi.withHandle(h -> RowUpdates.rename(h, "snapshots", id, setName, name, setDescription, description));
    }

    /**
     * Removes the row and its metadata, giving back all its quota; true if it was there. The last
     * member of a {@code deleting} group snapshot takes the group snapshot with it.
     */
    public boolean delete(String id) {
        return jdbi.inTransaction(h -> {
            Optional<String> groupSnapshotId = h.createQuery("SELECT group_snapshot_id FROM snapshots WHERE id = :id")
                    .bind("id", id).mapTo(String.class).findOne();
            MetadataTable.SNAPSHOTS.deleteAll(h, id);
            boolean deleted = h.createUpdate("DELETE FROM snapshots WHERE id = :id").bind("id", id).execute() == 1;
            if (deleted) {
                Workers.forget(h, CleanableResource.SNAPSHOT, id);
                QuotaClaims.release(h, id);
                groupSnapshotId.ifPresent(g -> GroupSnapshotRepository.settle(h, g));
            }
            return deleted;
        });
    }

    public Map<String, String> metadata(String id) {
        return jdbi.withHandle(h -> metadata(h, List.of(id)).getOrDefault(id, Map.of()));
    }

    /** Replaces all metadata of the snapshot; false if the snapshot does not exist. */
    public boolean replaceMetadata(String id, Map<String, String> metadata) {
        return MetadataTable.SNAPSHOTS.replace(jdbi, id, metadata);
    }

    /** Adds or overwrites the given keys; false if the snapshot does not exist. */
    public boolean mergeMetadata(String id, Map<String, String> metadata) {
        return MetadataTable.SNAPSHOTS.merge(jdbi, id, metadata);
    }

    /** Removes one key; false if the snapshot or the key did not exist. */
    public boolean deleteMetadataKey(String id, String key) {
        return MetadataTable.SNAPSHOTS.removeKey(jdbi, id, key);
    }

    // --- internals shared with VolumeTransitions

    static Snapshot row(ResultSet rs) throws SQLException {
        return new Snapshot(rs.getString("id"), rs.getString("volume_id"), rs.getString("project_id"),
                rs.getString("user_id"), rs.getString("display_name"), rs.getString("display_description"),
                SnapshotStatus.fromApiName(rs.getString("status")).orElse(SnapshotStatus.ERROR),
                rs.getString("progress"), rs.getInt("volume_size"), rs.getString("volume_type_id"),
                rs.getString("error_reason"), Map.of(), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"), rs.getString("encryption_key_id"),
                rs.getString("group_snapshot_id"));
    }

    static String prefixed(String alias) {
        List<String> columns = new ArrayList<>();
        for (String c : COLUMNS.split(",")) {
            columns.add(alias + "." + c.strip());
        }
        return String.join(", ", columns);
    }

    private static List<Snapshot> withMetadata(Handle h, List<Snapshot> snapshots) {
        return MetadataTable.SNAPSHOTS.attachTo(h, snapshots, Snapshot::id, Snapshot::withMetadata);
    }

    private static Map<String, Map<String, String>> metadata(Handle h, Collection<String> ids) {
        return MetadataTable.SNAPSHOTS.read(h, ids);
    }

    private static boolean conditionalUpdate(Handle h, String id, Set<SnapshotStatus> expected, String set,
                                             Consumer<Update> binder) {
        return RowUpdates.ifStatus(h, "snapshots", id, expected.stream().map(SnapshotStatus::apiName).toList(), set, binder);
    }
}
