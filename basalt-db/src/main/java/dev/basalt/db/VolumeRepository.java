package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.AttachStatus;
import dev.basalt.model.GroupStatus;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.Update;

/**
 * Volumes and their metadata. Every status change is conditional on the status the caller
 * expects; a {@code false} answer means someone else changed the volume first.
 *
 * <p>A volume created with a {@link QuotaReservation} claims its quota in the transaction that
 * inserts it, and the claim settles in the transaction that ends its creation: becoming
 * {@code available} commits it, becoming {@code error} (or another failed status) gives the
 * reservation back, and deleting the row gives everything back. A volume left {@code creating}
 * by a crash keeps its reservation until recovery moves it to {@code error} or deletes it.
 *
 * <p>Work in flight is recorded the same way ({@link Workers}): a volume inserted {@code creating}
 * gets its workers row in the inserting transaction, and every status change here removes a row
 * that no longer names the volume's status, in the transaction that makes the change.
 */
public final class VolumeRepository {
    private static final String COLUMNS = "id, project_id, user_id, display_name, display_description, size, status,"
            + " attach_status, availability_zone, host, volume_type_id, bootable, multiattach, snapshot_id,"
            + " source_volid, service_uuid, error_reason, created_at, updated_at, launched_at, group_id,"
            + " encryption_key_id, migration_status";

    /** {@link #COLUMNS} of the table aliased {@code v}, in the same order. */
    private static final String JOINED_COLUMNS = "v." + COLUMNS.replace(", ", ", v.");

    private static final KeysetListQuery<Volume> LIST = new KeysetListQuery<>("volumes", "Volume", COLUMNS,
            (rs, ctx) -> row(rs), VolumeRepository::withMetadata, MetadataTable.VOLUMES, VolumeColumns.ALL);

    private final Jdbi jdbi;

    public VolumeRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /** The database's handle source, for the other volume stores of this package. */
    Jdbi jdbi() {
        return jdbi;
    }

    /** Inserts the volume and its metadata in one transaction, claiming no quota. */
    public void create(Volume v) {
        jdbi.useTransaction(h -> insert(h, v));
    }

    /**
     * Inserts the volume with its metadata and reserves its quota, in one transaction; throws
     * {@link QuotaExceededException} (and inserts nothing) when the reservation does not fit.
     * The reservation comes last, so the project's usage rows stay locked only until the commit.
     */
    public void create(Volume v, QuotaReservation reservation) {
        QuotaClaims.inTransaction(jdbi, reservation, h -> {
            insert(h, v);
            QuotaClaims.reserve(h, v.id(), reservation);
            return null;
        });
    }

    /**
     * Inserts the volume, its metadata and admin metadata on the handle (the caller's transaction),
     * and its workers row when it starts {@code creating}.
     */
    void insert(Handle h, Volume v) {
        h.createUpdate("INSERT INTO volumes (" + COLUMNS + ") VALUES (:id, :project_id, :user_id, :name,"
                        + " :description, :size, :status, :attach_status, :az, :host, :type, :bootable,"
                        + " :multiattach, :snapshot_id, :source_volid, :service_uuid, :error_reason,"
                        + " :created_at, :updated_at, :launched_at, :group_id, :encryption_key_id, :migration_status)")
                .bind("id", v.id()).bind("project_id", v.projectId()).bind("user_id", v.userId())
                .bind("name", v.name()).bind("description", v.description()).bind("size", v.size())
                .bind("status", v.status().apiName()).bind("attach_status", v.attachStatus().apiName())
                .bind("az", v.availabilityZone()).bind("host", v.host()).bind("type", v.volumeTypeId())
                .bind("bootable", v.bootable()).bind("multiattach", v.multiattach())
                .bind("snapshot_id", v.snapshotId()).bind("source_volid", v.sourceVolid())
                .bind("service_uuid", v.serviceUuid()).bind("error_reason", v.errorReason())
                .bind("created_at", Rows.timestamp(v.createdAt())).bind("updated_at", Rows.timestamp(v.updatedAt()))
                .bind("launched_at", Rows.timestamp(v.launchedAt())).bind("group_id", v.groupId())
                .bind("encryption_key_id", v.encryptionKeyId()).bind("migration_status", v.migrationStatus())
                .execute();
        MetadataTable.VOLUMES.insert(h, v.id(), v.metadata());
        AdminMetadata.insert(h, v.id(), v.adminMetadata());
        if (v.status() == VolumeStatus.CREATING || v.status() == VolumeStatus.MANAGING) {
            Workers.recordNew(h, CleanableResource.VOLUME, v.id(), v.status().apiName());
        }
    }

    /** The volume with its metadata and admin metadata, in one query. */
    public Optional<Volume> find(String id) {
        List<WithMetadata> rows = jdbi.withHandle(h -> h.createQuery("SELECT " + JOINED_COLUMNS + ","
                        + " m.meta_key, m.meta_value, a.meta_key, a.meta_value FROM volumes v"
                        + " LEFT JOIN volume_metadata m ON m.volume_id = v.id"
                        + " LEFT JOIN volume_admin_metadata a ON a.volume_id = v.id WHERE v.id = :id")
                .bind("id", id)
                .map((rs, ctx) -> new WithMetadata(row(rs), rs.getString(24), rs.getString(25), rs.getString(26),
                        rs.getString(27)))
                .list());
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> metadata = new HashMap<>();
        Map<String, String> adminMetadata = new HashMap<>();
        for (WithMetadata r : rows) {
            if (r.key() != null) {
                metadata.put(r.key(), r.value());
            }
            if (r.adminKey() != null) {
                adminMetadata.put(r.adminKey(), r.adminValue());
            }
        }
        return Optional.of(rows.get(0).volume().withMetadata(metadata, adminMetadata));
    }

    /** One row of a volume joined with one of its metadata and one of its admin metadata items (null when none). */
    private record WithMetadata(Volume volume, String key, String value, String adminKey, String adminValue) {
    }

    /**
     * The volume's own row, in one query, without its metadata and admin metadata (both empty):
     * for services that act on a volume's status, place, size and sources, and never show it.
     */
    public Optional<Volume> findRow(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM volumes WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne());
    }

    /** The volume if it exists and belongs to {@code projectId} (any project when null). */
    public Optional<Volume> find(String id, String projectId) {
        return find(id).filter(v -> projectId == null || projectId.equals(v.projectId()));
    }

    public Page<Volume> list(VolumeQuery query) {
        return jdbi.withHandle(h -> LIST.list(h, query,
                where -> LIST.withEntries(where, MetadataTable.VOLUME_IMAGES, query.imageMetadata(), "g")));
    }

    /** Volumes in {@code status} on a backend ({@code host@backend}, any pool). */
    public List<Volume> findOnBackend(String backend, VolumeStatus status) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM volumes"
                        + " WHERE status = :status AND (host = :backend OR host LIKE :pools)")
                .bind("status", status.apiName()).bind("backend", backend).bind("pools", Rows.escapeLike(backend) + "#%")
                .map((rs, ctx) -> row(rs)).list());
    }

    /** The ids of every volume placed on {@code backend} (any pool, any status). */
    public Set<String> idsOnBackend(String backend) {
        return jdbi.withHandle(h -> Set.copyOf(h.createQuery("SELECT id FROM volumes WHERE host = :backend"
                        + " OR host LIKE :pools")
                .bind("backend", backend).bind("pools", Rows.escapeLike(backend) + "#%")
                .mapTo(String.class).list()));
    }

    /** Volumes in {@code status} that no scheduler has placed yet. */
    public List<Volume> findUnplaced(VolumeStatus status) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM volumes"
                        + " WHERE status = :status AND host IS NULL")
                .bind("status", status.apiName()).map((rs, ctx) -> row(rs)).list());
    }

    public long countWithType(String volumeTypeId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM volumes WHERE volume_type_id = :t")
                .bind("t", volumeTypeId).mapTo(Long.class).one());
    }

    /** Moves the volume to {@code next} if its status is one of {@code expected}. */
    public boolean transition(String id, Set<VolumeStatus> expected, VolumeStatus next) {
        return jdbi.inTransaction(h -> {
            boolean moved = conditionalUpdate(h, id, expected, "status = :next", u -> u.bind("next", next.apiName()));
            if (moved) {
                Workers.settle(h, CleanableResource.VOLUME, id, next.apiName());
            }
            return moved;
        });
    }

    /**
     * Moves the volume to {@code uploading} (its bytes going to a new image) if its status is one of
     * {@code expected}, recording the work (a workers row) in the same transaction.
     */
    public boolean beginUpload(String id, Set<VolumeStatus> expected) {
        return jdbi.inTransaction(h -> {
            boolean moved = conditionalUpdate(h, id, expected, "status = :next",
                    u -> u.bind("next", VolumeStatus.UPLOADING.apiName()));
            if (moved) {
                Workers.record(h, CleanableResource.VOLUME, id, VolumeStatus.UPLOADING.apiName());
            }
            return moved;
        });
    }

    /**
     * Ends an upload, whatever became of it: {@code uploading} → {@code in-use} when the volume is
     * attached, else {@code available} (Cinder's status based on attachment), forgetting the work;
     * false when the volume is not {@code uploading} (or is gone).
     */
    public boolean endUpload(String id) {
        return jdbi.inTransaction(h -> {
            int moved = h.createUpdate("UPDATE volumes SET status = CASE WHEN attach_status = :attached THEN :inUse"
                            + " ELSE :available END, updated_at = :now WHERE id = :id AND status = :uploading")
                    .bind("attached", AttachStatus.ATTACHED.apiName()).bind("inUse", VolumeStatus.IN_USE.apiName())
                    .bind("available", VolumeStatus.AVAILABLE.apiName()).bind("now", Rows.timestamp(Rows.now()))
                    .bind("id", id).bind("uploading", VolumeStatus.UPLOADING.apiName()).execute();
            if (moved == 1) {
                Workers.forget(h, CleanableResource.VOLUME, id);
            }
            return moved == 1;
        });
    }

    /** creating → available, stamping launched_at and committing the volume's quota reservation. */
    public boolean markAvailable(String id) {
        return becomeAvailable(id, VolumeStatus.CREATING);
    }

    /** {@code from} → available, stamping launched_at, forgetting its work and committing its quota reservation. */
    private boolean becomeAvailable(String id, VolumeStatus from) {
        return jdbi.inTransaction(h -> {
            boolean moved = conditionalUpdate(h, id, Set.of(from),
                    "status = :next, launched_at = :now, error_reason = NULL",
                    u -> u.bind("next", VolumeStatus.AVAILABLE.apiName()).bind("now", Rows.timestamp(Rows.now())));
            if (moved) {
                Workers.forget(h, CleanableResource.VOLUME, id);
                QuotaClaims.commit(h, id);
            }
            return moved;
        });
    }

    /**
     * Records the size (GiB) and the pool ({@code host@backend#pool}) of a {@code managing} volume,
     * the size learnt from the storage it is adopting, and reserves what that size takes of the
     * project's quotas ({@code reservation}; null reserves nothing), in one transaction: throws
     * {@link QuotaExceededException} (and changes nothing) when it does not fit; false when the
     * volume is no longer {@code managing}. {@link #finishManage} commits the reservation,
     * {@link #markFailed} ({@code error_managing}) gives it back.
     */
    public boolean sizeManaged(String id, int size, String hostWithPool, QuotaReservation reservation) {
        return QuotaClaims.inTransaction(jdbi, reservation, h -> {
            int updated = h.createUpdate("UPDATE volumes SET size = :size, host = :host, updated_at = :now"
                            + " WHERE id = :id AND status = :managing")
                    .bind("size", size).bind("host", hostWithPool).bind("now", Rows.timestamp(Rows.now()))
                    .bind("id", id).bind("managing", VolumeStatus.MANAGING.apiName()).execute();
            if (updated != 1) {
                return false;
            }
            if (reservation != null) {
                QuotaClaims.reserveMore(h, id, reservation);
            }
            return true;
        });
    }

    /** managing → available, stamping launched_at and committing the volume's quota reservation. */
    public boolean finishManage(String id) {
        return becomeAvailable(id, VolumeStatus.MANAGING);
    }

    /**
     * Moves the volume to {@code error} from one of {@code expected}, keeping why for the user
     * and giving back the quota its failed operation had reserved.
     */
    public boolean markError(String id, Set<VolumeStatus> expected, String reason) {
        return markFailed(id, expected, VolumeStatus.ERROR, reason);
    }

    /**
     * Moves the volume to the failed status {@code failed} ({@code error_deleting}, {@code error_extending}, …)
     * if its status is one of {@code expected}, keeping why for the user; a backup being restored into
     * it goes back to {@code available} in the same transaction.
     */
    public boolean markFailed(String id, Set<VolumeStatus> expected, VolumeStatus failed, String reason) {
        return jdbi.inTransaction(h -> {
            boolean moved = conditionalUpdate(h, id, expected, "status = :next, error_reason = :reason",
                    u -> u.bind("next", failed.apiName()).bind("reason", Rows.truncate(reason, 1024)));
            if (moved) {
                Workers.forget(h, CleanableResource.VOLUME, id);
                QuotaClaims.rollback(h, id);
                BackupRecords.abandonRestoresInto(h, id, reason);
            }
            return moved;
        });
    }

    /** Sets {@code bootable}; false if the volume does not exist. */
    public boolean setBootable(String id, boolean bootable) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE volumes SET bootable = :b, updated_at = :now WHERE id = :id")
                .bind("b", bootable).bind("now", Rows.timestamp(Rows.now())).bind("id", id).execute() == 1);
    }

    /** Sets one admin metadata key if the volume's status is one of {@code expected}; false otherwise. */
    public boolean setAdminMetadata(String id, Set<VolumeStatus> expected, String key, String value) {
        return jdbi.inTransaction(h -> {
            int locked = h.createUpdate("UPDATE volumes SET updated_at = :now WHERE id = :id AND status IN (<expected>)")
                    .bind("now", Rows.timestamp(Rows.now())).bind("id", id)
                    .bindList("expected", expected.stream().map(VolumeStatus::apiName).toList()).execute();
            if (locked != 1) {
                return false;
            }
            AdminMetadata.put(h, id, key, value);
            return true;
        });
    }

    /**
     * extending → available at {@code newSize} GiB, forgetting the pending size and committing the
     * quota the extend reserved; false if the volume
     * is no longer extending.
     */
    public boolean finishExtend(String id, int newSize) {
        return jdbi.inTransaction(h -> {
            int updated = h.createUpdate("UPDATE volumes SET status = :next, size = :size, error_reason = NULL,"
                            + " updated_at = :now WHERE id = :id AND status = :extending")
                    .bind("next", VolumeStatus.AVAILABLE.apiName()).bind("size", newSize)
                    .bind("now", Rows.timestamp(Rows.now())).bind("id", id)
                    .bind("extending", VolumeStatus.EXTENDING.apiName()).execute();
            if (updated != 1) {
                return false;
            }
            AdminMetadata.remove(h, id, Volume.EXTEND_NEW_SIZE);
            Workers.forget(h, CleanableResource.VOLUME, id);
            QuotaClaims.commit(h, id);
            return true;
        });
    }

    /**
     * extending → available at the size it had, forgetting the pending size and giving back the
     * quota the extend reserved (the extend could not be asked for); false if it is no longer extending.
     */
    public boolean cancelExtend(String id) {
        return jdbi.inTransaction(h -> {
            boolean moved = conditionalUpdate(h, id, Set.of(VolumeStatus.EXTENDING), "status = :next",
                    u -> u.bind("next", VolumeStatus.AVAILABLE.apiName()));
            if (!moved) {
                return false;
            }
            AdminMetadata.remove(h, id, Volume.EXTEND_NEW_SIZE);
            Workers.forget(h, CleanableResource.VOLUME, id);
            QuotaClaims.rollback(h, id);
            return true;
        });
    }

    /**
     * An administrator's reset: sets the status (and the attach status when not null) whatever they
     * are now, and clears the error reason; false if the volume does not exist.
     */
    public boolean resetStatus(String id, VolumeStatus status, AttachStatus attachStatus) {
        return jdbi.inTransaction(h -> {
            Update u = h.createUpdate("UPDATE volumes SET status = :status"
                            + (attachStatus == null ? "" : ", attach_status = :attach")
                            + ", error_reason = NULL, updated_at = :now WHERE id = :id")
                    .bind("status", status.apiName()).bind("now", Rows.timestamp(Rows.now())).bind("id", id);
            if (attachStatus != null) {
                u.bind("attach", attachStatus.apiName());
            }
            if (u.execute() != 1) {
                return false;
            }
            if (status != VolumeStatus.EXTENDING) {
                AdminMetadata.remove(h, id, Volume.EXTEND_NEW_SIZE);
            }
            Workers.settle(h, CleanableResource.VOLUME, id, status.apiName());
            return true;
        });
    }

    /** Records where the scheduler placed a volume that is still creating and unplaced. */
    public boolean place(String id, String hostWithPool, String serviceUuid) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE volumes SET host = :host, service_uuid = :svc,"
                        + " updated_at = :now WHERE id = :id AND status = :creating AND host IS NULL")
                .bind("host", hostWithPool).bind("svc", serviceUuid).bind("now", Rows.timestamp(Rows.now()))
                .bind("id", id).bind("creating", VolumeStatus.CREATING.apiName())
                .execute() == 1);
    }

    /**
     * Where the group {@code groupId} lives ({@code host@backend#pool}), for placing its new volumes;
     * empty when the group is gone or not placed.
     */
    public Optional<String> groupHost(String groupId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT host FROM volume_groups WHERE id = :id AND status <> :deleted"
                        + " AND host IS NOT NULL")
                .bind("id", groupId).bind("deleted", GroupStatus.DELETED.apiName()).mapTo(String.class).findOne());
    }

    /** Changes name and/or description (null leaves a field as it is). */
    public boolean rename(String id, Optional<String> name, Optional<String> description) {
        return jdbi.withHandle(h -> RowUpdates.rename(h, "volumes", id, name.isPresent(), name.orElse(null),
                description.isPresent(), description.orElse(null)));
    }

    /**
     * Removes the row and its metadata, giving back all its quota (and a backup being restored into it
     * goes back to {@code available}); true if it was there.
     */
    public boolean delete(String id) {
        return jdbi.inTransaction(h -> {
            MetadataTable.VOLUMES.deleteAll(h, id);
            boolean deleted = h.createUpdate("DELETE FROM volumes WHERE id = :id").bind("id", id).execute() == 1;
            if (deleted) {
                Workers.forget(h, CleanableResource.VOLUME, id);
                QuotaClaims.release(h, id);
                BackupRecords.abandonRestoresInto(h, id, "volume " + id + " was deleted while the backup was"
                        + " restored into it");
            }
            return deleted;
        });
    }

    /**
     * Removes the volume if no scheduler has placed it yet (host still null); false if it was placed
     * meanwhile or is gone. A concurrent {@link #place} waits for this and then finds no row.
     */
    public boolean deleteIfUnplaced(String id) {
        return jdbi.inTransaction(h -> {
            int locked = h.createUpdate("UPDATE volumes SET updated_at = updated_at WHERE id = :id AND host IS NULL")
                    .bind("id", id).execute();
            if (locked == 0) {
                return false;
            }
            MetadataTable.VOLUMES.deleteAll(h, id);
            boolean deleted = h.createUpdate("DELETE FROM volumes WHERE id = :id AND host IS NULL").bind("id", id)
                    .execute() == 1;
            if (deleted) {
                Workers.forget(h, CleanableResource.VOLUME, id);
                QuotaClaims.release(h, id);
            }
            return deleted;
        });
    }

    /** Count, total size and distinct metadata of a project's volumes (every project when null). */
    public VolumeSummary summary(String projectId) {
        return jdbi.withHandle(h -> {
            String scope = projectId == null ? "" : " WHERE project_id = :project";
            Query totals = h.createQuery("SELECT COUNT(*), COALESCE(SUM(size), 0) FROM volumes" + scope);
            Query meta = h.createQuery("SELECT DISTINCT m.meta_key, m.meta_value FROM volume_metadata m"
                    + (projectId == null ? "" : " JOIN volumes v ON v.id = m.volume_id WHERE v.project_id = :project")
                    + " ORDER BY m.meta_key, m.meta_value");
            if (projectId != null) {
                totals.bind("project", projectId);
                meta.bind("project", projectId);
            }
            long[] counts = totals.map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
            Map<String, List<String>> values = new LinkedHashMap<>();
            meta.map((rs, ctx) -> values.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2)))
                    .list();
            return new VolumeSummary(counts[0], counts[1], values);
        });
    }

    public Map<String, String> metadata(String id) {
        return jdbi.withHandle(h -> metadata(h, List.of(id)).getOrDefault(id, Map.of()));
    }

    /** Replaces all metadata of the volume; false if the volume does not exist. */
    public boolean replaceMetadata(String id, Map<String, String> metadata) {
        return MetadataTable.VOLUMES.replace(jdbi, id, metadata);
    }

    /** Adds or overwrites the given keys; false if the volume does not exist. */
    public boolean mergeMetadata(String id, Map<String, String> metadata) {
        return MetadataTable.VOLUMES.merge(jdbi, id, metadata);
    }

    /** Removes one key; false if the volume or the key did not exist. */
    public boolean deleteMetadataKey(String id, String key) {
        return MetadataTable.VOLUMES.removeKey(jdbi, id, key);
    }

    // --- internals

    /** A volume from a row of {@code SELECT COLUMNS}, read by position (in {@link #COLUMNS} order). */
    private static Volume row(ResultSet rs) throws SQLException {
        return new Volume(
                rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getInt(6),
                VolumeStatus.fromApiName(rs.getString(7)).orElse(VolumeStatus.ERROR),
                AttachStatus.fromApiName(rs.getString(8)),
                rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getBoolean(12), rs.getBoolean(13), rs.getString(14),
                rs.getString(15), rs.getString(16), rs.getString(17),
                Map.of(), Rows.instant(rs, 18), Rows.instant(rs, 19),
                Rows.instant(rs, 20), Map.of(), rs.getString(21), rs.getString(22), rs.getString(23));
    }

    Map<String, Map<String, String>> metadata(Handle h, Collection<String> ids) {
        return MetadataTable.VOLUMES.read(h, ids);
    }

    private static List<Volume> withMetadata(Handle h, List<Volume> volumes) {
        VolumeMetadata metadata = VolumeMetadata.read(h, volumes.stream().map(Volume::id).toList());
        List<Volume> result = new ArrayList<>(volumes.size());
        for (Volume v : volumes) {
            result.add(metadata.applyTo(v));
        }
        return result;
    }

    private static boolean conditionalUpdate(Handle h, String id, Set<VolumeStatus> expected, String set,
                                             java.util.function.Consumer<Update> binder) {
        return RowUpdates.ifStatus(h, "volumes", id, expected.stream().map(VolumeStatus::apiName).toList(), set, binder);
    }
}
