package dev.basalt.volume.manager;

import dev.basalt.model.PoolCapacity;
import dev.basalt.volume.driver.Capabilities;
import dev.basalt.volume.driver.PoolReport;
import java.time.Instant;

/** Turns what a driver reports about its pool into what the schedulers place by. */
final class PoolCapacities {
    private PoolCapacities() {
    }

    /**
     * The pool's capacity as {@code settings}' backend reports it: the driver's figures and
     * capabilities, with the service's zone, over-subscription ratio and reserved percentage.
     * Thin and thick support come from the driver's {@code thin_provisioning_support} and
     * {@code thick_provisioning_support} capabilities, or else from whether it provisions thin.
     */
    static PoolCapacity of(VolumeServiceSettings settings, PoolReport report, Instant now) {
        boolean thin = flag(report, Capabilities.THIN_PROVISIONING_SUPPORT, report.thinProvisioning());
        boolean thick = flag(report, Capabilities.THICK_PROVISIONING_SUPPORT, !report.thinProvisioning());
        return new PoolCapacity(settings.host(), report.pool(), settings.backendName(), settings.availabilityZone(),
                report.totalCapacityGb(), report.freeCapacityGb(), report.provisionedCapacityGb(),
                settings.maxOverSubscriptionRatio(), settings.reservedPercentage(), thin, thick,
                report.capabilities(), now);
    }

    private static boolean flag(PoolReport report, String capability, boolean otherwise) {
        Object value = report.capabilities().get(capability);
        return value instanceof Boolean b ? b : otherwise;
    }
}
