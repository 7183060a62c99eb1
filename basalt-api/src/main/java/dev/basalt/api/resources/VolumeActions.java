package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.service.OverQuotaException;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.model.Volume;
import java.util.Locale;

/**
 * The volume actions Basalt serves: parses each and hands it to {@link VolumeService}, which
 * holds Cinder's rules:
 * <ul>
 *   <li>{@code os-extend} (202): {@code new_size} must be larger than the volume, which must be
 *       {@code available} (Basalt does not extend {@code in-use} volumes yet, 3.42+) and have no snapshot being taken or volume being made from it; the volume goes to
 *       {@code extending}, reserving the increase of {@code gigabytes} and {@code gigabytes_<type>}
 *       (over quota, or a new size over {@code per_volume_gigabytes}: 413 and nothing changes), and its
 *       service grows it, then it is {@code available} at the new size
 *       (or {@code error_extending});</li>
 *   <li>{@code os-set_bootable} (200): any volume not in {@code maintenance};</li>
 *   <li>{@code os-update_readonly_flag} (202): an {@code available} volume; shown as
 *       {@code metadata.readonly} ({@code True}/{@code False});</li>
 *   <li>{@code os-reset_status} (202, administrators): any status but {@code deleting} ({@code in-use} only
 *       for a volume with attachments), attach status {@code attached}/{@code detached};
 *       {@code migration_status} (Cinder's values, {@code none} for none);</li>
 *   <li>{@code os-force_delete} (202, administrators): delete from any status (never with
 *       snapshots, never attached).</li>
 * </ul>
 */
public final class VolumeActions {
    private final VolumeService service;
    private final Schemas schemas;

    public VolumeActions(VolumeService service, Schemas schemas) {
        this.service = requireNonNull(service, "service");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    /** Whether {@code action} is one this class serves. */
    static boolean serves(String action) {
        return switch (action) {
            case "os-extend", "os-set_bootable", "os-update_readonly_flag", "os-reset_status", "os-force_delete" ->
                    true;
            default -> false;
        };
    }

    ApiResponse handle(String action, ApiRequest request) {
        return switch (action) {
            case "os-extend" -> extend(request);
            case "os-set_bootable" -> setBootable(request);
            case "os-update_readonly_flag" -> updateReadonly(request);
            case "os-reset_status" -> resetStatus(request);
            case "os-force_delete" -> forceDelete(request);
            default -> throw new IllegalArgumentException("not a served action: " + action);
        };
    }

    private Volume volume(ApiRequest request) {
        return service.visible(request.context(), request.path("id"));
    }

    ApiResponse extend(ApiRequest request) {
        JsonNode body = request.validBody(schemas.volumeExtend()).get("os-extend");
        Volume volume = volume(request);
        JsonNode sizeNode = body.get("new_size");
        int newSize = sizeNode.isIntegralNumber() ? sizeNode.intValue() : Integer.parseInt(sizeNode.textValue());
        try {
            service.extend(request.context(), volume, newSize, request.atLeast(Microversions.VOLUME_EXTEND_INUSE));
        } catch (OverQuotaException e) {
            return QuotaFaults.overLimit(e);
        }
        return ApiResponse.status(202);
    }

    ApiResponse setBootable(ApiRequest request) {
        JsonNode body = request.validBody(schemas.volumeSetBootable()).get("os-set_bootable");
        Volume volume = volume(request);
        service.setBootable(volume, Booleans.fromJson(body.get("bootable"), false));
        return ApiResponse.status(200);
    }

    ApiResponse updateReadonly(ApiRequest request) {
        JsonNode body = request.validBody(schemas.volumeReadonly()).get("os-update_readonly_flag");
        Volume volume = volume(request);
        service.updateReadonly(volume, Booleans.fromJson(body.get("readonly"), false));
        return ApiResponse.status(202);
    }

    ApiResponse resetStatus(ApiRequest request) {
        JsonNode body = request.validBody(schemas.volumeResetStatus()).get("os-reset_status");
        String status = lower(body.get("status"));
        String attachStatus = lower(body.get("attach_status"));
        String migrationStatus = lower(body.get("migration_status"));
        if (status == null && attachStatus == null && migrationStatus == null) {
            throw BasaltException.badRequest("Must specify 'status', 'attach_status' or 'migration_status' for"
                    + " update.");
        }
        Volume volume = volume(request);
        service.resetStatus(request.context(), volume, status, attachStatus, migrationStatus);
        return ApiResponse.status(202);
    }

    ApiResponse forceDelete(ApiRequest request) {
        request.validBody(schemas.forceDelete());
        Volume volume = volume(request);
        service.delete(request.context(), volume, true, false);
        return ApiResponse.status(202);
    }

    private static String lower(JsonNode node) {
        if (node == null || node.isNull() || node.asText().isEmpty()) {
            return null;
        }
        return node.asText().toLowerCase(Locale.ROOT);
    }
}
