package dev.basalt.api.resources;

import dev.basalt.model.GroupSnapshot;
import java.util.Map;
import java.util.Objects;

/**
 * Cinder's group snapshot list filters (from 3.29): each names a column of its group_snapshots table
 * and matches it exactly; a parameter that names no column matches nothing (Cinder then lists no
 * group snapshot at all).
 */
final class GroupSnapshotFilters {
    private GroupSnapshotFilters() {
    }

    static boolean matches(GroupSnapshot g, Map<String, String> filters) {
        for (Map.Entry<String, String> f : filters.entrySet()) {
            String v = f.getValue();
            boolean ok = switch (f.getKey()) {
                case "id" -> g.id().equals(v);
                case "group_id" -> g.groupId().equals(v);
                case "name" -> Objects.equals(g.name(), v);
                case "description" -> Objects.equals(g.description(), v);
                case "status" -> g.status().apiName().equals(v);
                case "group_type_id" -> g.groupTypeId().equals(v);
                case "project_id" -> g.projectId().equals(v);
                case "user_id" -> Objects.equals(g.userId(), v);
                case "deleted" -> Boolean.FALSE.equals(Booleans.parseOrNull(v));
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
