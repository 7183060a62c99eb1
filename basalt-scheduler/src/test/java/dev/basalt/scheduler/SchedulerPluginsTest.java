package dev.basalt.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchedulerPluginsTest {

    private static SchedulerSettings settings(List<String> filters, List<String> weighers) {
        SchedulerSettings d = SchedulerSettings.defaults("s");
        return new SchedulerSettings("s", filters, weighers, 2.5, -0.5, "nova", d.reportInterval(),
                d.capacityStaleAfter(), d.initWaitTime(), d.messageTtl(), Duration.ofHours(1), d.serviceDownTime(),
                d.periodicInterval());
    }

    @Test
    void buildsTheNamedFiltersAndWeighersInOrder() {
        FilterScheduler scheduler = SchedulerPlugins.filterScheduler(settings(
                List.of("CapabilitiesFilter", "AvailabilityZoneFilter", "CapacityFilter"),
                List.of("AllocatedCapacityWeigher", "CapacityWeigher")));
        assertThat(scheduler.filterNames())
                .containsExactly("CapabilitiesFilter", "AvailabilityZoneFilter", "CapacityFilter");
        assertThat(scheduler.weigherNames()).containsExactly("AllocatedCapacityWeigher", "CapacityWeigher");
        assertThat(SchedulerPlugins.weighers(settings(List.of(), List.of("CapacityWeigher", "AllocatedCapacityWeigher"))))
                .extracting(BackendWeigher::multiplier).containsExactly(2.5, -0.5);
    }

    @Test
    void refusesUnknownFilterNames() {
        assertThatThrownBy(() -> SchedulerPlugins.filterScheduler(settings(
                List.of("CapacityFilter", "DriverFilter", "JsonFilter"), List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scheduler_default_filters")
                .hasMessageContaining("DriverFilter, JsonFilter")
                .hasMessageContaining("AvailabilityZoneFilter, CapacityFilter, CapabilitiesFilter");
    }

    @Test
    void refusesUnknownWeigherNames() {
        assertThatThrownBy(() -> SchedulerPlugins.filterScheduler(settings(
                List.of(), List.of("GoodnessWeigher"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scheduler_default_weighers")
                .hasMessageContaining("GoodnessWeigher")
                .hasMessageContaining("CapacityWeigher, AllocatedCapacityWeigher");
    }
}
