package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.TypeLookup;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Json;
import dev.basalt.db.EncryptionRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.VolumeTypeEncryption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /types/{type_id}/encryption}: a volume type's encryption, for administrators, as Cinder's
 * volume type encryption extension serves it. While volumes of the type exist (their encryption was
 * decided by it) it is neither created, changed nor removed. The {@code {encryption_id}} of PUT and
 * DELETE is not looked at, as in Cinder: a type has at most one.
 */
public final class VolumeTypeEncryptionResource {
    static final String CREATE = "volume_extension:volume_type_encryption:create";
    static final String GET = "volume_extension:volume_type_encryption:get";
    static final String UPDATE = "volume_extension:volume_type_encryption:update";
    static final String DELETE = "volume_extension:volume_type_encryption:delete";

    private final EncryptionRepository encryption;
    private final VolumeTypeRepository types;
    private final VolumeRepository volumes;
    private final Schemas schemas;

    public VolumeTypeEncryptionResource(EncryptionRepository encryption, VolumeTypeRepository types,
                                        VolumeRepository volumes, Schemas schemas) {
        this.encryption = requireNonNull(encryption, "encryption");
        this.types = requireNonNull(types, "types");
        this.volumes = requireNonNull(volumes, "volumes");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    public void register(Router.Builder routes) {
        routes.get("/types/{type_id}/encryption", this::index)
                .post("/types/{type_id}/encryption", this::create)
                .get("/types/{type_id}/encryption/{key}", this::show)
                .put("/types/{type_id}/encryption/{key}", this::update)
                .delete("/types/{type_id}/encryption/{key}", this::delete);
    }

    /** The type's encryption, or {@code {}} when it has none. */
    ApiResponse index(ApiRequest request) {
        request.authorize(GET);
        String typeId = TypeLookup.byId(types, request.path("type_id")).id();
        return ApiResponse.ok(JsonBody.of(encryption.forType(typeId).map(VolumeTypeEncryptionView::of)
                .orElseGet(() -> Json.mapper().createObjectNode())));
    }

    /** One field of the type's encryption, {@code {"cipher": "aes-xts-plain64"}}. */
    ApiResponse show(ApiRequest request) {
        request.authorize(GET);
        String typeId = TypeLookup.byId(types, request.path("type_id")).id();
        String key = request.path("key");
        JsonNode value = encryption.forType(typeId).map(VolumeTypeEncryptionView::of).map(e -> e.get(key))
                .orElseThrow(() -> notFound(typeId));
        ObjectNode body = Json.mapper().createObjectNode();
        body.set(key, value);
        return ApiResponse.ok(JsonBody.of(body));
    }

    ApiResponse create(ApiRequest request) {
        request.authorize(CREATE);
        ObjectNode fields = fields(request.validBody(schemas.encryptionCreate()));
        String typeId = request.path("type_id");
        refuseWhileInUse(typeId, "create");
        TypeLookup.byId(types, typeId);
        if (encryption.forType(typeId).isPresent()) {
            throw BasaltException.badRequest("Volume type encryption for type %s already exists.", typeId);
        }
        Map<String, Object> values = values(fields);
        VolumeTypeEncryption created = encryption.create(typeId, (String) values.get("provider"),
                (String) values.get("cipher"), (Integer) values.get("key_size"),
                (String) values.get("control_location"));
        fields.put("volume_type_id", typeId);
        fields.put("encryption_id", created.encryptionId());
        return ApiResponse.ok(JsonBody.of(wrapped(fields)));
    }

    ApiResponse update(ApiRequest request) {
        request.authorize(UPDATE);
        ObjectNode fields = fields(request.validBody(schemas.encryptionUpdate()));
        String typeId = TypeLookup.byId(types, request.path("type_id")).id();
        refuseWhileInUse(typeId, "update");
        if (!encryption.update(typeId, values(fields))) {
            throw notFound(typeId);
        }
        return ApiResponse.ok(JsonBody.of(wrapped(fields)));
    }

    ApiResponse delete(ApiRequest request) {
        request.authorize(DELETE);
        String typeId = request.path("type_id");
        refuseWhileInUse(typeId, "delete");
        if (!encryption.delete(typeId)) {
            throw notFound(typeId);
        }
        return ApiResponse.status(202);
    }

    /** The body's {@code encryption} object, its {@code key_size} made a number as Cinder makes it. */
    private static ObjectNode fields(JsonNode body) {
        ObjectNode fields = ((ObjectNode) body.get("encryption")).deepCopy();
        JsonNode keySize = fields.get("key_size");
        if (keySize != null && keySize.isTextual()) {
            fields.put("key_size", Integer.parseInt(keySize.asText()));
        }
        return fields;
    }

    /** The columns the (validated) fields set; null where a field is JSON null. */
    private static Map<String, Object> values(ObjectNode fields) {
        Map<String, Object> values = new LinkedHashMap<>();
        fields.properties().forEach(f -> values.put(f.getKey(), f.getValue().isNull() ? null
                : f.getKey().equals("key_size") ? (Object) f.getValue().intValue() : f.getValue().asText()));
        return values;
    }

    private static ObjectNode wrapped(ObjectNode fields) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.set("encryption", fields);
        return body;
    }

    private void refuseWhileInUse(String typeId, String action) {
        if (volumes.countWithType(typeId) > 0) {
            throw BasaltException.badRequest("Cannot %s encryption specs. Volume type in use.", action);
        }
    }

    private static BasaltException notFound(String typeId) {
        return BasaltException.notFound("Volume type encryption for type %s does not exist.", typeId);
    }
}
