package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.http.Router;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.db.GroupTypeRepository;
import dev.basalt.model.GroupType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /group_types/{group_type_id}/group_specs[/{key}]} (from 3.11): list, set (create), show,
 * update and delete a group type's specs. Every call checks its body's schema, then its policy
 * (administrators by default), then that the type exists; a spec's value may be null. Set and update answer with the
 * request body, as Cinder does.
 */
public final class GroupSpecsResource {
    static final String GET = "group:group_types_specs:get";
    static final String GET_ALL = "group:group_types_specs:get_all";
    static final String CREATE = "group:group_types_specs:create";
    static final String UPDATE = "group:group_types_specs:update";
    static final String DELETE = "group:group_types_specs:delete";

    private final GroupTypeRepository types;
    private final GroupTypesResource typesResource;
    private final Schemas schemas;

    public GroupSpecsResource(GroupTypeRepository types, GroupTypesResource typesResource, Schemas schemas) {
        this.types = requireNonNull(types, "types");
        this.typesResource = requireNonNull(typesResource, "typesResource");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    public void register(Router.Builder routes) {
        String specs = "/group_types/{group_type_id}/group_specs";
        routes.add("GET", specs, Microversions.GROUP_TYPE, this::index)
                .add("POST", specs, Microversions.GROUP_TYPE, this::create)
                .add("GET", specs + "/{key}", Microversions.GROUP_TYPE, this::show)
                .add("PUT", specs + "/{key}", Microversions.GROUP_TYPE, this::update)
                .add("DELETE", specs + "/{key}", Microversions.GROUP_TYPE, this::delete);
    }

    ApiResponse index(ApiRequest request) {
        request.authorize(GET_ALL);
        return ApiResponse.ok(SpecsBodies.all("group_specs", GroupTypeView.specs(type(request))));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.validBody(schemas.groupSpecsCreate());
        request.authorize(CREATE);
        GroupType type = type(request);
        set(type, body.get("group_specs"));
        return ApiResponse.accepted(JsonBody.of(body));
    }

    ApiResponse show(ApiRequest request) {
        request.authorize(GET);
        GroupType type = type(request);
        String key = request.path("key");
        if (!type.groupSpecs().containsKey(key)) {
            throw BasaltException.notFound("Group Type %s has no extra spec with key %s.", type.id(), key);
        }
        return ApiResponse.ok(SpecsBodies.one(key, type.groupSpecs().get(key)));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.validBody(schemas.groupSpecsUpdate());
        request.authorize(UPDATE);
        GroupType type = type(request);
        if (!body.has(request.path("key"))) {
            throw BasaltException.badRequest("Request body and URI mismatch");
        }
        set(type, body);
        return ApiResponse.ok(JsonBody.of(body));
    }

    ApiResponse delete(ApiRequest request) {
        request.authorize(DELETE);
        GroupType type = type(request);
        String key = request.path("key");
        if (!types.deleteGroupSpec(type.id(), key)) {
            throw BasaltException.notFound("Group Type %s has no specs with key %s.", type.id(), key);
        }
        return ApiResponse.status(202);
    }

    private GroupType type(ApiRequest request) {
        return typesResource.visible(request.context(), request.path("group_type_id"));
    }

    /** Stores the object's keys and values (JSON null as a null value). */
    private void set(GroupType type, JsonNode specsNode) {
        Map<String, String> specs = new LinkedHashMap<>();
        specsNode.properties().forEach(e -> specs.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
        if (!types.setGroupSpecs(type.id(), specs)) {
            throw GroupTypesResource.notFound(type.id());
        }
    }
}
