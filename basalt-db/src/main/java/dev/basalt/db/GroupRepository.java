package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.Group;
import dev.basalt.model.GroupStatus;
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
            + " availability_zone, host, group_type_id, status, created_at, updated_at";
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

    public GroupRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /**
     * Inserts the group (as given: placed, or not) with its volume types and claims its quota
     * ({@code groups} 1) in one transaction; throws {@link QuotaExceededException} (and writes
     * nothing) when the claim does not fit.
     */
    public void create(Group g, QuotaReservation reservation) {
        QuotaClaims.inTransaction(jdbi, reservation, h -> {
            h.createUpdate("INSERT INTO volume_groups (" + COLUMNS + ") VALUES (:id, :project, :user, :name,"
                            + " :description, :az, :host, :type, :status, :created, :updated)")
                    .bind("id", g.id()).bind("project", g.projectId()).bind("user", g.userId())
                    .bind("name", g.name()).bind("description", g.description()).bind("az", g.availabilityZone())
                    .bind("host", g.host()).bind("type", g.groupTypeId()).bind("status", g.status().apiName())
                    .bind("created", Rows.timestamp(g.createdAt())).bind("updated", Rows.timestamp(g.updatedAt()))
                    .execute();
            for (String typeId : g.volumeTypeIds()) {
                h.createUpdate("INSERT INTO volume_group_types (group_id, volume_type_id) VALUES (:g, :t)")
                        .bind("g", g.id()).bind("t", typeId).execute();
            }
            QuotaClaims.reserve(h, g.id(), reservation);
            QuotaClaims.commit(h, g.id());
            return null;
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
                Rows.instant(rs, 11));
    }
}
