package dev.basalt.db;

import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Writes volume admin metadata ({@code volume_admin_metadata}) on a caller's handle ({@link VolumeMetadata} reads it). */
final class AdminMetadata {
    private AdminMetadata() {
    }

    static void insert(Handle h, String volumeId, Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch(
                "INSERT INTO volume_admin_metadata (volume_id, meta_key, meta_value) VALUES (:id, :k, :v)");
        metadata.forEach((k, v) -> batch.bind("id", volumeId).bind("k", k).bind("v", v).add());
        batch.execute();
    }

    /** Sets one key (replacing its value). */
    static void put(Handle h, String volumeId, String key, String value) {
        remove(h, volumeId, key);
        h.createUpdate("INSERT INTO volume_admin_metadata (volume_id, meta_key, meta_value) VALUES (:id, :k, :v)")
                .bind("id", volumeId).bind("k", key).bind("v", value).execute();
    }

    static void remove(Handle h, String volumeId, String key) {
        h.createUpdate("DELETE FROM volume_admin_metadata WHERE volume_id = :id AND meta_key = :k")
                .bind("id", volumeId).bind("k", key).execute();
    }
}
