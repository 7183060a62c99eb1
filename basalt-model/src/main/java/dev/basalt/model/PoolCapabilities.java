package dev.basalt.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A pool's capabilities as Cinder's scheduler holds them (its pool state's {@code capabilities}):
 * what the volume service reported, with the standard figures Cinder's volume manager and host
 * manager add — {@code pool_name}, the capacities, {@code allocated_capacity_gb},
 * {@code reserved_percentage}, {@code max_over_subscription_ratio}, thin and thick support,
 * {@code volume_backend_name}, {@code filter_function} and {@code goodness_function} (null: Basalt
 * has none) and the report's {@code timestamp}. Volume-type extra specs are matched against these,
 * and {@code GET /scheduler-stats/get_pools?detail=true} shows them.
 */
public final class PoolCapabilities {
    private PoolCapabilities() {
    }

    /**
     * The capabilities of {@code pool}, in a stable order; capacities are numbers (an unbounded
     * pool's {@link Double#POSITIVE_INFINITY} included), {@code timestamp} an {@link java.time.Instant} or null.
     */
    public static Map<String, Object> of(PoolCapacity pool) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("pool_name", pool.pool());
        all.put("total_capacity_gb", pool.totalCapacityGb());
        all.put("free_capacity_gb", pool.freeCapacityGb());
        all.put("allocated_capacity_gb", pool.provisionedCapacityGb());
        all.put("provisioned_capacity_gb", pool.provisionedCapacityGb());
        all.put("reserved_percentage", pool.reservedPercentage());
        all.put("max_over_subscription_ratio", pool.maxOverSubscriptionRatio());
        all.put("thin_provisioning_support", pool.thinProvisioningSupport());
        all.put("thick_provisioning_support", pool.thickProvisioningSupport());
        all.putAll(pool.capabilities());
        all.put("volume_backend_name", pool.volumeBackendName());
        all.putIfAbsent("filter_function", null);
        all.putIfAbsent("goodness_function", null);
        all.put("timestamp", pool.reportedAt());
        return Collections.unmodifiableMap(all);
    }
}
