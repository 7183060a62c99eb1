package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * What each project keeps on a volume backend ({@code host@backend}, any of its pools): its volumes
 * and the snapshots of those volumes, counted and summed in GiB (Cinder's per-host usage, as
 * {@code GET /os-hosts/{host}} shows it).
 */
public final class HostUsage {
    /** A project's volumes and snapshots on the backend. */
    public record ProjectUsage(String projectId, long volumeCount, long volumeGb, long snapshotCount,
                               long snapshotGb) {
    }

    private final Jdbi jdbi;

    public HostUsage(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /** Each project with volumes on {@code backend}, in project order. */
    public List<ProjectUsage> byProject(String backend) {
        String onBackend = "(v.host = :backend OR v.host LIKE :pools)";
        return jdbi.withHandle(h -> {
            Map<String, long[]> snapshots = new LinkedHashMap<>();
            h.createQuery("SELECT s.project_id, COUNT(*), COALESCE(SUM(s.volume_size), 0) FROM snapshots s"
                            + " JOIN volumes v ON v.id = s.volume_id WHERE " + onBackend + " GROUP BY s.project_id")
                    .bind("backend", backend).bind("pools", Rows.escapeLike(backend) + "#%")
                    .map((rs, ctx) -> snapshots.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)}))
                    .list();
            List<ProjectUsage> usage = new ArrayList<>();
            h.createQuery("SELECT v.project_id, COUNT(*), COALESCE(SUM(v.size), 0) FROM volumes v WHERE " + onBackend
                            + " GROUP BY v.project_id ORDER BY v.project_id")
                    .bind("backend", backend).bind("pools", Rows.escapeLike(backend) + "#%")
                    .map((rs, ctx) -> {
                        long[] snaps = snapshots.getOrDefault(rs.getString(1), new long[2]);
                        return usage.add(new ProjectUsage(rs.getString(1), rs.getLong(2), rs.getLong(3), snaps[0],
                                snaps[1]));
                    })
                    .list();
            return usage;
        });
    }
}
