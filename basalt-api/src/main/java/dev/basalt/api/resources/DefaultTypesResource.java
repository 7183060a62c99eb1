package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.TypeLookup;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.db.DefaultTypeRepository;
import dev.basalt.db.ProjectDefaultType;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.VolumeType;
import java.io.IOException;
import java.util.List;

/**
 * {@code /default-types[/{project_id}]} (3.62): a project's default volume type, overriding
 * {@code default_volume_type}. All four are for administrators by Cinder's default policy
 * ({@code rule:admin_api}); the target is the project in the URL, so an operator may open them to
 * a project's own admins.
 */
public final class DefaultTypesResource {
    static final String SET = "volume_extension:default_set_or_update";
    static final String GET = "volume_extension:default_get";
    static final String GET_ALL = "volume_extension:default_get_all";
    static final String UNSET = "volume_extension:default_unset";

    private final DefaultTypeRepository defaults;
    private final VolumeTypeRepository types;
    private final Schemas schemas;

    public DefaultTypesResource(DefaultTypeRepository defaults, VolumeTypeRepository types, Schemas schemas) {
        this.defaults = requireNonNull(defaults, "defaults");
        this.types = requireNonNull(types, "types");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    public void register(Router.Builder routes) {
        routes.add("PUT", "/default-types/{project}", Microversions.DEFAULT_TYPE_OVERRIDES, this::set)
                .add("GET", "/default-types", Microversions.DEFAULT_TYPE_OVERRIDES, this::list)
                .add("GET", "/default-types/{project}", Microversions.DEFAULT_TYPE_OVERRIDES, this::show)
                .add("DELETE", "/default-types/{project}", Microversions.DEFAULT_TYPE_OVERRIDES, this::unset);
    }

    ApiResponse set(ApiRequest request) {
        String project = request.path("project");
        authorize(request, project, SET);
        String requested = request.validBody(schemas.defaultTypeSet()).get("default_type").get("volume_type").asText();
        VolumeType type;
        try {
            type = TypeLookup.byNameOrId(types, requested);
        } catch (BasaltException notFound) {
            throw BasaltException.badRequest("%s", notFound.getMessage());
        }
        ProjectDefaultType stored = defaults.set(project, type.id());
        return ApiResponse.ok(out -> one(out, stored));
    }

    ApiResponse list(ApiRequest request) {
        if (!request.allowed(GET_ALL)) {
            throw notAuthorized();
        }
        List<ProjectDefaultType> all = defaults.list();
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("default_types");
            for (ProjectDefaultType d : all) {
                fields(out, d);
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    ApiResponse show(ApiRequest request) {
        String project = request.path("project");
        authorize(request, project, GET);
        ProjectDefaultType found = defaults.find(project).orElseThrow(
                () -> BasaltException.notFound("Default type for project %s not found.", project));
        return ApiResponse.ok(out -> one(out, found));
    }

    ApiResponse unset(ApiRequest request) {
        String project = request.path("project");
        authorize(request, project, UNSET);
        defaults.unset(project);
        return ApiResponse.status(204);
    }

    /** Policy on the project named in the URL; a refusal is Cinder's 403 for these APIs. */
    private static void authorize(ApiRequest request, String project, String action) {
        if (!request.allowed(action, project)) {
            throw notAuthorized();
        }
    }

    private static BasaltException notAuthorized() {
        return BasaltException.forbidden("You are not authorized to perform this operation.");
    }

    private static void one(JsonGenerator out, ProjectDefaultType d) throws IOException {
        out.writeStartObject();
        out.writeFieldName("default_type");
        fields(out, d);
        out.writeEndObject();
    }

    private static void fields(JsonGenerator out, ProjectDefaultType d) throws IOException {
        out.writeStartObject();
        out.writeStringField("project_id", d.projectId());
        out.writeStringField("volume_type_id", d.volumeTypeId());
        out.writeEndObject();
    }
}
