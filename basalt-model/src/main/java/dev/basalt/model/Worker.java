package dev.basalt.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A row of the workers table (Cinder's): work in flight on one resource, recorded with the
 * transitional {@code status} it put the resource in and, once a service took it, that service's
 * id ({@code serviceId}; null while no service has claimed it). {@code racePreventer} grows with
 * every claim, so that a claim made on what was read succeeds for one claimer only.
 * {@code updatedAt} is when the row was written or last claimed.
 */
public record Worker(
        CleanableResource resourceType,
        String resourceId,
        String status,
        Integer serviceId,
        int racePreventer,
        Instant createdAt,
        Instant updatedAt) {

    public Worker {
        requireNonNull(resourceType, "resourceType");
        requireNonNull(resourceId, "resourceId");
        requireNonNull(status, "status");
    }

    /** True once a service has taken the work. */
    public boolean claimed() {
        return serviceId != null;
    }
}
