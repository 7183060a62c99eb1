package dev.basalt.api.resources;

import dev.basalt.model.BackendName;
import dev.basalt.model.Group;
import java.util.Map;
import java.util.Objects;

/**
 * Cinder's group list filters: each names a column of its groups table and matches it exactly
 * ({@code host} also matches every pool of a backend named {@code host@backend}); a parameter that
 * names no column matches nothing (Cinder then lists no group at all).
 */
final class GroupFilters {
    private GroupFilters() {
    }

    static boolean matches(Group g, Map<String, String> filters) {
        for (Map.Entry<String, String> f : filters.entrySet()) {
            String v = f.getValue();
            boolean ok = switch (f.getKey()) {
                case "id" -> g.id().equals(v);
                case "name" -> Objects.equals(g.name(), v);
                case "description" -> Objects.equals(g.description(), v);
                case "status" -> g.status().apiName().equals(v);
                case "availability_zone" -> Objects.equals(g.availabilityZone(), v);
                case "group_type_id" -> g.groupTypeId().equals(v);
                case "project_id" -> g.projectId().equals(v);
                case "user_id" -> Objects.equals(g.userId(), v);
                case "host" -> g.host() != null && (g.host().equals(v) || v.equals(BackendName.backendOf(g.host())));
                case "replication_status" -> "disabled".equals(v);
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
