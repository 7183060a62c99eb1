package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * How far the image work on a volume has got (a download and conversion of an image into it, its upload
 * to the Image service), in percent from 0 to 100: reported by the volume service while the work runs,
 * cleared when it ends, read by the api for the volume's detail. A report changes neither the volume's
 * status nor its {@code updated_at}.
 */
public final class VolumeProgress {
    private final Jdbi jdbi;

    public VolumeProgress(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /** Records the volume's progress (clamped to 0..100); nothing when the volume is gone. */
    public void report(String volumeId, int percent) {
        set(volumeId, Math.max(0, Math.min(100, percent)));
    }

    /** The work ended: the volume shows no progress any more. */
    public void clear(String volumeId) {
        set(volumeId, null);
    }

    private void set(String volumeId, Integer percent) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE volumes SET progress = :progress WHERE id = :id")
                .bind("progress", percent).bind("id", volumeId).execute());
    }

    /** The progress of those of the volumes that report one. */
    public Map<String, Integer> of(Collection<String> volumeIds) {
        if (volumeIds.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> {
            Map<String, Integer> progress = new HashMap<>();
            h.createQuery("SELECT id, progress FROM volumes WHERE progress IS NOT NULL AND id IN (<ids>)")
                    .bindList("ids", volumeIds)
                    .map((rs, ctx) -> Map.entry(rs.getString("id"), rs.getInt("progress")))
                    .forEach(e -> progress.put(e.getKey(), e.getValue()));
            return progress;
        });
    }
}
