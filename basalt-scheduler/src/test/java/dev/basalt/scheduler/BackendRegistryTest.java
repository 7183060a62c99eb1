package dev.basalt.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.model.PoolCapacity;
import dev.basalt.rpc.CapacityReport;
import dev.basalt.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackendRegistryTest {
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final BackendRegistry registry = new BackendRegistry(clock, Duration.ofSeconds(60));
    private final FilterScheduler scheduler = SchedulerPlugins.filterScheduler(SchedulerSettings.defaults("s"));

    private static CapacityReport report(String backend, PoolCapacity... pools) {
        return new CapacityReport(backend, "svc-" + backend, List.of(pools));
    }

    private PoolCapacity only() {
        assertThat(registry.pools()).hasSize(1);
        return registry.pools().get(0);
    }

    @Test
    void keepsTheLatestReportAndIgnoresOlderOnes() {
        assertThat(registry.update(report("h@b", Pools.pool("h@b#p").capacity(100, 50, 50).at(T0).build()))).isTrue();
        assertThat(registry.update(report("h@b", Pools.pool("h@b#p").capacity(100, 90, 10)
                .at(T0.minusSeconds(5)).build()))).isFalse();
        assertThat(only().freeCapacityGb()).isEqualTo(50);
        assertThat(registry.update(report("h@b", Pools.pool("h@b#p").capacity(100, 40, 60)
                .at(T0.plusSeconds(5)).build()))).isTrue();
        assertThat(only().freeCapacityGb()).isEqualTo(40);
    }

    @Test
    void forgetsPoolsABackendNoLongerReports() {
        registry.update(report("h@b", Pools.pool("h@b#p1").at(T0).build(), Pools.pool("h@b#p2").at(T0).build()));
        registry.update(report("h@b", Pools.pool("h@b#p2").at(T0.plusSeconds(1)).build()));
        assertThat(registry.pools()).extracting(PoolCapacity::location).containsExactly("h@b#p2");
    }

    @Test
    void aBackendThatStoppedReportingIsNoCandidate() throws Exception {
        registry.update(report("h@old", Pools.pool("h@old#p").at(T0).build()));
        clock.advance(Duration.ofSeconds(30));
        registry.update(report("h@new", Pools.pool("h@new#p").capacity(10, 10, 0).at(clock.instant()).build()));
        clock.advance(Duration.ofSeconds(31));
        assertThat(registry.reportedBackends()).containsExactly("h@new");
        // The stale pool has more room, but only the fresh one is considered.
        assertThat(registry.claim(Pools.request(1), scheduler, b -> true).location()).isEqualTo("h@new#p");
        clock.advance(Duration.ofSeconds(60));
        assertThatThrownBy(() -> registry.claim(Pools.request(1), scheduler, b -> true))
                .isInstanceOf(NoValidBackendException.class)
                .hasMessage("No backend has reported its capacity recently.");
    }

    @Test
    void placingConsumesProvisionedCapacityAndFreeSpaceOnlyWhenThick() throws Exception {
        registry.update(report("h@b", Pools.pool("h@b#p").thin(2.0).capacity(100, 100, 0).at(T0).build()));
        Placement thin = registry.claim(Pools.request(10), scheduler, b -> true);
        assertThat(thin.thick()).isFalse();
        assertThat(only().provisionedCapacityGb()).isEqualTo(10);
        assertThat(only().freeCapacityGb()).isEqualTo(100);
        Placement thick = registry.claim(Pools.thickRequest(20), scheduler, b -> true);
        assertThat(thick.thick()).isTrue();
        assertThat(only().provisionedCapacityGb()).isEqualTo(30);
        assertThat(only().freeCapacityGb()).isEqualTo(80);
        registry.release(thick);
        assertThat(only().provisionedCapacityGb()).isEqualTo(10);
        assertThat(only().freeCapacityGb()).isEqualTo(100);
        assertThat(thin.serviceUuid()).isEqualTo("svc-h@b");
    }

    @Test
    void aReportMadeBeforeThePlacementDoesNotUndoItButALaterOneReplacesIt() throws Exception {
        registry.update(report("h@b", Pools.pool("h@b#p").capacity(100, 100, 0).at(T0).build()));
        clock.advance(Duration.ofSeconds(10));
        registry.claim(Pools.request(30), scheduler, b -> true);
        assertThat(only().freeCapacityGb()).isEqualTo(70);
        // Made at T0+5 s, before the placement at T0+10 s: the volume may be missing from it.
        registry.update(report("h@b", Pools.pool("h@b#p").capacity(100, 100, 0).at(T0.plusSeconds(5)).build()));
        assertThat(only().freeCapacityGb()).isEqualTo(70);
        registry.update(report("h@b", Pools.pool("h@b#p").capacity(100, 69, 31).at(T0.plusSeconds(11)).build()));
        assertThat(only().freeCapacityGb()).isEqualTo(69);
    }

    @Test
    void aReleaseAfterANewerReportChangesNothing() throws Exception {
        registry.update(report("h@b", Pools.pool("h@b#p").capacity(100, 100, 0).at(T0).build()));
        Placement placement = registry.claim(Pools.request(30), scheduler, b -> true);
        registry.update(report("h@b", Pools.pool("h@b#p").capacity(100, 100, 0).at(T0.plusSeconds(1)).build()));
        registry.release(placement);
        assertThat(only().freeCapacityGb()).isEqualTo(100);
        assertThat(only().provisionedCapacityGb()).isEqualTo(0);
    }

    @Test
    void excludedBackendsAreSkipped() throws Exception {
        registry.update(report("h@a", Pools.pool("h@a#p").capacity(1000, 1000, 0).at(T0).build()));
        registry.update(report("h@b", Pools.pool("h@b#p").capacity(10, 10, 0).at(T0).build()));
        assertThat(registry.claim(Pools.request(1), scheduler, b -> !b.equals("h@a")).location()).isEqualTo("h@b#p");
    }

    @Test
    void aBurstSpreadsByCapacity() throws Exception {
        registry.update(report("h@a", Pools.pool("h@a#p").thin(1.0).capacity(300, 300, 0).at(T0).build()));
        registry.update(report("h@b", Pools.pool("h@b#p").thin(1.0).capacity(200, 200, 0).at(T0).build()));
        int onA = 0;
        for (int i = 0; i < 200; i++) {
            if (registry.claim(Pools.request(1), scheduler, b -> true).location().equals("h@a#p")) {
                onA++;
            }
        }
        assertThat(onA).isEqualTo(150);
        assertThatThrownBy(() -> registry.claim(Pools.request(151), scheduler, b -> true))
                .isInstanceOf(NoValidBackendException.class)
                .hasMessageContaining("CapacityFilter");
    }
}
