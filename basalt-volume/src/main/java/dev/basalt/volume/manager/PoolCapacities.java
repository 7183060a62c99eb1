package dev.basalt.volume.manager;

import dev.basalt.model.PoolCapacity;
import dev.basalt.driver.Capabilities;
import dev.basalt.driver.PoolReport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns what a driver reports about its pool into what the schedulers place by. */
final class PoolCapacities {
    private static final String QOS_SUPPORT = "QoS_support";
    private static final String CACHEABLE = "cacheable";
    private static final String BACKEND_STATE = "backend_state";
    private static final String ISCSI = "iSCSI";

    private PoolCapacities() {
    }

    /**
     * The pool's capacity as {@code settings}' backend reports it: the driver's figures and
     * capabilities, with the service's zone, over-subscription ratio and reserved percentage.
     * Thin and thick support come from the driver's {@code thin_provisioning_support} and
     * {@code thick_provisioning_support} capabilities, or else from whether it provisions thin.
     * As Cinder's volume manager, it adds to the driver's capabilities (unless the driver set them)
     * {@code QoS_support} (whether the target enforces back-end QoS specs), {@code cacheable}
     * (true for iSCSI) and {@code backend_state} ({@code up}: the driver answered).
     */
    static PoolCapacity of(VolumeServiceSettings settings, PoolReport report, boolean qosSupport, Instant now) {
        boolean thin = flag(report, Capabilities.THIN_PROVISIONING_SUPPORT, report.thinProvisioning());
        boolean thick = flag(report, Capabilities.THICK_PROVISIONING_SUPPORT, !report.thinProvisioning());
        return new PoolCapacity(settings.host(), report.pool(), settings.backendName(), settings.availabilityZone(),
                report.totalCapacityGb(), report.freeCapacityGb(), report.provisionedCapacityGb(),
                settings.maxOverSubscriptionRatio(), settings.reservedPercentage(), thin, thick,
                withManagerCapabilities(report.capabilities(), qosSupport), now);
    }

    private static Map<String, Object> withManagerCapabilities(Map<String, Object> reported, boolean qosSupport) {
        Map<String, Object> all = new LinkedHashMap<>(reported);
        all.putIfAbsent(QOS_SUPPORT, qosSupport);
        if (ISCSI.equalsIgnoreCase(String.valueOf(reported.get(Capabilities.STORAGE_PROTOCOL)))) {
            all.putIfAbsent(CACHEABLE, true);
        }
        all.putIfAbsent(BACKEND_STATE, "up");
        return all;
    }

    private static boolean flag(PoolReport report, String capability, boolean otherwise) {
        Object value = report.capabilities().get(capability);
        return value instanceof Boolean b ? b : otherwise;
    }
}
