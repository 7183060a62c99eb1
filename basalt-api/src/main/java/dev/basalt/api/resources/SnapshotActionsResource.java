package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.SnapshotManagement;
import dev.basalt.api.service.SnapshotService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;

/**
 * {@code POST /snapshots/{id}/action}, parsed here and served by {@link SnapshotService}: the
 * administrator's {@code os-reset_status} (any status, whatever the current one) and {@code os-force_delete} (delete from any status), and
 * {@code os-update_snapshot_status} (a snapshot {@code creating} may become {@code available},
 * {@code error} or stay {@code creating}; one {@code deleting} may become {@code error_deleting}).
 * {@code os-unmanage} (an administrator's: {@code snapshot_extension:snapshot_unmanage}) lets the snapshot
 * go, its storage kept, on a delete's terms ({@link SnapshotManagement#unmanage}); any other action is a 400.
 */
public final class SnapshotActionsResource {
    private final SnapshotService service;
    private final SnapshotManagement management;
    private final Schemas schemas;

    public SnapshotActionsResource(SnapshotService service, SnapshotManagement management, Schemas schemas) {
        this.service = requireNonNull(service, "service");
        this.management = requireNonNull(management, "management");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    public void register(Router.Builder routes) {
        routes.post("/snapshots/{id}/action", this::action);
    }

    ApiResponse action(ApiRequest request) {
        String action = VolumeActionsResource.actionName(request.json());
        return switch (action) {
            case "os-reset_status" -> resetStatus(request);
            case "os-force_delete" -> forceDelete(request);
            case "os-update_snapshot_status" -> updateStatus(request);
            case "os-unmanage" -> unmanage(request);
            default -> throw BasaltException.badRequest("There is no such action: %s. Verify the request body and"
                    + " Content-Type header and try again.", action);
        };
    }

    private ApiResponse unmanage(ApiRequest request) {
        Snapshot snapshot = service.visible(request.context(), request.path("id"));
        request.authorize("snapshot_extension:snapshot_unmanage");
        management.unmanage(request.context(), snapshot);
        return ApiResponse.status(202);
    }

    private ApiResponse resetStatus(ApiRequest request) {
        JsonNode body = request.validBody(schemas.snapshotResetStatus()).get("os-reset_status");
        Snapshot snapshot = service.visible(request.context(), request.path("id"));
        request.authorize("volume_extension:snapshot_admin_actions:reset_status");
        SnapshotStatus status = SnapshotStatus.fromApiName(body.get("status").asText()).orElseThrow();
        service.resetStatus(snapshot, status);
        return ApiResponse.status(202);
    }

    private ApiResponse forceDelete(ApiRequest request) {
        request.validBody(schemas.forceDelete());
        Snapshot snapshot = service.visible(request.context(), request.path("id"));
        request.authorize("volume_extension:snapshot_admin_actions:force_delete");
        service.delete(request.context(), snapshot, true);
        return ApiResponse.status(202);
    }

    private ApiResponse updateStatus(ApiRequest request) {
        JsonNode body = request.validBody(schemas.snapshotUpdateStatus()).get("os-update_snapshot_status");
        JsonNode progressNode = body.get("progress");
        if (progressNode != null && !progressNode.isNull() && !progressNode.isTextual()) {
            throw BasaltException.badRequest("Invalid input received: progress must be an integer percentage");
        }
        String progress = progressNode == null || progressNode.isNull() || progressNode.textValue().isEmpty()
                ? null : progressNode.textValue();
        String wanted = body.get("status").asText();
        Snapshot snapshot = service.visible(request.context(), request.path("id"));
        service.updateStatus(snapshot, wanted, progress);
        return ApiResponse.status(202);
    }
}
