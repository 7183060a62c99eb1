package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.PoolCapacity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * A backend's capacity as its volume service last reported it to the schedulers, in GiB:
 * {@code basalt_backend_total_capacity_gibibytes}, {@code basalt_backend_free_capacity_gibibytes} and
 * {@code basalt_backend_provisioned_capacity_gibibytes}, each labelled {@code backend}
 * ({@code host@backend}) and {@code pool}. The gauges appear with a pool's first report and go away
 * when the service stops.
 */
final class CapacityGauges implements AutoCloseable {
    private final MeterRegistry registry;
    private final Map<String, AtomicReference<PoolCapacity>> pools = new ConcurrentHashMap<>();
    private final List<Meter> registered = new ArrayList<>();

    CapacityGauges(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry");
    }

    /** What the gauges say from now on: the figures of {@code pool}. */
    void record(PoolCapacity pool) {
        pools.computeIfAbsent(pool.backend() + "#" + pool.pool(), key -> register(pool)).set(pool);
    }

    private AtomicReference<PoolCapacity> register(PoolCapacity first) {
        AtomicReference<PoolCapacity> latest = new AtomicReference<>(first);
        Tags tags = Tags.of("backend", first.backend(), "pool", first.pool());
        synchronized (registered) {
            registered.add(gauge("basalt.backend.total.capacity", "Total capacity", latest, tags,
                    PoolCapacity::totalCapacityGb));
            registered.add(gauge("basalt.backend.free.capacity", "Free capacity", latest, tags,
                    PoolCapacity::freeCapacityGb));
            registered.add(gauge("basalt.backend.provisioned.capacity", "Capacity provisioned (volume sizes)",
                    latest, tags, PoolCapacity::provisionedCapacityGb));
        }
        return latest;
    }

    private Gauge gauge(String name, String what, AtomicReference<PoolCapacity> latest, Tags tags,
                        ToDoubleFunction<PoolCapacity> figure) {
        return Gauge.builder(name, latest, ref -> figure.applyAsDouble(ref.get()))
                .description(what + " of a backend's pool in GiB, as last reported to the schedulers")
                .baseUnit("gibibytes").tags(tags).strongReference(true).register(registry);
    }

    /** Removes the gauges: the backend no longer reports. */
    @Override
    public void close() {
        synchronized (registered) {
            registered.forEach(registry::remove);
            registered.clear();
        }
        pools.clear();
    }
}
