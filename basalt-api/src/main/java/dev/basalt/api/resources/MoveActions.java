package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.service.OverQuotaException;
import dev.basalt.api.service.VolumeMigrations;
import dev.basalt.api.service.VolumeRetypes;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Json;
import java.util.Set;

/**
 * The volume actions that change where a volume lives or what type it is: {@code os-retype} (202,
 * {@link VolumeRetypes}), and the administrators' {@code os-migrate_volume} (202; {@code cluster} from
 * 3.16, when exactly one of {@code host} and {@code cluster} must be given) and
 * {@code os-migrate_volume_completion} (200, {@code {"save_volume_id": …}}) ({@link VolumeMigrations}).
 */
public final class MoveActions {
    static final String RETYPE = "os-retype";
    static final String MIGRATE = "os-migrate_volume";
    static final String COMPLETE = "os-migrate_volume_completion";
    private static final Set<String> SERVED = Set.of(RETYPE, MIGRATE, COMPLETE);
    private static final String MULTIATTACH_POLICY = "volume:multiattach";

    private final VolumeService volumes;
    private final VolumeRetypes retypes;
    private final VolumeMigrations migrations;
    private final Schemas schemas;

    public MoveActions(VolumeService volumes, VolumeRetypes retypes, VolumeMigrations migrations, Schemas schemas) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.retypes = requireNonNull(retypes, "retypes");
        this.migrations = requireNonNull(migrations, "migrations");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    static boolean serves(String action) {
        return SERVED.contains(action);
    }

    ApiResponse handle(String action, ApiRequest request) {
        var volume = volumes.visible(request.context(), request.path("id"));
        switch (action) {
            case RETYPE -> {
                JsonNode body = request.validBody(schemas.volumeRetype()).get(RETYPE);
                try {
                    retypes.retype(request.context(), volume, body.get("new_type").textValue(),
                            text(body.get("migration_policy")),
                            request.allowed(MULTIATTACH_POLICY, volume.projectId()));
                } catch (OverQuotaException e) {
                    return QuotaFaults.overLimit(e);
                }
                return ApiResponse.status(202);
            }
            case MIGRATE -> {
                boolean clusters = request.atLeast(Microversions.VOLUME_MIGRATE_CLUSTER);
                JsonNode body = request.validBody(clusters ? schemas.volumeMigrateCluster() : schemas.volumeMigrate())
                        .get(MIGRATE);
                String host = text(body.get("host"));
                String cluster = text(body.get("cluster"));
                if (clusters && (host == null) == (cluster == null)) {
                    throw BasaltException.badRequest("One and only one of cluster and host must be set.");
                }
                migrations.migrate(request.context(), volume, host, cluster,
                        Booleans.fromJson(body.get("force_host_copy"), false));
                return ApiResponse.status(202);
            }
            case COMPLETE -> {
                JsonNode body = request.validBody(schemas.volumeMigrateCompletion()).get(COMPLETE);
                var newVolume = volumes.visible(request.context(), body.get("new_volume").textValue());
                String saved = migrations.complete(volume, newVolume, truthy(body.get("error")));
                return ApiResponse.ok(JsonBody.of(Json.mapper().createObjectNode().put("save_volume_id", saved)));
            }
            default -> throw new IllegalArgumentException("not a move action: " + action);
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.textValue();
    }

    /** Python's truth of the {@code error} value, as Cinder takes it: true, or a non-empty string. */
    private static boolean truthy(JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        return node.isBoolean() ? node.booleanValue() : !node.textValue().isEmpty();
    }
}
