package dev.basalt.driver.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StripedLocksTest {

    @Test
    void locksEveryKeyUntilClosed() {
        StripedLocks locks = new StripedLocks(256);

        try (StripedLocks.Held held = locks.lock("volume-a", "snapshot-b")) {
            assertThat(locks.isHeld("volume-a")).isTrue();
            assertThat(locks.isHeld("snapshot-b")).isTrue();
        }

        assertThat(locks.isHeld("volume-a")).isFalse();
        assertThat(locks.isHeld("snapshot-b")).isFalse();
    }

    @Test
    void keysOnTheSameStripeAreLockedOnce() {
        StripedLocks locks = new StripedLocks(1);

        try (StripedLocks.Held held = locks.lock("a", "b", "a")) {
            assertThat(locks.isHeld("a")).isTrue();
        }

        assertThat(locks.isHeld("a")).isFalse();
    }

    /** Without a fixed order, two threads taking a, b and b, a would soon wait on each other forever. */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void keysLockedInOppositeOrdersNeverDeadlock() throws Exception {
        StripedLocks locks = new StripedLocks(64);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                boolean reversed = t % 2 == 1;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        String first = "volume-" + (i % 7);
                        String second = "snapshot-" + (i % 5);
                        try (StripedLocks.Held held = reversed ? locks.lock(second, first) : locks.lock(first, second)) {
                            Thread.onSpinWait();
                        }
                    }
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
