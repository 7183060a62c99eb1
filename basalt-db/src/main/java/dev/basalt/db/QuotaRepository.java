package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Quota limits, by project ({@code quotas}) and by class ({@code quota_classes}; the class
 * {@link #DEFAULT_CLASS} holds every project's defaults), and what projects use
 * ({@code quota_usages}, with the claims it totals). Usage changes only through quota claims, with the
 * resources that hold them.
 */
public final class QuotaRepository {
    /** The quota class whose limits are every project's defaults. */
    public static final String DEFAULT_CLASS = "default";

    private final Jdbi jdbi;

    public QuotaRepository(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /** The limits set for the project itself, by resource (resources without a row are absent). */
    public Map<String, Integer> projectLimits(String projectId) {
        return limits("quotas", "project_id", projectId);
    }

    /** Sets (creates or replaces) the given limits of the project, all in one transaction. */
    public void setProjectLimits(String projectId, Map<String, Integer> limits) {
        setLimits("quotas", "project_id", projectId, limits);
    }

    /** Removes every limit set for the project, so it falls back to the defaults; usage stays. */
    public void deleteProjectLimits(String projectId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM quotas WHERE project_id = :k").bind("k", projectId).execute());
    }

    /** The limits set for a project and those of a quota class, read together. */
    public record ProjectAndClassLimits(Map<String, Integer> project, Map<String, Integer> quotaClass) {
    }

    /**
     * The limits set for the project itself and those of {@code className} (null: none), in one
     * query: what checking a new resource against its limits reads.
     */
    public ProjectAndClassLimits projectAndClassLimits(String projectId, String className) {
        return jdbi.withHandle(h -> {
            Map<String, Integer> project = new TreeMap<>();
            Map<String, Integer> quotaClass = new TreeMap<>();
            h.createQuery("SELECT 0, resource, hard_limit FROM quotas WHERE project_id = :p"
                            + " UNION ALL SELECT 1, resource, hard_limit FROM quota_classes WHERE class_name = :c")
                    .bind("p", projectId).bind("c", className)
                    .map((rs, ctx) -> (rs.getInt(1) == 0 ? project : quotaClass).put(rs.getString(2), rs.getInt(3)))
                    .list();
            return new ProjectAndClassLimits(project, quotaClass);
        });
    }

    /** The limits of a quota class, by resource. */
    public Map<String, Integer> classLimits(String className) {
        return limits("quota_classes", "class_name", className);
    }

    /** Sets (creates or replaces) the given limits of a quota class, all in one transaction. */
    public void setClassLimits(String className, Map<String, Integer> limits) {
        setLimits("quota_classes", "class_name", className, limits);
    }

    /**
     * What the project uses, by resource (resources it never used are absent): the sums of its
     * claims, in use and reserved, for each resource it has a usage row of.
     */
    public Map<String, QuotaUsage> usages(String projectId) {
        return jdbi.withHandle(h -> {
            Map<String, QuotaUsage> usages = new TreeMap<>();
            h.createQuery("SELECT u.resource, COALESCE(SUM(c.in_use), 0), COALESCE(SUM(c.reserved), 0)"
                            + " FROM quota_usages u LEFT JOIN quota_claims c"
                            + " ON c.project_id = u.project_id AND c.resource = u.resource"
                            + " WHERE u.project_id = :p GROUP BY u.resource")
                    .bind("p", projectId)
                    .map((rs, ctx) -> usages.put(rs.getString(1), new QuotaUsage(rs.getLong(2), rs.getLong(3))))
                    .list();
            return usages;
        });
    }

    private Map<String, Integer> limits(String table, String keyColumn, String key) {
        return jdbi.withHandle(h -> {
            Map<String, Integer> limits = new TreeMap<>();
            h.createQuery("SELECT resource, hard_limit FROM " + table + " WHERE " + keyColumn + " = :k")
                    .bind("k", key)
                    .map((rs, ctx) -> limits.put(rs.getString(1), rs.getInt(2)))
                    .list();
            return limits;
        });
    }

    /**
     * Updates each row, inserting those missing. A concurrent insert of the same row fails this
     * transaction as a whole; the second attempt then finds the row and updates it.
     */
    private void setLimits(String table, String keyColumn, String key, Map<String, Integer> limits) {
        if (limits.isEmpty()) {
            return;
        }
        try {
            jdbi.useTransaction(h -> upsert(h, table, keyColumn, key, limits));
        } catch (RuntimeException raced) {
            jdbi.useTransaction(h -> upsert(h, table, keyColumn, key, limits));
        }
    }

    private static void upsert(Handle h, String table, String keyColumn, String key, Map<String, Integer> limits) {
        LocalDateTime now = Rows.timestamp(Rows.now());
        for (Map.Entry<String, Integer> e : new TreeMap<>(limits).entrySet()) {
            int updated = h.createUpdate("UPDATE " + table + " SET hard_limit = :l, updated_at = :now"
                            + " WHERE " + keyColumn + " = :k AND resource = :r")
                    .bind("l", e.getValue()).bind("now", now).bind("k", key).bind("r", e.getKey()).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO " + table + " (" + keyColumn + ", resource, hard_limit, created_at,"
                                + " updated_at) VALUES (:k, :r, :l, :now, NULL)")
                        .bind("k", key).bind("r", e.getKey()).bind("l", e.getValue()).bind("now", now).execute();
            }
        }
    }
}
