package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.JsonBody;
import dev.basalt.model.Group;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/**
 * Cinder's group views (its {@code views/groups.py}), each under {@code group}:
 * <ul>
 *   <li>summary (create, the plain list): {@code id, name};</li>
 *   <li>detail (show, the detailed list): {@code id, status, availability_zone, created_at, name,
 *       description, group_type, volume_types}; from 3.14 {@code group_snapshot_id} and
 *       {@code source_group_id} (the source it was made from, or null); from 3.25 the ids
 *       of its {@code volumes} when {@code list_volume} is true; from 3.38 {@code replication_status}
 *       ({@code disabled}); from 3.58 {@code project_id} when policy {@value #PROJECT_ATTRIBUTE}
 *       allows.</li>
 * </ul>
 * A list carries {@code group_links} when it is a full page.
 */
final class GroupView {
    /** Policy: whether the detailed view carries the group's project. */
    static final String PROJECT_ATTRIBUTE = "group:group_project_attribute";

    private GroupView() {
    }

    static JsonBody summary(Group group) {
        return JsonBody.under("group", out -> writeSummary(out, group));
    }

    /** The detail of one group; {@code volumes} gives its volumes' ids when the view shows them. */
    static JsonBody detail(ApiRequest request, Group group, Function<Group, List<String>> volumes) {
        boolean project = projectShown(request);
        return JsonBody.under("group", out -> writeDetail(out, request, group, volumes, project));
    }

    static JsonBody list(ApiRequest request, List<Group> page, boolean detailed, boolean nextLink,
                         Function<Group, List<String>> volumes) {
        boolean project = projectShown(request);
        return PageBody.of(request, "groups", "group_links", "groups", page, Group::id, nextLink, (out, g) -> {
            if (detailed) {
                writeDetail(out, request, g, volumes, project);
            } else {
                writeSummary(out, g);
            }
        });
    }

    /** Whether the request asks for the volumes' ids ({@code list_volume}, from 3.25). */
    static boolean listsVolumes(ApiRequest request) {
        return request.atLeast(Microversions.GROUP_VOLUME_LIST)
                && Booleans.param("list_volume", request.query().get("list_volume"), false);
    }

    private static boolean projectShown(ApiRequest request) {
        return request.atLeast(Microversions.GROUP_GROUPSNAPSHOT_PROJECT_ID) && request.allowed(PROJECT_ATTRIBUTE);
    }

    private static void writeSummary(JsonGenerator out, Group group) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", group.id());
        out.writeStringField("name", group.name());
        out.writeEndObject();
    }

    private static void writeDetail(JsonGenerator out, ApiRequest request, Group group,
                                    Function<Group, List<String>> volumes, boolean project) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", group.id());
        out.writeStringField("status", group.status().apiName());
        out.writeStringField("availability_zone", group.availabilityZone());
        Timestamps.write(out, "created_at", group.createdAt());
        out.writeStringField("name", group.name());
        out.writeStringField("description", group.description());
        out.writeStringField("group_type", group.groupTypeId());
        out.writeArrayFieldStart("volume_types");
        for (String typeId : group.volumeTypeIds()) {
            out.writeString(typeId);
        }
        out.writeEndArray();
        if (request.atLeast(Microversions.GROUP_SNAPSHOTS)) {
            out.writeStringField("group_snapshot_id", group.groupSnapshotId());
            out.writeStringField("source_group_id", group.sourceGroupId());
        }
        if (listsVolumes(request)) {
            out.writeArrayFieldStart("volumes");
            for (String id : volumes.apply(group)) {
                out.writeString(id);
            }
            out.writeEndArray();
        }
        if (request.atLeast(Microversions.GROUP_REPLICATION)) {
            out.writeStringField("replication_status", "disabled");
        }
        if (project) {
            out.writeStringField("project_id", group.projectId());
        }
        out.writeEndObject();
    }
}
