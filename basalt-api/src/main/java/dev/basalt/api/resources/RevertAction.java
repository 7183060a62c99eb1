package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.service.VolumeReverts;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.validation.Schemas;

/**
 * The {@code revert} volume action (3.40+, 202): reverts the volume to its latest snapshot, by
 * the rules of {@link VolumeReverts}.
 */
public final class RevertAction {
    static final String ACTION = "revert";

    private final VolumeService volumes;
    private final VolumeReverts reverts;
    private final Schemas schemas;

    public RevertAction(VolumeService volumes, VolumeReverts reverts, Schemas schemas) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.reverts = requireNonNull(reverts, "reverts");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    ApiResponse handle(ApiRequest request) {
        JsonNode body = request.validBody(schemas.volumeRevert()).get(ACTION);
        JsonNode snapshotId = body.get("snapshot_id");
        reverts.revert(request.context(), volumes.visible(request.context(), request.path("id")),
                snapshotId == null || snapshotId.isNull() ? null : snapshotId.textValue());
        return ApiResponse.status(202);
    }
}
