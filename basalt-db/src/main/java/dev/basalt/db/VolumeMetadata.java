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

    static VolumeMetadata read(Handle h, Collection<String> volumeIds) {
        if (volumeIds.isEmpty()) {
            return new VolumeMetadata(Map.of(), Map.of());
        }
        List<String> ids = List.copyOf(volumeIds);
        return new VolumeMetadata(MetadataTable.VOLUMES.read(h, ids), read(h, "volume_admin_metadata", ids));
    }

    private static Map<String, Map<String, String>> read(Handle h, String table, List<String> ids) {
        Map<String, Map<String, String>> byVolume = new HashMap<>();
        h.createQuery("SELECT volume_id, meta_key, meta_value FROM " + table + " WHERE volume_id IN (<ids>)"
                        + " ORDER BY meta_key")
                .bindList("ids", ids)
                .map((rs, ctx) -> byVolume.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                        .put(rs.getString(2), rs.getString(3)))
                .list();
        return byVolume;
    }

    /** The volume with its metadata and admin metadata as read (none when it has none). */
    Volume applyTo(Volume v) {
        return v.withMetadata(user.getOrDefault(v.id(), Map.of()), admin.getOrDefault(v.id(), Map.of()));
    }
}
