package dev.basalt.scheduler;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * What the scheduler needs from configuration, named after the cinder.conf options the
 * composition root maps into it.
 *
 * @param host                              {@code host}: the name this scheduler registers under
 * @param filters                           {@code scheduler_default_filters}, by class name
 * @param weighers                          {@code scheduler_default_weighers}, by class name
 * @param capacityWeightMultiplier          {@code capacity_weight_multiplier} (positive spreads)
 * @param allocatedCapacityWeightMultiplier {@code allocated_capacity_weight_multiplier} (negative spreads)
 * @param availabilityZone                  {@code storage_availability_zone}: the zone of the service row
 * @param reportInterval                    {@code report_interval}: how often the service row heartbeats
 * @param capacityStaleAfter                {@code service_down_time}: a backend whose last report is older
 *                                          than this is no candidate
 * @param initWaitTime                      {@code scheduler_driver_init_wait_time}: after a start, how long
 *                                          scheduling waits for every live volume service to report
 * @param messageTtl                        {@code message_ttl}: how long a user message lives
 * @param messageReapInterval               {@code message_reap_interval}: how often expired user
 *                                          messages are removed
 * @param serviceDownTime                   {@code service_down_time}: a service whose last heartbeat is
 *                                          older than this is down, and its work in flight is cleaned
 *                                          up; work nobody claimed for this long is sent again
 * @param periodicInterval                  {@code periodic_interval}: how often the scheduler looks for
 *                                          such work
 */
public record SchedulerSettings(
        String host,
        List<String> filters,
        List<String> weighers,
        double capacityWeightMultiplier,
        double allocatedCapacityWeightMultiplier,
        String availabilityZone,
        Duration reportInterval,
        Duration capacityStaleAfter,
        Duration initWaitTime,
        Duration messageTtl,
        Duration messageReapInterval,
        Duration serviceDownTime,
        Duration periodicInterval) {

    /** Cinder's defaults for {@code scheduler_default_filters}. */
    public static final List<String> DEFAULT_FILTERS =
            List.of("AvailabilityZoneFilter", "CapacityFilter", "CapabilitiesFilter");
    /** Cinder's default for {@code scheduler_default_weighers}. */
    public static final List<String> DEFAULT_WEIGHERS = List.of("CapacityWeigher");

    public SchedulerSettings {
        requireNonNull(host, "host");
        filters = List.copyOf(requireNonNull(filters, "filters"));
        weighers = List.copyOf(requireNonNull(weighers, "weighers"));
        requireNonNull(availabilityZone, "availabilityZone");
        requirePositive(reportInterval, "reportInterval");
        requirePositive(capacityStaleAfter, "capacityStaleAfter");
        requireNonNull(initWaitTime, "initWaitTime");
        if (initWaitTime.isNegative()) {
            throw new IllegalArgumentException("initWaitTime must not be negative: " + initWaitTime);
        }
        requirePositive(messageTtl, "messageTtl");
        requirePositive(messageReapInterval, "messageReapInterval");
        requirePositive(serviceDownTime, "serviceDownTime");
        requirePositive(periodicInterval, "periodicInterval");
    }

    /**
     * Cinder's defaults: the three standard filters, the capacity weigher, multipliers 1.0 and -1.0,
     * zone {@code nova}, heartbeat every 10 s, backends stale after 60 s, a 60 s start-up wait,
     * user messages kept 30 days and reaped daily, services down after 60 s, and work in flight
     * looked after every 60 s.
     */
    public static SchedulerSettings defaults(String host) {
        return new SchedulerSettings(host, DEFAULT_FILTERS, DEFAULT_WEIGHERS, 1.0, -1.0, "nova",
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofDays(30),
                Duration.ofDays(1), Duration.ofSeconds(60), Duration.ofSeconds(60));
    }

    private static void requirePositive(Duration d, String name) {
        requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
