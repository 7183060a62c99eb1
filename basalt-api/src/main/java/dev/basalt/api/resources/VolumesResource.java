package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.ApiSettings;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.BackupService;
import dev.basalt.api.service.ImageRef;
import dev.basalt.api.service.NewVolume;
import dev.basalt.api.service.OverQuotaException;
import dev.basalt.api.service.VolumeChanges;
import dev.basalt.api.service.VolumePlan;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.db.Page;
import dev.basalt.db.VolumeQuery;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeSummary;
import dev.basalt.model.Backup;
import dev.basalt.model.Volume;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /volumes}: list (summary and detail), summary, show, create, update and delete. Parses
 * the requests, checks policy and renders the views; {@link VolumeService} holds the rules
 * (create plans the volume, then, once {@code volume:multiattach} allowed a multiattach type,
 * writes and schedules it).
 */
public final class VolumesResource {
    static final String GET = "volume:get";
    static final String GET_ALL = "volume:get_all";
    static final String CREATE = "volume:create";
    static final String MULTIATTACH = "volume:multiattach";
    static final String UPDATE = "volume:update";
    static final String DELETE = "volume:delete";
    static final String FORCE_DELETE = "volume:force_delete";

    private final ApiSettings settings;
    private final VolumeRepository volumes;
    private final VolumeService service;
    private final BackupService backups;
    private final VolumeView view;
    private final Schemas schemas;

    public VolumesResource(ApiSettings settings, VolumeRepository volumes, VolumeService service, BackupService backups,
                           VolumeView view, Schemas schemas) {
        this.settings = requireNonNull(settings, "settings");
        this.volumes = requireNonNull(volumes, "volumes");
        this.service = requireNonNull(service, "service");
        this.backups = requireNonNull(backups, "backups");
        this.view = requireNonNull(view, "view");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    public void register(Router.Builder routes) {
        routes.get("/volumes", r -> list(r, false))
                .get("/volumes/detail", r -> list(r, true))
                .add("GET", "/volumes/summary", Microversions.VOLUME_SUMMARY, this::summary)
                .get("/volumes/{id}", this::show)
                .post("/volumes", this::create)
                .put("/volumes/{id}", this::update)
                .delete("/volumes/{id}", this::delete);
    }

    /** The volume the caller may see (404 otherwise), once policy {@code volume:get} lets it (403), as Cinder's get does. */
    static Volume readable(VolumeService service, ApiRequest request, String id) {
        Volume volume = service.visible(request.context(), id);
        request.authorize(GET, volume.projectId(), volume.userId());
        return volume;
    }

    ApiResponse list(ApiRequest request, boolean detailed) {
        request.authorize(GET_ALL);
        ListRequest.Result<VolumeQuery> parsed = VolumeFilters.parse(request.query(), request.version(),
                request.context(), settings.maxLimit());
        if (parsed.query() == null) {
            return ApiResponse.ok(view.list(request, List.of(), detailed, parsed.withCount() ? 0L : null, false));
        }
        Page<Volume> page = volumes.list(parsed.query());
        boolean next = parsed.page().hasNext(page.items().size(), page.total());
        return ApiResponse.ok(view.list(request, page.items(), detailed, page.total(), next));
    }

    ApiResponse summary(ApiRequest request) {
        request.authorize(GET_ALL);
        RequestContext context = request.context();
        boolean allTenants = context.isAdmin() && Booleans.param("all_tenants", request.query().get("all_tenants"), false);
        VolumeSummary summary = volumes.summary(allTenants ? null : context.projectId());
        boolean withMetadata = request.atLeast(Microversions.VOLUME_SUMMARY_METADATA);
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeObjectFieldStart("volume-summary");
            out.writeNumberField("total_count", summary.count());
            out.writeNumberField("total_size", summary.totalSize());
            if (withMetadata) {
                out.writeObjectFieldStart("metadata");
                for (Map.Entry<String, List<String>> e : summary.metadata().entrySet()) {
                    out.writeArrayFieldStart(e.getKey());
                    for (String v : e.getValue()) {
                        out.writeString(v);
                    }
                    out.writeEndArray();
                }
                out.writeEndObject();
            }
            out.writeEndObject();
            out.writeEndObject();
        });
    }

    ApiResponse show(ApiRequest request) {
        Volume volume = readable(service, request, request.path("id"));
        return ApiResponse.ok(view.one(request, volume, true));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.validBody(schemas.volumeCreate(request.version()));
        request.authorize(CREATE);
        JsonNode volume = body.get("volume");
        if (volume == null || !volume.isObject()) {
            throw BasaltException.badRequest("Invalid input for field/attribute volume. Value: %s. It is not of type"
                    + " 'object'", volume);
        }
        refuseUnsupportedSources(volume, request.atLeast(Microversions.VOLUME_CREATE_FROM_BACKUP));
        if (Booleans.fromJson(volume.get("multiattach"), false)) {
            throw BasaltException.badRequest("multiattach parameter has been removed. The default behavior is to use"
                    + " multiattach enabled volume types. Contact your administrator to create a multiattach enabled"
                    + " volume type and use it to create multiattach volumes.");
        }
        NewVolume wanted = new NewVolume(text(volume, "name", text(volume, "display_name", null)),
                text(volume, "description", text(volume, "display_description", null)), sizeOrNull(volume.get("size")),
                text(volume, "volume_type", null), text(volume, "availability_zone", null),
                stringMap(volume.get("metadata")), text(volume, "snapshot_id", null),
                text(volume, "source_volid", null), imageRef(request, volume),
                request.atLeast(Microversions.GROUP_VOLUME) ? text(volume, "group_id", null) : null);
        RequestContext context = request.context();
        String backupId = request.atLeast(Microversions.VOLUME_CREATE_FROM_BACKUP) ? text(volume, "backup_id", null)
                : null;
        Backup backup = backupId == null || backupId.isEmpty() ? null : backups.sourceOfVolume(context, backupId);
        VolumePlan plan = service.plan(context, backup == null ? wanted : BackupService.sized(backup, wanted));
        if (plan.multiattach()) {
            request.authorize(MULTIATTACH);
        }
        Volume created;
        try {
            created = backup == null ? service.create(context, plan) : backups.createVolume(context, backup, plan);
        } catch (OverQuotaException e) {
            return QuotaFaults.overLimit(e);
        }
        return ApiResponse.accepted(view.one(request, created, false));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.validBody(schemas.volumeUpdate(request.version()));
        JsonNode fields = body.get("volume");
        Volume volume = readable(service, request, request.path("id"));
        request.authorize(UPDATE, volume.projectId(), volume.userId());
        Optional<String> name = Optional.empty();
        Optional<String> description = Optional.empty();
        if (fields.has("display_name")) {
            name = Optional.ofNullable(text(fields, "display_name", null));
        }
        if (fields.has("name")) {
            name = Optional.ofNullable(text(fields, "name", null));
        }
        if (fields.has("display_description")) {
            description = Optional.ofNullable(text(fields, "display_description", null));
        }
        if (fields.has("description")) {
            description = Optional.ofNullable(text(fields, "description", null));
        }
        Optional<Map<String, String>> metadata = fields.has("metadata")
                ? Optional.of(stringMap(fields.get("metadata"))) : Optional.empty();
        Volume updated = service.update(request.context(), volume, new VolumeChanges(name, description, metadata));
        return ApiResponse.ok(view.one(request, updated, false));
    }

    ApiResponse delete(ApiRequest request) {
        RequestContext context = request.context();
        boolean cascade = Booleans.param("cascade", request.query().get("cascade"), false);
        boolean force = request.atLeast(Microversions.VOLUME_DELETE_FORCE)
                && Booleans.param("force", request.query().get("force"), false);
        Volume volume = readable(service, request, request.path("id"));
        if (force) {
            request.authorize(FORCE_DELETE, volume.projectId(), volume.userId());
        }
        request.authorize(DELETE, volume.projectId(), volume.userId());
        service.delete(context, volume, force, cascade);
        return ApiResponse.status(202);
    }

    private static void refuseUnsupportedSources(JsonNode volume, boolean fromBackup) {
        if (!fromBackup) {
            refuse(volume, "backup_id", "Creating a volume from a backup");
        }
        refuse(volume, "consistencygroup_id", "Creating a volume in a consistency group");
    }

    /** {@code imageRef}, else {@code image_id}, with the caller's token; null when neither is given. */
    private static ImageRef imageRef(ApiRequest request, JsonNode volume) {
        String ref = text(volume, "imageRef", null);
        if (ref == null || ref.isEmpty()) {
            ref = text(volume, "image_id", null);
        }
        return ref == null || ref.isEmpty() ? null : new ImageRef(ref, request.header("X-Auth-Token"));
    }

    private static void refuse(JsonNode volume, String field, String what) {
        JsonNode value = volume.get(field);
        if (value != null && !value.isNull() && !(value.isTextual() && value.textValue().isEmpty())) {
            throw BasaltException.badRequest("%s is not supported yet (%s was given).", what, field);
        }
    }

    /** The requested size, or null when the request names none (a volume made from a source). */
    private static Integer sizeOrNull(JsonNode size) {
        if (size == null || size.isNull()) {
            return null;
        }
        long value = size.isIntegralNumber() ? size.longValue() : Long.parseLong(size.textValue());
        return (int) value;
    }

    /** A string field, stripped of surrounding white space as Cinder does; {@code fallback} when absent. */
    static String text(JsonNode object, String field, String fallback) {
        JsonNode node = object.get(field);
        if (node == null) {
            return fallback;
        }
        return node.isNull() ? null : node.asText().strip();
    }

    static Map<String, String> stringMap(JsonNode object) {
        Map<String, String> map = new LinkedHashMap<>();
        if (object == null || object.isNull()) {
            return map;
        }
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }
}
