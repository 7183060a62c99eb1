package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.ApiSettings;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.AvailabilityZones;
import dev.basalt.api.service.DefaultTypes;
import dev.basalt.api.service.TypeAccess;
import dev.basalt.api.service.TypeLookup;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.VolumeType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** {@code /types}: list, show, the default type, and (administrators) create, update, delete. */
public final class VolumeTypesResource {
    private static final Map<String, Function<VolumeType, Comparable<?>>> SORT_KEYS = Map.of(
            "name", VolumeType::name,
            "description", VolumeType::description,
            "is_public", VolumeType::isPublic,
            "created_at", VolumeType::createdAt,
            "updated_at", VolumeType::updatedAt);

    static final String GET = "volume_extension:type_get";
    static final String GET_ALL = "volume_extension:type_get_all";
    static final String CREATE = "volume_extension:type_create";
    static final String UPDATE = "volume_extension:type_update";
    static final String DELETE = "volume_extension:type_delete";

    private final ApiSettings settings;
    private final VolumeTypeRepository types;
    private final VolumeRepository volumes;
    private final DefaultTypes defaultTypes;
    private final VolumeTypeCache cache;
    private final Schemas schemas;
    private final TypeAccess access;

    public VolumeTypesResource(ApiSettings settings, VolumeTypeRepository types, VolumeRepository volumes,
                               DefaultTypes defaultTypes, VolumeTypeCache cache, Schemas schemas,
                               TypeAccess access) {
        this.settings = requireNonNull(settings, "settings");
        this.types = requireNonNull(types, "types");
        this.volumes = requireNonNull(volumes, "volumes");
        this.defaultTypes = requireNonNull(defaultTypes, "defaultTypes");
        this.cache = requireNonNull(cache, "cache");
        this.schemas = requireNonNull(schemas, "schemas");
        this.access = requireNonNull(access, "access");
    }

    public void register(Router.Builder routes) {
        routes.get("/types", this::list)
                .get("/types/default", this::showDefault)
                .get("/types/{id}", this::show)
                .post("/types", this::create)
                .put("/types/{id}", this::update)
                .delete("/types/{id}", this::delete);
    }

    /** The type the caller may see: private types only to administrators and projects given access; 404 otherwise. */
    VolumeType visible(RequestContext context, String id) {
        VolumeType type = TypeLookup.byId(types, id);
        if (!access.canUse(context, type)) {
            throw BasaltException.notFound("Volume type %s could not be found.", id);
        }
        return type;
    }

    ApiResponse list(ApiRequest request) {
        request.authorize(GET_ALL);
        RequestContext context = request.context();
        ListParams page = ListParams.parse(request.query(), settings.maxLimit());
        Map<String, String> filters = new LinkedHashMap<>(request.query().lastValues());
        ListParams.KEYS.forEach(filters::remove);
        String isPublicParam = filters.remove("is_public");
        filters.remove("all_tenants");
        checkFilters(request, filters);
        Boolean isPublic = context.isAdmin() ? parseIsPublic(isPublicParam) : Boolean.TRUE;
        // As Cinder: "public" also takes in the private types the caller's project was given.
        boolean publicOrGranted = Boolean.TRUE.equals(isPublic);
        Set<String> granted = publicOrGranted ? access.granted(context.projectId()) : Set.of();

        List<VolumeType> matching = new ArrayList<>();
        if (filtersOnSensitiveSpecs(request, filters)) {
            return ApiResponse.ok(VolumeTypeView.list(request, matching, false));
        }
        for (VolumeType t : types.list(publicOrGranted ? null : isPublic)) {
            if (publicOrGranted && !t.isPublic() && !granted.contains(t.id())) {
                continue;
            }
            if (matches(t, filters)) {
                matching.add(t);
            }
        }
        InMemoryPages.PageOf<VolumeType> result = InMemoryPages.page(matching, page, SORT_KEYS, VolumeType::id,
                marker -> BasaltException.notFound("Volume type %s could not be found.", marker));
        boolean next = page.hasNext(result.items().size(), null);
        return ApiResponse.ok(VolumeTypeView.list(request, result.items(), next));
    }

    ApiResponse show(ApiRequest request) {
        VolumeType type = visible(request.context(), request.path("id"));
        request.authorize(GET);
        return ApiResponse.ok(VolumeTypeView.one(request, type, true));
    }

    ApiResponse showDefault(ApiRequest request) {
        VolumeType type = defaultTypes.forProject(request.context().projectId())
                .orElseThrow(() -> BasaltException.notFound("Default volume type can not be found."));
        request.authorize(GET);
        return ApiResponse.ok(VolumeTypeView.one(request, type, true));
    }

    ApiResponse create(ApiRequest request) {
        request.authorize(CREATE);
        JsonNode body = request.validBody(schemas.typeCreate()).get("volume_type");
        String name = body.get("name").asText();
        String description = VolumesResource.text(body, "description", null);
        Map<String, String> specs = specs(body.get("extra_specs"), "extra_specs");
        boolean isPublic = Booleans.fromJson(body.get("os-volume-type-access:is_public"), true);
        VolumeType created = types.create(name, description, isPublic, specs);
        cache.invalidate();
        return ApiResponse.ok(VolumeTypeView.one(request, TypeLookup.byId(types, created.id()), true));
    }

    ApiResponse update(ApiRequest request) {
        request.authorize(UPDATE);
        JsonNode body = request.validBody(schemas.typeUpdate()).get("volume_type");
        String id = request.path("id");
        String name = VolumesResource.text(body, "name", null);
        JsonNode rawName = body.get("name");
        String description = body.has("description") && !body.get("description").isNull()
                ? body.get("description").asText() : null;
        JsonNode publicNode = body.get("is_public");
        Boolean isPublic = publicNode == null || publicNode.isNull() ? null : Booleans.fromJson(publicNode, true);
        if (rawName != null && !rawName.isNull() && name.isEmpty()) {
            throw BasaltException.badRequest("Volume type name can not be empty.");
        }
        if (name == null && description == null && isPublic == null) {
            throw BasaltException.badRequest("Specify volume type name, description, is_public or a combination"
                    + " thereof.");
        }
        TypeLookup.byId(types, id);
        if (!types.update(id, rawName == null || rawName.isNull() ? null : rawName.asText(), description, isPublic)) {
            throw BasaltException.notFound("Volume type %s could not be found.", id);
        }
        cache.invalidate();
        return ApiResponse.ok(VolumeTypeView.one(request, TypeLookup.byId(types, id), false));
    }

    ApiResponse delete(ApiRequest request) {
        request.authorize(DELETE);
        VolumeType type = TypeLookup.byId(types, request.path("id"));
        if (defaultTypes.isDefaultAnywhere(type)) {
            throw BasaltException.badRequest("The volume type %s is a default volume type and cannot be deleted.",
                    type.id());
        }
        if (volumes.countWithType(type.id()) > 0) {
            throw BasaltException.badRequest("Target volume type is still in use.");
        }
        types.delete(type.id());
        cache.invalidate();
        return ApiResponse.status(202);
    }

    /** Extra specs from a body; Basalt keeps no null spec values, so a null is refused. */
    static Map<String, String> specs(JsonNode node, String field) {
        Map<String, String> specs = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return specs;
        }
        node.properties().forEach(e -> {
            if (e.getValue().isNull()) {
                throw BasaltException.badRequest("Invalid input for field/attribute %s. Value: null. Extra spec %s"
                        + " has no value; Basalt needs a string (use \"\" for an empty one).", e.getKey(), e.getKey());
            }
            specs.put(e.getKey(), e.getValue().asText());
        });
        return specs;
    }

    private static void checkFilters(ApiRequest request, Map<String, String> filters) {
        if (request.context().isAdmin()) {
            return;
        }
        boolean strict = request.atLeast(Microversions.SUPPORT_VOLUME_TYPE_FILTER);
        List<String> invalid = new ArrayList<>();
        for (String key : filters.keySet()) {
            if (!(strict && key.equals("extra_specs"))) {
                invalid.add(key);
            }
        }
        if (strict && !invalid.isEmpty()) {
            throw BasaltException.badRequest("Invalid filters %s are found in query options.", String.join(",", invalid));
        }
        invalid.forEach(filters::remove);
    }

    /**
     * A caller who may not read sensitive extra specs and filters on one finds no type, as in
     * Cinder (leaving the filter out would answer more than asked; applying it would leak).
     */
    private static boolean filtersOnSensitiveSpecs(ApiRequest request, Map<String, String> filters) {
        String wanted = filters.get("extra_specs");
        if (wanted == null || request.allowed(VolumeTypeView.READ_SENSITIVE)) {
            return false;
        }
        Map<String, String> keys = PythonLiterals.dictOrNull(wanted);
        return keys != null && !VolumeTypeView.USER_VISIBLE_SPECS.containsAll(keys.keySet());
    }

    private boolean matches(VolumeType type, Map<String, String> filters) {
        for (Map.Entry<String, String> f : filters.entrySet()) {
            String value = f.getValue();
            boolean ok = switch (f.getKey()) {
                case "id" -> type.id().equals(PythonLiterals.unquote(value));
                case "name" -> type.name().equals(value);
                case "description" -> value.equals(type.description());
                case "qos_specs_id" -> PythonLiterals.isNone(value) ? type.qosSpecsId() == null
                        : PythonLiterals.unquote(value).equals(type.qosSpecsId());
                case "extra_specs" -> matchesSpecs(type, value);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesSpecs(VolumeType type, String value) {
        Map<String, String> wanted = PythonLiterals.dictOrNull(value);
        if (wanted == null) {
            return false;
        }
        for (Map.Entry<String, String> w : wanted.entrySet()) {
            String have = type.extraSpecs().get(w.getKey());
            if (have == null) {
                return false;
            }
            boolean ok = w.getKey().equals(AvailabilityZones.TYPE_ZONES_SPEC)
                    ? have.contains(w.getValue()) : have.equals(w.getValue());
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Cinder's is_public: absent means public only; "None" means all; else a strict boolean. */
    static Boolean parseIsPublic(String value) {
        if (value == null) {
            return Boolean.TRUE;
        }
        if (value.trim().equalsIgnoreCase("none")) {
            return null;
        }
        Boolean b = Booleans.parseOrNull(value);
        if (b == null) {
            throw BasaltException.badRequest("Invalid is_public filter [%s]", value);
        }
        return b;
    }
}
