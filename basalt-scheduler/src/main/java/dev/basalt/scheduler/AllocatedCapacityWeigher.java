package dev.basalt.scheduler;

import dev.basalt.model.PoolCapacity;

/**
 * Scores a pool by the capacity already allocated in it. With the default multiplier
 * ({@code allocated_capacity_weight_multiplier = -1.0}) the pool with the least allocated wins;
 * a positive multiplier stacks volumes instead. Allocated capacity is the sum of the sizes of what
 * lives in the pool ({@code provisioned_capacity_gb}), including what this scheduler placed since
 * the last report.
 */
public final class AllocatedCapacityWeigher implements BackendWeigher {
    private final double multiplier;

    public AllocatedCapacityWeigher(double multiplier) {
        this.multiplier = multiplier;
    }

    @Override
    public double multiplier() {
        return multiplier;
    }

    @Override
    public double weigh(PoolCapacity pool, RequestSpec request) {
        return pool.provisionedCapacityGb();
    }
}
