package dev.basalt.model;

import java.time.Instant;
import java.util.Map;

/**
 * What a volume service reports about one of its pools, and what the scheduler places by.
 * Sizes are in GiB. {@code provisionedCapacityGb} is the sum of the sizes of what lives there
 * (volumes, and later snapshots); {@code capabilities} are matched against volume-type extra specs.
 */
public record PoolCapacity(
        String backend,
        String pool,
        String volumeBackendName,
        String availabilityZone,
        double totalCapacityGb,
        double freeCapacityGb,
        double provisionedCapacityGb,
        double maxOverSubscriptionRatio,
        int reservedPercentage,
        boolean thinProvisioningSupport,
        boolean thickProvisioningSupport,
        Map<String, Object> capabilities,
        Instant reportedAt) {

    public PoolCapacity {
        capabilities = capabilities == null ? Map.of() : Map.copyOf(capabilities);
    }

    /** The scheduler's location string for this pool: {@code host@backend#pool}. */
    public String location() {
        return BackendName.withPool(backend, pool);
    }
}
