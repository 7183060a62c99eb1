package dev.basalt.db;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A key/value metadata table of one kind of resource ({@code volume_metadata} by
 * {@code volume_id} of {@code volumes}, {@code snapshot_metadata} by {@code snapshot_id} of
 * {@code snapshots}, {@code backup_metadata} by {@code backup_id} of {@code backups}, {@code volume_glance_metadata} by
 * {@code volume_id} of {@code volumes}). The calls taking a handle join the caller's transaction; the user-facing
 * changes ({@link #replace}, {@link #merge(Jdbi, String, Map)}, {@link #removeKey}) run in their
 * own, after updating the owner's row: that checks it exists, marks it updated, and holds its row
 * lock, so concurrent changes of one owner's metadata take turns.
 */
record MetadataTable(String table, String ownerColumn, String ownerTable) {
    static final MetadataTable VOLUMES = new MetadataTable("volume_metadata", "volume_id", "volumes");
    static final MetadataTable SNAPSHOTS = new MetadataTable("snapshot_metadata", "snapshot_id", "snapshots");
    static final MetadataTable BACKUPS = new MetadataTable("backup_metadata", "backup_id", "backups");
    static final MetadataTable VOLUME_IMAGES = new MetadataTable("volume_glance_metadata", "volume_id", "volumes");

    /** Replaces all metadata of the owner; false if the owner does not exist. */
    boolean replace(Jdbi jdbi, String ownerId, Map<String, String> metadata) {
        return jdbi.inTransaction(h -> {
            if (!touchOwner(h, ownerId)) {
                return false;
            }
            deleteAll(h, ownerId);
            insert(h, ownerId, metadata);
            return true;
        });
    }

    /** Adds or overwrites the given keys; false if the owner does not exist. */
    boolean merge(Jdbi jdbi, String ownerId, Map<String, String> metadata) {
        return jdbi.inTransaction(h -> {
            if (!touchOwner(h, ownerId)) {
                return false;
            }
            merge(h, ownerId, metadata);
            return true;
        });
    }

    /** Removes one key; false if the owner or the key did not exist. */
    boolean removeKey(Jdbi jdbi, String ownerId, String key) {
        return jdbi.inTransaction(h -> {
            boolean removed = deleteKey(h, ownerId, key);
            if (removed) {
                touchOwner(h, ownerId);
            }
            return removed;
        });
    }

    /** Sets the owner's updated_at (taking its row lock); false if there is no such owner. */
    boolean touchOwner(Handle h, String ownerId) {
        return h.createUpdate("UPDATE " + ownerTable + " SET updated_at = :now WHERE id = :id")
                .bind("now", Rows.timestamp(Rows.now())).bind("id", ownerId).execute() == 1;
    }

    /** The metadata of each owner that has any, keys in order. */
    Map<String, Map<String, String>> read(Handle h, Collection<String> ownerIds) {
        Map<String, Map<String, String>> byOwner = new HashMap<>();
        if (ownerIds.isEmpty()) {
            return byOwner;
        }
        h.createQuery("SELECT " + ownerColumn + ", meta_key, meta_value FROM " + table + " WHERE " + ownerColumn
                        + " IN (<ids>) ORDER BY meta_key")
                .bindList("ids", List.copyOf(ownerIds))
                .map((rs, ctx) -> byOwner.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                        .put(rs.getString(2), rs.getString(3)))
                .list();
        return byOwner;
    }

    /** The owners, each with its metadata as read on the caller's handle (none when it has none), in order. */
    <T> List<T> attachTo(Handle h, List<T> owners, Function<T, String> id,
                         BiFunction<T, Map<String, String>, T> withMetadata) {
        Map<String, Map<String, String>> byOwner = read(h, owners.stream().map(id).toList());
        List<T> result = new ArrayList<>(owners.size());
        for (T owner : owners) {
            result.add(withMetadata.apply(owner, byOwner.getOrDefault(id.apply(owner), Map.of())));
        }
        return result;
    }

    void insert(Handle h, String ownerId, Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch("INSERT INTO " + table + " (" + ownerColumn + ", meta_key, meta_value)"
                + " VALUES (:id, :k, :v)");
        metadata.forEach((k, v) -> batch.bind("id", ownerId).bind("k", k).bind("v", v).add());
        batch.execute();
    }

    void deleteAll(Handle h, String ownerId) {
        h.createUpdate("DELETE FROM " + table + " WHERE " + ownerColumn + " = :id").bind("id", ownerId).execute();
    }

    /** Adds or overwrites the given keys. */
    void merge(Handle h, String ownerId, Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return;
        }
        h.createUpdate("DELETE FROM " + table + " WHERE " + ownerColumn + " = :id AND meta_key IN (<keys>)")
                .bind("id", ownerId).bindList("keys", List.copyOf(metadata.keySet())).execute();
        insert(h, ownerId, metadata);
    }

    /** Removes one key; true if it was there. */
    boolean deleteKey(Handle h, String ownerId, String key) {
        return h.createUpdate("DELETE FROM " + table + " WHERE " + ownerColumn + " = :id AND meta_key = :k")
                .bind("id", ownerId).bind("k", key).execute() == 1;
    }
}
