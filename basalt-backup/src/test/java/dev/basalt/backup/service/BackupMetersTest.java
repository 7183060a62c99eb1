package dev.basalt.backup.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.backup.service.BackupMeters.Operation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class BackupMetersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BackupMeters meters = new BackupMeters(registry, "node1");

    private double ratio(String backupId, Operation operation) {
        return registry.get("basalt.backup.progress.ratio")
                .tags("host", "node1", "backup", backupId, "operation", operation.tag).gauge().value();
    }

    @Test
    void aRunningOperationHasAProgressGaugeUntilItEnds() {
        meters.progress(Operation.CREATE_BACKUP, "b1", 0.25);
        meters.progress(Operation.RESTORE_BACKUP, "b2", 0.5);
        assertThat(ratio("b1", Operation.CREATE_BACKUP)).isEqualTo(0.25);

        meters.progress(Operation.CREATE_BACKUP, "b1", 0.75);
        assertThat(ratio("b1", Operation.CREATE_BACKUP)).isEqualTo(0.75);

        meters.progressEnded("b1");
        assertThat(registry.find("basalt.backup.progress.ratio").gauges()).singleElement()
                .satisfies(g -> assertThat(g.getId().getTag("backup")).isEqualTo("b2"));
        meters.progressEnded("b2");
        meters.progressEnded("never-ran");
        assertThat(registry.find("basalt.backup.progress.ratio").gauges()).isEmpty();
    }
}
