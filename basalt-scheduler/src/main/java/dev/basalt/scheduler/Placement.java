package dev.basalt.scheduler;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.PoolCapacity;

/**
 * A pool the registry chose for a volume and charged for it: {@code pool} as it was before the
 * charge, the volume service that reported it, and what was consumed ({@code sizeGib} provisioned,
 * and free space too when {@code thick}).
 */
public record Placement(PoolCapacity pool, String serviceUuid, int sizeGib, boolean thick, long reportSequence) {
    public Placement {
        requireNonNull(pool, "pool");
    }

    /** Where the volume goes: {@code host@backend#pool}. */
    public String location() {
        return pool.location();
    }
}
