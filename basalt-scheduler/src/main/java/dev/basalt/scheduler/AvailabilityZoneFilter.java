package dev.basalt.scheduler;

import dev.basalt.model.PoolCapacity;

/** Passes pools in one of the zones the request allows; a request without zones allows any. */
public final class AvailabilityZoneFilter implements BackendFilter {

    @Override
    public boolean passes(PoolCapacity pool, RequestSpec request) {
        return request.availabilityZones().isEmpty()
                || request.availabilityZones().contains(pool.availabilityZone());
    }
}
