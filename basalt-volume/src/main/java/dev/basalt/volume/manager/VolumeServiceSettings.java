package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What a volume service needs from configuration, named after the cinder.conf options the
 * composition root maps into it (one per enabled backend).
 *
 * @param host                     {@code host@backend}: {@code host} and the backend's section name
 *                                 in {@code enabled_backends}; the service's address on the bus
 * @param backendName              {@code volume_backend_name}: what volume types match with
 * @param availabilityZone         {@code storage_availability_zone} (or the backend's
 *                                 {@code backend_availability_zone})
 * @param maxOverSubscriptionRatio {@code max_over_subscription_ratio}: how far thin pools may be
 *                                 over-subscribed (at least 1)
 * @param reservedPercentage       {@code reserved_percentage}: the share of the pool kept back (0-100)
 * @param reportInterval           {@code report_interval}: how often the service row heartbeats
 * @param capacityReportInterval   {@code periodic_interval}: how often capacity goes to the schedulers
 * @param messageTtl               {@code message_ttl}: how long a user message lives
 * @param targetPrefix             {@code target_prefix}: what each export's IQN starts with
 * @param serviceDownTime          {@code service_down_time}: a service silent this long is down (the
 *                                 backup service a volume made from a backup is handed to must be up)
 */
public record VolumeServiceSettings(
        String host,
        String backendName,
        String availabilityZone,
        double maxOverSubscriptionRatio,
        int reservedPercentage,
        Duration reportInterval,
        Duration capacityReportInterval,
        Duration messageTtl,
        String targetPrefix,
        Duration serviceDownTime) {

    /** Cinder's {@code target_prefix}. */
    public static final String DEFAULT_TARGET_PREFIX = "iqn.2010-10.org.openstack:";

    public VolumeServiceSettings {
        requireNonNull(host, "host");
        int at = host.indexOf('@');
        if (at <= 0 || at == host.length() - 1 || host.contains("#")) {
            throw new IllegalArgumentException("a volume service's host is host@backend, without a pool: " + host);
        }
        requireNonNull(backendName, "backendName");
        requireNonNull(availabilityZone, "availabilityZone");
        if (!(maxOverSubscriptionRatio >= 1.0)) {
            throw new IllegalArgumentException("max_over_subscription_ratio must be at least 1.0, got "
                    + maxOverSubscriptionRatio);
        }
        if (reservedPercentage < 0 || reservedPercentage > 100) {
            throw new IllegalArgumentException("reserved_percentage must be 0 to 100, got " + reservedPercentage);
        }
        requirePositive(reportInterval, "reportInterval");
        requirePositive(capacityReportInterval, "capacityReportInterval");
        requirePositive(messageTtl, "messageTtl");
        requireNonNull(targetPrefix, "targetPrefix");
        requirePositive(serviceDownTime, "serviceDownTime");
    }

    /**
     * Cinder's defaults: zone {@code nova}, over-subscription up to 20.0, nothing reserved,
     * heartbeat every 10 s, capacity every 60 s, user messages kept 30 days, IQNs under
     * {@code iqn.2010-10.org.openstack:}, services down after 60 s of silence.
     */
    public static VolumeServiceSettings defaults(String host, String backendName) {
        return new VolumeServiceSettings(host, backendName, "nova", 20.0, 0, Duration.ofSeconds(10),
                Duration.ofSeconds(60), Duration.ofDays(30), DEFAULT_TARGET_PREFIX, Duration.ofSeconds(60));
    }

    /** The backend part of {@link #host}: what follows the {@code @}. */
    public String backend() {
        return host.substring(host.indexOf('@') + 1);
    }

    private static void requirePositive(Duration d, String name) {
        requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
