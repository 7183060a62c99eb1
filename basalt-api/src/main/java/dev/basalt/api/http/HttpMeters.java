package dev.basalt.api.http;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Times the API's requests: {@code basalt_http_server_requests_seconds{method, route, status}} with a
 * latency histogram ({@code _bucket}), where {@code route} is the matched route's template
 * ({@code /v3/{project_id}/volumes/{id}}), never the raw path, so the number of series stays bounded:
 * {@code /} and {@code /v3} for the versions documents, {@code unmatched} for a path or method no
 * route serves. Methods other than HTTP's usual ones count as {@code OTHER}.
 */
public final class HttpMeters {
    /** The route label of a request no route serves. */
    public static final String UNMATCHED = "unmatched";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

    private final Meter.MeterProvider<Timer> requests;

    public HttpMeters(MeterRegistry registry) {
        this.requests = Timer.builder("basalt.http.server.requests")
                .description("Block Storage API requests by method, route template and status")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .withRegistry(requireNonNull(registry, "registry"));
    }

    /** One request answered. */
    void record(String method, String route, int status, long nanos) {
        requests.withTags("method", METHODS.contains(method) ? method : "OTHER", "route", route,
                "status", Integer.toString(status)).record(nanos, TimeUnit.NANOSECONDS);
    }
}
