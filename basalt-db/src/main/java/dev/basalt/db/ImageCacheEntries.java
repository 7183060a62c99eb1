package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.ImageCacheEntry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The image-volume cache's entries (Cinder's {@code image_volume_cache_entries}), per backend. */
public final class ImageCacheEntries {
    private static final String COLUMNS = "id, host, image_id, image_updated_at, volume_id, size, last_used";

    private final Jdbi jdbi;

    public ImageCacheEntries(Database database) {
        this.jdbi = requireNonNull(database, "database").jdbi();
    }

    /** The most recently used entry of the image on the backend, if any. */
    public Optional<ImageCacheEntry> find(String host, String imageId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM image_volume_cache_entries"
                        + " WHERE host = :host AND image_id = :image ORDER BY last_used DESC")
                .bind("host", host).bind("image", imageId).map((rs, ctx) -> row(rs)).findFirst());
    }

    /** The backend's entries, least recently used first. */
    public List<ImageCacheEntry> onHost(String host) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM image_volume_cache_entries"
                        + " WHERE host = :host ORDER BY last_used, id")
                .bind("host", host).map((rs, ctx) -> row(rs)).list());
    }

    /** The entry whose volume is {@code volumeId}, if that volume is a cache volume. */
    public Optional<ImageCacheEntry> ofVolume(String volumeId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM image_volume_cache_entries"
                        + " WHERE volume_id = :volume").bind("volume", volumeId).map((rs, ctx) -> row(rs)).findFirst());
    }

    public void add(ImageCacheEntry entry) {
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO image_volume_cache_entries (" + COLUMNS + ") VALUES (:id,"
                        + " :host, :image, :updated, :volume, :size, :used)")
                .bind("id", entry.id()).bind("host", entry.host()).bind("image", entry.imageId())
                .bind("updated", Rows.timestamp(entry.imageUpdatedAt())).bind("volume", entry.volumeId())
                .bind("size", entry.size()).bind("used", Rows.timestamp(entry.lastUsed())).execute());
    }

    /** Marks the entry used at {@code now}. */
    public void touch(String id, Instant now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE image_volume_cache_entries SET last_used = :now WHERE id = :id")
                .bind("now", Rows.timestamp(now)).bind("id", id).execute());
    }

    /** Removes the entry; true if it was there (of two evicting it, one removes it). */
    public boolean remove(String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM image_volume_cache_entries WHERE id = :id")
                .bind("id", id).execute() == 1);
    }

    private static ImageCacheEntry row(ResultSet rs) throws SQLException {
        return new ImageCacheEntry(rs.getString("id"), rs.getString("host"), rs.getString("image_id"),
                Rows.instant(rs, "image_updated_at"), rs.getString("volume_id"), rs.getInt("size"),
                Rows.instant(rs, "last_used"));
    }
}
