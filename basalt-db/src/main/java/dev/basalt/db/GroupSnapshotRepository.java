package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.CleanableResource;
import dev.basalt.model.GroupSnapshot;
import dev.basalt.model.GroupSnapshotStatus;
import dev.basalt.model.GroupStatus;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Group snapshots ({@code group_snapshots}) and their members, ordinary snapshot rows naming them in
 * {@code group_snapshot_id}. A group snapshot has no workers row: its status settles with its
 * members', in the transaction that settles the last of them ({@link #settle}):
 * <ul>
 *   <li>{@code creating}: once no member is {@code creating}, {@code available} if every member is,
 *       else {@code error};</li>
 *   <li>{@code deleting}: once no member is {@code deleting}, the row goes if no member is left,
 *       else {@code error}.</li>
 * </ul>
 * So whatever ends a member's work (its volume service, a restart's or a scheduler's cleanup) ends
 * the group snapshot's too, and it is never left in a transitional status its members are not in.
 */
public final class GroupSnapshotRepository {
    private static final String COLUMNS = "id, group_id, project_id, user_id, display_name, display_description,"
            + " status, group_type_id, created_at, updated_at";

    /** What became of {@link #create}. */
    public enum CreateOutcome {
        CREATED,
        /** The group is gone, or being deleted. */
        GROUP_NOT_FOUND,
        /** The group's volumes changed meanwhile (one came, left, or its status is no longer allowed). */
        VOLUMES_CHANGED
    }

    /** What became of {@link #beginDelete}. */
    public enum DeleteOutcome {
        /** Its members are {@code deleting}: their volume service removes them. */
        STARTED,
        /** It had no members: it is gone already. */
        DELETED,
        NOT_FOUND,
        /** Its status is not one the caller allowed. */
        STATUS,
        /** A group is being made from it (a volume is being created from one of its members). */
        IN_USE
    }

    private final Jdbi jdbi;

    public GroupSnapshotRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /**
     * Inserts the group snapshot and its members (each {@code creating}, with its workers row and its
     * own quota claim, {@code reservations} in the order of {@code members}) in one transaction,
     * while holding the group's row and its volumes' rows: the group must still be there (not
     * {@code deleting}), its volumes must be exactly the members' volumes, each in one of
     * {@code volumeStatuses}. Throws {@link QuotaExceededException} (and writes nothing) when the
     * members' claims together do not fit.
     */
    public CreateOutcome create(GroupSnapshot g, List<Snapshot> members, List<QuotaReservation> reservations,
                                Set<VolumeStatus> volumeStatuses) {
        if (members.size() != reservations.size()) {
            throw new IllegalArgumentException("one reservation per member");
        }
        return QuotaClaims.inTransaction(jdbi, QuotaReservation.combined(g.projectId(), reservations), h -> {
            Optional<String> groupStatus = h.createQuery("SELECT status FROM volume_groups WHERE id = :id FOR UPDATE")
                    .bind("id", g.groupId()).mapTo(String.class).findOne();
            if (groupStatus.isEmpty() || groupStatus.get().equals(GroupStatus.DELETED.apiName())
                    || groupStatus.get().equals(GroupStatus.DELETING.apiName())) {
                return CreateOutcome.GROUP_NOT_FOUND;
            }
            List<String> volumeIds = h.createQuery("SELECT id FROM volumes WHERE group_id = :g ORDER BY id FOR UPDATE")
                    .bind("g", g.groupId()).mapTo(String.class).list();
            // Compared as sets: the database's collation may order ids otherwise than Java does.
            if (volumeIds.size() != members.size()
                    || !Set.copyOf(volumeIds).equals(members.stream().map(Snapshot::volumeId).collect(
                            java.util.stream.Collectors.toSet()))) {
                return CreateOutcome.VOLUMES_CHANGED;
            }
            for (String volumeId : volumeIds) {
                String status = h.createQuery("SELECT status FROM volumes WHERE id = :id").bind("id", volumeId)
                        .mapTo(String.class).one();
                if (volumeStatuses.stream().noneMatch(s -> s.apiName().equals(status))) {
                    return CreateOutcome.VOLUMES_CHANGED;
                }
            }
            h.createUpdate("INSERT INTO group_snapshots (" + COLUMNS + ") VALUES (:id, :group, :project, :user,"
                            + " :name, :description, :status, :type, :created, :updated)")
                    .bind("id", g.id()).bind("group", g.groupId()).bind("project", g.projectId())
                    .bind("user", g.userId()).bind("name", g.name()).bind("description", g.description())
                    .bind("status", g.status().apiName()).bind("type", g.groupTypeId())
                    .bind("created", Rows.timestamp(g.createdAt())).bind("updated", Rows.timestamp(g.updatedAt()))
                    .execute();
            for (int i = 0; i < members.size(); i++) {
                SnapshotRepository.insert(h, members.get(i));
                QuotaClaims.reserve(h, members.get(i).id(), reservations.get(i));
            }
            return CreateOutcome.CREATED;
        });
    }

    public Optional<GroupSnapshot> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM group_snapshots WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> row(rs)).findOne());
    }

    /** The group snapshots of {@code projectId} (every project's when null), oldest first. */
    public List<GroupSnapshot> list(String projectId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM group_snapshots"
                        + (projectId == null ? "" : " WHERE project_id = :project") + " ORDER BY created_at, id")
                .bind("project", projectId).map((rs, ctx) -> row(rs)).list());
    }

    /**
     * Moves the group snapshot to {@code deleting} if its status is one of {@code expected} and no
     * volume is being made from one of its members, and its members (whatever their status) with
     * it, each with its workers row; a group snapshot without members is removed at once.
     */
    public DeleteOutcome beginDelete(String id, Set<GroupSnapshotStatus> expected) {
        return jdbi.inTransaction(h -> {
            Optional<String> status = lock(h, id);
            if (status.isEmpty()) {
                return DeleteOutcome.NOT_FOUND;
            }
            if (expected.stream().noneMatch(s -> s.apiName().equals(status.get()))) {
                return DeleteOutcome.STATUS;
            }
            List<String> members = h.createQuery("SELECT id FROM snapshots WHERE group_snapshot_id = :g FOR UPDATE")
                    .bind("g", id).mapTo(String.class).list();
            for (String member : members) {
                if (Locks.volumesCreatingFrom(h, "snapshot_id", member) > 0) {
                    return DeleteOutcome.IN_USE;
                }
            }
            if (members.isEmpty()) {
                h.createUpdate("DELETE FROM group_snapshots WHERE id = :id").bind("id", id).execute();
                return DeleteOutcome.DELETED;
            }
            setStatus(h, id, GroupSnapshotStatus.DELETING);
            h.createUpdate("UPDATE snapshots SET status = :deleting, updated_at = :now WHERE group_snapshot_id = :g")
                    .bind("deleting", SnapshotStatus.DELETING.apiName()).bind("now", Rows.timestamp(Rows.now()))
                    .bind("g", id).execute();
            for (String member : members) {
                Workers.record(h, CleanableResource.SNAPSHOT, member, SnapshotStatus.DELETING.apiName());
            }
            return DeleteOutcome.STARTED;
        });
    }

    /**
     * Undoes {@link #beginDelete} when its volume service could not be asked: the group snapshot and
     * its {@code deleting} members go back to {@code previous} ({@code available} members when it
     * is {@code available}, else {@code error}).
     */
    public void abandonDelete(String id, GroupSnapshotStatus previous) {
        SnapshotStatus memberStatus = previous == GroupSnapshotStatus.AVAILABLE ? SnapshotStatus.AVAILABLE
                : SnapshotStatus.ERROR;
        jdbi.useTransaction(h -> {
            if (lock(h, id).filter(GroupSnapshotStatus.DELETING.apiName()::equals).isEmpty()) {
                return;
            }
            setStatus(h, id, previous);
            List<String> members = h.createQuery("SELECT id FROM snapshots WHERE group_snapshot_id = :g"
                            + " AND status = :deleting")
                    .bind("g", id).bind("deleting", SnapshotStatus.DELETING.apiName()).mapTo(String.class).list();
            for (String member : members) {
                h.createUpdate("UPDATE snapshots SET status = :status, updated_at = :now WHERE id = :id")
                        .bind("status", memberStatus.apiName()).bind("now", Rows.timestamp(Rows.now()))
                        .bind("id", member).execute();
                Workers.forget(h, CleanableResource.SNAPSHOT, member);
            }
        });
    }

    /** An administrator's reset: sets the status whatever it is now; false if the group snapshot is gone. */
    public boolean resetStatus(String id, GroupSnapshotStatus status) {
        return jdbi.withHandle(h -> setStatus(h, id, status));
    }

    /** Settles the group snapshot of snapshot {@code snapshotId}, if it has one (see the class). */
    static void settleGroupOf(Handle h, String snapshotId) {
        h.createQuery("SELECT group_snapshot_id FROM snapshots WHERE id = :id").bind("id", snapshotId)
                .mapTo(String.class).findOne().ifPresent(g -> settle(h, g));
    }

    /** Settles the group snapshot with its members, on the caller's transaction (see the class). */
    static void settle(Handle h, String groupSnapshotId) {
        Optional<GroupSnapshotStatus> status = lock(h, groupSnapshotId).flatMap(GroupSnapshotStatus::fromApiName);
        if (status.isEmpty()) {
            return;
        }
        List<String> members = h.createQuery("SELECT status FROM snapshots WHERE group_snapshot_id = :g")
                .bind("g", groupSnapshotId).mapTo(String.class).list();
        switch (status.get()) {
            case CREATING -> {
                if (!members.contains(SnapshotStatus.CREATING.apiName())) {
                    boolean all = members.stream().allMatch(SnapshotStatus.AVAILABLE.apiName()::equals);
                    setStatus(h, groupSnapshotId, all ? GroupSnapshotStatus.AVAILABLE : GroupSnapshotStatus.ERROR);
                }
            }
            case DELETING -> {
                if (members.isEmpty()) {
                    h.createUpdate("DELETE FROM group_snapshots WHERE id = :id").bind("id", groupSnapshotId).execute();
                } else if (!members.contains(SnapshotStatus.DELETING.apiName())) {
                    setStatus(h, groupSnapshotId, GroupSnapshotStatus.ERROR);
                }
            }
            default -> { }
        }
    }

    private static Optional<String> lock(Handle h, String id) {
        return h.createQuery("SELECT status FROM group_snapshots WHERE id = :id FOR UPDATE").bind("id", id)
                .mapTo(String.class).findOne();
    }

    private static boolean setStatus(Handle h, String id, GroupSnapshotStatus status) {
        return h.createUpdate("UPDATE group_snapshots SET status = :status, updated_at = :now WHERE id = :id")
                .bind("status", status.apiName()).bind("now", Rows.timestamp(Rows.now())).bind("id", id)
                .execute() == 1;
    }

    private static GroupSnapshot row(ResultSet rs) throws SQLException {
        return new GroupSnapshot(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), GroupSnapshotStatus.fromApiName(rs.getString(7)).orElse(GroupSnapshotStatus.ERROR),
                rs.getString(8), Rows.instant(rs, 9), Rows.instant(rs, 10));
    }
}
