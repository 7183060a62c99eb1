package dev.basalt.api;

import static java.util.Objects.requireNonNull;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the process's meters in the Prometheus text exposition format (0.0.4), for a
 * Prometheus server to scrape. Needs no token, like {@link Healthcheck}. Served by the API on its own
 * port, and by the roles without an API on a listener of their own.
 */
public final class MetricsHandler implements io.helidon.webserver.http.Handler {
    public static final String PATH = "/metrics";
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<String> exposition;

    /** Answers what {@code exposition} writes at each scrape (a Prometheus registry's {@code scrape()}). */
    public MetricsHandler(Supplier<String> exposition) {
        this.exposition = requireNonNull(exposition, "exposition");
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, CONTENT_TYPE);
        res.send(exposition.get().getBytes(StandardCharsets.UTF_8));
    }
}
