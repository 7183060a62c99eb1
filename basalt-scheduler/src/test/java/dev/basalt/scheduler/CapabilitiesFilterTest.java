package dev.basalt.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CapabilitiesFilterTest {
    private static final Pools POOL = Pools.pool("node1@fast#ssd").backendName("fast").thin(20)
            .capabilities(Map.of(
                    "compression", true,
                    "storage_protocol", List.of("iSCSI", "iser"),
                    "vendor_name", "Basalt",
                    "max_iops", 50000,
                    "qos", Map.of("tier", "gold")));

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no extra specs", Map.of(), true),
                Arguments.of("backend name matches", Map.of("volume_backend_name", "fast"), true),
                Arguments.of("backend name differs", Map.of("volume_backend_name", "slow"), false),
                Arguments.of("capabilities scope", Map.of("capabilities:compression", "<is> True"), true),
                Arguments.of("unscoped capability", Map.of("compression", "<is> False"), false),
                Arguments.of("missing capability", Map.of("capabilities:dedup", "<is> True"), false),
                Arguments.of("list capability", Map.of("storage_protocol", "iSCSI"), true),
                Arguments.of("numeric capability", Map.of("capabilities:max_iops", ">= 40000"), true),
                Arguments.of("numeric capability too low", Map.of("capabilities:max_iops", ">= 60000"), false),
                Arguments.of("nested scope", Map.of("capabilities:qos:tier", "<or> silver <or> gold"), true),
                Arguments.of("nested into a scalar", Map.of("capabilities:vendor_name:x", "y"), false),
                Arguments.of("empty capability name", Map.of("capabilities:", "x"), false),
                Arguments.of("standard figure", Map.of("thin_provisioning_support", "<is> True"), true),
                Arguments.of("standard figure, pool name", Map.of("pool_name", "ssd"), true),
                Arguments.of("other scopes are ignored", Map.of("provisioning:type", "thick",
                        "RESKEY:availability_zones", "az9", "vendorX:feature", "on"), true),
                Arguments.of("all must hold", Map.of("volume_backend_name", "fast",
                        "capabilities:compression", "<is> False"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesExtraSpecs(String name, Map<String, String> extraSpecs, boolean passes) {
        assertThat(new CapabilitiesFilter().passes(POOL.build(), Pools.request(1, extraSpecs))).isEqualTo(passes);
    }
}
