package dev.basalt.scheduler;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Times the scheduler's placements: {@code basalt_scheduler_placements_seconds{outcome}}, {@code outcome}
 * being {@code placed}, {@code skipped} (already placed, gone, or no longer creating) or {@code failed}
 * (no valid backend, or the volume service could not be reached).
 */
final class PlacementMeters {
    private final Meter.MeterProvider<Timer> timers;

    PlacementMeters(MeterRegistry registry) {
        this.timers = Timer.builder("basalt.scheduler.placements")
                .description("Placements of new volumes by outcome (placed, skipped, failed)")
                .withRegistry(requireNonNull(registry, "registry"));
    }

    /** Runs {@code placement} and times it under its outcome (an exception counts as failed). */
    VolumePlacer.Outcome time(Supplier<VolumePlacer.Outcome> placement) {
        long started = System.nanoTime();
        VolumePlacer.Outcome outcome = VolumePlacer.Outcome.FAILED;
        try {
            outcome = placement.get();
            return outcome;
        } finally {
            timers.withTags("outcome", outcome.name().toLowerCase(Locale.ROOT))
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }
}
