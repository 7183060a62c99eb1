package dev.basalt.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.model.PoolCapacity;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeigherTest {
    private static PoolCapacity thick(String location, double total, double free, double provisioned) {
        return Pools.pool(location).capacity(total, free, provisioned).build();
    }

    private static List<String> order(FilterScheduler scheduler, RequestSpec request, PoolCapacity... pools) {
        return scheduler.rank(List.of(pools), request).ranked().stream().map(w -> w.pool().location()).toList();
    }

    @Test
    void capacityWeigherScoresVirtualFreeCapacity() {
        CapacityWeigher weigher = new CapacityWeigher(1.0);
        PoolCapacity thin = Pools.pool("h@b#thin").thin(2.0).capacity(100, 80, 150).reserved(10).build();
        // thin: (100 - 10) x 2 - 150
        assertThat(weigher.weigh(thin, Pools.request(1))).isEqualTo(30.0);
        // a thick type there: min(free, 90 - 150)
        assertThat(weigher.weigh(thin, Pools.thickRequest(1))).isEqualTo(-60.0);
        // a thick pool: min(free, total - reserved - provisioned)
        assertThat(weigher.weigh(thick("h@b#thick", 100, 40, 50), Pools.request(1))).isEqualTo(40.0);
    }

    @Test
    void spreadsToTheEmptiestPoolByDefaultAndStacksWithANegativeMultiplier() {
        PoolCapacity big = thick("h@a#p", 1000, 900, 100);
        PoolCapacity small = thick("h@b#p", 100, 50, 50);
        FilterScheduler spread = new FilterScheduler(List.of(), List.of(new CapacityWeigher(1.0)));
        FilterScheduler stack = new FilterScheduler(List.of(), List.of(new CapacityWeigher(-1.0)));
        assertThat(order(spread, Pools.request(1), small, big)).containsExactly("h@a#p", "h@b#p");
        assertThat(order(stack, Pools.request(1), small, big)).containsExactly("h@b#p", "h@a#p");
    }

    @Test
    void allocatedCapacityWeigherFavoursTheLeastAllocatedByDefault() {
        PoolCapacity busy = thick("h@a#p", 1000, 500, 500);
        PoolCapacity idle = thick("h@b#p", 100, 90, 10);
        FilterScheduler least = new FilterScheduler(List.of(), List.of(new AllocatedCapacityWeigher(-1.0)));
        FilterScheduler most = new FilterScheduler(List.of(), List.of(new AllocatedCapacityWeigher(1.0)));
        assertThat(order(least, Pools.request(1), busy, idle)).containsExactly("h@b#p", "h@a#p");
        assertThat(order(most, Pools.request(1), busy, idle)).containsExactly("h@a#p", "h@b#p");
    }

    @Test
    void weightsAreNormalisedBeforeTheMultipliersApply() {
        // Free capacity favours a (1.0 x 1), allocated favours b (-1.0 x 0 for b, -1.0 x 1 for a): a tie at 0,
        // broken by location; doubling the allocated multiplier makes b win.
        PoolCapacity a = thick("h@a#p", 1000, 900, 100);
        PoolCapacity b = thick("h@b#p", 100, 90, 10);
        FilterScheduler even = new FilterScheduler(List.of(),
                List.of(new CapacityWeigher(1.0), new AllocatedCapacityWeigher(-1.0)));
        FilterScheduler allocatedCountsMore = new FilterScheduler(List.of(),
                List.of(new CapacityWeigher(1.0), new AllocatedCapacityWeigher(-2.0)));
        assertThat(even.rank(List.of(a, b), Pools.request(1)).ranked())
                .extracting(FilterScheduler.WeighedPool::weight).containsExactly(0.0, 0.0);
        assertThat(order(allocatedCountsMore, Pools.request(1), a, b)).containsExactly("h@b#p", "h@a#p");
    }

    @Test
    void poolsOfUnknownSizeComeLast() {
        PoolCapacity unknown = thick("h@a#p", Double.POSITIVE_INFINITY, Double.NaN, 0);
        PoolCapacity known = thick("h@b#p", 100, 10, 90);
        assertThat(order(new FilterScheduler(List.of(), List.of(new CapacityWeigher(1.0))), Pools.request(1),
                unknown, known)).containsExactly("h@b#p", "h@a#p");
        assertThat(order(new FilterScheduler(List.of(), List.of(new CapacityWeigher(-1.0))), Pools.request(1),
                unknown, known)).containsExactly("h@b#p", "h@a#p");
        double[] scores = new CapacityWeigher(-1.0).weighAll(List.of(unknown, known), Pools.request(1));
        assertThat(scores).containsExactly(10_010.0, 10.0);
    }

    @Test
    void normalisationMapsToZeroOneAndEqualScoresToZero() {
        assertThat(FilterScheduler.normalise(new double[] {10, 20, 15})).containsExactly(0.0, 1.0, 0.5);
        assertThat(FilterScheduler.normalise(new double[] {7, 7})).containsExactly(0.0, 0.0);
    }

    @Test
    void aRankingSaysWhichFilterLeftNoPool() {
        FilterScheduler scheduler = SchedulerPlugins.filterScheduler(SchedulerSettings.defaults("s"));
        FilterScheduler.Ranking ranking = scheduler.rank(List.of(thick("h@a#p", 10, 10, 0)), Pools.request(11));
        assertThat(ranking.isEmpty()).isTrue();
        assertThat(ranking.whyEmpty()).isEqualTo("No pool passed the CapacityFilter (1 pool considered).");
        assertThat(scheduler.rank(List.of(), Pools.request(1)).whyEmpty())
                .isEqualTo("No backend has reported its capacity recently.");
    }
}
