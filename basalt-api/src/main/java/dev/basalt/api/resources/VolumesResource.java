package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.ApiSettings;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Ids;
import dev.basalt.db.Page;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.VolumeQuery;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeSummary;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.ScheduleVolume;
import dev.basalt.rpc.SchedulerRpc;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /volumes}: list (summary and detail), summary, show, create, update and delete.
 * Create writes the row ({@code creating}; from a snapshot or another volume, see
 * {@link VolumeSources}) and asks the scheduler to place it; delete moves a placed volume to
 * {@code deleting} and asks its volume service to remove it (see {@link VolumeDeletion}).
 */
public final class VolumesResource {
    private static final Logger LOG = LoggerFactory.getLogger(VolumesResource.class);

    static final String GET = "volume:get";
    static final String GET_ALL = "volume:get_all";
    static final String CREATE = "volume:create";
    static final String MULTIATTACH = "volume:multiattach";
    static final String UPDATE = "volume:update";
    static final String DELETE = "volume:delete";
    static final String FORCE_DELETE = "volume:force_delete";

    private final ApiSettings settings;
    private final VolumeRepository volumes;
    private final VolumeTypeRepository types;
    private final DefaultTypes defaultTypes;
    private final AvailabilityZones zones;
    private final VolumeView view;
    private final Schemas schemas;
    private final SchedulerRpc schedulers;
    private final Clock clock;
    private final CreateSettling createSettling;
    private final Quotas quotas;
    private final TypeAccess access;
    private final VolumeSources sources;
    private final VolumeDeletion deletion;

    public VolumesResource(ApiSettings settings, VolumeRepository volumes, VolumeTypeRepository types,
                           DefaultTypes defaultTypes, AvailabilityZones zones, VolumeView view, Schemas schemas,
                           SchedulerRpc schedulers, Clock clock, CreateSettling createSettling, Quotas quotas, TypeAccess access,
                           VolumeSources sources, VolumeDeletion deletion) {
        this.settings = requireNonNull(settings, "settings");
        this.volumes = requireNonNull(volumes, "volumes");
        this.types = requireNonNull(types, "types");
        this.defaultTypes = requireNonNull(defaultTypes, "defaultTypes");
        this.zones = requireNonNull(zones, "zones");
        this.view = requireNonNull(view, "view");
        this.schemas = requireNonNull(schemas, "schemas");
        this.schedulers = requireNonNull(schedulers, "schedulers");
        this.clock = requireNonNull(clock, "clock");
        this.createSettling = requireNonNull(createSettling, "createSettling");
        this.quotas = requireNonNull(quotas, "quotas");
        this.access = requireNonNull(access, "access");
        this.sources = requireNonNull(sources, "sources");
        this.deletion = requireNonNull(deletion, "deletion");
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

    /** The volume the caller may see: any project's for an administrator, else only its own; 404 otherwise. */
    Volume visible(RequestContext context, String id) {
        Optional<Volume> found = context.isAdmin() ? volumes.find(id) : volumes.find(id, context.projectId());
        return found.orElseThrow(() -> BasaltException.notFound("Volume %s could not be found.", id));
    }

    /** {@link #visible(RequestContext, String)}, then policy {@code volume:get} on it (403), as Cinder's get does. */
    Volume visible(ApiRequest request, String id) {
        Volume volume = visible(request.context(), id);
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
        Volume volume = visible(request, request.path("id"));
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
        refuseUnsupportedSources(volume);
        if (Booleans.fromJson(volume.get("multiattach"), false)) {
            throw BasaltException.badRequest("multiattach parameter has been removed. The default behavior is to use"
                    + " multiattach enabled volume types. Contact your administrator to create a multiattach enabled"
                    + " volume type and use it to create multiattach volumes.");
        }
        String name = text(volume, "name", text(volume, "display_name", null));
        String description = text(volume, "description", text(volume, "display_description", null));
        RequestContext context = request.context();
        Optional<VolumeSources.Source> source = sources.resolve(context, volume);
        int size = source.isPresent() ? VolumeSources.size(source.get(), sizeOrNull(volume.get("size")))
                : size(volume.get("size"));

        String requestedType = text(volume, "volume_type", null);
        VolumeType type = source.isPresent() && (requestedType == null || requestedType.isEmpty())
                && source.get().volumeTypeId() != null
                ? TypeLookup.byId(types, source.get().volumeTypeId()) : resolveType(context, requestedType);
        String requestedZone = text(volume, "availability_zone", null);
        String zone = zones.choose(source.isPresent() ? VolumeSources.zone(source.get(), requestedZone)
                : requestedZone, type);
        Map<String, String> metadata = stringMap(volume.get("metadata"));
        boolean multiattach = "<is> True".equals(type.extraSpecs().get("multiattach"));
        if (multiattach) {
            request.authorize(MULTIATTACH);
        }
        boolean bootable = source.map(s -> s.volume().bootable()).orElse(false);

        Volume row = new Volume(Ids.newId(), context.projectId(), context.userId(), name, description, size,
                VolumeStatus.CREATING, AttachStatus.DETACHED, zone, null, type.id(), bootable, multiattach,
                source.map(VolumeSources.Source::snapshotId).orElse(null),
                source.map(VolumeSources.Source::sourceVolid).orElse(null), null, null, metadata,
                Timestamps.now(clock), null, null);
        try {
            if (source.isPresent()) {
                sources.create(source.get(), row, quotas.forNewVolume(context.projectId(), size, type));
            } else {
                volumes.create(row, quotas.forNewVolume(context.projectId(), size, type));
            }
        } catch (QuotaExceededException e) {
            LOG.info("{} volume of {} GiB refused to project {}: {}", context.requestId(), size,
                    context.projectId(), e.getMessage());
            return QuotaFaults.overLimit(e, type);
        }
        LOG.info("{} volume {} of {} GiB requested by project {}", context.requestId(), row.id(), size,
                context.projectId());
        try (CreateSettling.Waiter settling = createSettling.expect(row.id())) {
            try {
                schedulers.createVolume(new ScheduleVolume(row.id(), context.requestId()));
            } catch (RuntimeException e) {
                LOG.error("{} could not ask the scheduler to place volume {}", context.requestId(), row.id(), e);
                volumes.deleteIfUnplaced(row.id());
                throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                        "The scheduler could not be reached; the volume was not created. Try again later.");
            }
            if (settling.awaitSettled()) {
                row = volumes.find(row.id()).orElse(row);
            }
        }
        return ApiResponse.accepted(view.one(request, row, false));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.validBody(schemas.volumeUpdate(request.version()));
        JsonNode fields = body.get("volume");
        Volume volume = visible(request, request.path("id"));
        request.authorize(UPDATE, volume.projectId(), volume.userId());
        if (volume.status() == VolumeStatus.MAINTENANCE) {
            throw BasaltException.badRequest("Invalid volume: The volume cannot be updated during maintenance.");
        }
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
        if (!volumes.rename(volume.id(), name, description)) {
            throw BasaltException.notFound("Volume %s could not be found.", volume.id());
        }
        if (fields.has("metadata")) {
            volumes.replaceMetadata(volume.id(), stringMap(fields.get("metadata")));
        }
        Volume updated = visible(request.context(), volume.id());
        return ApiResponse.ok(view.one(request, updated, false));
    }

    ApiResponse delete(ApiRequest request) {
        RequestContext context = request.context();
        boolean cascade = Booleans.param("cascade", request.query().get("cascade"), false);
        boolean force = request.atLeast(Microversions.VOLUME_DELETE_FORCE)
                && Booleans.param("force", request.query().get("force"), false);
        Volume volume = visible(request, request.path("id"));
        if (force) {
            request.authorize(FORCE_DELETE, volume.projectId(), volume.userId());
        }
        request.authorize(DELETE, volume.projectId(), volume.userId());
        deletion.begin(context, volume, force, cascade);
        return ApiResponse.status(202);
    }

    private VolumeType resolveType(RequestContext context, String requested) {
        if (requested != null && !requested.isEmpty()) {
            return TypeLookup.byNameOrId(types, requested, t -> access.canUse(context, t));
        }
        return defaultTypes.forProject(context.projectId()).orElseThrow(() -> new BasaltException(Fault.INTERNAL,
                "The request cannot be fulfilled as the default volume type " + settings.defaultVolumeType()
                        + " cannot be found."));
    }

    private static void refuseUnsupportedSources(JsonNode volume) {
        refuse(volume, "backup_id", "Creating a volume from a backup");
        refuse(volume, "imageRef", "Creating a volume from an image");
        refuse(volume, "image_id", "Creating a volume from an image");
        refuse(volume, "consistencygroup_id", "Creating a volume in a consistency group");
        refuse(volume, "group_id", "Creating a volume in a group");
    }

    private static void refuse(JsonNode volume, String field, String what) {
        JsonNode value = volume.get(field);
        if (value != null && !value.isNull() && !(value.isTextual() && value.textValue().isEmpty())) {
            throw BasaltException.badRequest("%s is not supported yet (%s was given).", what, field);
        }
    }

    /** The requested size, or null when the request names none (a volume made from a source). */
    private static Integer sizeOrNull(JsonNode size) {
        return size == null || size.isNull() ? null : size(size);
    }

    private static int size(JsonNode size) {
        if (size == null || size.isNull()) {
            throw BasaltException.badRequest("Invalid input received: Volume size 'None' must be an integer and"
                    + " greater than 0");
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
