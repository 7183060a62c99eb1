package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.ApiSettings;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.GroupTypeUsage;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.db.GroupTypeRepository;
import dev.basalt.model.GroupType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code /group_types} (from 3.11): list, show, the configured default type, and (by policy,
 * administrators) create, update, delete. A private type exists only for administrators and
 * projects given access to it. As in Cinder, a body is checked against its schema before the
 * policy. Below 3.11 the routes do not exist (404), as in Cinder.
 */
public final class GroupTypesResource {
    private static final Map<String, Function<GroupType, Comparable<?>>> SORT_KEYS = Map.of(
            "name", GroupType::name,
            "description", GroupType::description,
            "is_public", GroupType::isPublic,
            "created_at", GroupType::createdAt,
            "updated_at", GroupType::updatedAt);

    static final String CREATE = "group:group_types:create";
    static final String UPDATE = "group:group_types:update";
    static final String DELETE = "group:group_types:delete";

    private final ApiSettings settings;
    private final GroupTypeRepository types;
    private final GroupTypeUsage usage;
    private final Schemas schemas;

    public GroupTypesResource(ApiSettings settings, GroupTypeRepository types, GroupTypeUsage usage,
                              Schemas schemas) {
        this.settings = requireNonNull(settings, "settings");
        this.types = requireNonNull(types, "types");
        this.usage = requireNonNull(usage, "usage");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    public void register(Router.Builder routes) {
        routes.add("GET", "/group_types", Microversions.GROUP_TYPE, this::list)
                .add("GET", "/group_types/default", Microversions.GROUP_TYPE, this::showDefault)
                .add("GET", "/group_types/{id}", Microversions.GROUP_TYPE, this::show)
                .add("POST", "/group_types", Microversions.GROUP_TYPE, this::create)
                .add("PUT", "/group_types/{id}", Microversions.GROUP_TYPE, this::update)
                .add("DELETE", "/group_types/{id}", Microversions.GROUP_TYPE, this::delete);
    }

    /** The type the caller may see (a private one: administrators and projects given access); 404 otherwise. */
    GroupType visible(RequestContext context, String id) {
        GroupType type = types.find(id).orElseThrow(() -> notFound(id));
        if (!type.isPublic() && !context.isAdmin() && !types.typeIdsOf(context.projectId()).contains(id)) {
            throw notFound(id);
        }
        return type;
    }

    ApiResponse list(ApiRequest request) {
        RequestContext context = request.context();
        ListParams page = ListParams.parse(request.query(), settings.maxLimit());
        Boolean isPublic = context.isAdmin()
                ? VolumeTypesResource.parseIsPublic(request.query().get("is_public")) : Boolean.TRUE;
        // As Cinder: "public" also takes in the private types the caller's project was given.
        boolean publicOrGranted = Boolean.TRUE.equals(isPublic);
        Set<String> granted = publicOrGranted ? types.typeIdsOf(context.projectId()) : Set.of();
        List<GroupType> matching = types.list(publicOrGranted ? null : isPublic).stream()
                .filter(t -> !publicOrGranted || t.isPublic() || granted.contains(t.id()))
                .toList();
        InMemoryPages.PageOf<GroupType> result = InMemoryPages.page(matching, page, SORT_KEYS, GroupType::id,
                GroupTypesResource::notFound);
        boolean next = page.hasNext(result.items().size(), null);
        return ApiResponse.ok(GroupTypeView.list(request, result.items(), next));
    }

    ApiResponse show(ApiRequest request) {
        return ApiResponse.ok(GroupTypeView.one(request, visible(request.context(), request.path("id"))));
    }

    ApiResponse showDefault(ApiRequest request) {
        String name = settings.defaultGroupType();
        GroupType type = (name == null ? Optional.<GroupType>empty() : types.findByName(name))
                .orElseThrow(() -> BasaltException.notFound("Default group type can not be found."));
        return ApiResponse.ok(GroupTypeView.one(request, type));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.validBody(schemas.groupTypeCreate()).get("group_type");
        request.authorize(CREATE);
        String name = body.get("name").asText();
        String description = VolumesResource.text(body, "description", null);
        boolean isPublic = Booleans.fromJson(body.get("is_public"), true);
        Map<String, String> specs = new LinkedHashMap<>();
        JsonNode specsNode = body.get("group_specs");
        if (specsNode != null && !specsNode.isNull()) {
            specsNode.properties().forEach(e -> specs.put(e.getKey(), e.getValue().asText()));
        }
        GroupType created = types.create(name, description, isPublic, specs);
        return ApiResponse.accepted(GroupTypeView.one(request, types.find(created.id()).orElseThrow()));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.validBody(schemas.groupTypeUpdate()).get("group_type");
        request.authorize(UPDATE);
        String id = request.path("id");
        String name = textOrNull(body, "name");
        String description = textOrNull(body, "description");
        JsonNode publicNode = body.get("is_public");
        Boolean isPublic = publicNode == null || publicNode.isNull() ? null : Booleans.fromJson(publicNode, true);
        if (name != null && name.isBlank()) {
            throw BasaltException.badRequest("Group type name can not be empty.");
        }
        if (name == null && description == null && isPublic == null) {
            throw BasaltException.badRequest("Specify group type name, description or a combination thereof.");
        }
        if (!types.update(id, name, description, isPublic)) {
            throw notFound(id);
        }
        return ApiResponse.ok(GroupTypeView.one(request, types.find(id).orElseThrow(() -> notFound(id))));
    }

    ApiResponse delete(ApiRequest request) {
        request.authorize(DELETE);
        String id = request.path("id");
        types.find(id).orElseThrow(() -> notFound(id));
        if (usage.inUse(id)) {
            throw BasaltException.badRequest("Target group type is still in use.");
        }
        if (!types.delete(id)) {
            throw notFound(id);
        }
        return ApiResponse.status(202);
    }

    private static String textOrNull(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    static BasaltException notFound(String id) {
        return BasaltException.notFound("Group type %s could not be found.", id);
    }
}
