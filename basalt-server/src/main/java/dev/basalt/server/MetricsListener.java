package dev.basalt.server;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.MetricsHandler;
import dev.basalt.config.DefaultOptions;
import io.helidon.webserver.WebServer;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} on a port of its own, for the roles that have no API to serve it
 * ({@code basalt scheduler}, {@code basalt volume}): on {@code [DEFAULT] metrics_listen} and
 * {@code metrics_listen_port}, only when the port is set.
 *
 * <p>It is Helidon's web server, which the process already carries for the API, answering through
 * the same {@link MetricsHandler} as the API's {@code /metrics}: one HTTP stack, one handler, rather
 * than a second server (the JDK's {@code com.sun.net.httpserver}) with its own threads to maintain.
 */
final class MetricsListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsListener.class);

    private final WebServer server;
    private final String host;

    private MetricsListener(WebServer server, String host) {
        this.server = server;
        this.host = host;
    }

    /** Starts the listener when {@code metrics_listen_port} is set; empty when it is 0. */
    static Optional<MetricsListener> startIfConfigured(Infrastructure infra) {
        int port = infra.config().source().defaults().get(DefaultOptions.METRICS_LISTEN_PORT);
        if (port == 0) {
            return Optional.empty();
        }
        String host = infra.config().source().defaults().get(DefaultOptions.METRICS_LISTEN);
        return Optional.of(start(host, port, infra.metrics()));
    }

    static MetricsListener start(String host, int port, ProcessMetrics metrics) {
        requireNonNull(metrics, "metrics");
        MetricsHandler handler = new MetricsHandler(metrics::scrape);
        WebServer server;
        try {
            server = WebServer.builder().host(host).port(port).shutdownGracePeriod(Duration.ofSeconds(1))
                    .routing(routing -> routing.get(MetricsHandler.PATH, handler))
                    .build().start();
        } catch (RuntimeException e) {
            throw new StartupException("[DEFAULT] metrics_listen = " + host + ", metrics_listen_port = " + port
                    + ": cannot serve /metrics there (" + e.getMessage() + ")", e);
        }
        LOG.info("metrics at http://{}:{}{}", host, server.port(), MetricsHandler.PATH);
        return new MetricsListener(server, host);
    }

    /** Where a scraper finds the metrics. */
    String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port() + MetricsHandler.PATH;
    }

    @Override
    public void close() {
        server.stop();
    }
}
