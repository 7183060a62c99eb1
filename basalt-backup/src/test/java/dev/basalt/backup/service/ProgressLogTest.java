package dev.basalt.backup.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.backup.service.BackupMeters.Operation;
import dev.basalt.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressLogTest {
    @Test
    void saysEachTenthOnceWithTheBackupThePercentAndTheRate() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        ProgressLog log = new ProgressLog("b1", Operation.CREATE_BACKUP, clock);
        long total = 1_000_000_000L;

        assertThat(log.next(50_000_000L, total)).isNull();
        clock.advance(Duration.ofSeconds(2));
        assertThat(log.next(120_000_000L, total)).isEqualTo("backup b1: create_backup 12% done (60.0 MB/s)");
        assertThat(log.next(150_000_000L, total)).isNull();
        clock.advance(Duration.ofSeconds(2));
        assertThat(log.next(450_000_000L, total)).isEqualTo("backup b1: create_backup 45% done (112.5 MB/s)");
        assertThat(log.next(total, total)).startsWith("backup b1: create_backup 100% done");
        assertThat(log.next(total, total)).isNull();
    }

    @Test
    void anEmptyVolumeIsDoneAtOnce() {
        ProgressLog log = new ProgressLog("b2", Operation.RESTORE_BACKUP, new MutableClock(Instant.EPOCH));

        assertThat(log.next(0, 0)).startsWith("backup b2: restore_backup 100% done");
    }
}
