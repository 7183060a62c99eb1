package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.Group;
import dev.basalt.model.GroupStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Generic volume groups ({@code volume_groups}, Cinder's {@code groups}) with their volume types
 * ({@code volume_group_types}); a volume's group is its {@code group_id}. A group holds one
 * {@code groups} quota claim from its creation (reserved and committed in the inserting
 * transaction, as Cinder commits it at once) until it is deleted. A deleted group keeps its row,
 * {@code deleted}, and is never found or listed again.
 */
public final class GroupRepository {
    private static final String COLUMNS = "id, project_id, user_id, display_name, display_description,"
            + " availability_zone, host, group_type_id, status, created_at, updated_at, group_snapshot_id, source_group_id";
    private static final String DELETED = GroupStatus.DELETED.apiName();

    /** Why a change of members was refused, or that it happened. */
    public enum MembersOutcome {
        DONE,
        /** The group is gone. */
        NOT_FOUND,
        /** The group is not {@code available}. */
        GROUP_STATUS,
        /** A volume changed meanwhile (another group took it, it left, or its status changed). */
        VOLUME_CHANGED
    }

    private final Jdbi jdbi;
    private final VolumeRepository volumeRows;

    public GroupRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
        this.volumeRows = new VolumeRepository(database);
    }

    /**
     * Inserts the group (as given: placed, or not) with its volume types and claims its quota
     * ({@code groups} 1) in one transaction; throws {@link QuotaExceededException} (and writes
     * nothing) when the claim does not fit.
     */
    public void create(Group g, QuotaReservation reservation) {
        QuotaClaims.inTransaction(jdbi, reservation, h -> {
            insert(h, g, reservation);
            return null;
        });
    }

    /** What became of {@link #createFromSource}. */
    public enum SourceOutcome {
        CREATED,
        /** The source (group snapshot or group) is gone. */
        SOURCE_NOT_FOUND,
        /** The source, or one of its snapshots or volumes, is no longer in a status it is made from. */
        SOURCE_STATUS
    }

    /**
     * Inserts a group made from its source ({@code g.groupSnapshotId()} or {@code g.sourceGroupId()})
     * with its volumes ({@code creating}, unplaced, each made from one of the source's snapshots or
     * volumes, with its workers row) in one transaction, claiming the group's quota and reserving
     * each volume's ({@code reservations}, in the order of {@code volumes}), while holding the source
     * and each snapshot or volume its volumes are made from: the group snapshot must be
     * {@code available}, the source group not deleted; each snapshot {@code available}, each source
     * volume in {@code cloneable}. Throws {@link QuotaExceededException} (and writes nothing) when
     * the claims together do not fit.
     */
    public SourceOutcome createFromSource(Group g, QuotaReservation groupReservation, List<Volume> volumes,
                                          List<QuotaReservation> reservations, Set<VolumeStatus> cloneable) {
        List<QuotaReservation> all = new ArrayList<>(reservations);
        all.add(groupReservation);
        return QuotaClaims.inTransaction(jdbi, QuotaReservation.combined(g.projectId(), all), h -> {
            String sourceStatus = g.groupSnapshotId() != null
                    ? h.createQuery("SELECT status FROM group_snapshots WHERE id = :id FOR UPDATE")
                            .bind("id", g.groupSnapshotId()).mapTo(String.class).findOne().orElse(null)
                    : h.createQuery("SELECT status FROM volume_groups WHERE id = :id FOR UPDATE")
                            .bind("id", g.sourceGroupId()).mapTo(String.class).findOne().orElse(null);
            if (sourceStatus == null || sourceStatus.equals(DELETED)) {
                return SourceOutcome.SOURCE_NOT_FOUND;
            }
            if (g.groupSnapshotId() != null && !sourceStatus.equals("available")) {
                return SourceOutcome.SOURCE_STATUS;
            }
            for (Volume v : volumes) {
                Optional<String> status = v.snapshotId() != null ? Locks.snapshotStatus(h, v.snapshotId())
                        : Locks.volumeStatus(h, v.sourceVolid());
                boolean ok = status.isPresent() && (v.snapshotId() != null ? status.get().equals("available")
                        : cloneable.stream().anyMatch(c -> c.apiName().equals(status.get())));
                if (!ok) {
                    return SourceOutcome.SOURCE_STATUS;
                }
            }
            insert(h, g, groupReservation);
            for (int i = 0; i < volumes.size(); i++) {
                volumeRows.insert(h, volumes.get(i));
                QuotaClaims.reserve(h, volumes.get(i).id(), reservations.get(i));
            }
            return SourceOutcome.CREATED;
        });
    }

    /** The group (not deleted) with its volume types. */
    public Optional<Group> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM volume_groups WHERE id = :id"
                        + " AND status <> :deleted")
                .bind("id", id).bind("deleted", DELETED).map((rs, ctx) -> row(rs)).findOne()
                .map(g -> g.withVolumeTypeIds(typeIds(h, List.of(g.id())).getOrDefault(g.id(), List.of()))));
    }

    /** The groups (not deleted) of {@code projectId}, or of every project when null, oldest first. */
    public List<Group> list(String projectId) {
        return jdbi.withHandle(h -> {
            List<Group> groups = h.createQuery("SELECT " + COLUMNS + " FROM volume_groups WHERE status <> :deleted"
                            + (projectId == null ? "" : " AND project_id = :project") + " ORDER BY created_at, id")
                    .bind("deleted", DELETED).bind("project", projectId).map((rs, ctx) -> row(rs)).list();
            Map<String, List<String>> types = typeIds(h, groups.stream().map(Group::id).toList());
            return groups.stream().map(g -> g.withVolumeTypeIds(types.getOrDefault(g.id(), List.of()))).toList();
        });
    }

    /** The ids of the volumes in the group, oldest first. */
    public List<String> volumeIds(String groupId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT id FROM volumes WHERE group_id = :g ORDER BY created_at, id")
                .bind("g", groupId).mapTo(String.class).list());
    }

    /** Whether the group has group snapshots. */
    public boolean hasGroupSnapshots(String groupId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM group_snapshots WHERE group_id = :g")
                .bind("g", groupId).mapTo(Long.class).one() > 0);
    }

    /** Whether a group (not deleted) is of group type {@code groupTypeId}. */
    public boolean typeInUse(String groupTypeId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM volume_groups WHERE group_type_id = :t"
                        + " AND status <> :deleted")
                .bind("t", groupTypeId).bind("deleted", DELETED).mapTo(Long.class).one() > 0);
    }

    /** Moves the group to {@code next} if its status is one of {@code expected}. */
    public boolean transition(String id, Collection<GroupStatus> expected, GroupStatus next) {
        return jdbi.withHandle(h -> RowUpdates.ifStatus(h, "volume_groups", id,
                expected.stream().map(GroupStatus::apiName).toList(), "status = :next",
                u -> u.bind("next", next.apiName())));
    }

    /**
     * Moves the group to {@code next} if its status is one of {@code expected}, it has no group
     * snapshots and no group is being made from it (a volume is being cloned from one of its
     * volumes); false otherwise.
     */
    public boolean beginDelete(String id, Collection<GroupStatus> expected, GroupStatus next) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE volume_groups SET status = :next, updated_at = :now"
                        + " WHERE id = :id AND status IN (<expected>)"
                        + " AND NOT EXISTS (SELECT 1 FROM group_snapshots gs WHERE gs.group_id = :id)"
                        + " AND NOT EXISTS (SELECT 1 FROM volumes c WHERE c.status = 'creating' AND c.source_volid IN"
                        + " (SELECT m.id FROM volumes m WHERE m.group_id = :id))")
                .bind("next", next.apiName()).bind("now", Rows.timestamp(Rows.now())).bind("id", id)
                .bindList("expected", expected.stream().map(GroupStatus::apiName).toList()).execute() == 1);
    }

    /** Sets the status, whatever it was (an administrator's reset); false if the group is gone. */
    public boolean resetStatus(String id, GroupStatus status) {
        return transition(id, List.of(GroupStatus.values()).stream().filter(s -> s != GroupStatus.DELETED).toList(),
                status);
    }

    /** Changes name and/or description (null leaves a field as it is); false if the group is gone. */
    public boolean rename(String id, String name, String description) {
        return jdbi.withHandle(h -> RowUpdates.rename(h, "volume_groups", id, name != null, name,
                description != null, description));
    }

    /**
     * Adds and removes volumes in one transaction, while the group is {@code available}: each volume
     * to add must still be in no group and in one of {@code addable} statuses, each to remove still
     * in this group and in one of {@code removable}; otherwise nothing changes.
     */
    public MembersOutcome changeMembers(String id, List<String> add, List<String> remove,
                                       Set<VolumeStatus> addable, Set<VolumeStatus> removable) {
        try {
            return jdbi.inTransaction(h -> changeMembers(h, id, add, remove, addable, removable));
        } catch (VolumeChanged changed) {
            return MembersOutcome.VOLUME_CHANGED;
        }
    }

    private static MembersOutcome changeMembers(Handle h, String id, List<String> add, List<String> remove,
                                                Set<VolumeStatus> addable, Set<VolumeStatus> removable) {
        Optional<String> status = h.createQuery("SELECT status FROM volume_groups WHERE id = :id FOR UPDATE")
                .bind("id", id).mapTo(String.class).findOne();
        if (status.isEmpty() || status.get().equals(DELETED)) {
            return MembersOutcome.NOT_FOUND;
        }
        if (!status.get().equals(GroupStatus.AVAILABLE.apiName())) {
            return MembersOutcome.GROUP_STATUS;
        }
        for (String volumeId : add) {
            moveVolume(h, volumeId, null, id, addable);
        }
        for (String volumeId : remove) {
            moveVolume(h, volumeId, id, null, removable);
        }
        h.createUpdate("UPDATE volume_groups SET updated_at = :now WHERE id = :id")
                .bind("now", Rows.timestamp(Rows.now())).bind("id", id).execute();
        return MembersOutcome.DONE;
    }

    /**
     * Moves the volume from group {@code from} to group {@code to} (null: none) if it is still in
     * {@code from} and has one of {@code statuses}; otherwise the caller's transaction is rolled
     * back with {@link VolumeChanged}.
     */
    private static void moveVolume(Handle h, String volumeId, String from, String to, Set<VolumeStatus> statuses) {
        if (h.createUpdate("UPDATE volumes SET group_id = :to, updated_at = :now WHERE id = :v AND "
                        + (from == null ? "group_id IS NULL" : "group_id = :from") + " AND status IN (<ok>)")
                .bind("to", to).bind("from", from).bind("v", volumeId).bind("now", Rows.timestamp(Rows.now()))
                .bindList("ok", names(statuses)).execute() != 1) {
            throw new VolumeChanged();
        }
    }

    /** A volume to add or remove changed meanwhile: thrown so that the transaction rolls back what it did. */
    private static final class VolumeChanged extends RuntimeException {
        VolumeChanged() {
            super("a volume changed meanwhile", null, false, false);
        }
    }

    /**
     * The group is gone: {@code deleted} (from any status but deleted), its quota claim given back,
     * in one transaction; false if it was already deleted or never existed.
     */
    public boolean markDeleted(String id) {
        return jdbi.inTransaction(h -> {
            int changed = h.createUpdate("UPDATE volume_groups SET status = :deleted, updated_at = :now,"
                            + " deleted_at = :now WHERE id = :id AND status <> :deleted")
                    .bind("deleted", DELETED).bind("now", Rows.timestamp(Rows.now())).bind("id", id).execute();
            if (changed == 1) {
                QuotaClaims.release(h, id);
            }
            return changed == 1;
        });
    }

    private static List<String> names(Set<VolumeStatus> statuses) {
        return statuses.stream().map(VolumeStatus::apiName).toList();
    }

    private static Map<String, List<String>> typeIds(Handle h, List<String> groupIds) {
        Map<String, List<String>> types = new LinkedHashMap<>();
        if (groupIds.isEmpty()) {
            return types;
        }
        h.createQuery("SELECT group_id, volume_type_id FROM volume_group_types WHERE group_id IN (<ids>)"
                        + " ORDER BY group_id, volume_type_id")
                .bindList("ids", groupIds)
                .map((rs, ctx) -> types.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2)))
                .list();
        return types;
    }

    private static Group row(ResultSet rs) throws SQLException {
        return new Group(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), List.of(),
                GroupStatus.fromApiName(rs.getString(9)).orElse(GroupStatus.ERROR), Rows.instant(rs, 10),
                Rows.instant(rs, 11), rs.getString(12), rs.getString(13));
    }

    /** Writes the group's row and its volume types, and claims (and commits) its quota, on the caller's transaction. */
    private static void insert(Handle h, Group g, QuotaReservation reservation) {
        h.createUpdate("INSERT INTO volume_groups (" + COLUMNS + ") VALUES (:id, :project, :user, :name,"
                        + " :description, :az, :host, :type, :status, :created, :updated, :group_snapshot,"
                        + " :source_group)")
                .bind("id", g.id()).bind("project", g.projectId()).bind("user", g.userId())
                .bind("name", g.name()).bind("description", g.description()).bind("az", g.availabilityZone())
                .bind("host", g.host()).bind("type", g.groupTypeId()).bind("status", g.status().apiName())
                .bind("created", Rows.timestamp(g.createdAt())).bind("updated", Rows.timestamp(g.updatedAt()))
                .bind("group_snapshot", g.groupSnapshotId()).bind("source_group", g.sourceGroupId())
                .execute();
        for (String typeId : g.volumeTypeIds()) {
            h.createUpdate("INSERT INTO volume_group_types (group_id, volume_type_id) VALUES (:g, :t)")
                    .bind("g", g.id()).bind("t", typeId).execute();
        }
        QuotaClaims.reserve(h, g.id(), reservation);
        QuotaClaims.commit(h, g.id());
    }
}
