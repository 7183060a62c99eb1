package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Times the operations a volume service runs for its bus messages:
 * {@code basalt_volume_operations_seconds{backend, operation, outcome}}, {@code outcome} being
 * {@code done}, {@code failed} (the operation failed, or its handler threw), {@code skipped}
 * (nothing to do: a redelivery, or a resource no longer in the state the message expects) or
 * {@code handed_over} (a volume made from a backup: made raw, the restore left to a backup service).
 */
final class OperationMeters {
    /** The operations timed, named as their bus messages. */
    enum Operation {
        CREATE_VOLUME, DELETE_VOLUME, EXTEND_VOLUME, CREATE_SNAPSHOT, DELETE_SNAPSHOT, INITIALIZE_CONNECTION,
        TERMINATE_CONNECTION, COPY_VOLUME_TO_IMAGE, REVERT_TO_SNAPSHOT, RETYPE, MIGRATE_VOLUME,
        MANAGE_EXISTING, UNMANAGE_VOLUME, MANAGE_EXISTING_SNAPSHOT, UNMANAGE_SNAPSHOT;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    private static final String FAILED = "failed";

    private final Meter.MeterProvider<Timer> timers;

    OperationMeters(MeterRegistry registry, String backend) {
        requireNonNull(backend, "backend");
        this.timers = Timer.builder("basalt.volume.operations")
                .description("Operations of a volume service by kind and outcome (done, failed, skipped, handed_over)")
                .tag("backend", backend)
                .withRegistry(requireNonNull(registry, "registry"));
    }

    /** Runs {@code work}, an operation that says how it ended, and times it under that outcome. */
    VolumeManager.Outcome time(Operation operation, Supplier<VolumeManager.Outcome> work) {
        long started = System.nanoTime();
        String outcome = FAILED;
        try {
            VolumeManager.Outcome ended = work.get();
            outcome = ended.name().toLowerCase(Locale.ROOT);
            return ended;
        } finally {
            record(operation, outcome, started);
        }
    }

    /** Runs {@code work}, which either answers ({@code done}) or throws ({@code failed}), and times it. */
    <T> T timeAnswer(Operation operation, Supplier<T> work) {
        long started = System.nanoTime();
        String outcome = FAILED;
        try {
            T answer = work.get();
            outcome = "done";
            return answer;
        } finally {
            record(operation, outcome, started);
        }
    }

    private void record(Operation operation, String outcome, long startedNanos) {
        timers.withTags("operation", operation.tag, "outcome", outcome)
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }
}
