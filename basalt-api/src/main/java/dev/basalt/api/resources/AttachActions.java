package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.service.CallerTokens;
import dev.basalt.api.service.DetachSafety;
import dev.basalt.api.service.StoredTime;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Ids;
import dev.basalt.common.Json;
import dev.basalt.db.AttachmentRepository;
import dev.basalt.db.AttachmentTransitions;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeAttachment;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.VolumeConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume actions of the attach flow that came before the attachments API, by Cinder's rules:
 * {@code os-reserve}, {@code os-unreserve}, {@code os-initialize_connection},
 * {@code os-terminate_connection}, {@code os-attach}, {@code os-begin_detaching},
 * {@code os-roll_detaching}, {@code os-detach} and the administrators' {@code os-force_detach}.
 * Those that remove attachments ({@code os-detach}, {@code os-terminate_connection}, and
 * {@code os-force_detach} asked by a non-administrator) leave an instance's attachment to the compute
 * service ({@link DetachSafety}); {@code os-unreserve} removes none.
 */
public final class AttachActions {
    private static final Logger LOG = LoggerFactory.getLogger(AttachActions.class);
    private static final String ONE_OF_MANY = "Detach volume failed: More than one attachment, but no attachment_id"
            + " provided.";
    private static final String FORCE_DETACH_ERROR = "Error force detaching volume - ";

    private final VolumeService volumes;
    private final AttachmentRepository attachments;
    private final AttachmentTransitions transitions;
    private final Connections connections;
    private final DetachSafety detachSafety;
    private final Schemas schemas;
    private final Clock clock;

    public AttachActions(VolumeService volumes, AttachmentRepository attachments, AttachmentTransitions transitions,
                  Connections connections, DetachSafety detachSafety, Schemas schemas, Clock clock) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.attachments = requireNonNull(attachments, "attachments");
        this.transitions = requireNonNull(transitions, "transitions");
        this.connections = requireNonNull(connections, "connections");
        this.detachSafety = requireNonNull(detachSafety, "detachSafety");
        this.schemas = requireNonNull(schemas, "schemas");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Whether {@code action} is one this class serves. */
    static boolean serves(String action) {
        return switch (action) {
            case "os-reserve", "os-unreserve", "os-initialize_connection", "os-terminate_connection", "os-attach",
                 "os-begin_detaching", "os-roll_detaching", "os-detach", "os-force_detach" -> true;
            default -> false;
        };
    }

    ApiResponse handle(String action, ApiRequest request) {
        Volume volume = volumes.visible(request.context(), request.path("id"));
        return switch (action) {
            case "os-reserve" -> reserve(volume);
            case "os-unreserve" -> unreserve(volume);
            case "os-initialize_connection" -> initializeConnection(request, volume);
            case "os-terminate_connection" -> terminateConnection(request, volume);
            case "os-attach" -> attach(request, volume);
            case "os-begin_detaching" -> beginDetaching(volume);
            case "os-roll_detaching" -> rollDetaching(volume);
            case "os-detach" -> detach(request, volume);
            case "os-force_detach" -> forceDetach(request, volume);
            default -> throw new IllegalArgumentException("not a served action: " + action);
        };
    }

    private ApiResponse reserve(Volume volume) {
        AttachmentTransitions.Result result = transitions.reserveLegacy(volume.id());
        if (result.outcome() == AttachmentTransitions.Outcome.STATUS) {
            throw BasaltException.badRequest("Invalid volume: Volume status must be %s to reserve, but the status is"
                    + " %s.", volume.multiattach() ? "available or in-use" : "available", result.volumeStatus());
        }
        found(volume, result);
        return ApiResponse.status(202);
    }

    private ApiResponse unreserve(Volume volume) {
        found(volume, transitions.unreserve(volume.id()));
        return ApiResponse.status(202);
    }

    private ApiResponse initializeConnection(ApiRequest request, Volume volume) {
        JsonNode body = request.validBody(schemas.initializeConnection()).get("os-initialize_connection");
        refuseInMaintenance(volume, "The volume connection cannot be initialized in maintenance mode.");
        Map<String, Object> connector = Connections.connector(body.get("connector"));
        VolumeConnection connection = connections.initialize(request.context(), volume, connector);
        String mode = Connections.accessMode(volume, volume.adminMetadata().get(Volume.ATTACHED_MODE));
        Map<String, Object> info = connections.nested(connection, volume, mode);
        return ApiResponse.ok(JsonBody.of(Json.mapper().createObjectNode()
                .set("connection_info", Json.mapper().valueToTree(info))));
    }

    private ApiResponse terminateConnection(ApiRequest request, Volume volume) {
        request.validBody(schemas.terminateConnection());
        detachSafety.check(request.context(), CallerTokens.from(request::header), volume.id(),
                attachments.ofVolume(volume.id()));
        connections.terminate(request.context(), volume, null);
        transitions.unreserve(volume.id());
        return ApiResponse.status(202);
    }

    private ApiResponse attach(ApiRequest request, Volume volume) {
        JsonNode body = request.validBody(schemas.volumeAttach()).get("os-attach");
        refuseInMaintenance(volume, "The volume cannot be attached in maintenance mode.");
        String mode = body.hasNonNull("mode") ? body.get("mode").textValue() : "rw";
        if (volume.readOnly() && !mode.equals("ro")) {
            throw BasaltException.badRequest("Invalid attaching mode '%s' for volume %s.", mode, volume.id());
        }
        Instant now = StoredTime.now(clock);
        VolumeAttachment attachment = new VolumeAttachment(Ids.newId(), volume.id(), volume.projectId(),
                text(body, "instance_uuid"), text(body, "host_name"), text(body, "mountpoint"), AttachStatus.ATTACHED,
                mode, Map.of(), Map.of(), now, null, now, now);
        AttachmentTransitions.Result result = transitions.attach(attachment);
        switch (result.outcome()) {
            case DONE -> { }
            case NOT_FOUND -> throw BasaltException.notFound("Volume %s could not be found.", volume.id());
            case NOT_MULTIATTACH -> throw BasaltException.badRequest("Invalid volume: volume is already attached and"
                    + " multiple attachments are not enabled");
            case STATUS -> throw BasaltException.badRequest("Invalid volume: volume %s cannot be attached while it is"
                    + " %s.", volume.id(), result.volumeStatus());
        }
        LOG.info("{} volume {} attached ({})", request.context().requestId(), volume.id(), result.attachment().id());
        return ApiResponse.status(202);
    }

    private ApiResponse beginDetaching(Volume volume) {
        AttachmentTransitions.Result result = transitions.beginDetaching(volume.id());
        if (result.outcome() == AttachmentTransitions.Outcome.STATUS) {
            throw BasaltException.badRequest("Invalid volume: Unable to detach volume. Volume status must be 'in-use'"
                    + " and attach_status must be 'attached' to detach.");
        }
        found(volume, result);
        return ApiResponse.status(202);
    }

    private ApiResponse rollDetaching(Volume volume) {
        found(volume, transitions.rollDetaching(volume.id()));
        return ApiResponse.status(202);
    }

    private ApiResponse detach(ApiRequest request, Volume volume) {
        JsonNode body = request.validBody(schemas.volumeDetach()).get("os-detach");
        String attachmentId = body == null || body.isNull() ? null : text(body, "attachment_id");
        Optional<VolumeAttachment> attachment = toDetach(volume, attachmentId,
                () -> BasaltException.badRequest("Invalid volume: " + ONE_OF_MANY),
                () -> BasaltException.notFound("Volume attachment %s could not be found.", attachmentId));
        detachSafety.check(request.context(), CallerTokens.from(request::header), volume.id(),
                attachment.stream().toList());
        refuseInMaintenance(volume, "The volume cannot be detached in maintenance mode.");
        remove(request.context(), volume, attachment);
        return ApiResponse.status(202);
    }

    /**
     * os-force_detach: os-detach for administrators, who need no compute service's consent (a
     * caller a policy override lets in otherwise is checked as for os-detach). The connector, if
     * any, is checked and otherwise unused: the export serves every host of the volume.
     */
    private ApiResponse forceDetach(ApiRequest request, Volume volume) {
        JsonNode body = request.validBody(schemas.forceDetach()).get("os-force_detach");
        Connections.connector(body.get("connector"));
        String attachmentId = text(body, "attachment_id");
        Optional<VolumeAttachment> attachment = toDetach(volume, attachmentId,
                () -> BasaltException.badRequest("%sInvalidVolume: Invalid volume: %s", FORCE_DETACH_ERROR,
                        ONE_OF_MANY),
                () -> BasaltException.badRequest("%sVolumeAttachmentNotFound: Volume attachment %s could not be"
                        + " found.", FORCE_DETACH_ERROR, attachmentId));
        RequestContext context = request.context();
        if (!context.isAdmin()) {
            detachSafety.check(context, CallerTokens.from(request::header), volume.id(),
                    attachment.stream().toList());
        }
        refuseInMaintenance(volume, "The volume cannot be detached in maintenance mode.");
        remove(context, volume, attachment);
        return ApiResponse.status(202);
    }

    /**
     * The attachment a detach names, or the volume's only one when it names none (empty when the
     * volume has none).
     */
    private Optional<VolumeAttachment> toDetach(Volume volume, String attachmentId,
                                                Supplier<BasaltException> oneOfMany,
                                                Supplier<BasaltException> notFound) {
        List<VolumeAttachment> all = attachments.ofVolume(volume.id());
        if (attachmentId == null) {
            if (all.size() > 1) {
                throw oneOfMany.get();
            }
            return all.stream().findFirst();
        }
        return Optional.of(all.stream().filter(a -> a.id().equals(attachmentId)).findFirst()
                .orElseThrow(notFound));
    }

    /** Drops the export (unless another host uses it) and the attachment; the volume's status follows. */
    private void remove(RequestContext context, Volume volume, Optional<VolumeAttachment> attachment) {
        String attachmentId = attachment.map(VolumeAttachment::id).orElse(null);
        connections.terminate(context, volume, attachmentId);
        found(volume, transitions.detach(volume.id(), attachmentId == null ? "" : attachmentId));
        LOG.info("{} volume {} detached{}", context.requestId(), volume.id(),
                attachmentId == null ? "" : " (" + attachmentId + ")");
    }

    private static void refuseInMaintenance(Volume volume, String message) {
        if (volume.status() == VolumeStatus.MAINTENANCE) {
            throw BasaltException.badRequest("Invalid volume: %s", message);
        }
    }

    private static void found(Volume volume, AttachmentTransitions.Result result) {
        if (result.outcome() == AttachmentTransitions.Outcome.NOT_FOUND) {
            throw BasaltException.notFound("Volume %s could not be found.", volume.id());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
