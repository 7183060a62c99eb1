package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.db.AttachmentRepository;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.ExtendVolume;
import dev.basalt.rpc.VolumeRpc;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume actions Basalt serves, by Cinder's rules:
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
 *       {@code migration_status} only {@code none} (Basalt does not migrate volumes);</li>
 *   <li>{@code os-force_delete} (202, administrators): delete from any status (never with
 *       snapshots, never attached), as {@link VolumeDeletion} does.</li>
 * </ul>
 */
public final class VolumeActions {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeActions.class);

    private final VolumesResource volumesResource;
    private final VolumeRepository volumes;
    private final VolumeTransitions transitions;
    private final VolumeDeletion deletion;
    private final Schemas schemas;
    private final VolumeRpc volumeServices;
    private final Quotas quotas;
    private final AttachmentRepository attachments;

    public VolumeActions(VolumesResource volumesResource, VolumeRepository volumes, VolumeTransitions transitions,
                         VolumeDeletion deletion, Schemas schemas, VolumeRpc volumeServices, Quotas quotas,
                         AttachmentRepository attachments) {
        this.quotas = requireNonNull(quotas, "quotas");
        this.attachments = requireNonNull(attachments, "attachments");
        this.volumesResource = requireNonNull(volumesResource, "volumesResource");
        this.volumes = requireNonNull(volumes, "volumes");
        this.transitions = requireNonNull(transitions, "transitions");
        this.deletion = requireNonNull(deletion, "deletion");
        this.schemas = requireNonNull(schemas, "schemas");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
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
        return volumesResource.visible(request.context(), request.path("id"));
    }

    ApiResponse extend(ApiRequest request) {
        JsonNode body = request.validBody(schemas.volumeExtend()).get("os-extend");
        RequestContext context = request.context();
        Volume volume = volume(request);
        JsonNode sizeNode = body.get("new_size");
        int newSize = sizeNode.isIntegralNumber() ? sizeNode.intValue() : Integer.parseInt(sizeNode.textValue());
        if (newSize <= volume.size()) {
            throw notLarger(volume.size(), newSize);
        }
        if (volume.status() == VolumeStatus.IN_USE && request.atLeast(Microversions.VOLUME_EXTEND_INUSE)) {
            throw BasaltException.badRequest("Invalid volume: Extending in-use volumes is not supported by Basalt yet.");
        }
        VolumeTransitions.SizedResult result;
        try {
            result = transitions.beginExtend(volume.id(), newSize,
                    quotas.forExtend(volume.projectId(), newSize, volume.volumeTypeId()));
        } catch (QuotaExceededException e) {
            LOG.info("{} extend of volume {} to {} GiB refused to project {}: {}", context.requestId(), volume.id(),
                    newSize, volume.projectId(), e.getMessage());
            return QuotaFaults.overLimit(e, quotas.nameOf(e.resource()));
        }
        switch (result.outcome()) {
            case DONE -> { }
            case NOT_FOUND -> throw BasaltException.notFound("Volume %s could not be found.", volume.id());
            case SIZE -> throw notLarger(result.size(), newSize);
            case STATUS -> throw BasaltException.badRequest("Invalid volume: Volume %s status must be available to"
                    + " extend, currently %s.", volume.id(), volumes.find(volume.id()).map(v -> v.status().apiName())
                    .orElse(volume.status().apiName()));
            case BUSY -> throw BasaltException.badRequest("Invalid volume: A snapshot of volume %s is being taken or"
                    + " a volume is being created from it; extend it when that is done.", volume.id());
            default -> throw new IllegalStateException("unexpected outcome " + result.outcome());
        }
        try {
            volumeServices.extendVolume(volume.backend(), new ExtendVolume(volume.id(), newSize, context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask {} to extend volume {}", context.requestId(), volume.backend(), volume.id(), e);
            volumes.cancelExtend(volume.id());
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "The volume service could not be reached; the volume was not extended. Try again later.");
        }
        LOG.info("{} volume {} is being extended from {} to {} GiB", context.requestId(), volume.id(), volume.size(),
                newSize);
        return ApiResponse.status(202);
    }

    private static BasaltException notLarger(int size, int newSize) {
        return BasaltException.badRequest("Invalid input received: New size for extend must be greater than current"
                + " size. (current: %d, extended: %d).", size, newSize);
    }

    ApiResponse setBootable(ApiRequest request) {
        JsonNode body = request.validBody(schemas.volumeSetBootable()).get("os-set_bootable");
        Volume volume = volume(request);
        if (volume.status() == VolumeStatus.MAINTENANCE) {
            throw BasaltException.badRequest("Invalid volume: The volume cannot be updated during maintenance.");
        }
        if (!volumes.setBootable(volume.id(), Booleans.fromJson(body.get("bootable"), false))) {
            throw BasaltException.notFound("Volume %s could not be found.", volume.id());
        }
        return ApiResponse.status(200);
    }

    ApiResponse updateReadonly(ApiRequest request) {
        JsonNode body = request.validBody(schemas.volumeReadonly()).get("os-update_readonly_flag");
        Volume volume = volume(request);
        boolean readonly = Booleans.fromJson(body.get("readonly"), false);
        if (volume.status() != VolumeStatus.AVAILABLE || !volumes.setAdminMetadata(volume.id(),
                Set.of(VolumeStatus.AVAILABLE), Volume.READONLY, readonly ? "True" : "False")) {
            String status = volumes.find(volume.id()).map(v -> v.status().apiName()).orElse(volume.status().apiName());
            throw BasaltException.badRequest("Invalid volume: Volume %s status must be available to update readonly"
                    + " flag, but current status is: %s.", volume.id(), status);
        }
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
        if (VolumeStatus.DELETING.apiName().equals(status)) {
            throw BasaltException.badRequest("Cannot reset-state to %s", status);
        }
        if (VolumeStatus.IN_USE.apiName().equals(status) && attachments.ofVolume(volume.id()).isEmpty()) {
            throw BasaltException.badRequest("Cannot reset-state to in-use because volume does not have any"
                    + " attachments.");
        }
        if (migrationStatus != null && !migrationStatus.equals("none")) {
            throw BasaltException.badRequest("Invalid input received: Basalt does not migrate volumes, so"
                    + " migration_status can only be reset to none.");
        }
        VolumeStatus next = status == null ? volume.status() : VolumeStatus.fromApiName(status).orElseThrow();
        AttachStatus attach = attachStatus == null ? null : AttachStatus.fromApiName(attachStatus);
        if (!volumes.resetStatus(volume.id(), next, attach)) {
            throw BasaltException.notFound("Volume %s could not be found.", volume.id());
        }
        LOG.info("{} volume {} reset to status {}{}", request.context().requestId(), volume.id(), next.apiName(),
                attach == null ? "" : ", attach status " + attach.apiName());
        return ApiResponse.status(202);
    }

    ApiResponse forceDelete(ApiRequest request) {
        request.validBody(schemas.forceDelete());
        Volume volume = volume(request);
        deletion.begin(request.context(), volume, true, false);
        return ApiResponse.status(202);
    }

    private static String lower(JsonNode node) {
        if (node == null || node.isNull() || node.asText().isEmpty()) {
            return null;
        }
        return node.asText().toLowerCase(Locale.ROOT);
    }
}
