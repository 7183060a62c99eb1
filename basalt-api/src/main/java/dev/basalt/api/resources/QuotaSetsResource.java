package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.Quotas;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.db.QuotaUsage;
import dev.basalt.model.QuotaResources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /os-quota-sets/{project_id}}: a project's limits (with usage on {@code ?usage=True}),
 * the defaults, and (administrators) update and reset. A project may read its own quotas; only
 * administrators read another's.
 */
public final class QuotaSetsResource {
    /** Keys a quota set body may carry that are not quotas (the client sends {@code tenant_id}). */
    static final Set<String> NON_QUOTA_KEYS = Set.of("tenant_id", "id");
    private static final int MAX_NAME_LENGTH = 255;

    private final Quotas quotas;
    private final Schemas schemas;

    public QuotaSetsResource(Quotas quotas, Schemas schemas) {
        this.quotas = requireNonNull(quotas, "quotas");
        this.schemas = requireNonNull(schemas, "schemas");
    }

    public void register(Router.Builder routes) {
        routes.get("/os-quota-sets/{project_id}", this::show)
                .get("/os-quota-sets/{project_id}/defaults", this::defaults)
                .put("/os-quota-sets/{project_id}", this::update)
                .delete("/os-quota-sets/{project_id}", this::delete);
    }

    ApiResponse show(ApiRequest request) {
        String project = request.path("project_id");
        requireReader(request.context(), project);
        boolean usage = Booleans.param("usage", request.query().get("usage"), false);
        Map<String, Integer> limits = quotas.projectLimits(project);
        if (!usage) {
            return ApiResponse.ok(QuotaSetView.limits("quota_set", project, limits));
        }
        return ApiResponse.ok(QuotaSetView.withUsage(project, limits, quotas.usages(project, limits.keySet())));
    }

    ApiResponse defaults(ApiRequest request) {
        String project = request.path("project_id");
        requireReader(request.context(), project);
        return ApiResponse.ok(QuotaSetView.limits("quota_set", project, quotas.defaults()));
    }

    ApiResponse update(ApiRequest request) {
        request.authorize("volume_extension:quotas:update");
        JsonNode set = request.validBody(schemas.quotaSetUpdate()).get("quota_set");
        String project = request.path("project_id");
        checkNameLength("quota_set_name", project);

        Set<String> known = new HashSet<>(quotas.resources());
        Map<String, Integer> limits = new LinkedHashMap<>();
        List<String> badKeys = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : set.properties()) {
            String key = e.getKey();
            if (NON_QUOTA_KEYS.contains(key)) {
                continue;
            }
            if (!known.contains(key)) {
                badKeys.add(key);
                continue;
            }
            limits.put(key, QuotaValues.limit(key, e.getValue()));
        }
        if (!badKeys.isEmpty()) {
            throw BasaltException.badRequest("Invalid input received: Bad key(s) in quota set: %s",
                    String.join(", ", badKeys));
        }
        Map<String, QuotaUsage> usages = quotas.usages(project, limits.keySet());
        for (Map.Entry<String, Integer> e : limits.entrySet()) {
            refuseBelowUsage(e.getKey(), e.getValue(), usages.get(e.getKey()));
        }
        quotas.setProjectLimits(project, limits);
        return ApiResponse.ok(QuotaSetView.limits("quota_set", null, quotas.projectLimits(project)));
    }

    ApiResponse delete(ApiRequest request) {
        request.authorize("volume_extension:quotas:delete");
        quotas.resetProject(request.path("project_id"));
        return ApiResponse.status(200);
    }

    /** Cinder's show policy: readers of the project itself, and administrators. */
    private static void requireReader(RequestContext context, String project) {
        if (!context.isAdmin() && !context.projectId().equals(project)) {
            throw BasaltException.forbidden("Policy doesn't allow %s to be performed.", "volume_extension:quotas:show");
        }
    }

    /** A limit may not go below what is already used or reserved (-1 and the per-volume size limit aside). */
    private static void refuseBelowUsage(String resource, int limit, QuotaUsage usage) {
        if (limit == -1 || resource.equals(QuotaResources.PER_VOLUME_GIGABYTES)) {
            return;
        }
        if (limit < usage.consumed()) {
            throw BasaltException.badRequest("Quota %s limit must be equal or greater than existing resources."
                    + " Current usage is %d and the requested limit is %d.", resource, usage.consumed(), limit);
        }
    }

    static void checkNameLength(String what, String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw BasaltException.badRequest("Invalid input received: %s has %d characters, more than %d.", what,
                    name.length(), MAX_NAME_LENGTH);
        }
    }
}
