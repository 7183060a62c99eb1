package dev.basalt.driver;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of one storage pool as a driver sees it, for the scheduler (Cinder's volume stats of a
 * pool). Capacities are in GiB (what Cinder calls "GB").
 *
 * @param pool                   the pool's name (the part after {@code #} in {@code host@backend#pool})
 * @param totalCapacityGb        size of the storage; {@link Double#POSITIVE_INFINITY} when unbounded
 * @param freeCapacityGb         space still free on the storage
 * @param provisionedCapacityGb  sum of the sizes of the volumes on the pool (thin or not)
 * @param thinProvisioning       whether new volumes are thin (take space only as data is written)
 * @param capabilities           what volume types can ask for; keys as in {@link Capabilities},
 *                               values are strings, numbers or booleans; kept in the given order
 */
public record PoolReport(String pool, double totalCapacityGb, double freeCapacityGb,
                         double provisionedCapacityGb, boolean thinProvisioning,
                         Map<String, Object> capabilities) {

    public PoolReport {
        requireNonNull(pool, "pool");
        if (pool.isBlank()) {
            throw new IllegalArgumentException("pool name must not be blank");
        }
        requireNotNegative("totalCapacityGb", totalCapacityGb);
        requireNotNegative("freeCapacityGb", freeCapacityGb);
        requireNotNegative("provisionedCapacityGb", provisionedCapacityGb);
        requireNonNull(capabilities, "capabilities");
        capabilities.forEach((key, value) -> {
            requireNonNull(key, "capability name");
            requireNonNull(value, () -> "value of capability " + key);
        });
        capabilities = Collections.unmodifiableMap(new LinkedHashMap<>(capabilities));
    }

    private static void requireNotNegative(String name, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException(name + " must be a number >= 0, got " + value);
        }
    }
}
