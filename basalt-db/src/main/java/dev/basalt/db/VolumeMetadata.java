package dev.basalt.db;

import dev.basalt.model.Volume;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The user metadata ({@code volume_metadata}) and admin metadata ({@code volume_admin_metadata})
 * of some volumes, by volume id, read on the caller's handle.
 */
record VolumeMetadata(Map<String, Map<String, String>> user, Map<String, Map<String, String>> admin) {

    /** Both kinds for the given volumes, in one query. */
    static VolumeMetadata read(Handle h, Collection<String> volumeIds) {
        if (volumeIds.isEmpty()) {
            return new VolumeMetadata(Map.of(), Map.of());
        }
        Map<String, Map<String, String>> user = new HashMap<>();
        Map<String, Map<String, String>> admin = new HashMap<>();
        h.createQuery("SELECT 0, volume_id, meta_key, meta_value FROM volume_metadata WHERE volume_id IN (<ids>)"
                        + " UNION ALL SELECT 1, volume_id, meta_key, meta_value FROM volume_admin_metadata"
                        + " WHERE volume_id IN (<ids>) ORDER BY 3")
                .bindList("ids", List.copyOf(volumeIds))
                .map((rs, ctx) -> (rs.getInt(1) == 0 ? user : admin)
                        .computeIfAbsent(rs.getString(2), k -> new LinkedHashMap<>())
                        .put(rs.getString(3), rs.getString(4)))
                .list();
        return new VolumeMetadata(user, admin);
    }

    /** The volume with its metadata and admin metadata as read (none when it has none). */
    Volume applyTo(Volume v) {
        return v.withMetadata(user.getOrDefault(v.id(), Map.of()), admin.getOrDefault(v.id(), Map.of()));
    }
}
