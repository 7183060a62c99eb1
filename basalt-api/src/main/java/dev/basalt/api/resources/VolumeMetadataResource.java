package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.MetadataFreeze;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.Volume;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /volumes/{id}/metadata}: list, merge (POST), replace all (PUT), and one key's show,
 * set (PUT) and delete. From 3.15 the list carries an {@code Etag} and the updates honour
 * {@code If-Match} (412 when the metadata changed meanwhile).
 */
public final class VolumeMetadataResource {
    private final VolumeRepository volumes;
    private final VolumeService service;
    private final Schemas schemas;

    public VolumeMetadataResource(VolumeRepository volumes, VolumeService service, Schemas schemas) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.service = requireNonNull(service, "service");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    public void register(Router.Builder routes) {
        routes.get("/volumes/{volume_id}/metadata", this::index)
                .post("/volumes/{volume_id}/metadata", this::create)
                .put("/volumes/{volume_id}/metadata", this::updateAll)
                .get("/volumes/{volume_id}/metadata/{key}", this::show)
                .put("/volumes/{volume_id}/metadata/{key}", this::update)
                .delete("/volumes/{volume_id}/metadata/{key}", this::delete);
    }

    static final String GET = "volume:get_volume_metadata";
    static final String CREATE = "volume:create_volume_metadata";
    static final String UPDATE = "volume:update_volume_metadata";
    static final String DELETE = "volume:delete_volume_metadata";

    /** The volume (404 unless the caller may see it), once policy lets the caller do {@code action} on it. */
    private Volume volume(ApiRequest request, String action) {
        Volume volume = VolumesResource.readable(service, request, request.path("volume_id"));
        request.authorize(action, volume.projectId(), volume.userId());
        return volume;
    }

    ApiResponse index(ApiRequest request) {
        Map<String, String> metadata = volume(request, GET).metadata();
        ApiResponse response = ApiResponse.ok(body("metadata", metadata));
        if (request.atLeast(Microversions.ETAGS)) {
            response = response.withHeader("Etag", etag(metadata));
        }
        return response;
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.validBody(schemas.metadataCreate());
        Volume volume = volume(request, CREATE);
        MetadataFreeze.checkUpdatable(volume);
        if (!volumes.mergeMetadata(volume.id(), VolumesResource.stringMap(body.get("metadata")))) {
            throw notFound(volume.id());
        }
        return ApiResponse.ok(body("metadata", volumes.metadata(volume.id())));
    }

    ApiResponse updateAll(ApiRequest request) {
        JsonNode body = request.validBody(schemas.metadataCreate());
        Volume volume = volume(request, UPDATE);
        if (preconditionFailed(request, volume)) {
            return ApiResponse.status(412);
        }
        MetadataFreeze.checkUpdatable(volume);
        if (!volumes.replaceMetadata(volume.id(), VolumesResource.stringMap(body.get("metadata")))) {
            throw notFound(volume.id());
        }
        return ApiResponse.ok(body("metadata", volumes.metadata(volume.id())));
    }

    ApiResponse show(ApiRequest request) {
        Volume volume = volume(request, GET);
        String key = request.path("key");
        String value = volume.metadata().get(key);
        if (value == null) {
            throw noKey(volume.id(), key);
        }
        return ApiResponse.ok(body("meta", Map.of(key, value)));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.validBody(schemas.metadataUpdate());
        Volume volume = volume(request, UPDATE);
        if (preconditionFailed(request, volume)) {
            return ApiResponse.status(412);
        }
        String key = request.path("key");
        Map<String, String> item = VolumesResource.stringMap(body.get("meta"));
        if (!item.containsKey(key)) {
            throw BasaltException.badRequest("Request body and URI mismatch");
        }
        MetadataFreeze.checkUpdatable(volume);
        if (!volumes.mergeMetadata(volume.id(), item)) {
            throw notFound(volume.id());
        }
        return ApiResponse.ok(body("meta", item));
    }

    ApiResponse delete(ApiRequest request) {
        Volume volume = volume(request, DELETE);
        String key = request.path("key");
        if (!volume.metadata().containsKey(key)) {
            throw noKey(volume.id(), key);
        }
        MetadataFreeze.checkDeletable(volume);
        if (!volumes.deleteMetadataKey(volume.id(), key)) {
            throw noKey(volume.id(), key);
        }
        return ApiResponse.status(200);
    }

    private static boolean preconditionFailed(ApiRequest request, Volume volume) {
        if (!request.atLeast(Microversions.ETAGS)) {
            return false;
        }
        String ifMatch = request.header("If-Match");
        if (ifMatch == null || ifMatch.isBlank()) {
            return false;
        }
        String current = etag(volume.metadata());
        for (String tag : ifMatch.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                t = t.substring(1, t.length() - 1);
            }
            if (t.equals("*") || t.equals(current)) {
                return false;
            }
        }
        return true;
    }

    /** {@code {"<field>": {...}}}, keys in order. */
    static JsonBody body(String field, Map<String, String> values) {
        return out -> {
            out.writeStartObject();
            writeMap(out, field, values);
            out.writeEndObject();
        };
    }

    private static void writeMap(JsonGenerator out, String field, Map<String, String> values) throws java.io.IOException {
        out.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
            out.writeStringField(e.getKey(), e.getValue());
        }
        out.writeEndObject();
    }

    /**
     * The metadata's entity tag: the MD5 of {@code {"metadata": {...}}} written as Python's
     * {@code json.dumps} writes it (what Cinder hashes), keys in order.
     */
    static String etag(Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{\"metadata\": {");
        boolean first = true;
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
            if (!first) {
                json.append(", ");
            }
            first = false;
            pythonString(json, e.getKey());
            json.append(": ");
            pythonString(json, e.getValue());
        }
        json.append("}}");
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md5.digest(json.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is always available", e);
        }
    }

    private static void pythonString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static BasaltException notFound(String volumeId) {
        return BasaltException.notFound("Volume %s could not be found.", volumeId);
    }

    private static BasaltException noKey(String volumeId, String key) {
        return BasaltException.notFound("Volume %s has no metadata with key %s.", volumeId, key);
    }
}
