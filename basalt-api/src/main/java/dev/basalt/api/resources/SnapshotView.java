package dev.basalt.api.resources;

import static dev.basalt.api.resources.Fields.bool;
import static dev.basalt.api.resources.Fields.name;
import static dev.basalt.api.resources.Fields.string;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import dev.basalt.api.ApiVersion;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.http.Links;
import dev.basalt.model.Snapshot;
import java.io.IOException;
import java.util.List;

/**
 * Cinder's snapshot views, written straight to the output.
 *
 * <ul>
 *   <li>Summary (the plain list): {@code id, created_at, updated_at, name, description, volume_id,
 *       status, size, metadata}.</li>
 *   <li>Detail (show, detail list, create, update): the summary plus {@code group_snapshot_id}
 *       (3.14: the group snapshot it is a member of, or null), {@code user_id} (3.41) and
 *       {@code consumes_quota} (3.65, always true).</li>
 *   <li>Show and the detail list also carry Cinder's extended snapshot attributes,
 *       {@code os-extended-snapshot-attributes:project_id} and {@code ...:progress} (Cinder's
 *       default policy shows them to every reader of the project).</li>
 * </ul>
 * Snapshots have no {@code links}; a page that reached its limit ends with {@code snapshots_links}.
 */
final class SnapshotView {
    static final String COLLECTION = "snapshots";

    private static final SerializableString ID = name("id");
    private static final SerializableString CREATED_AT = name("created_at");
    private static final SerializableString UPDATED_AT = name("updated_at");
    private static final SerializableString NAME = name("name");
    private static final SerializableString DESCRIPTION = name("description");
    private static final SerializableString VOLUME_ID = name("volume_id");
    private static final SerializableString STATUS = name("status");
    private static final SerializableString SIZE = name("size");
    private static final SerializableString GROUP_SNAPSHOT_ID = name("group_snapshot_id");
    private static final SerializableString USER_ID = name("user_id");
    private static final SerializableString CONSUMES_QUOTA = name("consumes_quota");
    private static final SerializableString PROJECT_ATTR = name("os-extended-snapshot-attributes:project_id");
    private static final SerializableString PROGRESS_ATTR = name("os-extended-snapshot-attributes:progress");

    /** Which fields a view of one request has, worked out once per request. */
    private record Shape(boolean detail, boolean groupSnapshotId, boolean userId, boolean consumesQuota,
                         boolean extendedAttributes) {
        static Shape of(ApiRequest request, boolean detail, boolean extendedAttributes) {
            ApiVersion v = request.version();
            return new Shape(detail, detail && v.atLeast(Microversions.GROUP_SNAPSHOTS),
                    detail && v.atLeast(Microversions.SNAPSHOT_LIST_USER_ID),
                    detail && v.atLeast(Microversions.USE_QUOTA), extendedAttributes);
        }
    }

    /** {@code {"snapshot": {...}}} in the detailed form; with the extended attributes for a show. */
    JsonBody one(ApiRequest request, Snapshot snapshot, boolean extendedAttributes) {
        Shape shape = Shape.of(request, true, extendedAttributes);
        return out -> {
            out.writeStartObject();
            out.writeFieldName("snapshot");
            write(out, shape, snapshot);
            out.writeEndObject();
        };
    }

    /**
     * {@code {"snapshot": {...}}} as Cinder's manage answers it at every microversion: its v2 view
     * (id, times, name, description, volume_id, status, size, metadata).
     */
    JsonBody managed(Snapshot snapshot) {
        Shape shape = new Shape(true, false, false, false, false);
        return out -> {
            out.writeStartObject();
            out.writeFieldName("snapshot");
            write(out, shape, snapshot);
            out.writeEndObject();
        };
    }

    /** {@code {"snapshots": [...], "snapshots_links": [...], "count": n}}. */
    JsonBody list(ApiRequest request, List<Snapshot> snapshots, boolean detailed, Long count, boolean nextLink) {
        Shape shape = Shape.of(request, detailed, detailed);
        return out -> {
            out.writeStartObject();
            out.writeArrayFieldStart(COLLECTION);
            for (Snapshot s : snapshots) {
                write(out, shape, s);
            }
            out.writeEndArray();
            if (nextLink) {
                Links.writeNext(out, COLLECTION + "_links", request, detailed ? COLLECTION + "/detail" : COLLECTION,
                        snapshots.get(snapshots.size() - 1).id());
            }
            if (count != null && request.atLeast(Microversions.SUPPORT_COUNT_INFO)) {
                out.writeNumberField("count", count);
            }
            out.writeEndObject();
        };
    }

    private static void write(JsonGenerator out, Shape shape, Snapshot s) throws IOException {
        out.writeStartObject();
        string(out, ID, s.id());
        Timestamps.write(out, CREATED_AT, s.createdAt());
        Timestamps.write(out, UPDATED_AT, s.updatedAt());
        string(out, NAME, s.name());
        string(out, DESCRIPTION, s.description());
        string(out, VOLUME_ID, s.volumeId());
        string(out, STATUS, s.status().apiName());
        out.writeFieldName(SIZE);
        out.writeNumber(s.volumeSize());
        VolumeView.writeMetadata(out, s.metadata());
        if (shape.groupSnapshotId()) {
            string(out, GROUP_SNAPSHOT_ID, s.groupSnapshotId());
        }
        if (shape.userId()) {
            string(out, USER_ID, s.userId());
        }
        if (shape.consumesQuota()) {
            bool(out, CONSUMES_QUOTA, true);
        }
        if (shape.extendedAttributes()) {
            string(out, PROJECT_ATTR, s.projectId());
            string(out, PROGRESS_ATTR, s.progress());
        }
        out.writeEndObject();
    }
}
