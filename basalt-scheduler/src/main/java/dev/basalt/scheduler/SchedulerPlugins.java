package dev.basalt.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The filters and weighers Basalt knows, by the names operators give them in
 * {@code scheduler_default_filters} and {@code scheduler_default_weighers}.
 */
public final class SchedulerPlugins {
    private static final Map<String, Supplier<BackendFilter>> FILTERS = new LinkedHashMap<>();
    private static final Map<String, WeigherFactory> WEIGHERS = new LinkedHashMap<>();

    static {
        FILTERS.put("AvailabilityZoneFilter", AvailabilityZoneFilter::new);
        FILTERS.put("CapacityFilter", CapacityFilter::new);
        FILTERS.put("CapabilitiesFilter", CapabilitiesFilter::new);
        WEIGHERS.put("CapacityWeigher", new WeigherFactory(
                SchedulerSettings::capacityWeightMultiplier, CapacityWeigher::new));
        WEIGHERS.put("AllocatedCapacityWeigher", new WeigherFactory(
                SchedulerSettings::allocatedCapacityWeightMultiplier, AllocatedCapacityWeigher::new));
    }

    private record WeigherFactory(ToDoubleFunction<SchedulerSettings> multiplier,
                                  DoubleFunction<BackendWeigher> create) {
    }

    private SchedulerPlugins() {
    }

    /** The filter scheduler the settings describe; refuses names it does not know. */
    public static FilterScheduler filterScheduler(SchedulerSettings settings) {
        return new FilterScheduler(filters(settings.filters()), weighers(settings));
    }

    /** The filters of these names, in this order. */
    public static List<BackendFilter> filters(List<String> names) {
        List<BackendFilter> found = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            Supplier<BackendFilter> filter = FILTERS.get(name.strip());
            if (filter == null) {
                unknown.add(name);
            } else {
                found.add(filter.get());
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("scheduler_default_filters names unknown filter(s) "
                    + String.join(", ", unknown) + "; Basalt has " + String.join(", ", FILTERS.keySet()));
        }
        return found;
    }

    /** The weighers the settings name, each with its configured multiplier. */
    public static List<BackendWeigher> weighers(SchedulerSettings settings) {
        List<BackendWeigher> found = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : settings.weighers()) {
            WeigherFactory weigher = WEIGHERS.get(name.strip());
            if (weigher == null) {
                unknown.add(name);
            } else {
                found.add(weigher.create().apply(weigher.multiplier().applyAsDouble(settings)));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("scheduler_default_weighers names unknown weigher(s) "
                    + String.join(", ", unknown) + "; Basalt has " + String.join(", ", WEIGHERS.keySet()));
        }
        return found;
    }

    public static List<String> filterNames() {
        return List.copyOf(FILTERS.keySet());
    }

    public static List<String> weigherNames() {
        return List.copyOf(WEIGHERS.keySet());
    }
}
