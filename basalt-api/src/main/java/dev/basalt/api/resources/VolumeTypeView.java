package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.service.AvailabilityZones;
import dev.basalt.model.VolumeType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Cinder's volume type view. Extra specs are shown as policy says: in full to callers who may
 * read sensitive ones (administrators), else reduced to the user-visible ones; {@code qos_specs_id}
 * (the associated QoS specs, or null) to administrators; {@code os-volume-type-access:is_public} on
 * show, list and create.
 */
final class VolumeTypeView {
    static final Set<String> USER_VISIBLE_SPECS = Set.of(AvailabilityZones.TYPE_ZONES_SPEC, "multiattach",
            "replication_enabled");
    /** Policy: whether a type's view carries its extra specs at all. */
    static final String EXTRA_SPECS = "volume_extension:access_types_extra_specs";
    /** Policy: whether the extra specs shown include the sensitive ones (all but {@link #USER_VISIBLE_SPECS}). */
    static final String READ_SENSITIVE = "volume_extension:types_extra_specs:read_sensitive";
    /** Policy: whether a type's view carries {@code qos_specs_id}. */
    static final String QOS_SPECS_ID = "volume_extension:access_types_qos_specs_id";

    private VolumeTypeView() {
    }

    static JsonBody one(ApiRequest request, VolumeType type, boolean accessAttribute) {
        return out -> {
            out.writeStartObject();
            out.writeFieldName("volume_type");
            write(out, request, type, accessAttribute);
            out.writeEndObject();
        };
    }

    static JsonBody list(ApiRequest request, List<VolumeType> types, boolean nextLink) {
        return PageBody.of(request, "volume_types", "volume_type_links", "types", types, VolumeType::id, nextLink,
                (out, t) -> write(out, request, t, true));
    }

    static void write(JsonGenerator out, ApiRequest request, VolumeType type, boolean accessAttribute)
            throws IOException {
        out.writeStartObject();
        out.writeStringField("id", type.id());
        out.writeStringField("name", type.name());
        out.writeBooleanField("is_public", type.isPublic());
        out.writeStringField("description", type.description());
        if (request.allowed(EXTRA_SPECS)) {
            SpecsBodies.writeField(out, "extra_specs", visibleSpecs(type, request.allowed(READ_SENSITIVE)));
        }
        if (request.allowed(QOS_SPECS_ID)) {
            out.writeStringField("qos_specs_id", type.qosSpecsId());
        }
        if (accessAttribute) {
            out.writeBooleanField("os-volume-type-access:is_public", type.isPublic());
        }
        out.writeEndObject();
    }

    /** The type's extra specs; without {@code sensitive} only the user-visible ones. */
    static Map<String, String> visibleSpecs(VolumeType type, boolean sensitive) {
        Map<String, String> specs = new TreeMap<>(type.extraSpecs());
        if (!sensitive) {
            specs.keySet().retainAll(USER_VISIBLE_SPECS);
        }
        return specs;
    }
}
