package dev.basalt.api;

import static java.util.Objects.requireNonNull;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /healthcheck}, as oslo.middleware's healthcheck answers it, for a load balancer in
 * front of several API processes: 200 {@code OK} while every probe passes, else 503 with what
 * failed. Needs no token.
 */
public final class Healthcheck implements io.helidon.webserver.http.Handler {
    public static final String PATH = "/healthcheck";

    /** One thing the API needs to serve: answers what is wrong with it, or empty when it works. */
    @FunctionalInterface
    public interface Probe {
        Optional<String> problem();
    }

    private final List<Probe> probes;

    public Healthcheck(List<Probe> probes) {
        this.probes = List.copyOf(requireNonNull(probes, "probes"));
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        List<String> problems = new ArrayList<>();
        for (Probe probe : probes) {
            try {
                probe.problem().ifPresent(problems::add);
            } catch (RuntimeException e) {
                problems.add(String.valueOf(e.getMessage()));
            }
        }
        String body = problems.isEmpty() ? "OK" : String.join("\n", problems);
        res.status(problems.isEmpty() ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        if (req.prologue().method() == Method.HEAD) {
            res.send();
        } else {
            res.send(body.getBytes(StandardCharsets.UTF_8));
        }
    }
}
