package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.service.NewImage;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.service.VolumeUploads;
import dev.basalt.api.validation.Schemas;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeType;

/**
 * {@code os-volume_upload_image} (202), as Cinder answers it (the action's own policy rule,
 * {@code volume_extension:volume_actions:upload_image}, is checked by {@link VolumeActionsResource}
 * first): {@code image_name}, {@code force}, {@code disk_format} (default {@code raw}),
 * {@code container_format} (default {@code bare}); from 3.1 {@code visibility} (default
 * {@code private}; {@code public} also needs {@code volume_extension:volume_actions:upload_public})
 * and {@code protected} (default false). The answer: the volume's id, updated_at, status,
 * display_description, size and volume_type, and the new image's id, name, disk and container
 * formats, visibility and protected, as Glance recorded them.
 */
public final class UploadImageAction {
    static final String ACTION = "os-volume_upload_image";
    static final String UPLOAD_PUBLIC = "volume_extension:volume_actions:upload_public";

    private final VolumeService volumes;
    private final VolumeUploads uploads;
    private final VolumeTypeCache types;
    private final Schemas schemas;

    public UploadImageAction(VolumeService volumes, VolumeUploads uploads, VolumeTypeCache types, Schemas schemas) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.uploads = requireNonNull(uploads, "uploads");
        this.types = requireNonNull(types, "types");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    ApiResponse handle(ApiRequest request) {
        boolean v31 = request.atLeast(Microversions.UPLOAD_IMAGE_PARAMS);
        JsonNode body = request.validBody(v31 ? schemas.volumeUploadImage31() : schemas.volumeUploadImage())
                .get(ACTION);
        Volume volume = volumes.visible(request.context(), request.path("id"));
        String visibility = null;
        Boolean isProtected = null;
        if (v31) {
            visibility = body.hasNonNull("visibility") ? body.get("visibility").textValue() : "private";
            isProtected = Booleans.fromJson(body.get("protected"), false);
            if (visibility.equals("public")) {
                request.authorize(UPLOAD_PUBLIC);
            }
        }
        NewImage image = new NewImage(body.get("image_name").textValue(), text(body, "disk_format", "raw"),
                text(body, "container_format", "bare"), Booleans.fromJson(body.get("force"), false), visibility,
                isProtected, request.header("X-Auth-Token"));
        VolumeUploads.Started started = uploads.upload(request.context(), volume, image);
        return ApiResponse.accepted(JsonBody.of(view(started, started.volume().volumeTypeId() == null ? null
                : types.byId(started.volume().volumeTypeId()).orElse(null))));
    }

    /** Cinder's answer: the volume's fields and the image's, wrapped in the action's name. */
    static ObjectNode view(VolumeUploads.Started started, VolumeType type) {
        Volume v = started.volume();
        JsonNode image = started.image();
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", v.id());
        out.put("updated_at", Timestamps.format(v.updatedAt()));
        out.put("status", "uploading");
        out.put("display_description", v.description());
        out.put("size", v.size());
        out.set("volume_type", type == null ? null : volumeType(type));
        out.put("image_id", image.path("id").asText());
        out.set("container_format", image.get("container_format"));
        out.set("disk_format", image.get("disk_format"));
        out.set("image_name", image.get("name"));
        if (image.has("protected")) {
            out.set("protected", image.get("protected"));
        }
        if (image.has("visibility")) {
            out.set("visibility", image.get("visibility"));
        }
        ObjectNode wrapped = JsonNodeFactory.instance.objectNode();
        wrapped.set(ACTION, out);
        return wrapped;
    }

    /** The volume's type as Cinder serializes its volume type object here. */
    private static ObjectNode volumeType(VolumeType type) {
        ObjectNode t = JsonNodeFactory.instance.objectNode();
        t.put("created_at", Timestamps.format(type.createdAt()));
        t.put("updated_at", Timestamps.format(type.updatedAt()));
        t.putNull("deleted_at");
        t.put("deleted", false);
        t.put("id", type.id());
        t.put("name", type.name());
        t.put("description", type.description());
        t.put("is_public", type.isPublic());
        t.put("qos_specs_id", type.qosSpecsId());
        ObjectNode specs = t.putObject("extra_specs");
        type.extraSpecs().forEach(specs::put);
        return t;
    }

    private static String text(JsonNode body, String field, String fallback) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? fallback : value.textValue();
    }
}
