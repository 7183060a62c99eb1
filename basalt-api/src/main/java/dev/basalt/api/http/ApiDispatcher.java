package dev.basalt.api.http;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.ApiVersion;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.auth.Authenticator;
import dev.basalt.api.policy.Policy;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Json;
import dev.basalt.db.DatabaseFailures;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Helidon handler: gives each request its id, negotiates the microversion, serves the
 * versions documents, authenticates, routes, reads the body, runs the handler and turns every
 * failure into Cinder's fault body. Every response carries the version, {@code Vary} and
 * request id headers.
 *
 * <p>Order of checks, as Cinder's pipeline has them: version header (400/406), token (401),
 * route (404/405, or 404 for a route newer than the requested version), project in the URL
 * (400), body size, type and syntax (413/415/400), then the handler. Every request is timed by
 * method, route template and status ({@link HttpMeters}).
 */
public final class ApiDispatcher implements io.helidon.webserver.http.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiDispatcher.class);
    static final String DATABASE_UNREACHABLE = "The database cannot be reached; nothing was changed. Try again later.";
    private static final HeaderName VERSION_HEADER = HeaderNames.create(Microversions.HEADER);
    private static final HeaderName REQUEST_ID = HeaderNames.create("x-openstack-request-id");
    private static final HeaderName COMPUTE_REQUEST_ID = HeaderNames.create("x-compute-request-id");
    private static final String VARY_VALUE = Microversions.HEADER;
    private static final Map<String, HeaderName> HEADER_NAMES = new ConcurrentHashMap<>();

    private final Router router;
    private final Authenticator authenticator;
    private final Function<String, JsonBody> versionsDocument;
    private final int maxBodySize;
    private final String publicEndpoint;
    private final Policy policy;
    private final HttpMeters meters;

    /** The route template a request matched, found while dispatching it, for its metrics. */
    private static final class MatchedRoute {
        String template = HttpMeters.UNMATCHED;
    }

    public ApiDispatcher(Router router, Authenticator authenticator, Policy policy,
                         Function<String, JsonBody> versionsDocument, int maxBodySize, String publicEndpoint,
                         HttpMeters meters) {
        this.meters = requireNonNull(meters, "meters");
        this.router = requireNonNull(router, "router");
        this.authenticator = requireNonNull(authenticator, "authenticator");
        this.policy = requireNonNull(policy, "policy");
        this.versionsDocument = requireNonNull(versionsDocument, "versionsDocument");
        this.maxBodySize = maxBodySize;
        this.publicEndpoint = publicEndpoint == null ? null : stripTrailingSlash(publicEndpoint);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        long started = System.nanoTime();
        MatchedRoute route = new MatchedRoute();
        String requestId = "req-" + UUID.randomUUID();
        String method = req.prologue().method().text();
        String rawPath = req.prologue().uriPath().rawPath();
        ApiVersion version = Microversions.DEFAULT;
        ApiResponse response;
        try {
            version = Microversions.negotiate(joined(req.headers(), VERSION_HEADER));
            response = dispatch(req, method, rawPath, version, requestId, route);
        } catch (BasaltException e) {
            if (e.fault() == Fault.INTERNAL) {
                LOG.error("{} {} {} failed: {}", requestId, method, rawPath, e.getMessage(), e);
            } else if (e.fault().status() >= 500) {
                LOG.warn("{} {} {} answered {}: {}", requestId, method, rawPath, e.fault().status(), e.getMessage());
            } else {
                LOG.debug("{} {} {} refused: {}", requestId, method, rawPath, e.getMessage());
            }
            response = Faults.response(e.fault(), e.getMessage());
            if (e.fault() == Fault.UNAUTHORIZED) {
                for (Map.Entry<String, String> h : authenticator.challengeHeaders().entrySet()) {
                    response = response.withHeader(h.getKey(), h.getValue());
                }
            }
        } catch (Exception | Error e) {
            if (DatabaseFailures.unreachable(e)) {
                LOG.warn("{} {} {} answered 503: {}", requestId, method, rawPath, e.getMessage());
                response = Faults.response(Fault.SERVICE_UNAVAILABLE, DATABASE_UNREACHABLE);
            } else {
                LOG.error("{} {} {} failed unexpectedly", requestId, method, rawPath, e);
                response = Faults.response(Fault.INTERNAL, Faults.INTERNAL_MESSAGE);
            }
        }
        write(res, response, version, requestId);
        meters.record(method, route.template, response.status(), System.nanoTime() - started);
        LOG.debug("{} {} {} returned {}", requestId, method, rawPath, response.status());
    }

    private ApiResponse dispatch(ServerRequest req, String method, String rawPath, ApiVersion version,
                                 String requestId, MatchedRoute route) throws Exception {
        List<String> segments = segments(rawPath);
        ServerRequestHeaders headers = req.headers();
        Function<String, String> headerLookup = name -> joined(headers, headerName(name));
        String baseUrl = baseUrl(req, headerLookup);
        if (segments.isEmpty()) {
            route.template = "/";
            requireGet(method);
            return ApiResponse.of(300, versionsDocument.apply(baseUrl));
        }
        if (!segments.get(0).equals("v3")) {
            throw BasaltException.notFound("The resource could not be found.");
        }
        List<String> rest = segments.subList(1, segments.size());
        if (rest.isEmpty()) {
            route.template = "/v3";
            requireGet(method);
            return ApiResponse.ok(versionsDocument.apply(baseUrl));
        }
        String project = null;
        if (!router.isCollection(rest.get(0))) {
            project = rest.get(0);
            rest = rest.subList(1, rest.size());
        }
        // an empty segment ("/volumes/", "/volumes//action") is no route, as in Cinder's router
        Router.Match match = hasEmptySegment(rawPath) ? new Router.NotFound() : router.match(method, rest);
        if (match instanceof Router.Found found) {
            route.template = (project == null ? "/v3" : "/v3/{project_id}") + found.route().path();
        }
        RequestContext context = authenticator.authenticate(headerLookup, requestId);
        if (match instanceof Router.NotFound) {
            throw BasaltException.notFound("The resource could not be found.");
        }
        if (match instanceof Router.MethodNotAllowed notAllowed) {
            throw new BasaltException(Fault.BAD_METHOD, "The method " + method
                    + " is not allowed for the requested URL; allowed: " + String.join(", ", notAllowed.allowed()));
        }
        Router.Found found = (Router.Found) match;
        if (version.below(found.route().since())) {
            throw BasaltException.notFound("The resource could not be found.");
        }
        if (project != null && !project.equals(context.projectId())) {
            throw BasaltException.badRequest("Malformed request url");
        }
        byte[] body = readBody(req, method, headers);
        ApiRequest request = new ApiRequest(method, found.params(), QueryParams.parse(req.prologue().query().rawValue()),
                version, context, headerLookup, body, baseUrl, project, policy);
        return found.route().handler().handle(request);
    }

    private static void requireGet(String method) {
        if (!method.equals("GET")) {
            throw new BasaltException(Fault.BAD_METHOD,
                    "The method " + method + " is not allowed for the requested URL; allowed: GET");
        }
    }

    private byte[] readBody(ServerRequest req, String method, ServerRequestHeaders headers) throws IOException {
        if (!method.equals("POST") && !method.equals("PUT")) {
            return new byte[0];
        }
        if (headers.contentLength().isPresent() && headers.contentLength().getAsLong() > maxBodySize) {
            throw new BasaltException(Fault.OVER_LIMIT, "Request is too large.");
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readNBytes(maxBodySize + 1);
        }
        if (body.length > maxBodySize) {
            throw new BasaltException(Fault.OVER_LIMIT, "Request is too large.");
        }
        if (body.length > 0) {
            String type = headers.first(HeaderNames.CONTENT_TYPE).orElse(null);
            if (type != null && !isJson(type)) {
                throw new BasaltException(Fault.BAD_MEDIA_TYPE, "Unsupported Content-Type");
            }
        }
        return body;
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json") || type.equals("application/vnd.openstack.volume+json");
    }

    private String baseUrl(ServerRequest req, Function<String, String> headers) {
        if (publicEndpoint != null) {
            return publicEndpoint;
        }
        String host = req.authority();
        String forwarded = headers.apply("X-Forwarded-Host");
        if (forwarded != null && !forwarded.isBlank()) {
            String[] hosts = forwarded.split(",");
            host = hosts[hosts.length - 1].trim();
        }
        if (host == null || host.isBlank()) {
            host = req.localPeer().host() + ":" + req.localPeer().port();
        }
        return (req.isSecure() ? "https://" : "http://") + host;
    }

    private static void write(ServerResponse res, ApiResponse response, ApiVersion version, String requestId) {
        res.status(Status.create(response.status()));
        res.header(VERSION_HEADER, Microversions.SERVICE + " " + version);
        res.header(HeaderNames.VARY, VARY_VALUE);
        res.header(REQUEST_ID, requestId);
        res.header(COMPUTE_REQUEST_ID, requestId);
        response.headers().forEach((name, value) -> res.header(headerName(name), value));
        if (response.body() == null) {
            res.send();
            return;
        }
        Buffer bytes;
        try {
            bytes = write(response.body());
        } catch (Exception e) {
            LOG.error("{} could not write the response body", requestId, e);
            res.status(Status.create(500));
            try {
                bytes = write(Faults.body(Fault.INTERNAL, Faults.INTERNAL_MESSAGE));
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(bytes.array(), 0, bytes.size());
    }

    /** Largest buffer allocated up front for a body's size hint; a larger body grows it. */
    private static final int MAX_INITIAL_BUFFER = 8 * 1024 * 1024;

    /** A byte buffer whose content is sent without copying it once more. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int sizeHint) {
            super(Math.clamp(sizeHint, JsonBody.DEFAULT_SIZE_HINT, MAX_INITIAL_BUFFER));
        }

        byte[] array() {
            return buf;
        }
    }

    private static Buffer write(JsonBody body) throws IOException {
        Buffer out = new Buffer(body.sizeHint());
        try (JsonGenerator g = Json.mapper().createGenerator(out)) {
            body.writeTo(g);
        }
        return out;
    }

    static byte[] serialize(JsonBody body) throws IOException {
        return write(body).toByteArray();
    }

    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                segments.add(PercentDecoding.pathDecode(s));
            }
        }
        return segments;
    }

    /** Whether a segment of the path after its first one is empty: a trailing slash or two slashes in a row. */
    private static boolean hasEmptySegment(String rawPath) {
        return rawPath.indexOf("//", 1) >= 0 || rawPath.endsWith("/");
    }

    private static String joined(ServerRequestHeaders headers, HeaderName name) {
        List<String> values = headers.values(name);
        if (values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.get(0) : String.join(",", values);
    }

    private static HeaderName headerName(String name) {
        return HEADER_NAMES.computeIfAbsent(name.toLowerCase(Locale.ROOT), HeaderNames::create);
    }

    private static String stripTrailingSlash(String url) {
        String u = url.trim();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        return u;
    }
}
