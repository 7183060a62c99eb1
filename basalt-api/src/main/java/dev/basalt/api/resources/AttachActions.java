package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.JsonBody;
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
import dev.basalt.rpc.IscsiConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume actions of the attach flow that came before the attachments API, by Cinder's rules:
 * {@code os-reserve}, {@code os-unreserve}, {@code os-initialize_connection},
 * {@code os-terminate_connection}, {@code os-attach}, {@code os-begin_detaching},
 * {@code os-roll_detaching} and {@code os-detach}.
 */
public final class AttachActions {
    private static final Logger LOG = LoggerFactory.getLogger(AttachActions.class);

    private final VolumeService volumes;
    private final AttachmentRepository attachments;
    private final AttachmentTransitions transitions;
    private final Connections connections;
    private final Schemas schemas;
    private final Clock clock;

    public AttachActions(VolumeService volumes, AttachmentRepository attachments, AttachmentTransitions transitions,
                  Connections connections, Schemas schemas, Clock clock) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.attachments = requireNonNull(attachments, "attachments");
        this.transitions = requireNonNull(transitions, "transitions");
        this.connections = requireNonNull(connections, "connections");
        this.schemas = requireNonNull(schemas, "schemas");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Whether {@code action} is one this class serves. */
    static boolean serves(String action) {
        return switch (action) {
            case "os-reserve", "os-unreserve", "os-initialize_connection", "os-terminate_connection", "os-attach",
                 "os-begin_detaching", "os-roll_detaching", "os-detach" -> true;
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
        IscsiConnection connection = connections.initialize(request.context(), volume, connector);
        String mode = Connections.accessMode(volume, volume.adminMetadata().get(Volume.ATTACHED_MODE));
        Map<String, Object> info = connections.nested(connection, volume, mode);
        return ApiResponse.ok(JsonBody.of(Json.mapper().createObjectNode()
                .set("connection_info", Json.mapper().valueToTree(info))));
    }

    private ApiResponse terminateConnection(ApiRequest request, Volume volume) {
        request.validBody(schemas.terminateConnection());
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
        refuseInMaintenance(volume, "The volume cannot be detached in maintenance mode.");
        RequestContext context = request.context();
        String attachmentId = body == null || body.isNull() ? null : text(body, "attachment_id");
        if (attachmentId == null) {
            List<VolumeAttachment> all = attachments.ofVolume(volume.id());
            if (all.size() > 1) {
                throw BasaltException.badRequest("Invalid volume: Detach volume failed: More than one attachment, but"
                        + " no attachment_id provided.");
            }
            attachmentId = all.isEmpty() ? null : all.get(0).id();
        } else if (attachments.find(attachmentId).filter(a -> a.volumeId().equals(volume.id())).isEmpty()) {
            throw BasaltException.notFound("Volume attachment %s could not be found.", attachmentId);
        }
        connections.terminate(context, volume, attachmentId);
        found(volume, transitions.detach(volume.id(), attachmentId == null ? "" : attachmentId));
        LOG.info("{} volume {} detached{}", context.requestId(), volume.id(),
                attachmentId == null ? "" : " (" + attachmentId + ")");
        return ApiResponse.status(202);
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
