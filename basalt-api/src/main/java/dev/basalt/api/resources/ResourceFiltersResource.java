package dev.basalt.api.resources;

import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /resource_filters} (3.33): the list filters a non-administrator may use, per
 * resource (Cinder's default {@code resource_filters.json}, which is also what Basalt enforces).
 */
public final class ResourceFiltersResource {
    static final Map<String, List<String>> FILTERS = filters();

    public void register(Router.Builder routes) {
        routes.add("GET", "/resource_filters", Microversions.RESOURCE_FILTER_CONFIG, this::list);
    }

    ApiResponse list(ApiRequest request) {
        String resource = request.query().get("resource");
        Map<String, List<String>> shown = new LinkedHashMap<>();
        if (resource == null) {
            shown.putAll(FILTERS);
        } else if (FILTERS.containsKey(resource)) {
            shown.put(resource, FILTERS.get(resource));
        }
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("resource_filters");
            for (Map.Entry<String, List<String>> e : shown.entrySet()) {
                out.writeStartObject();
                out.writeStringField("resource", e.getKey());
                out.writeArrayFieldStart("filters");
                for (String f : e.getValue()) {
                    out.writeString(f);
                }
                out.writeEndArray();
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    private static Map<String, List<String>> filters() {
        Map<String, List<String>> f = new LinkedHashMap<>();
        f.put("volume", VolumeFilters.USER_FILTERS);
        f.put("backup", List.of("name", "status", "volume_id"));
        f.put("snapshot", SnapshotFilters.USER_FILTERS);
        f.put("group", List.of("name"));
        f.put("group_snapshot", List.of("name", "status", "group_id"));
        f.put("attachment", List.of("volume_id", "status", "instance_id", "attach_status"));
        f.put("message", MessagesResource.USER_FILTERS);
        f.put("pool", List.of("name", "volume_type"));
        f.put("volume_type", List.of("is_public", "extra_specs"));
        return java.util.Collections.unmodifiableMap(f);
    }
}
