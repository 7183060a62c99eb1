package dev.basalt.scheduler;

import dev.basalt.model.PoolCapacity;
import java.time.Instant;
import java.util.Map;

/** A small builder of pool reports for tests. */
record Pools(String backend, String pool, String volumeBackendName, String zone, double total, double free,
             double provisioned, double ratio, int reserved, boolean thin, boolean thick,
             Map<String, Object> capabilities, Instant reportedAt) {

    static Pools pool(String location) {
        int hash = location.indexOf('#');
        String backend = location.substring(0, hash);
        return new Pools(backend, location.substring(hash + 1), backend.substring(backend.indexOf('@') + 1), "nova",
                100, 100, 0, 1.0, 0, false, true, Map.of(), Instant.parse("2030-01-01T00:00:00Z"));
    }

    Pools capacity(double totalGb, double freeGb, double provisionedGb) {
        return new Pools(backend, pool, volumeBackendName, zone, totalGb, freeGb, provisionedGb, ratio, reserved, thin,
                thick, capabilities, reportedAt);
    }

    Pools thin(double maxOverSubscriptionRatio) {
        return new Pools(backend, pool, volumeBackendName, zone, total, free, provisioned, maxOverSubscriptionRatio,
                reserved, true, thick, capabilities, reportedAt);
    }

    Pools reserved(int percentage) {
        return new Pools(backend, pool, volumeBackendName, zone, total, free, provisioned, ratio, percentage, thin,
                thick, capabilities, reportedAt);
    }

    Pools zone(String availabilityZone) {
        return new Pools(backend, pool, volumeBackendName, availabilityZone, total, free, provisioned, ratio, reserved,
                thin, thick, capabilities, reportedAt);
    }

    Pools backendName(String name) {
        return new Pools(backend, pool, name, zone, total, free, provisioned, ratio, reserved, thin, thick,
                capabilities, reportedAt);
    }

    Pools capabilities(Map<String, Object> caps) {
        return new Pools(backend, pool, volumeBackendName, zone, total, free, provisioned, ratio, reserved, thin,
                thick, caps, reportedAt);
    }

    Pools at(Instant when) {
        return new Pools(backend, pool, volumeBackendName, zone, total, free, provisioned, ratio, reserved, thin,
                thick, capabilities, when);
    }

    PoolCapacity build() {
        return new PoolCapacity(backend, pool, volumeBackendName, zone, total, free, provisioned, ratio, reserved,
                thin, thick, capabilities, reportedAt);
    }

    static RequestSpec request(int sizeGib) {
        return RequestSpec.forVolume("v", sizeGib, null, Map.of());
    }

    static RequestSpec request(int sizeGib, Map<String, String> extraSpecs) {
        return RequestSpec.forVolume("v", sizeGib, null, extraSpecs);
    }

    static RequestSpec thickRequest(int sizeGib) {
        return RequestSpec.forVolume("v", sizeGib, null, Map.of(RequestSpec.PROVISIONING_TYPE, "thick"));
    }
}
