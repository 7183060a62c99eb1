package dev.basalt.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CapacityFilterTest {
    private final CapacityFilter filter = new CapacityFilter();

    static Stream<Arguments> cases() {
        Pools thick = Pools.pool("h@b#p");
        Pools thin2 = Pools.pool("h@b#p").thin(2.0);
        return Stream.of(
                // thick pools: the smaller of reported free and unreserved unprovisioned space
                Arguments.of("thick, room to spare", thick.capacity(100, 100, 0), Pools.request(10), true),
                Arguments.of("thick, exact fit", thick.capacity(100, 10, 90), Pools.request(10), true),
                Arguments.of("thick, one GiB short", thick.capacity(100, 10, 90), Pools.request(11), false),
                Arguments.of("thick, reported free below calculated", thick.capacity(100, 5, 0), Pools.request(6), false),
                Arguments.of("thick, provisioned beyond total", thick.capacity(100, 60, 120), Pools.request(1), false),
                Arguments.of("never fits: larger than the pool", thick.capacity(100, 100, 0), Pools.request(101), false),
                // reserved percentage: floor(total x reserved) is kept back
                Arguments.of("reserved 10%, fits", thick.capacity(100, 100, 0).reserved(10), Pools.request(90), true),
                Arguments.of("reserved 10%, into the reserve", thick.capacity(100, 100, 0).reserved(10), Pools.request(91), false),
                Arguments.of("reserved rounds down", thick.capacity(15, 15, 0).reserved(10), Pools.request(14), true),
                Arguments.of("reserved rounds down, still bounded", thick.capacity(15, 15, 0).reserved(10), Pools.request(15), false),
                Arguments.of("reserved 100%", thick.capacity(100, 100, 0).reserved(100), Pools.request(1), false),
                // thin pools: over-subscription of the unreserved total
                Arguments.of("thin 2x, over-subscribed but room", thin2.capacity(100, 100, 150), Pools.request(50), true),
                Arguments.of("thin 2x, one GiB past the ratio", thin2.capacity(100, 100, 150), Pools.request(51), false),
                Arguments.of("thin 2x, free space does not matter", thin2.capacity(100, 1, 100), Pools.request(50), true),
                Arguments.of("thin 1x, exact total", Pools.pool("h@b#p").thin(1.0).capacity(100, 100, 0), Pools.request(100), true),
                Arguments.of("thin 1x, never fits", Pools.pool("h@b#p").thin(1.0).capacity(100, 100, 0), Pools.request(101), false),
                Arguments.of("thin ratio below 1 is invalid", Pools.pool("h@b#p").thin(0.5).capacity(100, 100, 0), Pools.request(1), false),
                Arguments.of("thin with reserve", Pools.pool("h@b#p").thin(1.5).capacity(100, 100, 100).reserved(20), Pools.request(20), true),
                Arguments.of("thin with reserve, one past", Pools.pool("h@b#p").thin(1.5).capacity(100, 100, 100).reserved(20), Pools.request(21), false),
                Arguments.of("thin, all reserved", thin2.capacity(100, 100, 0).reserved(100), Pools.request(1), false),
                // a thick type on a thin pool uses free space, not the ratio
                Arguments.of("thick type on thin pool, fits free", thin2.capacity(100, 30, 0), Pools.thickRequest(30), true),
                Arguments.of("thick type on thin pool, past free", thin2.capacity(100, 30, 0), Pools.thickRequest(31), false),
                Arguments.of("thick type on over-subscribed pool", thin2.capacity(100, 60, 150), Pools.thickRequest(1), false),
                // sizes the backend cannot tell
                Arguments.of("zero size always fits", thick.capacity(0, 0, 0), Pools.request(0), true),
                Arguments.of("total zero", thick.capacity(0, 0, 0), Pools.request(1), false),
                Arguments.of("infinite free", thick.capacity(100, Double.POSITIVE_INFINITY, 0), Pools.request(1000), true),
                Arguments.of("unknown free", thick.capacity(100, Double.NaN, 0), Pools.request(1000), true),
                Arguments.of("infinite total, nothing reserved", thick.capacity(Double.POSITIVE_INFINITY, 10, 0), Pools.request(1000), true),
                Arguments.of("unknown total, some reserved", thick.capacity(Double.NaN, 10, 0).reserved(5), Pools.request(1), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesLikeCinder(String name, Pools pool, RequestSpec request, boolean passes) {
        assertThat(filter.passes(pool.build(), request)).isEqualTo(passes);
    }
}
