package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.CleanableResource;
import dev.basalt.model.PendingWork;
import dev.basalt.model.Worker;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Update;

/**
 * The workers table (Cinder's): reading work in flight, and claiming it. The rows themselves are
 * written and removed by the repositories that change the resources' statuses, in the same
 * transactions ({@link Workers}).
 *
 * <p>Every claim is a conditional update: {@link #claim} takes work nobody else took, and
 * {@link #claimForCleanup} and {@link #touch} change a row only if it is still as it was read
 * (its owner, status and {@code race_preventer}), so of two services cleaning the same row one
 * wins and the other learns it lost.
 */
public final class WorkerRepository {
    private static final String COLUMNS = "resource_type, resource_id, status, service_id, race_preventer, created_at,"
            + " updated_at";
    private static final String PENDING = "SELECT w.resource_type, w.resource_id, w.status, w.service_id,"
            + " w.race_preventer, w.created_at, w.updated_at, v.status AS resource_status, v.host AS resource_host"
            + " FROM workers w LEFT JOIN volumes v ON v.id = w.resource_id WHERE w.resource_type = :volume"
            + " UNION ALL"
            + " SELECT w.resource_type, w.resource_id, w.status, w.service_id, w.race_preventer, w.created_at,"
            + " w.updated_at, s.status AS resource_status, v.host AS resource_host"
            + " FROM workers w LEFT JOIN snapshots s ON s.id = w.resource_id LEFT JOIN volumes v ON v.id = s.volume_id"
            + " WHERE w.resource_type = :snapshot";

    /** What became of {@link #claim}. */
    public enum Claim {
        /** The row is this service's now. */
        CLAIMED,
        /** No row names the resource in that status: work started before rows were kept, or it ended. */
        UNRECORDED,
        /** Another service holds the row (it is cleaning the work up). */
        TAKEN
    }

    private final Jdbi jdbi;

    public WorkerRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /** Every row, with what its resource is now, oldest first. */
    public List<PendingWork> pending() {
        return jdbi.withHandle(h -> h.createQuery(PENDING + " ORDER BY created_at, resource_id")
                .bind("volume", CleanableResource.VOLUME.typeName())
                .bind("snapshot", CleanableResource.SNAPSHOT.typeName())
                .map((rs, ctx) -> new PendingWork(row(rs), rs.getString("resource_status"),
                        rs.getString("resource_host")))
                .list());
    }

    /** The row of the resource, if its work is in flight. */
    public Optional<Worker> find(CleanableResource type, String resourceId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM workers"
                        + " WHERE resource_type = :type AND resource_id = :id")
                .bind("type", type.typeName()).bind("id", resourceId)
                .map((rs, ctx) -> row(rs)).findOne());
    }

    /** The rows of resources with this id (of any type when {@code type} is null). */
    public List<Worker> forResource(String resourceId, CleanableResource type) {
        return jdbi.withHandle(h -> {
            var query = h.createQuery("SELECT " + COLUMNS + " FROM workers WHERE resource_id = :id"
                    + (type == null ? "" : " AND resource_type = :type") + " ORDER BY resource_type");
            query.bind("id", resourceId);
            if (type != null) {
                query.bind("type", type.typeName());
            }
            return query.map((rs, ctx) -> row(rs)).list();
        });
    }

    /**
     * Service {@code serviceId} takes the work on the resource in {@code status}, if nobody else
     * holds it: the row becomes its own (it may already be). One update, and a read only when it
     * changed nothing.
     */
    public Claim claim(CleanableResource type, String resourceId, String status, int serviceId) {
        return jdbi.withHandle(h -> {
            int claimed = h.createUpdate("UPDATE workers SET service_id = :me, race_preventer = race_preventer + 1,"
                            + " updated_at = :now WHERE resource_type = :type AND resource_id = :id AND status = :status"
                            + " AND (service_id IS NULL OR service_id = :me)")
                    .bind("me", serviceId).bind("now", Rows.timestamp(Rows.now())).bind("type", type.typeName())
                    .bind("id", resourceId).bind("status", status).execute();
            if (claimed == 1) {
                return Claim.CLAIMED;
            }
            boolean held = h.createQuery("SELECT COUNT(*) FROM workers WHERE resource_type = :type"
                            + " AND resource_id = :id AND status = :status")
                    .bind("type", type.typeName()).bind("id", resourceId).bind("status", status)
                    .mapTo(Long.class).one() > 0;
            return held ? Claim.TAKEN : Claim.UNRECORDED;
        });
    }

    /**
     * Service {@code claimerId} takes the row to clean its work up, if the row is still as
     * {@code seen} (same owner, status and race preventer): true for exactly one of several
     * claimers of the same row.
     */
    public boolean claimForCleanup(Worker seen, int claimerId) {
        return conditional(seen, "service_id = :claimer, race_preventer = :next, updated_at = :now",
                u -> u.bind("claimer", claimerId));
    }

    /**
     * Marks an unclaimed row as looked after now (its work was sent again), if it is still as
     * {@code seen}: true for exactly one of several schedulers, and the row counts as new again.
     */
    public boolean touch(Worker seen) {
        return conditional(seen, "race_preventer = :next, updated_at = :now", u -> { });
    }

    /**
     * Gives a row claimed for cleanup (as {@code claimed}: the row {@code original} after
     * {@link #claimForCleanup}) back to its owner as it was, when the cleanup could not be done.
     */
    public boolean restore(Worker original) {
        return jdbi.withHandle(h -> {
            Update u = h.createUpdate("UPDATE workers SET service_id = :owner, race_preventer = :next,"
                            + " updated_at = :updated WHERE resource_type = :type AND resource_id = :id"
                            + " AND race_preventer = :claimed")
                    .bind("next", original.racePreventer() + 2)
                    .bind("updated", Rows.timestamp(original.updatedAt())).bind("type", original.resourceType().typeName())
                    .bind("id", original.resourceId()).bind("claimed", original.racePreventer() + 1);
            if (original.serviceId() == null) {
                u.bindNull("owner", java.sql.Types.INTEGER);
            } else {
                u.bind("owner", original.serviceId().intValue());
            }
            return u.execute() == 1;
        });
    }

    /** Removes the row if it is still as {@code seen} (its work is done with, or its resource gone). */
    public boolean remove(Worker seen) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM workers WHERE resource_type = :type"
                        + " AND resource_id = :id AND race_preventer = :rp")
                .bind("type", seen.resourceType().typeName()).bind("id", seen.resourceId())
                .bind("rp", seen.racePreventer()).execute() == 1);
    }

    private boolean conditional(Worker seen, String set, java.util.function.Consumer<Update> binder) {
        return jdbi.withHandle(h -> {
            Update u = h.createUpdate("UPDATE workers SET " + set + " WHERE resource_type = :type AND resource_id = :id"
                            + " AND status = :status AND race_preventer = :rp AND "
                            + (seen.serviceId() == null ? "service_id IS NULL" : "service_id = :owner"))
                    .bind("next", seen.racePreventer() + 1).bind("now", Rows.timestamp(Rows.now()))
                    .bind("type", seen.resourceType().typeName()).bind("id", seen.resourceId())
                    .bind("status", seen.status()).bind("rp", seen.racePreventer());
            if (seen.serviceId() != null) {
                u.bind("owner", seen.serviceId().intValue());
            }
            binder.accept(u);
            return u.execute() == 1;
        });
    }

    private static Worker row(ResultSet rs) throws SQLException {
        int serviceId = rs.getInt("service_id");
        Integer owner = rs.wasNull() ? null : serviceId;
        return new Worker(CleanableResource.fromTypeName(rs.getString("resource_type")).orElseThrow(
                        () -> new IllegalStateException("unknown resource_type in workers")),
                rs.getString("resource_id"), rs.getString("status"), owner, rs.getInt("race_preventer"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    }
}
