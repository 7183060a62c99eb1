package dev.basalt.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PoolReportTest {

    @Test
    void capabilitiesAreCopiedKeptInOrderAndUnmodifiable() {
        Map<String, Object> capabilities = new LinkedHashMap<>();
        capabilities.put("z", 1);
        capabilities.put("a", true);
        PoolReport report = new PoolReport("pool", 10, 5, 2, true, capabilities);
        capabilities.put("later", "x");

        assertThat(report.capabilities()).containsExactly(Map.entry("z", 1), Map.entry("a", true));
        assertThatThrownBy(() -> report.capabilities().put("b", 2)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void unboundedTotalIsAllowed() {
        assertThat(new PoolReport("pool", Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 0, true, Map.of())
                .totalCapacityGb()).isInfinite();
    }

    @Test
    void negativeOrUnknownCapacityIsRefused() {
        assertThatThrownBy(() -> new PoolReport("pool", -1, 0, 0, true, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("totalCapacityGb");
        assertThatThrownBy(() -> new PoolReport("pool", 1, Double.NaN, 0, true, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("freeCapacityGb");
    }

    @Test
    void blankPoolAndNullCapabilityValuesAreRefused() {
        assertThatThrownBy(() -> new PoolReport(" ", 1, 1, 0, true, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("vendor_name", null);
        assertThatThrownBy(() -> new PoolReport("pool", 1, 1, 0, true, withNull))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("vendor_name");
    }
}
