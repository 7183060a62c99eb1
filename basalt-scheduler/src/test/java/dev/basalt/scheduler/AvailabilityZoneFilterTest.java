package dev.basalt.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AvailabilityZoneFilterTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no zone asked", RequestSpec.forVolume("v", 1, null, Map.of()), "az1", true),
                Arguments.of("same zone", RequestSpec.forVolume("v", 1, "az1", Map.of()), "az1", true),
                Arguments.of("other zone", RequestSpec.forVolume("v", 1, "az2", Map.of()), "az1", false),
                Arguments.of("type's zones allow it", RequestSpec.forVolume("v", 1, null,
                        Map.of(RequestSpec.TYPE_AVAILABILITY_ZONES, "az2, az1")), "az1", true),
                Arguments.of("type's zones exclude it", RequestSpec.forVolume("v", 1, null,
                        Map.of(RequestSpec.TYPE_AVAILABILITY_ZONES, "az2,az3")), "az1", false),
                Arguments.of("volume's own zone wins over the type's", RequestSpec.forVolume("v", 1, "az3",
                        Map.of(RequestSpec.TYPE_AVAILABILITY_ZONES, "az1")), "az1", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void filtersByZone(String name, RequestSpec request, String poolZone, boolean passes) {
        assertThat(new AvailabilityZoneFilter().passes(Pools.pool("h@b#p").zone(poolZone).build(), request))
                .isEqualTo(passes);
    }
}
