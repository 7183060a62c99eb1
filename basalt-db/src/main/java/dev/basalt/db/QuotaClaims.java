package dev.basalt.db;

import dev.basalt.common.BasaltException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;

/**
 * Quota claims: what one holder (a volume or a snapshot) takes of its project's usage. Each step runs inside
 * the caller's transaction, the one that changes the holder itself, so the quota and the holder
 * never disagree, even across a crash:
 *
 * <ul>
 *   <li>{@link #reserve} with the insert of the holder ({@link #reserveMore} when it grows): the
 *       holder's claims grow, then the usage row's {@code claimed} total grows by a conditional
 *       update that fails when the limit would be passed;</li>
 *   <li>{@link #commit} when the holder's operation succeeds: what the holder reserved becomes in
 *       use, in its own claim rows only (the project's total does not change);</li>
 *   <li>{@link #rollback} when it fails: the reserved part is given back;</li>
 *   <li>{@link #release} when the holder's row goes: everything is given back.</li>
 * </ul>
 *
 * The usage row of a project and resource ({@code quota_usages}) keeps only the total of its
 * claims, in use and reserved together; how much is in use and how much reserved is summed from
 * the claims when asked ({@link QuotaRepository#usages}). Usage rows are what concurrent
 * reservations of a project queue on, so every step touches them last, after the holder's own
 * rows, holding their locks for as short a time as it can.
 *
 * <p>Every step changes a claim row only if it still holds what was read, and adjusts the usage
 * row only then: a step repeated (a message delivered twice) changes nothing. A holder's claims
 * change only in transactions that change the holder's row first, so they queue on it. Usage
 * rows, which holders share, are always touched in {@link #ORDER} of their resource names
 * (sorted here, not by the database, whose collation may differ), so concurrent transactions
 * cannot deadlock on them.
 */
final class QuotaClaims {
    /** The one order in which every transaction touches quota rows: resource names, as Java sorts them. */
    static final Comparator<String> ORDER = Comparator.naturalOrder();

    private record Claim(String resource, String projectId, long inUse, long reserved) {
    }

    private QuotaClaims() {
    }

    /** Times a reserving transaction runs at most while usage rows it needs are missing. */
    private static final int ATTEMPTS = 3;

    /**
     * A usage row a reservation needs was not there when the transaction looked: the project's first
     * use of the resource (made meanwhile by a concurrent reservation, or not yet), or it was removed.
     */
    private static final class MissingUsageRow extends RuntimeException {
        private final String resource;

        MissingUsageRow(String resource) {
            super("no usage row for " + resource, null, false, false);
            this.resource = resource;
        }
    }

    /**
     * Runs {@code transaction}, which reserves {@code reservation} (or the same resources of the same
     * project; none when null), in a transaction. When a usage row it needs is missing (the project's
     * first use of a resource), the missing rows are made, each in its own short transaction (a lost
     * insert race must not abort the caller's transaction, as PostgreSQL would), and the transaction
     * runs again; a row still missing after {@link #ATTEMPTS} runs was removed meanwhile (its volume
     * type was deleted): a 409.
     */
    static <T> T inTransaction(Jdbi jdbi, QuotaReservation reservation,
                               HandleCallback<T, RuntimeException> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(transaction);
            } catch (MissingUsageRow missing) {
                if (reservation == null) {
                    throw new IllegalStateException("a transaction reserved quota it was not given", missing);
                }
                if (attempt == ATTEMPTS) {
                    throw BasaltException.conflict("The quota resource %s was removed meanwhile (its volume type"
                            + " was deleted).", missing.resource);
                }
                ensureUsageRows(jdbi, reservation.projectId(), reservation.deltas().keySet());
            }
        }
    }

    /** Creates the project's missing usage rows, each in its own short transaction. */
    private static void ensureUsageRows(Jdbi jdbi, String projectId, Collection<String> resources) {
        if (resources.isEmpty()) {
            return;
        }
        Set<String> missing = new TreeSet<>(ORDER);
        missing.addAll(resources);
        missing.removeAll(jdbi.withHandle(h -> h.createQuery(
                        "SELECT resource FROM quota_usages WHERE project_id = :p AND resource IN (<r>)")
                .bind("p", projectId).bindList("r", List.copyOf(missing)).mapTo(String.class).list()));
        for (String resource : missing) {
            try {
                jdbi.useHandle(h -> h.createUpdate("INSERT INTO quota_usages (project_id, resource, claimed, created_at,"
                                + " updated_at) VALUES (:p, :r, 0, :now, NULL)")
                        .bind("p", projectId).bind("r", resource).bind("now", now()).execute());
            } catch (RuntimeException raced) {
                if (jdbi.withHandle(h -> claimed(h, projectId, resource)).isEmpty()) {
                    throw raced;
                }
            }
        }
    }

    /**
     * Reserves every delta for {@code holderId}, a new holder (its row is inserted in the caller's
     * transaction, so it has no claims yet), or throws {@link QuotaExceededException} for the first
     * resource (by name) that would pass its limit; the caller's transaction then rolls back
     * whatever this reserved before. Runs in {@link #inTransaction}, which makes missing usage rows.
     */
    static void reserve(Handle h, String holderId, QuotaReservation reservation) {
        if (reservation.deltas().isEmpty()) {
            return;
        }
        LocalDateTime now = now();
        // One statement for all the claims: a multi-row insert costs the server about what one row does.
        StringJoiner rows = new StringJoiner(", ");
        for (int i = 0; i < reservation.deltas().size(); i++) {
            rows.add("(:h, :r" + i + ", :p, 0, :d" + i + ", :now, NULL)");
        }
        Update claims = h.createUpdate("INSERT INTO quota_claims (holder_id, resource, project_id, in_use,"
                        + " reserved, created_at, updated_at) VALUES " + rows)
                .bind("h", holderId).bind("p", reservation.projectId()).bind("now", now);
        int i = 0;
        for (Map.Entry<String, Long> claim : reservation.deltas().entrySet()) {
            claims.bind("r" + i, claim.getKey()).bind("d" + i, claim.getValue());
            i++;
        }
        claims.execute();
        addToUsage(h, reservation, now);
    }

    /**
     * As {@link #reserve}, for a holder that grows (an extend): adds to the claims it has, and
     * makes those it lacks.
     */
    static void reserveMore(Handle h, String holderId, QuotaReservation reservation) {
        LocalDateTime now = now();
        Set<String> held = new HashSet<>(h.createQuery("SELECT resource FROM quota_claims WHERE holder_id = :h")
                .bind("h", holderId).mapTo(String.class).list());
        for (Map.Entry<String, Long> e : reservation.deltas().entrySet()) {
            Update claim = held.contains(e.getKey())
                    ? h.createUpdate("UPDATE quota_claims SET reserved = reserved + :delta, updated_at = :now"
                            + " WHERE holder_id = :h AND resource = :r")
                    : h.createUpdate("INSERT INTO quota_claims (holder_id, resource, project_id, in_use, reserved,"
                            + " created_at, updated_at) VALUES (:h, :r, :p, 0, :delta, :now, NULL)")
                            .bind("p", reservation.projectId());
            claim.bind("delta", e.getValue()).bind("now", now).bind("h", holderId).bind("r", e.getKey()).execute();
        }
        addToUsage(h, reservation, now);
    }

    /**
     * Grows each usage total by its delta, within its limit, all in one batch (in {@link #ORDER}),
     * last in the transaction, so that its locks are held briefly; throws
     * {@link QuotaExceededException} for the first resource the batch could not grow.
     */
    private static void addToUsage(Handle h, QuotaReservation reservation, LocalDateTime now) {
        PreparedBatch grow = h.prepareBatch("UPDATE quota_usages SET claimed = claimed + :delta, updated_at = :now"
                + " WHERE project_id = :p AND resource = :r AND (:limit < 0 OR claimed + :delta <= :limit)");
        List<String> resources = new ArrayList<>(reservation.deltas().keySet());
        for (String resource : resources) {
            grow.bind("delta", reservation.deltas().get(resource)).bind("now", now)
                    .bind("p", reservation.projectId()).bind("r", resource)
                    .bind("limit", reservation.limit(resource)).add();
        }
        int[] grown = grow.execute();
        for (int i = 0; i < grown.length; i++) {
            if (grown[i] == 0) {
                String resource = resources.get(i);
                int limit = reservation.limit(resource);
                long delta = reservation.deltas().get(resource);
                Optional<Long> claimed = claimed(h, reservation.projectId(), resource);
                if (claimed.isPresent() && limit >= 0 && claimed.get() + delta > limit) {
                    throw new QuotaExceededException(resource, limit, delta, claimed.get());
                }
                // The row was not there when the update looked (made by a concurrent first use since), or is gone.
                throw new MissingUsageRow(resource);
            }
        }
    }

    /**
     * Gives every claim of {@code holderIds} (in use and reserved alike) to {@code toProject}, as a
     * transfer of a volume (and its snapshots) does: the receiving project's usage grows by what
     * the claims hold, within the limits {@code receiver} sets for those amounts (throws
     * {@link QuotaExceededException} for the first resource that would pass its limit; the caller's
     * transaction then rolls back), and each giving project's usage shrinks by its part. Usage
     * rows are touched last, by resource in {@link #ORDER} and then by project, so this cannot
     * deadlock with reservations of either project. Runs in {@link #inTransaction}, given a
     * reservation of the same resources for {@code toProject} (see {@link #heldBy}).
     */
    static void give(Handle h, Collection<String> holderIds, String toProject,
                     java.util.function.Function<Map<String, Long>, QuotaReservation> receiver) {
        if (holderIds.isEmpty()) {
            return;
        }
        List<Claim> claims = new ArrayList<>();
        for (String holderId : holderIds) {
            claims.addAll(claims(h, holderId));
        }
        Map<String, Long> deltas = sums(claims);
        QuotaReservation reservation = receiver.apply(deltas);
        LocalDateTime now = now();
        h.createUpdate("UPDATE quota_claims SET project_id = :to, updated_at = :now WHERE holder_id IN (<h>)")
                .bind("to", toProject).bind("now", now).bindList("h", List.copyOf(holderIds)).execute();
        Map<String, Map<String, Long>> givenBy = new java.util.TreeMap<>(ORDER);
        for (Claim c : claims) {
            givenBy.computeIfAbsent(c.resource(), r -> new java.util.TreeMap<>())
                    .merge(c.projectId(), c.inUse() + c.reserved(), Long::sum);
        }
        for (Map.Entry<String, Map<String, Long>> byResource : givenBy.entrySet()) {
            String resource = byResource.getKey();
            Set<String> projects = new TreeSet<>(byResource.getValue().keySet());
            projects.add(toProject);
            for (String project : projects) {
                if (project.equals(toProject)) {
                    growWithin(h, reservation, resource, now);
                }
                Long given = byResource.getValue().get(project);
                if (given != null) {
                    h.createUpdate("UPDATE quota_usages SET claimed = claimed - :n, updated_at = :now"
                                    + " WHERE project_id = :p AND resource = :r")
                            .bind("n", given).bind("now", now).bind("p", project).bind("r", resource).execute();
                }
            }
        }
    }

    /** What the claims of {@code holderIds} hold together (in use and reserved), by resource; none left out but zeros. */
    static Map<String, Long> heldBy(Handle h, Collection<String> holderIds) {
        List<Claim> claims = new ArrayList<>();
        for (String holderId : holderIds) {
            claims.addAll(claims(h, holderId));
        }
        return sums(claims);
    }

    private static Map<String, Long> sums(List<Claim> claims) {
        Map<String, Long> sums = new java.util.TreeMap<>(ORDER);
        for (Claim c : claims) {
            sums.merge(c.resource(), c.inUse() + c.reserved(), Long::sum);
        }
        sums.values().removeIf(n -> n == 0);
        return sums;
    }

    /** Grows one usage total of the reservation's project by its delta, within its limit. */
    private static void growWithin(Handle h, QuotaReservation reservation, String resource, LocalDateTime now) {
        Long delta = reservation.deltas().get(resource);
        if (delta == null) {
            return;
        }
        int limit = reservation.limit(resource);
        int grown = h.createUpdate("UPDATE quota_usages SET claimed = claimed + :delta, updated_at = :now"
                        + " WHERE project_id = :p AND resource = :r AND (:limit < 0 OR claimed + :delta <= :limit)")
                .bind("delta", delta).bind("now", now).bind("p", reservation.projectId()).bind("r", resource)
                .bind("limit", limit).execute();
        if (grown == 0) {
            Optional<Long> claimed = claimed(h, reservation.projectId(), resource);
            if (claimed.isPresent() && limit >= 0 && claimed.get() + delta > limit) {
                throw new QuotaExceededException(resource, limit, delta, claimed.get());
            }
            throw new MissingUsageRow(resource);
        }
    }

    /**
     * The holder's operation succeeded: what it reserved is now in use. Only the holder's claims
     * change; the project's usage total stays what it was.
     */
    static void commit(Handle h, String holderId) {
        h.createUpdate("UPDATE quota_claims SET in_use = in_use + reserved, reserved = 0, updated_at = :now"
                        + " WHERE holder_id = :h AND reserved <> 0")
                .bind("now", now()).bind("h", holderId).execute();
    }

    /** The holder's operation failed: what it reserved goes back; what it had in use stays. */
    static void rollback(Handle h, String holderId) {
        LocalDateTime now = now();
        List<Claim> givenBack = new ArrayList<>();
        for (Claim c : claims(h, holderId)) {
            if (c.reserved() == 0) {
                continue;
            }
            int changed = c.inUse() == 0
                    ? h.createUpdate("DELETE FROM quota_claims WHERE holder_id = :h AND resource = :r"
                                    + " AND in_use = 0 AND reserved = :n")
                            .bind("h", holderId).bind("r", c.resource()).bind("n", c.reserved()).execute()
                    : h.createUpdate("UPDATE quota_claims SET reserved = 0, updated_at = :now"
                                    + " WHERE holder_id = :h AND resource = :r AND reserved = :n")
                            .bind("now", now).bind("h", holderId).bind("r", c.resource()).bind("n", c.reserved())
                            .execute();
            if (changed == 1) {
                givenBack.add(new Claim(c.resource(), c.projectId(), 0, c.reserved()));
            }
        }
        giveBack(h, givenBack, now);
    }

    /**
     * The holder needs less than it reserved (a managed snapshot smaller than its volume): each of
     * {@code less} (resource to a positive amount, at most what the holder has reserved of it) goes
     * back from its reservation.
     */
    static void reserveLess(Handle h, String holderId, Map<String, Long> less) {
        LocalDateTime now = now();
        List<Claim> givenBack = new ArrayList<>();
        for (Claim c : claims(h, holderId)) {
            Long n = less.get(c.resource());
            if (n == null || n <= 0) {
                continue;
            }
            int changed = h.createUpdate("UPDATE quota_claims SET reserved = reserved - :n, updated_at = :now"
                            + " WHERE holder_id = :h AND resource = :r AND reserved >= :n")
                    .bind("n", n).bind("now", now).bind("h", holderId).bind("r", c.resource()).execute();
            if (changed == 1) {
                givenBack.add(new Claim(c.resource(), c.projectId(), 0, n));
            }
        }
        giveBack(h, givenBack, now);
    }

    /** The holder is gone: everything it claimed goes back. */
    static void release(Handle h, String holderId) {
        LocalDateTime now = now();
        List<Claim> givenBack = new ArrayList<>();
        for (Claim c : claims(h, holderId)) {
            int changed = h.createUpdate("DELETE FROM quota_claims WHERE holder_id = :h AND resource = :r"
                            + " AND in_use = :i AND reserved = :n")
                    .bind("h", holderId).bind("r", c.resource()).bind("i", c.inUse()).bind("n", c.reserved())
                    .execute();
            if (changed == 1) {
                givenBack.add(c);
            }
        }
        giveBack(h, givenBack, now);
    }

    /** The holder no longer takes {@code resources} (a volume retyped away from a type): those claims go back. */
    static void releaseResources(Handle h, String holderId, Collection<String> resources) {
        LocalDateTime now = now();
        List<Claim> givenBack = new ArrayList<>();
        for (Claim c : claims(h, holderId)) {
            if (!resources.contains(c.resource())) {
                continue;
            }
            int changed = h.createUpdate("DELETE FROM quota_claims WHERE holder_id = :h AND resource = :r"
                            + " AND in_use = :i AND reserved = :n")
                    .bind("h", holderId).bind("r", c.resource()).bind("i", c.inUse()).bind("n", c.reserved())
                    .execute();
            if (changed == 1) {
                givenBack.add(c);
            }
        }
        giveBack(h, givenBack, now);
    }

    /** What the project's claims of {@code resource} add up to (in use and reserved), if it has a usage row. */
    static Optional<Long> claimed(Handle h, String projectId, String resource) {
        return h.createQuery("SELECT claimed FROM quota_usages WHERE project_id = :p AND resource = :r")
                .bind("p", projectId).bind("r", resource).mapTo(Long.class).findOne();
    }

    private static List<Claim> claims(Handle h, String holderId) {
        List<Claim> claims = new ArrayList<>(h.createQuery("SELECT resource, project_id, in_use, reserved"
                        + " FROM quota_claims WHERE holder_id = :h")
                .bind("h", holderId)
                .map((rs, ctx) -> new Claim(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
                .list());
        claims.sort(Comparator.comparing(Claim::resource, ORDER));
        return claims;
    }

    /** Takes what the given claims held (already removed from them) off their projects' usage totals, in {@link #ORDER}. */
    private static void giveBack(Handle h, List<Claim> claims, LocalDateTime now) {
        for (Claim c : claims) {
            h.createUpdate("UPDATE quota_usages SET claimed = claimed - :n, updated_at = :now"
                            + " WHERE project_id = :p AND resource = :r")
                    .bind("n", c.inUse() + c.reserved()).bind("now", now).bind("p", c.projectId())
                    .bind("r", c.resource()).execute();
        }
    }

    private static LocalDateTime now() {
        return Rows.timestamp(Rows.now());
    }
}
