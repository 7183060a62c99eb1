package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.JsonBody;
import dev.basalt.model.GroupType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Cinder's group type view: {@code id}, {@code name}, {@code description}, {@code is_public}, and
 * {@code group_specs} when policy {@value #ACCESS_SPECS} allows (administrators by default). As in
 * Cinder, the specs themselves are only read for an administrator: another caller the policy lets
 * see the field gets {@code null}. A list carries {@code group_type_links} when it is a full page.
 */
final class GroupTypeView {
    /** Policy: whether a group type's view carries its group specs. */
    static final String ACCESS_SPECS = "group:access_group_types_specs";

    private GroupTypeView() {
    }

    static JsonBody one(ApiRequest request, GroupType type) {
        return JsonBody.under("group_type", out -> write(out, request, type));
    }

    static JsonBody list(ApiRequest request, List<GroupType> types, boolean nextLink) {
        return PageBody.of(request, "group_types", "group_type_links", "group_types", types, GroupType::id, nextLink,
                (out, t) -> write(out, request, t));
    }

    private static void write(JsonGenerator out, ApiRequest request, GroupType type) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", type.id());
        out.writeStringField("name", type.name());
        out.writeStringField("description", type.description());
        out.writeBooleanField("is_public", type.isPublic());
        if (request.allowed(ACCESS_SPECS)) {
            if (request.context().isAdmin()) {
                SpecsBodies.writeField(out, "group_specs", new TreeMap<>(type.groupSpecs()));
            } else {
                out.writeNullField("group_specs");
            }
        }
        out.writeEndObject();
    }

    /** The specs as Cinder's group specs API shows them, keys in order. */
    static Map<String, String> specs(GroupType type) {
        return new TreeMap<>(type.groupSpecs());
    }
}
