package dev.basalt.api.resources;

import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.common.BasaltException;

/**
 * {@code /clusters} (3.7, administrators). Basalt runs no active/active clusters: the lists are
 * empty and every named cluster is unknown.
 */
public final class ClustersResource {
    public void register(Router.Builder routes) {
        routes.add("GET", "/clusters", Microversions.CLUSTER_SUPPORT, this::list)
                .add("GET", "/clusters/detail", Microversions.CLUSTER_SUPPORT, this::list)
                .add("GET", "/clusters/{name}", Microversions.CLUSTER_SUPPORT, this::show)
                .add("PUT", "/clusters/enable", Microversions.CLUSTER_SUPPORT, this::update)
                .add("PUT", "/clusters/disable", Microversions.CLUSTER_SUPPORT, this::update);
    }

    ApiResponse list(ApiRequest request) {
        request.authorize("clusters:get_all");
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("clusters");
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    ApiResponse show(ApiRequest request) {
        request.authorize("clusters:get");
        throw BasaltException.notFound("Cluster %s could not be found.", request.path("name"));
    }

    ApiResponse update(ApiRequest request) {
        request.authorize("clusters:update");
        var body = request.json();
        String name = body.has("name") ? body.get("name").asText() : null;
        if (name == null || name.isEmpty()) {
            throw BasaltException.badRequest("Invalid input received: Missing required argument name in request body.");
        }
        throw BasaltException.notFound("Cluster %s could not be found.", name);
    }
}
