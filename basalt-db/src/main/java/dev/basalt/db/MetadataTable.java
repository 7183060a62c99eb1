package dev.basalt.db;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * A key/value metadata table of one kind of resource ({@code volume_metadata} by
 * {@code volume_id}, {@code snapshot_metadata} by {@code snapshot_id}); every call runs on the
 * caller's handle, so it joins the caller's transaction.
 */
record MetadataTable(String table, String ownerColumn) {
    static final MetadataTable VOLUMES = new MetadataTable("volume_metadata", "volume_id");
    static final MetadataTable SNAPSHOTS = new MetadataTable("snapshot_metadata", "snapshot_id");

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
