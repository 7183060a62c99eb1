package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.service.VolumeImageMetadataService;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.model.Volume;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The volume actions on a volume's image metadata, as Cinder's {@code os-vol-image-meta} extension
 * answers them (the action's own policy rule is checked by {@link VolumeActionsResource} first):
 * <ul>
 *   <li>{@code os-show_image_metadata} (200): {@code {"metadata": {...}}};</li>
 *   <li>{@code os-set_image_metadata} (200, also {@code volume:update_volume_metadata}): adds or
 *       overwrites keys, answers the whole image metadata;</li>
 *   <li>{@code os-unset_image_metadata} (200, empty; also {@code volume:get_volume_metadata} and
 *       {@code volume:delete_volume_metadata}): removes one key.</li>
 * </ul>
 */
public final class ImageMetadataActions {
    private final VolumeService volumes;
    private final VolumeImageMetadataService imageMetadata;
    private final Schemas schemas;

    public ImageMetadataActions(VolumeService volumes, VolumeImageMetadataService imageMetadata, Schemas schemas) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.imageMetadata = requireNonNull(imageMetadata, "imageMetadata");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    /** Whether {@code action} is one this class serves. */
    static boolean serves(String action) {
        return switch (action) {
            case "os-show_image_metadata", "os-set_image_metadata", "os-unset_image_metadata" -> true;
            default -> false;
        };
    }

    ApiResponse handle(String action, ApiRequest request) {
        return switch (action) {
            case "os-show_image_metadata" -> show(request);
            case "os-set_image_metadata" -> set(request);
            case "os-unset_image_metadata" -> unset(request);
            default -> throw new IllegalArgumentException("not a served action: " + action);
        };
    }

    private Volume volume(ApiRequest request) {
        return volumes.visible(request.context(), request.path("id"));
    }

    ApiResponse show(ApiRequest request) {
        Volume volume = volume(request);
        return ApiResponse.ok(VolumeMetadataResource.body("metadata", imageMetadata.show(volume)));
    }

    ApiResponse set(ApiRequest request) {
        JsonNode metadata = request.validBody(schemas.volumeSetImageMetadata()).get("os-set_image_metadata")
                .get("metadata");
        Volume volume = volume(request);
        request.authorize(VolumeMetadataResource.UPDATE, volume.projectId(), volume.userId());
        Map<String, String> changes = new LinkedHashMap<>();
        metadata.fields().forEachRemaining(e -> changes.put(e.getKey(), e.getValue().textValue()));
        return ApiResponse.ok(VolumeMetadataResource.body("metadata", imageMetadata.set(volume, changes)));
    }

    ApiResponse unset(ApiRequest request) {
        String key = request.validBody(schemas.volumeUnsetImageMetadata()).get("os-unset_image_metadata")
                .get("key").textValue();
        Volume volume = volume(request);
        request.authorize(VolumeMetadataResource.GET, volume.projectId(), volume.userId());
        request.authorize(VolumeMetadataResource.DELETE, volume.projectId(), volume.userId());
        imageMetadata.unset(volume, key);
        return ApiResponse.status(200);
    }
}
