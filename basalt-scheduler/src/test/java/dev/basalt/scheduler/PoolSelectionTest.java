package dev.basalt.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.model.PoolCapacity;
import dev.basalt.rpc.PoolsQuery;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** get_pools filters as Cinder's host manager applies them. */
class PoolSelectionTest {
    private final PoolSelection selection =
            new PoolSelection(SchedulerPlugins.filterScheduler(SchedulerSettings.defaults("s")));
    private final PoolCapacity gold = Pools.pool("h@gold#p").capacity(100, 50, 10)
            .capabilities(Map.of("QoS_support", true, "storage_protocol", "iSCSI", "volume_backend_name", "gold")).build();
    private final PoolCapacity lead = Pools.pool("h@lead#p").capacity(10.5, 5, 0)
            .capabilities(Map.of("QoS_support", false, "storage_protocol", "iSCSI", "volume_backend_name", "lead")).build();
    private final List<PoolCapacity> pools = List.of(gold, lead);

    private List<PoolCapacity> select(String name, Map<String, String> capabilities, Map<String, String> type) {
        return selection.select(pools, new PoolsQuery(name, capabilities, type));
    }

    @Test
    void everyPoolWithoutFilters() {
        assertThat(selection.select(pools, PoolsQuery.ALL)).containsExactly(gold, lead);
    }

    @Test
    void byExactName() {
        assertThat(select("h@lead#p", Map.of(), null)).containsExactly(lead);
        assertThat(select("h@lead", Map.of(), null)).isEmpty();
    }

    @Test
    void byCapabilitiesComparedAsCinderDoes() {
        assertThat(select(null, Map.of("QoS_support", "True"), null)).containsExactly(gold);
        assertThat(select(null, Map.of("QoS_support", "no"), null)).containsExactly(lead);
        assertThat(select(null, Map.of("total_capacity_gb", "10.5"), null)).containsExactly(lead);
        assertThat(select(null, Map.of("total_capacity_gb", "100.0"), null)).as("floats print with .0")
                .containsExactly(gold);
        assertThat(select(null, Map.of("total_capacity_gb", "100"), null)).isEmpty();
        assertThat(select(null, Map.of("storage_protocol", "iSCSI", "pool_name", "p"), null)).hasSize(2);
        assertThat(select(null, Map.of("no_such_capability", "x"), null)).isEmpty();
    }

    @Test
    void byVolumeTypeThroughTheSchedulersFilters() {
        assertThat(select(null, Map.of(), Map.of("volume_backend_name", "gold"))).containsExactly(gold);
        assertThat(select(null, Map.of(), Map.of("capabilities:QoS_support", "<is> False"))).containsExactly(lead);
        assertThat(select(null, Map.of(), Map.of())).as("a type without specs fits every pool").hasSize(2);
    }
}
