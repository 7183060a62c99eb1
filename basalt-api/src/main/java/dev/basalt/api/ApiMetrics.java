package dev.basalt.api;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.function.Supplier;

/**
 * The process's meters as the API sees them: where it records its requests, and what its
 * {@code GET /metrics} answers (every meter of the process, in the Prometheus text format).
 *
 * @param registry   where the API records
 * @param exposition the text of a scrape, as a Prometheus registry's {@code scrape()} writes it
 */
public record ApiMetrics(MeterRegistry registry, Supplier<String> exposition) {
    public ApiMetrics {
        requireNonNull(registry, "registry");
        requireNonNull(exposition, "exposition");
    }

    /** Records nothing; {@code GET /metrics} answers an empty exposition. */
    public static ApiMetrics none() {
        return new ApiMetrics(new CompositeMeterRegistry(), () -> "");
    }
}
