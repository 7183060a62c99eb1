package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(TestDatabase.class)
class VolumeProgressTest {
    private final TestDatabase database;
    private Database db;
    private VolumeRepository volumes;
    private VolumeProgress progress;

    VolumeProgressTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open(4);
        volumes = new VolumeRepository(db);
        progress = new VolumeProgress(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Volume volume() {
        Volume v = new Volume(Ids.newId(), "p1", "u", "v", null, 1, VolumeStatus.CREATING, AttachStatus.DETACHED,
                "nova", null, null, false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
        volumes.create(v);
        return v;
    }

    @Test
    void aReportIsReadBackClampedUntilItIsClearedAndLeavesTheVolumeAsItWas() {
        Volume a = volume();
        Volume b = volume();
        assertThat(progress.of(List.of(a.id(), b.id()))).isEmpty();
        progress.report(a.id(), 42);
        progress.report(b.id(), 140);
        assertThat(progress.of(List.of(a.id(), b.id(), Ids.newId()))).isEqualTo(Map.of(a.id(), 42, b.id(), 100));
        assertThat(volumes.find(a.id()).orElseThrow().updatedAt()).isEqualTo(a.updatedAt());
        progress.clear(a.id());
        assertThat(progress.of(List.of(a.id(), b.id()))).isEqualTo(Map.of(b.id(), 100));
        progress.report(Ids.newId(), 5);
        assertThat(progress.of(List.of())).isEmpty();
    }
}
