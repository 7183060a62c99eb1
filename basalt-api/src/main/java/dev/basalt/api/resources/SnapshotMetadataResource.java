package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.SnapshotService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.model.Snapshot;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /snapshots/{id}/metadata}: list, merge (POST), replace all (PUT), and one key's show,
 * set (PUT) and delete, as Cinder serves them (keys of letters, digits and {@code -_:. }).
 */
public final class SnapshotMetadataResource {
    private final SnapshotRepository snapshots;
    private final SnapshotService service;
    private final Schemas schemas;

    public SnapshotMetadataResource(SnapshotRepository snapshots, SnapshotService service,
                                    Schemas schemas) {
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.service = requireNonNull(service, "service");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    public void register(Router.Builder routes) {
        routes.get("/snapshots/{snapshot_id}/metadata", this::index)
                .post("/snapshots/{snapshot_id}/metadata", this::create)
                .put("/snapshots/{snapshot_id}/metadata", this::updateAll)
                .get("/snapshots/{snapshot_id}/metadata/{key}", this::show)
                .put("/snapshots/{snapshot_id}/metadata/{key}", this::update)
                .delete("/snapshots/{snapshot_id}/metadata/{key}", this::delete);
    }

    /** The snapshot the caller may see, once {@code rule} allows the caller to act on it. */
    private Snapshot snapshot(ApiRequest request, String rule) {
        Snapshot snapshot = service.visible(request.context(), request.path("snapshot_id"));
        request.authorize(rule, snapshot.projectId(), snapshot.userId());
        return snapshot;
    }

    ApiResponse index(ApiRequest request) {
        return ApiResponse.ok(body("metadata", snapshot(request, "volume:get_snapshot_metadata").metadata()));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.validBody(schemas.snapshotMetadataCreate());
        Snapshot snapshot = snapshot(request, "volume:update_snapshot_metadata");
        if (!snapshots.mergeMetadata(snapshot.id(), VolumesResource.stringMap(body.get("metadata")))) {
            throw SnapshotService.notFound(snapshot.id());
        }
        return ApiResponse.ok(body("metadata", snapshots.metadata(snapshot.id())));
    }

    ApiResponse updateAll(ApiRequest request) {
        JsonNode body = request.validBody(schemas.snapshotMetadataCreate());
        Snapshot snapshot = snapshot(request, "volume:update_snapshot_metadata");
        if (!snapshots.replaceMetadata(snapshot.id(), VolumesResource.stringMap(body.get("metadata")))) {
            throw SnapshotService.notFound(snapshot.id());
        }
        return ApiResponse.ok(body("metadata", snapshots.metadata(snapshot.id())));
    }

    ApiResponse show(ApiRequest request) {
        Snapshot snapshot = snapshot(request, "volume:get_snapshot_metadata");
        String key = request.path("key");
        String value = snapshot.metadata().get(key);
        if (value == null) {
            throw noKey(snapshot.id(), key);
        }
        return ApiResponse.ok(body("meta", Map.of(key, value)));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.validBody(schemas.snapshotMetadataUpdate());
        Snapshot snapshot = snapshot(request, "volume:update_snapshot_metadata");
        String key = request.path("key");
        Map<String, String> item = VolumesResource.stringMap(body.get("meta"));
        if (!item.containsKey(key)) {
            throw BasaltException.badRequest("Request body and URI mismatch");
        }
        if (!snapshots.mergeMetadata(snapshot.id(), item)) {
            throw SnapshotService.notFound(snapshot.id());
        }
        return ApiResponse.ok(body("meta", item));
    }

    ApiResponse delete(ApiRequest request) {
        Snapshot snapshot = snapshot(request, "volume:delete_snapshot_metadata");
        String key = request.path("key");
        if (!snapshot.metadata().containsKey(key) || !snapshots.deleteMetadataKey(snapshot.id(), key)) {
            throw noKey(snapshot.id(), key);
        }
        return ApiResponse.status(200);
    }

    private static JsonBody body(String field, Map<String, String> values) {
        return out -> {
            out.writeStartObject();
            out.writeObjectFieldStart(field);
            for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
                out.writeStringField(e.getKey(), e.getValue());
            }
            out.writeEndObject();
            out.writeEndObject();
        };
    }

    private static BasaltException noKey(String snapshotId, String key) {
        return BasaltException.notFound("Snapshot %s has no metadata with key %s.", snapshotId, key);
    }
}
