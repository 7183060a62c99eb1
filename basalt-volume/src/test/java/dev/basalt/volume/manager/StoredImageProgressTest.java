package dev.basalt.volume.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.Ids;
import dev.basalt.db.Database;
import dev.basalt.db.JdbcTarget;
import dev.basalt.db.VolumeProgress;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredImageProgressTest {

    @Test
    void aReportIsStoredOncePerIntervalUnlessItReachesAHundredAndTheEndRemovesIt() {
        try (Database db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 2)) {
            String id = Ids.newId();
            new VolumeRepository(db).create(new Volume(id, "p", "u", "v", null, 1, VolumeStatus.CREATING,
                    AttachStatus.DETACHED, "nova", null, null, false, false, null, null, null, null, Map.of(),
                    Instant.now(), null, null));
            VolumeProgress store = new VolumeProgress(db);
            MutableClock clock = new MutableClock(Instant.parse("2026-12-08T00:00:00Z"));
            StoredImageProgress progress = new StoredImageProgress(store, clock, Duration.ofSeconds(1));

            progress.report(id, 0);
            assertThat(store.of(List.of(id))).isEqualTo(Map.of(id, 0));
            progress.report(id, 12.7);
            assertThat(store.of(List.of(id))).as("within the interval").isEqualTo(Map.of(id, 0));
            clock.advance(Duration.ofSeconds(1));
            progress.report(id, 12.7);
            assertThat(store.of(List.of(id))).isEqualTo(Map.of(id, 12));
            clock.advance(Duration.ofSeconds(5));
            progress.report(id, 11);
            assertThat(store.of(List.of(id))).as("never backwards").isEqualTo(Map.of(id, 12));
            progress.report(id, 100);
            assertThat(store.of(List.of(id))).as("a hundred at once").isEqualTo(Map.of(id, 100));
            progress.end(id);
            assertThat(store.of(List.of(id))).isEmpty();
            progress.report(id, 3);
            assertThat(store.of(List.of(id))).as("a new piece of work starts over").isEqualTo(Map.of(id, 3));
        }
    }
}
