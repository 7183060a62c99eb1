package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /snapshots/{id}/action}: the administrator's {@code os-reset_status} (any status,
 * whatever the current one) and {@code os-force_delete} (delete from any status), and
 * {@code os-update_snapshot_status} (a snapshot {@code creating} may become {@code available},
 * {@code error} or stay {@code creating}; one {@code deleting} may become {@code error_deleting}).
 * {@code os-unmanage} is known but not served yet (501); any other action is a 400.
 */
public final class SnapshotActionsResource {
    private static final Map<SnapshotStatus, Set<SnapshotStatus>> UPDATABLE = Map.of(
            SnapshotStatus.CREATING, EnumSet.of(SnapshotStatus.CREATING, SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR),
            SnapshotStatus.DELETING, EnumSet.of(SnapshotStatus.DELETING, SnapshotStatus.ERROR_DELETING));

    private final SnapshotRepository snapshots;
    private final SnapshotsResource snapshotsResource;
    private final Schemas schemas;

    public SnapshotActionsResource(SnapshotRepository snapshots, SnapshotsResource snapshotsResource,
                                   Schemas schemas) {
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.snapshotsResource = requireNonNull(snapshotsResource, "snapshotsResource");
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
            case "os-unmanage" -> {
                snapshotsResource.visible(request.context(), request.path("id"));
                throw new BasaltException(Fault.NOT_IMPLEMENTED,
                        "The snapshot action os-unmanage is not implemented in Basalt yet.");
            }
            default -> throw BasaltException.badRequest("There is no such action: %s. Verify the request body and"
                    + " Content-Type header and try again.", action);
        };
    }

    private ApiResponse resetStatus(ApiRequest request) {
        JsonNode body = request.validBody(schemas.snapshotResetStatus()).get("os-reset_status");
        Snapshot snapshot = snapshotsResource.visible(request.context(), request.path("id"));
        request.authorize("volume_extension:snapshot_admin_actions:reset_status");
        SnapshotStatus status = SnapshotStatus.fromApiName(body.get("status").asText()).orElseThrow();
        if (!snapshots.resetStatus(snapshot.id(), status)) {
            throw SnapshotsResource.notFound(snapshot.id());
        }
        return ApiResponse.status(202);
    }

    private ApiResponse forceDelete(ApiRequest request) {
        request.validBody(schemas.forceDelete());
        Snapshot snapshot = snapshotsResource.visible(request.context(), request.path("id"));
        request.authorize("volume_extension:snapshot_admin_actions:force_delete");
        snapshotsResource.beginDelete(request.context(), snapshot, true);
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
        Snapshot snapshot = snapshotsResource.visible(request.context(), request.path("id"));
        Set<SnapshotStatus> allowed = UPDATABLE.get(snapshot.status());
        if (allowed == null) {
            throw BasaltException.badRequest("Snapshot status %s not allowed for update_snapshot_status",
                    snapshot.status().apiName());
        }
        SnapshotStatus next = SnapshotStatus.fromApiName(wanted).filter(allowed::contains)
                .filter(s -> s.apiName().equals(wanted))
                .orElseThrow(() -> BasaltException.badRequest("Provided snapshot status %s not allowed for snapshot"
                        + " with status %s.", wanted, snapshot.status().apiName()));
        if (!snapshots.updateStatus(snapshot.id(), Set.of(snapshot.status()), next, progress)) {
            throw BasaltException.conflict("Snapshot %s changed status meanwhile; try again.", snapshot.id());
        }
        return ApiResponse.status(202);
    }
}
