package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.JsonBody;
import dev.basalt.model.GroupSnapshot;
import java.io.IOException;
import java.util.List;

/**
 * Cinder's group snapshot views (its {@code views/group_snapshots.py}), each under
 * {@code group_snapshot}:
 * <ul>
 *   <li>create: {@code id, name, group_type_id};</li>
 *   <li>the plain list: {@code id, name} (Cinder drops {@code group_type_id} there);</li>
 *   <li>detail (show, the detailed list): {@code id, group_id, group_type_id, status, created_at,
 *       name, description}; from 3.58 {@code project_id} when policy {@value #PROJECT_ATTRIBUTE}
 *       allows.</li>
 * </ul>
 * A list carries {@code group_snapshot_links} when it is a full page.
 */
final class GroupSnapshotView {
    /** Policy: whether the detailed view carries the group snapshot's project. */
    static final String PROJECT_ATTRIBUTE = "group:group_snapshot_project_attribute";

    private GroupSnapshotView() {
    }

    static JsonBody created(GroupSnapshot g) {
        return JsonBody.under("group_snapshot", out -> {
            out.writeStartObject();
            out.writeStringField("id", g.id());
            out.writeStringField("name", g.name());
            out.writeStringField("group_type_id", g.groupTypeId());
            out.writeEndObject();
        });
    }

    static JsonBody detail(ApiRequest request, GroupSnapshot g) {
        boolean project = projectShown(request);
        return JsonBody.under("group_snapshot", out -> writeDetail(out, g, project));
    }

    static JsonBody list(ApiRequest request, List<GroupSnapshot> page, boolean detailed, boolean nextLink) {
        boolean project = projectShown(request);
        return PageBody.of(request, "group_snapshots", "group_snapshot_links", "group_snapshots", page,
                GroupSnapshot::id, nextLink, (out, g) -> {
                    if (detailed) {
                        writeDetail(out, g, project);
                    } else {
                        out.writeStartObject();
                        out.writeStringField("id", g.id());
                        out.writeStringField("name", g.name());
                        out.writeEndObject();
                    }
                });
    }

    private static boolean projectShown(ApiRequest request) {
        return request.atLeast(Microversions.GROUP_GROUPSNAPSHOT_PROJECT_ID) && request.allowed(PROJECT_ATTRIBUTE);
    }

    private static void writeDetail(JsonGenerator out, GroupSnapshot g, boolean project) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", g.id());
        out.writeStringField("group_id", g.groupId());
        out.writeStringField("group_type_id", g.groupTypeId());
        out.writeStringField("status", g.status().apiName());
        Timestamps.write(out, "created_at", g.createdAt());
        out.writeStringField("name", g.name());
        out.writeStringField("description", g.description());
        if (project) {
            out.writeStringField("project_id", g.projectId());
        }
        out.writeEndObject();
    }
}
