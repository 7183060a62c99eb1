package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(TestDatabase.class)
class VolumeRepositoryTest {
    private final TestDatabase database;
    private Database db;
    private VolumeRepository volumes;

    VolumeRepositoryTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open(4);
        volumes = new VolumeRepository(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Volume volume(String project, String name, int size, Instant created) {
        return new Volume(Ids.newId(), project, "u", name, null, size, VolumeStatus.CREATING,
                AttachStatus.DETACHED, "nova", null, null, false, false, null, null, null, null,
                Map.of("k", name), created, null, null);
    }

    @Test
    void createsFindsAndTransitionsConditionally() {
        Volume v = volume("p1", "a", 1, Instant.now().truncatedTo(ChronoUnit.MICROS));
        volumes.create(v);
        assertThat(volumes.find(v.id(), "p1")).get().satisfies(found -> {
            assertThat(found.metadata()).containsEntry("k", "a");
            assertThat(found.createdAt()).isEqualTo(v.createdAt());
        });
        assertThat(volumes.find(v.id(), "p2")).isEmpty();
        assertThat(volumes.place(v.id(), "h@file#file", null)).isTrue();
        assertThat(volumes.place(v.id(), "h@other#x", null)).isFalse();
        assertThat(volumes.markAvailable(v.id())).isTrue();
        assertThat(volumes.markAvailable(v.id())).isFalse();
        assertThat(volumes.transition(v.id(), Set.of(VolumeStatus.AVAILABLE), VolumeStatus.DELETING)).isTrue();
        assertThat(volumes.findOnBackend("h@file", VolumeStatus.DELETING)).extracting(Volume::id).containsExactly(v.id());
        assertThat(volumes.delete(v.id())).isTrue();
        assertThat(volumes.find(v.id())).isEmpty();
    }

    @Test
    void anUploadStartsOnceFromAnExpectedStatusAndEndsByTheAttachStatus() throws Exception {
        Volume v = volume("p1", "up", 1, Instant.now());
        volumes.create(v);
        volumes.markAvailable(v.id());
        WorkerRepository workers = new WorkerRepository(db);
        assertThat(volumes.beginUpload(v.id(), Set.of(VolumeStatus.IN_USE))).isFalse();
        List<Boolean> won = Races.race(4, () -> volumes.beginUpload(v.id(), Set.of(VolumeStatus.AVAILABLE)));
        assertThat(won).containsOnlyOnce(true);
        assertThat(volumes.find(v.id()).orElseThrow().status()).isEqualTo(VolumeStatus.UPLOADING);
        assertThat(workers.find(CleanableResource.VOLUME, v.id())).get()
                .extracting(dev.basalt.model.Worker::status).isEqualTo("uploading");
        assertThat(volumes.endUpload(v.id())).isTrue();
        assertThat(volumes.endUpload(v.id())).isFalse();
        assertThat(volumes.find(v.id()).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(workers.find(CleanableResource.VOLUME, v.id())).isEmpty();

        volumes.resetStatus(v.id(), VolumeStatus.IN_USE, AttachStatus.ATTACHED);
        assertThat(volumes.beginUpload(v.id(), Set.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE))).isTrue();
        assertThat(volumes.endUpload(v.id())).isTrue();
        assertThat(volumes.find(v.id()).orElseThrow().status()).isEqualTo(VolumeStatus.IN_USE);
    }

    @Test
    void paginatesWithMarkerAcrossSortKeys() {
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        List<Volume> made = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Volume v = volume("p1", "v" + (i % 5), 1 + i % 3, base.plusSeconds(i / 2));
            volumes.create(v);
            made.add(v);
        }
        volumes.create(volume("p2", "other", 1, base));
        List<String> seen = new ArrayList<>();
        String marker = null;
        do {
            Page<Volume> page = volumes.list(new VolumeQuery("p1", null, null, null,
                    List.of(Sort.asc("name"), Sort.desc("size")), 4, marker, true));
            assertThat(page.total()).isEqualTo(25);
            page.items().forEach(v -> seen.add(v.id()));
            marker = page.items().size() == 4 ? page.items().get(3).id() : null;
        } while (marker != null);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(made.stream().map(Volume::id).toList());
        Page<Volume> all = volumes.list(VolumeQuery.allOf("p1"));
        assertThat(all.items()).extracting(Volume::createdAt).isSortedAccordingTo((a, b) -> b.compareTo(a));
    }

    @Test
    void filtersByFieldLikeAndMetadata() {
        Instant now = Instant.now();
        volumes.create(volume("p1", "alpha", 1, now));
        volumes.create(volume("p1", "beta", 2, now));
        assertThat(volumes.list(new VolumeQuery("p1", Map.of("name", "alpha"), null, null, null, null, null, false))
                .items()).extracting(Volume::name).containsExactly("alpha");
        assertThat(volumes.list(new VolumeQuery("p1", null, Map.of("name", "et"), null, null, null, null, false))
                .items()).extracting(Volume::name).containsExactly("beta");
        assertThat(volumes.list(new VolumeQuery("p1", null, null, Map.of("k", "beta"), null, null, null, false))
                .items()).extracting(Volume::name).containsExactly("beta");
        assertThat(volumes.list(new VolumeQuery(null, Map.of("size", "2"), null, null, null, null, null, false))
                .items()).extracting(Volume::name).containsExactly("beta");
        Map<String, String> withoutHost = new java.util.HashMap<>();
        withoutHost.put("host", null);
        assertThat(volumes.list(new VolumeQuery("p1", withoutHost, null, null, null, null, null, false)).items())
                .as("a null value matches a NULL column").hasSize(2);
        Map<String, String> withoutStatus = new java.util.HashMap<>();
        withoutStatus.put("status", null);
        assertThat(volumes.list(new VolumeQuery("p1", withoutStatus, null, null, null, null, null, false)).items())
                .isEmpty();
        assertThatThrownBy(() -> volumes.list(new VolumeQuery("p1", Map.of("nope", "x"), null, null, null, null, null, false)))
                .isInstanceOf(BasaltException.class).hasMessageContaining("nope");
        assertThatThrownBy(() -> volumes.list(new VolumeQuery("p1", null, null, null, null, 1, Ids.newId(), false)))
                .isInstanceOf(BasaltException.class).hasMessageContaining("Volume").hasMessageContaining("could not be found");
    }

    @Test
    void metadataMergesReplacesAndDeletes() {
        Volume v = volume("p1", "m", 1, Instant.now());
        volumes.create(v);
        assertThat(volumes.mergeMetadata(v.id(), Map.of("a", "1", "k", "2"))).isTrue();
        assertThat(volumes.metadata(v.id())).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "k", "2"));
        assertThat(volumes.replaceMetadata(v.id(), Map.of("z", "9"))).isTrue();
        assertThat(volumes.metadata(v.id())).containsExactlyEntriesOf(Map.of("z", "9"));
        assertThat(volumes.deleteMetadataKey(v.id(), "z")).isTrue();
        assertThat(volumes.deleteMetadataKey(v.id(), "z")).isFalse();
        assertThat(volumes.mergeMetadata(Ids.newId(), Map.of("a", "1"))).isFalse();
    }

    @Test
    void typesAndServices() {
        VolumeTypeRepository types = new VolumeTypeRepository(db);
        var t = types.create("gold", "fast", true, Map.of("volume_backend_name", "file"));
        assertThatThrownBy(() -> types.create("gold", null, true, Map.of())).isInstanceOf(BasaltException.class)
                .hasMessageContaining("already exists");
        assertThat(types.findByIdOrName("gold")).map(x -> x.extraSpecs()).contains(Map.of("volume_backend_name", "file"));
        assertThat(types.setExtraSpecs(t.id(), Map.of("a", "b"))).isTrue();
        assertThat(types.list(null)).singleElement().satisfies(x -> assertThat(x.extraSpecs()).hasSize(2));
        assertThat(types.ensure("__DEFAULT__", "Default Volume Type").name()).isEqualTo("__DEFAULT__");
        assertThat(types.delete(t.id())).isTrue();
        ServiceRepository services = new ServiceRepository(db);
        var s = services.register("h@file", "cinder-volume", "volume", "nova");
        assertThat(services.register("h@file", "cinder-volume", "volume", "nova").uuid()).isEqualTo(s.uuid());
        services.heartbeat(s.uuid());
        assertThat(services.list(null, "cinder-volume")).singleElement()
                .satisfies(x -> assertThat(x.reportCount()).isEqualTo(1));
    }
}
