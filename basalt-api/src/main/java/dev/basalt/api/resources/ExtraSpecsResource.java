package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.TypeLookup;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.VolumeType;
import java.util.Map;

/**
 * {@code /types/{type_id}/extra_specs[/{key}]}. Changes are refused while volumes use the type
 * (their placement was decided by the old specs), as Cinder refuses them.
 */
public final class ExtraSpecsResource {
    private static final String IS_TRUE = "<is> True";

    static final String INDEX = "volume_extension:types_extra_specs:index";
    static final String SHOW = "volume_extension:types_extra_specs:show";
    static final String CREATE = "volume_extension:types_extra_specs:create";
    static final String UPDATE = "volume_extension:types_extra_specs:update";
    static final String DELETE = "volume_extension:types_extra_specs:delete";

    private final VolumeTypeRepository types;
    private final VolumeRepository volumes;
    private final VolumeTypesResource typesResource;
    private final VolumeTypeCache cache;
    private final Schemas schemas;

    public ExtraSpecsResource(VolumeTypeRepository types, VolumeRepository volumes, VolumeTypesResource typesResource,
                              VolumeTypeCache cache, Schemas schemas) {
        this.types = requireNonNull(types, "types");
        this.volumes = requireNonNull(volumes, "volumes");
        this.typesResource = requireNonNull(typesResource, "typesResource");
        this.cache = requireNonNull(cache, "cache");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    public void register(Router.Builder routes) {
        routes.get("/types/{type_id}/extra_specs", this::index)
                .post("/types/{type_id}/extra_specs", this::create)
                .get("/types/{type_id}/extra_specs/{key}", this::show)
                .put("/types/{type_id}/extra_specs/{key}", this::update)
                .delete("/types/{type_id}/extra_specs/{key}", this::delete);
    }

    ApiResponse index(ApiRequest request) {
        request.authorize(INDEX);
        VolumeType type = typesResource.visible(request.context(), request.path("type_id"));
        Map<String, String> specs = VolumeTypeView.visibleSpecs(type, request.allowed(VolumeTypeView.READ_SENSITIVE));
        return ApiResponse.ok(SpecsBodies.all("extra_specs", specs));
    }

    ApiResponse create(ApiRequest request) {
        request.authorize(CREATE);
        JsonNode body = request.validBody(schemas.extraSpecsCreate());
        String typeId = request.path("type_id");
        refuseWhileInUse(typeId);
        VolumeType type = TypeLookup.byId(types, typeId);
        Map<String, String> specs = VolumeTypesResource.specs(body.get("extra_specs"), "extra_specs");
        checkCacheable(specs, type);
        set(typeId, specs);
        return ApiResponse.ok(JsonBody.of(body));
    }

    ApiResponse show(ApiRequest request) {
        String typeId = request.path("type_id");
        String key = request.path("key");
        request.authorize(SHOW);
        VolumeType type = typesResource.visible(request.context(), typeId);
        String value = VolumeTypeView.visibleSpecs(type, request.allowed(VolumeTypeView.READ_SENSITIVE)).get(key);
        if (value == null) {
            throw noKey(typeId, key);
        }
        return ApiResponse.ok(SpecsBodies.one(key, value));
    }

    ApiResponse update(ApiRequest request) {
        request.authorize(UPDATE);
        JsonNode body = request.validBody(schemas.extraSpecsUpdate());
        String typeId = request.path("type_id");
        String key = request.path("key");
        refuseWhileInUse(typeId);
        VolumeType type = TypeLookup.byId(types, typeId);
        if (!body.has(key)) {
            throw BasaltException.badRequest("Request body and URI mismatch");
        }
        Map<String, String> specs = VolumeTypesResource.specs(body, key);
        checkCacheable(specs, type);
        set(typeId, specs);
        return ApiResponse.ok(JsonBody.of(body));
    }

    ApiResponse delete(ApiRequest request) {
        String typeId = request.path("type_id");
        String key = request.path("key");
        TypeLookup.byId(types, typeId);
        request.authorize(DELETE);
        refuseWhileInUse(typeId);
        if (!types.deleteExtraSpec(typeId, key)) {
            throw noKey(typeId, key);
        }
        cache.invalidate();
        return ApiResponse.status(202);
    }

    private void set(String typeId, Map<String, String> specs) {
        if (!types.setExtraSpecs(typeId, specs)) {
            throw BasaltException.notFound("Volume type %s could not be found.", typeId);
        }
        cache.invalidate();
    }

    private void refuseWhileInUse(String typeId) {
        if (volumes.countWithType(typeId) > 0) {
            throw BasaltException.badRequest("Volume Type is currently in use.");
        }
    }

    /** Cinder refuses a type that would be both cacheable and multiattach. */
    private static void checkCacheable(Map<String, String> specs, VolumeType type) {
        String multiattach = specs.getOrDefault("multiattach", type.extraSpecs().get("multiattach"));
        String cacheable = specs.getOrDefault("cacheable", type.extraSpecs().get("cacheable"));
        if (IS_TRUE.equals(multiattach) && IS_TRUE.equals(cacheable)) {
            throw BasaltException.badRequest("cacheable cannot be set with multiattach.");
        }
    }

    private static BasaltException noKey(String typeId, String key) {
        return BasaltException.notFound("Volume Type %s has no extra specs with key %s.", typeId, key);
    }
}
