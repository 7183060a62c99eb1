package dev.basalt.api.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.basalt.api.ApiVersion;
import dev.basalt.api.RequestContext;
import dev.basalt.api.policy.Policy;
import dev.basalt.api.validation.RequestSchema;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Json;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/**
 * One API request after routing, authentication and version negotiation: what a handler reads.
 * {@code projectInUrl} is the project segment of the URL ({@code /v3/{project_id}/...}), or null
 * when the URL had none; links in responses keep the same form.
 */
public final class ApiRequest {
    private static final ObjectReader READER = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String method;
    private final Map<String, String> pathParams;
    private final QueryParams query;
    private final ApiVersion version;
    private final RequestContext context;
    private final Function<String, String> headers;
    private final byte[] body;
    private final String baseUrl;
    private final String projectInUrl;
    private final Policy policy;

    public ApiRequest(String method, Map<String, String> pathParams, QueryParams query, ApiVersion version,
                      RequestContext context, Function<String, String> headers, byte[] body, String baseUrl,
                      String projectInUrl, Policy policy) {
        this.method = requireNonNull(method, "method");
        this.pathParams = Map.copyOf(pathParams);
        this.query = requireNonNull(query, "query");
        this.version = requireNonNull(version, "version");
        this.context = requireNonNull(context, "context");
        this.headers = requireNonNull(headers, "headers");
        this.body = body == null ? new byte[0] : body;
        this.baseUrl = requireNonNull(baseUrl, "baseUrl");
        this.projectInUrl = projectInUrl;
        this.policy = requireNonNull(policy, "policy");
    }

    public String method() {
        return method;
    }

    /** A {@code {name}} segment of the route; routes guarantee it is there. */
    public String path(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }

    public QueryParams query() {
        return query;
    }

    public ApiVersion version() {
        return version;
    }

    public boolean atLeast(ApiVersion v) {
        return version.atLeast(v);
    }

    public RequestContext context() {
        return context;
    }

    /** A request header's value, or null. */
    public String header(String name) {
        return headers.apply(name);
    }

    /** Scheme, host and any path prefix the API is reached under, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    public String projectInUrl() {
        return projectInUrl;
    }

    /** A 403 unless policy lets the caller do {@code action} in their own project. */
    public void authorize(String action) {
        policy.authorize(action, Policy.target(context.projectId(), context.userId()), context);
    }

    /** A 403 unless policy lets the caller do {@code action} on something of {@code projectId} (and {@code userId}). */
    public void authorize(String action, String projectId, String userId) {
        policy.authorize(action, Policy.target(projectId, userId), context);
    }

    /** Whether policy lets the caller do {@code action} in their own project (for fields shown to some). */
    public boolean allowed(String action) {
        return policy.check(action, Policy.target(context.projectId(), context.userId()), context);
    }

    /** Whether policy lets the caller do {@code action} on something of {@code projectId}. */
    public boolean allowed(String action, String projectId) {
        return policy.check(action, Policy.target(projectId, null), context);
    }

    /** The body as JSON; an empty body reads as {@code {}}. Malformed JSON is a 400. */
    public JsonNode json() {
        if (body.length == 0) {
            return Json.mapper().createObjectNode();
        }
        try {
            return READER.readTree(body);
        } catch (JsonProcessingException e) {
            throw BasaltException.badRequest("Malformed request body");
        } catch (IOException e) {
            throw BasaltException.badRequest("Malformed request body");
        }
    }

    /** The body, checked against {@code schema}; a violation is a 400 naming the field and the rule. */
    public JsonNode validBody(RequestSchema schema) {
        JsonNode node = json();
        schema.validate(node);
        return node;
    }
}
