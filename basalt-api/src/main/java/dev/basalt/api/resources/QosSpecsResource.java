package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.http.Router;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.db.QosSpecsRepository;
import dev.basalt.model.QosSpecs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /qos-specs} (administrators, as Cinder's policy): create, list, show, set and unset keys,
 * delete ({@code force} while types use them), associate with and disassociate from volume types,
 * and list associations. Changes apply to connections and exports made afterwards.
 */
public final class QosSpecsResource {
    static final String GET_ALL = "volume_extension:qos_specs_manage:get_all";
    static final String GET = "volume_extension:qos_specs_manage:get";
    static final String CREATE = "volume_extension:qos_specs_manage:create";
    static final String UPDATE = "volume_extension:qos_specs_manage:update";
    static final String DELETE = "volume_extension:qos_specs_manage:delete";

    private static final String CONSUMER = "consumer";
    private static final String TYPE_ID = "vol_type_id";
    /** Sort keys: Cinder sorts on its table's columns, where {@code value} is the name. */
    private static final Map<String, Function<QosSpecs, Comparable<?>>> SORT_KEYS = Map.of(
            "created_at", QosSpecs::createdAt,
            "updated_at", QosSpecs::updatedAt,
            "value", QosSpecs::name);

    private final QosSpecsRepository qosSpecs;
    private final VolumeTypeCache typeCache;
    private final Schemas schemas;
    private final int maxLimit;

    public QosSpecsResource(QosSpecsRepository qosSpecs, VolumeTypeCache typeCache, Schemas schemas, int maxLimit) {
        this.qosSpecs = requireNonNull(qosSpecs, "qosSpecs");
        this.typeCache = requireNonNull(typeCache, "typeCache");
        this.schemas = requireNonNull(schemas, "schemas");
        this.maxLimit = maxLimit;
    }

    public void register(Router.Builder routes) {
        routes.get("/qos-specs", this::list)
                .post("/qos-specs", this::create)
                .get("/qos-specs/{id}", this::show)
                .put("/qos-specs/{id}", this::update)
                .delete("/qos-specs/{id}", this::delete)
                .put("/qos-specs/{id}/delete_keys", this::deleteKeys)
                .get("/qos-specs/{id}/associations", this::associations)
                .get("/qos-specs/{id}/associate", this::associate)
                .get("/qos-specs/{id}/disassociate", this::disassociate)
                .get("/qos-specs/{id}/disassociate_all", this::disassociateAll);
    }

    ApiResponse list(ApiRequest request) {
        request.authorize(GET_ALL);
        ListParams page = ListParams.parse(request.query(), maxLimit);
        Map<String, String> filters = new LinkedHashMap<>(request.query().lastValues());
        ListParams.KEYS.forEach(filters::remove);
        List<QosSpecs> matching = new ArrayList<>();
        for (QosSpecs specs : qosSpecs.list()) {
            if (QosSpecsFilters.matches(specs, filters)) {
                matching.add(specs);
            }
        }
        InMemoryPages.PageOf<QosSpecs> result = InMemoryPages.page(matching, page, SORT_KEYS, QosSpecs::id,
                QosSpecsResource::notFound);
        boolean next = page.hasNext(result.items().size(), null);
        return ApiResponse.ok(QosSpecsView.list(request, result.items(), next));
    }

    ApiResponse create(ApiRequest request) {
        JsonNode body = request.validBody(schemas.qosSpecsCreate()).get("qos_specs");
        request.authorize(CREATE);
        String name = body.get("name").asText().strip();
        Map<String, String> specs = QosSpecsInput.specs(body, "name");
        QosSpecs.Consumer consumer = specs.containsKey(CONSUMER) ? QosSpecsInput.consumer(specs.remove(CONSUMER))
                : QosSpecs.Consumer.BACK_END;
        QosSpecs created = qosSpecs.create(name, consumer, specs);
        return ApiResponse.ok(QosSpecsView.one(request, created));
    }

    ApiResponse show(ApiRequest request) {
        request.authorize(GET);
        return ApiResponse.ok(QosSpecsView.one(request, existing(request.path("id"))));
    }

    ApiResponse update(ApiRequest request) {
        JsonNode body = request.validBody(schemas.qosSpecsSet());
        request.authorize(UPDATE);
        String id = existing(request.path("id")).id();
        Map<String, String> specs = QosSpecsInput.specs(body.get("qos_specs"), null);
        QosSpecs.Consumer consumer = specs.containsKey(CONSUMER) ? QosSpecsInput.consumer(specs.remove(CONSUMER)) : null;
        if (!qosSpecs.update(id, consumer, specs)) {
            throw notFound(id);
        }
        return ApiResponse.ok(JsonBody.of(body));
    }

    ApiResponse delete(ApiRequest request) {
        request.authorize(DELETE);
        boolean force = Booleans.param("force", request.query().get("force"), false);
        String id = request.path("id");
        switch (qosSpecs.delete(id, force)) {
            case NOT_FOUND -> throw notFound(id);
            case IN_USE -> throw BasaltException.badRequest("Qos specs still in use.");
            case DELETED -> typeCache.invalidate();
        }
        return ApiResponse.status(202);
    }

    ApiResponse deleteKeys(ApiRequest request) {
        JsonNode body = request.validBody(schemas.qosSpecsUnset());
        request.authorize(DELETE);
        String id = existing(request.path("id")).id();
        List<String> keys = new ArrayList<>();
        body.get("keys").forEach(k -> keys.add(k.asText()));
        qosSpecs.deleteKeys(id, keys).ifPresent(missing -> {
            throw BasaltException.notFound("QoS spec %s has no spec with key %s.", id, missing);
        });
        return ApiResponse.status(202);
    }

    ApiResponse associations(ApiRequest request) {
        request.authorize(GET_ALL);
        String id = existing(request.path("id")).id();
        return ApiResponse.ok(QosSpecsView.associations(qosSpecs.associations(id)));
    }

    ApiResponse associate(ApiRequest request) {
        request.authorize(UPDATE);
        String typeId = typeId(request);
        String id = request.path("id");
        switch (qosSpecs.associate(id, typeId)) {
            case SPECS_NOT_FOUND -> throw notFound(id);
            case TYPE_NOT_FOUND -> throw typeNotFound(typeId);
            case TYPE_HAS_OTHER_SPECS -> throw BasaltException.badRequest("Invalid volume type: Type %s is already"
                    + " associated with another qos specs: %s. Disassociate it first.", typeId,
                    qosSpecs.specsIdOfType(typeId).orElse("(none)"));
            case ASSOCIATED -> typeCache.invalidate();
        }
        return ApiResponse.status(202);
    }

    ApiResponse disassociate(ApiRequest request) {
        request.authorize(UPDATE);
        String typeId = typeId(request);
        String id = existing(request.path("id")).id();
        if (!qosSpecs.disassociate(id, typeId)) {
            throw typeNotFound(typeId);
        }
        typeCache.invalidate();
        return ApiResponse.status(202);
    }

    ApiResponse disassociateAll(ApiRequest request) {
        request.authorize(UPDATE);
        String id = existing(request.path("id")).id();
        qosSpecs.disassociateAll(id);
        typeCache.invalidate();
        return ApiResponse.status(202);
    }

    private QosSpecs existing(String id) {
        return qosSpecs.find(id).orElseThrow(() -> notFound(id));
    }

    /** The {@code vol_type_id} query parameter, which Cinder requires (400 without it). */
    private static String typeId(ApiRequest request) {
        String typeId = request.query().get(TYPE_ID);
        if (typeId == null || typeId.isEmpty()) {
            throw BasaltException.badRequest("Volume Type id must not be None. Give the type as ?vol_type_id=<id>.");
        }
        return typeId;
    }

    private static BasaltException notFound(String id) {
        return BasaltException.notFound("No such QoS spec %s.", id);
    }

    private static BasaltException typeNotFound(String typeId) {
        return BasaltException.notFound("Volume type %s could not be found.", typeId);
    }
}
