package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.db.VolumeImageMetadata;
import dev.basalt.db.VolumeRepository;
import dev.basalt.glance.GlanceClient;
import dev.basalt.glance.GlanceException;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CopyVolumeToImage;
import dev.basalt.rpc.ImageSource;
import dev.basalt.rpc.VolumeRpc;
import java.net.URI;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cinder's rules for uploading a volume as a new image ({@code copy_volume_to_image} in its volume
 * api): {@code force} counts only with {@code enable_force_upload} (else it is ignored); the volume
 * must be {@code available} ({@code in-use} too when forced) and goes {@code uploading} in one
 * conditional update that records the work; the image is created {@code queued} in Glance with the
 * caller's token, carrying the volume's image properties that are not Glance core properties nor in
 * a reserved namespace; then the volume service of the volume's backend is asked to upload it. A
 * {@code compressed} container is refused, as Cinder refuses it while
 * {@code allow_compression_on_image_upload} is off (Basalt has no compression on upload). Any
 * failure before that (Glance unreachable or refusing) puts the volume back and is a 400, as Cinder
 * answers it.
 */
public final class VolumeUploads {
    /** Cinder's {@code glance_core_properties}: image metadata of a volume that is not carried to a new image. */
    static final Set<String> CORE_PROPERTIES = Set.of("checksum", "container_format", "disk_format", "image_name",
            "image_id", "min_disk", "min_ram", "name", "size");
    /** Glance's reserved namespaces (Cinder's {@code GLANCE_RESERVED_NAMESPACES}), never sent. */
    static final List<String> RESERVED_NAMESPACES = List.of("os_glance", "img_signature");

    /** The container format of a compressed upload, which Basalt does not make ({@code allow_compression_on_image_upload} off). */
    static final String COMPRESSED = "compressed";

    private static final Logger LOG = LoggerFactory.getLogger(VolumeUploads.class);

    private final VolumeRepository volumes;
    private final VolumeImageMetadata imageMetadata;
    private final GlanceClient glance;
    private final ImageEndpoints endpoints;
    private final VolumeRpc volumeServices;
    private final boolean enableForceUpload;

    public VolumeUploads(VolumeRepository volumes, VolumeImageMetadata imageMetadata, GlanceClient glance,
                         ImageEndpoints endpoints, VolumeRpc volumeServices, boolean enableForceUpload) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.imageMetadata = requireNonNull(imageMetadata, "imageMetadata");
        this.glance = requireNonNull(glance, "glance");
        this.endpoints = requireNonNull(endpoints, "endpoints");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
        this.enableForceUpload = enableForceUpload;
    }

    /** What an accepted upload answers: the volume as it is now ({@code uploading}) and Glance's new image. */
    public record Started(Volume volume, JsonNode image) {
    }

    /** Starts uploading {@code volume} as {@code request} describes the image. */
    public Started upload(RequestContext context, Volume volume, NewImage request) {
        boolean force = request.force() && enableForceUpload;
        if (request.force() && !enableForceUpload) {
            LOG.info("{} force upload of volume {} ignored: enable_force_upload is off", context.requestId(),
                    volume.id());
        }
        if (COMPRESSED.equals(request.containerFormat())) {
            throw BasaltException.badRequest("Image compression upload disallowed, but container_format is compressed");
        }
        Set<VolumeStatus> expected = force ? EnumSet.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE)
                : EnumSet.of(VolumeStatus.AVAILABLE);
        if (!volumes.beginUpload(volume.id(), expected)) {
            throw BasaltException.badRequest("Invalid volume: Volume %s status must be %s", volume.id(),
                    force ? "available or in-use" : "available");
        }
        URI endpoint;
        JsonNode image;
        try {
            endpoint = endpoints.locate(request.authToken());
            image = glance.create(endpoint, request.authToken(), fields(volume, request));
        } catch (BasaltException | GlanceException e) {
            volumes.endUpload(volume.id());
            LOG.warn("{} image for volume {} could not be created: {}", context.requestId(), volume.id(), e.getMessage());
            throw BasaltException.badRequest("The image could not be created in the Image service: %s", e.getMessage());
        }
        String imageId = image.path("id").asText();
        ImageSource target = new ImageSource(imageId, endpoint.toString(), request.authToken());
        try {
            volumeServices.copyVolumeToImage(volume.backend(),
                    new CopyVolumeToImage(volume.id(), context.requestId(), target, request.diskFormat()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask {} to upload volume {}", context.requestId(), volume.backend(), volume.id(), e);
            volumes.endUpload(volume.id());
            deleteQuietly(target);
            throw BasaltException.badRequest("The volume service could not be reached; the volume was not uploaded."
                    + " Try again later.");
        }
        LOG.info("{} volume {} is being uploaded to image {} as {}", context.requestId(), volume.id(), imageId,
                request.diskFormat());
        return new Started(volumes.find(volume.id()).orElse(volume), image);
    }

    /** The fields of the new image: the request's, then the volume's image properties Cinder carries over. */
    Map<String, Object> fields(Volume volume, NewImage request) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", request.name());
        fields.put("disk_format", request.diskFormat());
        fields.put("container_format", request.containerFormat());
        if (request.visibility() != null) {
            fields.put("visibility", request.visibility());
        }
        if (request.isProtected() != null) {
            fields.put("protected", request.isProtected());
        }
        imageMetadata.of(volume.id()).forEach((key, value) -> {
            if (!CORE_PROPERTIES.contains(key) && !fields.containsKey(key) && !reserved(key)) {
                fields.put(key, value);
            }
        });
        fields.keySet().removeIf(VolumeUploads::reserved);
        return fields;
    }

    private static boolean reserved(String key) {
        return RESERVED_NAMESPACES.stream().anyMatch(key::startsWith);
    }

    private void deleteQuietly(ImageSource image) {
        try {
            glance.delete(URI.create(image.glanceEndpoint()), image.authToken(), image.imageId());
        } catch (GlanceException e) {
            LOG.warn("image {} could not be deleted: {}", image.imageId(), e.getMessage());
        }
    }
}
