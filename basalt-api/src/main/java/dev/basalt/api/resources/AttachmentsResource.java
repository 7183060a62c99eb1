package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.CallerTokens;
import dev.basalt.api.service.DetachSafety;
import dev.basalt.api.service.StoredTime;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Ids;
import dev.basalt.db.AttachmentRepository;
import dev.basalt.db.AttachmentTransitions;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeAttachment;
import dev.basalt.rpc.VolumeConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attachments API (3.27+), as Cinder serves it: create reserves the volume for a server (and,
 * given the host's connector, exports it and answers the connection info), update gives a reserved
 * attachment its connector, {@code os-complete} (3.44) marks it attached, delete drops the export
 * when no other attachment uses it and lets the volume's status follow the attachments left.
 *
 * <p>Deleting an attachment an instance uses is for the compute service ({@link DetachSafety}).
 */
public final class AttachmentsResource {
    private static final Logger LOG = LoggerFactory.getLogger(AttachmentsResource.class);
    static final String CREATE = "volume:attachment_create";
    static final String UPDATE = "volume:attachment_update";
    static final String DELETE = "volume:attachment_delete";
    static final String COMPLETE = "volume:attachment_complete";
    private static final Set<String> FILTERS = Set.of("volume_id", "instance_id", "status", "attach_status",
            "all_tenants");
    private static final Map<String, Function<VolumeAttachment, Comparable<?>>> SORT_KEYS = Map.of(
            "created_at", VolumeAttachment::createdAt, "updated_at", VolumeAttachment::updatedAt,
            "status", a -> a.status().apiName(), "volume_id", VolumeAttachment::volumeId);

    private final VolumeService volumes;
    private final AttachmentRepository attachments;
    private final AttachmentTransitions transitions;
    private final Connections connections;
    private final DetachSafety detachSafety;
    private final Schemas schemas;
    private final Clock clock;
    private final int maxLimit;

    public AttachmentsResource(VolumeService volumes, AttachmentRepository attachments, AttachmentTransitions transitions,
                        Connections connections, DetachSafety detachSafety, Schemas schemas, Clock clock,
                        int maxLimit) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.attachments = requireNonNull(attachments, "attachments");
        this.transitions = requireNonNull(transitions, "transitions");
        this.connections = requireNonNull(connections, "connections");
        this.detachSafety = requireNonNull(detachSafety, "detachSafety");
        this.schemas = requireNonNull(schemas, "schemas");
        this.clock = requireNonNull(clock, "clock");
        this.maxLimit = maxLimit;
    }

    public void register(Router.Builder routes) {
        routes.add("POST", "/attachments", Microversions.NEW_ATTACH, this::create);
        routes.add("GET", "/attachments", Microversions.NEW_ATTACH, request -> list(request, false));
        routes.add("GET", "/attachments/detail", Microversions.NEW_ATTACH, request -> list(request, true));
        routes.add("GET", "/attachments/{id}", Microversions.NEW_ATTACH, this::show);
        routes.add("PUT", "/attachments/{id}", Microversions.NEW_ATTACH, this::update);
        routes.add("DELETE", "/attachments/{id}", Microversions.NEW_ATTACH, this::delete);
        routes.add("POST", "/attachments/{id}/action", Microversions.NEW_ATTACH_COMPLETION, this::action);
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.validBody(schemas.attachmentCreate(request.version())).get("attachment");
        RequestContext context = request.context();
        Volume volume = volumes.visible(context, body.get("volume_uuid").textValue());
        request.authorize(CREATE, volume.projectId(), volume.userId());
        if (volume.status().apiName().contains("error")) {
            throw BasaltException.badRequest("Invalid volume: Volume attachments can not be created if the volume is"
                    + " in an error state. The Volume %s currently has a status of: %s", volume.id(),
                    volume.status().apiName());
        }
        Map<String, Object> connector = Connections.connector(body.get("connector"));
        String mode = volume.readOnly() ? "ro"
                : text(body.get("mode"), VolumeAttachment.MODE_NOT_SET);
        Instant now = StoredTime.now(clock);
        VolumeAttachment reserved = new VolumeAttachment(Ids.newId(), volume.id(), volume.projectId(),
                text(body.get("instance_uuid"), null), null, null, AttachStatus.RESERVED, mode, Map.of(), Map.of(),
                null, null, now, now);
        AttachmentTransitions.Result result = transitions.reserve(reserved);
        switch (result.outcome()) {
            case DONE -> { }
            case NOT_FOUND -> throw BasaltException.notFound("Volume %s could not be found.", volume.id());
            default -> throw BasaltException.badRequest("Invalid volume: Volume %s status must be %s to reserve, but"
                    + " the current status is %s.", volume.id(), volume.multiattach()
                    ? "available, in-use or downloading" : "available or downloading", result.volumeStatus());
        }
        VolumeAttachment attachment = reserved;
        if (!connector.isEmpty()) {
            try {
                attachment = connect(context, volume, reserved, connector);
            } catch (RuntimeException e) {
                transitions.detach(volume.id(), reserved.id());
                throw e;
            }
        }
        LOG.info("{} attachment {} of volume {} created ({})", context.requestId(), attachment.id(), volume.id(),
                attachment.status().apiName());
        return ApiResponse.ok(AttachmentView.one(attachment));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.validBody(schemas.attachmentUpdate()).get("attachment");
        RequestContext context = request.context();
        VolumeAttachment attachment = visible(context, request.path("id"));
        Volume volume = volumes.visible(context, attachment.volumeId());
        request.authorize(UPDATE, volume.projectId(), volume.userId());
        if (volume.status().apiName().contains("error")) {
            throw BasaltException.conflict("Volume attachments can not be updated if the volume is in an error"
                    + " state. The Volume %s currently has a status of: %s", volume.id(), volume.status().apiName());
        }
        Map<String, Object> connector = Connections.connector(body.get("connector"));
        if (!volume.multiattach()) {
            boolean otherHostConnected = attachments.ofVolume(volume.id()).stream()
                    .anyMatch(a -> !a.id().equals(attachment.id()) && !a.connectionInfo().isEmpty());
            if (otherHostConnected) {
                throw BasaltException.conflict("duplicate connectors detected on volume %s", volume.id());
            }
        }
        VolumeAttachment updated = connect(context, volume, attachment, connector);
        return ApiResponse.ok(AttachmentView.one(updated));
    }

    /** Exports the volume for the connector's host and records the connection on the attachment. */
    private VolumeAttachment connect(RequestContext context, Volume volume, VolumeAttachment attachment,
                                     Map<String, Object> connector) {
        String requested = VolumeAttachment.MODE_NOT_SET.equals(attachment.attachMode())
                ? text(connector.get("mode"), "rw") : attachment.attachMode();
        String mode = Connections.accessMode(volume, requested);
        VolumeConnection connection = connections.initialize(context, volume, connector);
        Map<String, Object> info = connections.flat(connection, volume, mode, attachment.id(), connector);
        AttachmentTransitions.Result result = transitions.connect(attachment.id(), connector, info, mode,
                StoredTime.now(clock));
        if (result.outcome() != AttachmentTransitions.Outcome.DONE) {
            throw BasaltException.notFound("Volume attachment %s could not be found.", attachment.id());
        }
        return result.attachment();
    }

    ApiResponse show(ApiRequest request) {
        VolumeAttachment attachment = visible(request.context(), request.path("id"));
        return ApiResponse.ok(AttachmentView.one(attachment));
    }

    ApiResponse list(ApiRequest request, boolean detailed) {
        RequestContext context = request.context();
        ListParams params = ListParams.parse(request.query(), maxLimit);
        Map<String, String> filters = new TreeMap<>(request.query().lastValues());
        ListParams.KEYS.forEach(filters::remove);
        List<String> invalid = new ArrayList<>();
        for (String key : filters.keySet()) {
            if (!FILTERS.contains(key)) {
                invalid.add(key);
            }
        }
        if (!invalid.isEmpty() && request.atLeast(Microversions.RESOURCE_FILTER) && !context.isAdmin()) {
            throw BasaltException.badRequest("Invalid filters %s are found in query options.", String.join(",", invalid));
        }
        boolean allTenants = context.isAdmin() && Booleans.param("all_tenants", filters.get("all_tenants"), false);
        String status = filters.getOrDefault("status", filters.get("attach_status"));
        AttachStatus attachStatus = null;
        if (status != null) {
            try {
                attachStatus = AttachStatus.fromApiName(status);
            } catch (IllegalArgumentException e) {
                return ApiResponse.ok(AttachmentView.list(List.of(), detailed));
            }
        }
        List<VolumeAttachment> matching = attachments.list(new AttachmentRepository.Filter(
                allTenants ? null : context.projectId(), filters.get("volume_id"), filters.get("instance_id"),
                attachStatus));
        InMemoryPages.PageOf<VolumeAttachment> page = InMemoryPages.page(matching, params, SORT_KEYS,
                VolumeAttachment::id, marker -> BasaltException.notFound("Volume attachment %s could not be found.",
                        marker));
        return ApiResponse.ok(AttachmentView.list(page.items(), detailed));
    }

    ApiResponse delete(ApiRequest request) {
        RequestContext context = request.context();
        VolumeAttachment attachment = visible(context, request.path("id"));
        Volume volume = volumes.visible(context, attachment.volumeId());
        request.authorize(DELETE, volume.projectId(), volume.userId());
        detachSafety.check(context, CallerTokens.from(request::header), volume.id(), List.of(attachment));
        if (attachment.status() != AttachStatus.RESERVED) {
            connections.terminate(context, volume, attachment.id());
        }
        transitions.detach(volume.id(), attachment.id());
        LOG.info("{} attachment {} of volume {} deleted", context.requestId(), attachment.id(), volume.id());
        return ApiResponse.ok(AttachmentView.list(attachments.ofVolume(volume.id()), false));
    }

    ApiResponse action(ApiRequest request) {
        String action = VolumeActionsResource.actionName(request.json());
        if (!action.equals("os-complete")) {
            throw BasaltException.badRequest("There is no such action: %s. Verify the request body and Content-Type"
                    + " header and try again.", action);
        }
        request.validBody(schemas.attachmentComplete());
        RequestContext context = request.context();
        VolumeAttachment attachment = visible(context, request.path("id"));
        Volume volume = volumes.visible(context, attachment.volumeId());
        request.authorize(COMPLETE, volume.projectId(), volume.userId());
        if (transitions.complete(attachment.id(), StoredTime.now(clock)).outcome()
                != AttachmentTransitions.Outcome.DONE) {
            throw BasaltException.notFound("Volume attachment %s could not be found.", attachment.id());
        }
        LOG.info("{} attachment {} of volume {} completed", context.requestId(), attachment.id(), volume.id());
        return ApiResponse.status(204);
    }

    private VolumeAttachment visible(RequestContext context, String id) {
        return attachments.find(id, context.isAdmin() ? null : context.projectId())
                .orElseThrow(() -> BasaltException.notFound("Volume attachment %s could not be found.", id));
    }

    private static String text(Object value, String fallback) {
        if (value instanceof JsonNode node) {
            return node.isNull() || !node.isTextual() ? fallback : node.textValue();
        }
        return value == null ? fallback : value.toString();
    }
}
