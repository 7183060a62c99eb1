package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The queries the REST API needs beyond plain CRUD: default types, summaries, time filters. */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class ApiQueriesTest {
    private final TestDatabase database;
    private Database db;
    private VolumeRepository volumes;
    private VolumeTypeRepository types;
    private DefaultTypeRepository defaults;

    ApiQueriesTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open(4);
        volumes = new VolumeRepository(db);
        types = new VolumeTypeRepository(db);
        defaults = new DefaultTypeRepository(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Volume volume(String project, int size, Instant created, Map<String, String> metadata) {
        return new Volume(Ids.newId(), project, "u", "v", null, size, VolumeStatus.CREATING,
                AttachStatus.DETACHED, "nova", null, null, false, false, null, null, null, null,
                metadata, created, null, null);
    }

    @Test
    void setsReplacesAndUnsetsProjectDefaults() {
        VolumeType gold = types.create("gold", null, true, Map.of());
        VolumeType silver = types.create("silver", null, true, Map.of());
        assertThat(defaults.find("p1")).isEmpty();
        assertThat(defaults.set("p1", gold.id()).volumeTypeId()).isEqualTo(gold.id());
        assertThat(defaults.set("p1", silver.id()).volumeTypeId()).isEqualTo(silver.id());
        defaults.set("p2", silver.id());
        assertThat(defaults.list()).extracting(ProjectDefaultType::projectId).containsExactly("p1", "p2");
        assertThat(defaults.projectsUsing(silver.id())).containsExactly("p1", "p2");
        assertThat(defaults.unset("p1")).isTrue();
        assertThat(defaults.unset("p1")).isFalse();
        assertThat(defaults.find("p1")).isEmpty();
    }

    @Test
    void defaultTypeOfAProjectIsItsOwnElseTheConfiguredOneInOneQuery() {
        VolumeType gold = types.create("gold", null, true, Map.of("k", "v"));
        VolumeType silver = types.create("silver", null, true, Map.of());
        assertThat(types.defaultFor("p1", "silver")).get().extracting(VolumeType::id).isEqualTo(silver.id());
        assertThat(types.defaultFor("p1", "missing")).isEmpty();
        defaults.set("p1", gold.id());
        assertThat(types.defaultFor("p1", "silver")).get().satisfies(t -> {
            assertThat(t.id()).isEqualTo(gold.id());
            assertThat(t.extraSpecs()).containsExactly(Map.entry("k", "v"));
        });
        assertThat(types.defaultFor("p1", "missing")).get().extracting(VolumeType::id).isEqualTo(gold.id());
        assertThat(types.defaultFor("p2", "silver")).get().extracting(VolumeType::id).isEqualTo(silver.id());
    }

    @Test
    void readsProjectAndClassLimitsTogether() {
        QuotaRepository quotas = new QuotaRepository(db);
        quotas.setProjectLimits("p1", Map.of("volumes", 5, "gigabytes", 50));
        quotas.setClassLimits(QuotaRepository.DEFAULT_CLASS, Map.of("volumes", 7));
        QuotaRepository.ProjectAndClassLimits both = quotas.projectAndClassLimits("p1", QuotaRepository.DEFAULT_CLASS);
        assertThat(both.project()).containsExactlyInAnyOrderEntriesOf(Map.of("volumes", 5, "gigabytes", 50));
        assertThat(both.quotaClass()).containsExactlyEntriesOf(Map.of("volumes", 7));
        assertThat(quotas.projectAndClassLimits("p2", null).quotaClass()).isEmpty();
    }

    @Test
    void messagesOfEveryProjectWhenNoneIsGiven() {
        MessageRepository messages = new MessageRepository(db);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (String project : List.of("p1", "p2")) {
            messages.create(new dev.basalt.model.UserMessage(Ids.newId(), project, "req-1", "VOLUME", Ids.newId(),
                    "VOLUME_VOLUME_001_003", "ERROR", "001", "003", null, now, now.plusSeconds(60)));
        }
        List<dev.basalt.model.UserMessage> all = messages.list(null);
        assertThat(all).hasSize(2);
        assertThat(messages.list("p1")).hasSize(1);
        String p2 = all.stream().filter(m -> m.projectId().equals("p2")).findFirst().orElseThrow().id();
        assertThat(messages.find(p2, null)).isPresent();
        assertThat(messages.find(p2, "p1")).isEmpty();
        assertThat(messages.delete(p2, "p1")).isFalse();
        assertThat(messages.delete(p2, null)).isTrue();
    }

    @Test
    void summarisesPerProject() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        volumes.create(volume("p1", 2, now, Map.of("k", "a")));
        volumes.create(volume("p1", 3, now, Map.of("k", "b", "j", "a")));
        volumes.create(volume("p2", 5, now, Map.of("k", "c")));
        VolumeSummary p1 = volumes.summary("p1");
        assertThat(p1.count()).isEqualTo(2);
        assertThat(p1.totalSize()).isEqualTo(5);
        assertThat(p1.metadata()).containsEntry("k", List.of("a", "b")).containsEntry("j", List.of("a"));
        assertThat(volumes.summary(null).count()).isEqualTo(3);
        assertThat(volumes.summary("none").totalSize()).isZero();
    }

    @Test
    void deletesOnlyUnplacedVolumes() {
        Volume placed = volume("p1", 1, Instant.now(), Map.of("k", "v"));
        Volume unplaced = volume("p1", 1, Instant.now(), Map.of("k", "v"));
        volumes.create(placed);
        volumes.create(unplaced);
        volumes.place(placed.id(), "h@b#p", null);
        assertThat(volumes.deleteIfUnplaced(placed.id())).isFalse();
        assertThat(volumes.deleteIfUnplaced(unplaced.id())).isTrue();
        assertThat(volumes.find(unplaced.id())).isEmpty();
        assertThat(volumes.find(placed.id())).isPresent();
    }

    @Test
    void filtersByTimeAndSkipsWithOffset() {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 5; i++) {
            volumes.create(volume("p1", i + 1, base.plusSeconds(i * 60L), Map.of()));
        }
        Page<Volume> after = volumes.list(new VolumeQuery("p1", null, null, null, List.of(Sort.asc("created_at")),
                null, null, true, List.of(new TimeFilter("created_at", TimeFilter.Comparison.GT, base.plusSeconds(60))),
                null, null));
        assertThat(after.items()).extracting(Volume::size).containsExactly(3, 4, 5);
        assertThat(after.total()).isEqualTo(3);
        Page<Volume> skipped = volumes.list(new VolumeQuery("p1", Map.of("multiattach", "false"), null, null,
                List.of(Sort.asc("size")), 2, null, false, null, 1, null));
        assertThat(skipped.items()).extracting(Volume::size).containsExactly(2, 3);
    }
}
