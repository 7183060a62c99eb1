package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a backup service measures, tagged with its {@code host}:
 * <ul>
 *   <li>{@code basalt_backup_operations_seconds{operation, outcome}}: each operation by kind
 *       ({@code create_backup}, {@code restore_backup}, {@code delete_backup}, {@code export_record},
 *       {@code import_record}) and outcome ({@code done}, {@code failed}, {@code skipped}: nothing to
 *       do, a redelivery or a backup no longer in the status the message expects);</li>
 *   <li>{@code basalt_backup_operations_active{operation}}: operations running now;</li>
 *   <li>{@code basalt_backup_read_bytes_total}: bytes of volumes that backups went through (holes
 *       included), {@code basalt_backup_stored_bytes_total}: compressed bytes they added to the
 *       repository, {@code basalt_backup_restored_bytes_total}: bytes of volumes restores wrote;</li>
 *   <li>{@code basalt_backup_source_data_bytes_total{mode}}: bytes of data (outside holes) in what
 *       backups read from, and {@code basalt_backup_source_read_bytes_total{mode}}: bytes they
 *       actually read, by how they found what to read ({@link ChangeDetection.Mode}: {@code full},
 *       {@code extent_map}, {@code read_all}): an incremental from extent maps after 1% of a
 *       volume changed reads about 1% of its data;</li>
 *   <li>{@code basalt_backup_progress_ratio{backup, operation}}: how far (0 to 1) each create or
 *       restore running now is; the gauge of an operation is removed when it ends.</li>
 * </ul>
 */
final class BackupMeters {
    /** The operations measured, named as their bus messages. */
    enum Operation {
        CREATE_BACKUP, RESTORE_BACKUP, DELETE_BACKUP, EXPORT_RECORD, IMPORT_RECORD;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    /** How an operation ended. */
    enum Outcome {
        DONE, FAILED, SKIPPED;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    /** The progress gauge of a running operation and the bits of its value. */
    private record Running(Gauge gauge, AtomicLong ratioBits) {
    }

    private final MeterRegistry registry;
    private final String host;
    private final Map<String, Running> progressGauges = new ConcurrentHashMap<>();
    private final Meter.MeterProvider<Timer> timers;
    private final Map<Operation, AtomicInteger> active = new EnumMap<>(Operation.class);
    private final Counter read;
    private final Counter stored;
    private final Counter restored;
    private final Meter.MeterProvider<Counter> sourceData;
    private final Meter.MeterProvider<Counter> sourceRead;

    BackupMeters(MeterRegistry registry, String host) {
        this.registry = requireNonNull(registry, "registry");
        this.host = requireNonNull(host, "host");
        this.timers = Timer.builder("basalt.backup.operations")
                .description("Operations of a backup service by kind and outcome (done, failed, skipped)")
                .tag("host", host)
                .withRegistry(registry);
        for (Operation operation : Operation.values()) {
            AtomicInteger running = new AtomicInteger();
            active.put(operation, running);
            Gauge.builder("basalt.backup.operations.active", running, AtomicInteger::get)
                    .description("Operations of a backup service running now")
                    .tags("host", host, "operation", operation.tag)
                    .register(registry);
        }
        this.read = Counter.builder("basalt.backup.read.bytes").baseUnit("bytes")
                .description("Bytes of volumes backups went through, holes included")
                .tag("host", host).register(registry);
        this.stored = Counter.builder("basalt.backup.stored.bytes").baseUnit("bytes")
                .description("Compressed bytes backups added to the repository")
                .tag("host", host).register(registry);
        this.restored = Counter.builder("basalt.backup.restored.bytes").baseUnit("bytes")
                .description("Bytes of volumes restores wrote, holes included")
                .tag("host", host).register(registry);
        this.sourceData = Counter.builder("basalt.backup.source.data.bytes").baseUnit("bytes")
                .description("Bytes of data (outside holes) in the files backups read from, by how they found what to read")
                .tag("host", host).withRegistry(registry);
        this.sourceRead = Counter.builder("basalt.backup.source.read.bytes").baseUnit("bytes")
                .description("Bytes backups read from their files, by how they found what to read")
                .tag("host", host).withRegistry(registry);
    }

    /** Work to measure. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws Exception;
    }

    /** Runs {@code work}, which says how it ended, counting it active meanwhile; a throw counts as failed. */
    Outcome time(Operation operation, Work<Outcome> work) throws Exception {
        return measure(operation, work, true);
    }

    /** Runs {@code work}, which answers ({@code done}) or throws ({@code failed}), counting it active meanwhile. */
    <T> T answer(Operation operation, Work<T> work) throws Exception {
        return measure(operation, work, false);
    }

    private <T> T measure(Operation operation, Work<T> work, boolean saysOutcome) throws Exception {
        long started = System.nanoTime();
        Outcome outcome = Outcome.FAILED;
        AtomicInteger running = active.get(operation);
        running.incrementAndGet();
        try {
            T result = work.run();
            outcome = saysOutcome ? (Outcome) result : Outcome.DONE;
            return result;
        } finally {
            running.decrementAndGet();
            timers.withTags("operation", operation.tag, "outcome", outcome.tag)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /** Sets the progress gauge of backup {@code backupId}'s running {@code operation}, made on first use. */
    void progress(Operation operation, String backupId, double ratio) {
        progressGauges.computeIfAbsent(backupId, id -> {
            AtomicLong bits = new AtomicLong(Double.doubleToLongBits(0));
            Gauge gauge = Gauge.builder("basalt.backup.progress.ratio", bits, b -> Double.longBitsToDouble(b.get()))
                    .description("How far a running backup or restore is, 0 to 1")
                    .tags("host", host, "backup", id, "operation", operation.tag)
                    .register(registry);
            return new Running(gauge, bits);
        }).ratioBits().set(Double.doubleToLongBits(ratio));
    }

    /** Removes the progress gauge of the operation on backup {@code backupId}, which ended. */
    void progressEnded(String backupId) {
        Running ended = progressGauges.remove(backupId);
        if (ended != null) {
            registry.remove(ended.gauge());
        }
    }

    void backedUp(long volumeBytes, long storedBytes) {
        read.increment(volumeBytes);
        stored.increment(storedBytes);
    }

    /** A backup that found what to read by {@code mode} read {@code readBytes} of {@code dataBytes} of data. */
    void sourceRead(ChangeDetection.Mode mode, long dataBytes, long readBytes) {
        sourceData.withTags("mode", mode.tag).increment(dataBytes);
        sourceRead.withTags("mode", mode.tag).increment(readBytes);
    }

    void restored(long volumeBytes) {
        restored.increment(volumeBytes);
    }
}
