package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.Quotas;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /os-quota-class-sets/{class_name}} (administrators): a quota class's limits, and their
 * update. The class {@code default} gives every project its defaults.
 */
public final class QuotaClassSetsResource {
    private final Quotas quotas;
    private final Schemas schemas;

    public QuotaClassSetsResource(Quotas quotas, Schemas schemas) {
        this.quotas = requireNonNull(quotas, "quotas");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    public void register(Router.Builder routes) {
        routes.get("/os-quota-class-sets/{class_name}", this::show)
                .put("/os-quota-class-sets/{class_name}", this::update);
    }

    ApiResponse show(ApiRequest request) {
        request.authorize("volume_extension:quota_classes:get");
        String className = request.path("class_name");
        return ApiResponse.ok(QuotaSetView.limits("quota_class_set", className, quotas.classLimits(className)));
    }

    ApiResponse update(ApiRequest request) {
        request.authorize("volume_extension:quota_classes:update");
        String className = request.path("class_name");
        QuotaSetsResource.checkNameLength("quota_class_name", className);
        JsonNode body = request.json();
        refuseBadKeys(body.get("quota_class_set"));
        JsonNode set = request.validBody(schemas.quotaClassSetUpdate()).get("quota_class_set");
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : set.properties()) {
            limits.put(e.getKey(), QuotaValues.limit(e.getKey(), e.getValue()));
        }
        quotas.setClassLimits(className, limits);
        return ApiResponse.ok(QuotaSetView.limits("quota_class_set", null, quotas.classLimits(className)));
    }

    /** Unknown resources are refused before the values are looked at, as Cinder does. */
    private void refuseBadKeys(JsonNode set) {
        if (set == null || !set.isObject()) {
            return;
        }
        Set<String> known = new HashSet<>(quotas.resources());
        List<String> bad = new ArrayList<>();
        set.fieldNames().forEachRemaining(key -> {
            if (!known.contains(key)) {
                bad.add(key);
            }
        });
        if (!bad.isEmpty()) {
            throw BasaltException.badRequest("Invalid input received: Bad key(s) in quota class set: %s",
                    String.join(", ", bad));
        }
    }
}
