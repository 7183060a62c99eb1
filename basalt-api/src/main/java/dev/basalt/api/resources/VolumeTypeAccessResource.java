package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.TypeLookup;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.db.VolumeTypeAccessRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.VolumeType;
import java.util.List;

/**
 * Private volume type access (administrators): {@code GET /types/{id}/os-volume-type-access}
 * lists the projects that may use the type; the {@code addProjectAccess} and
 * {@code removeProjectAccess} actions on {@code POST /types/{id}/action} change the list.
 * Public types have no list.
 */
public final class VolumeTypeAccessResource {
    private final VolumeTypeRepository types;
    private final VolumeTypeAccessRepository access;
    private final Schemas schemas;

    public VolumeTypeAccessResource(VolumeTypeRepository types, VolumeTypeAccessRepository access, Schemas schemas) {
        this.types = requireNonNull(types, "types");
        this.access = requireNonNull(access, "access");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    public void register(Router.Builder routes) {
        routes.get("/types/{id}/os-volume-type-access", this::index)
                .post("/types/{id}/action", this::action);
    }

    ApiResponse index(ApiRequest request) {
        request.authorize("volume_extension:volume_type_access:get_all_for_type");
        VolumeType type = TypeLookup.byId(types, request.path("id"));
        if (type.isPublic()) {
            throw BasaltException.notFound("Access list not available for public volume types.");
        }
        List<String> projects = access.projects(type.id());
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("volume_type_access");
            for (String project : projects) {
                out.writeStartObject();
                out.writeStringField("volume_type_id", type.id());
                out.writeStringField("project_id", project);
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    ApiResponse action(ApiRequest request) {
        JsonNode body = request.json();
        if (!body.isObject() || body.size() != 1) {
            throw BasaltException.badRequest("Malformed request body: an action body has exactly one key, the"
                    + " action's name.");
        }
        String action = body.fieldNames().next();
        return switch (action) {
            case "addProjectAccess" -> add(request);
            case "removeProjectAccess" -> remove(request);
            default -> throw BasaltException.badRequest("There is no such action: %s. Verify the request body and"
                    + " Content-Type header and try again.", action);
        };
    }

    private ApiResponse add(ApiRequest request) {
        String project = request.validBody(schemas.typeAccessAdd()).get("addProjectAccess").get("project").asText();
        request.authorize("volume_extension:volume_type_access:addProjectAccess");
        VolumeType type = privateType(request.path("id"));
        if (!access.add(type.id(), project)) {
            throw BasaltException.conflict("Volume type access for %s / %s combination already exists.", type.id(),
                    project);
        }
        return ApiResponse.status(202);
    }

    private ApiResponse remove(ApiRequest request) {
        String project = request.validBody(schemas.typeAccessRemove()).get("removeProjectAccess").get("project")
                .asText();
        request.authorize("volume_extension:volume_type_access:removeProjectAccess");
        VolumeType type = privateType(request.path("id"));
        if (!access.remove(type.id(), project)) {
            throw BasaltException.notFound("Volume type access not found for %s / %s combination.", type.id(),
                    project);
        }
        return ApiResponse.status(202);
    }

    private VolumeType privateType(String id) {
        VolumeType type = TypeLookup.byId(types, id);
        if (type.isPublic()) {
            throw BasaltException.badRequest("Invalid volume type: Type access modification is not applicable to"
                    + " public volume type.");
        }
        return type;
    }
}
