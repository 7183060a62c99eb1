package dev.basalt.scheduler;

import dev.basalt.model.PoolCapacity;

/**
 * Decides whether a pool can take a volume. Filters run in the configured order
 * ({@code scheduler_default_filters}); a pool must pass them all to be weighed.
 */
public interface BackendFilter {

    /** The name operators list in {@code scheduler_default_filters} (Cinder's class name). */
    default String name() {
        return getClass().getSimpleName();
    }

    boolean passes(PoolCapacity pool, RequestSpec request);
}
