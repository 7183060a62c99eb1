package dev.basalt.driver.rbd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.rbd.PoolUsage;
import org.junit.jupiter.api.Test;

/** Capacity as Cinder's RBD driver computes it (_get_pool_stats). */
class RbdCapacityTest {
    private static final long GIB = 1L << 30;

    @Test
    void withoutQuotaTheTotalIsUsedPlusFreeOrTheClustersSize() {
        PoolUsage usage = new PoolUsage("rbd", 2 * GIB, 6 * GIB, 10 * GIB, 100, 0);

        assertThat(RbdCapacity.of(usage, 100 * GIB, true)).isEqualTo(new RbdCapacity(10.0, 12.0));
        assertThat(RbdCapacity.of(usage, 100 * GIB, false)).isEqualTo(new RbdCapacity(10.0, 100.0));
    }

    @Test
    void withAQuotaTheFreeSpaceIsWhatIsLeftOfItButNoMoreThanThePoolsMaxAvail() {
        assertThat(RbdCapacity.of(new PoolUsage("rbd", 2 * GIB, 6 * GIB, 10 * GIB, 1, 5 * GIB), 100 * GIB, false))
                .isEqualTo(new RbdCapacity(3.0, 5.0));
        assertThat(RbdCapacity.of(new PoolUsage("rbd", 2 * GIB, 6 * GIB, GIB, 1, 50 * GIB), 100 * GIB, false))
                .isEqualTo(new RbdCapacity(1.0, 50.0));
        assertThat(RbdCapacity.of(new PoolUsage("rbd", 7 * GIB, 6 * GIB, GIB, 1, 5 * GIB), 100 * GIB, true))
                .as("over the quota: nothing free").isEqualTo(new RbdCapacity(0.0, 7.0));
    }

    @Test
    void figuresAreRoundedToTwoDecimals() {
        assertThat(RbdCapacity.of(new PoolUsage("rbd", GIB / 3, 0, GIB / 7, 1, 0), 0, true))
                .isEqualTo(new RbdCapacity(0.14, 0.48));
    }
}
