package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
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
class SnapshotRepositoryTest {
    private static final Set<VolumeStatus> AVAILABLE = Set.of(VolumeStatus.AVAILABLE);

    private final TestDatabase database;
    private Database db;
    private VolumeRepository volumes;
    private SnapshotRepository snapshots;

    SnapshotRepositoryTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open(4);
        volumes = new VolumeRepository(db);
        snapshots = new SnapshotRepository(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Volume volume(String project, VolumeStatus status, String host, String az) {
        Volume v = new Volume(Ids.newId(), project, "u", "vol", null, 3, status, AttachStatus.DETACHED, az, host,
                null, false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
        volumes.create(v);
        return v;
    }

    private Snapshot snapshot(Volume v, String name, Instant created, Map<String, String> metadata) {
        return new Snapshot(Ids.newId(), v.id(), v.projectId(), "u", name, null, SnapshotStatus.CREATING, "0%",
                v.size(), "type-1", null, metadata, created.truncatedTo(ChronoUnit.MICROS), null);
    }

    @Test
    void createsOnlyWhileTheVolumeHasAnAllowedStatus() {
        Volume available = volume("p1", VolumeStatus.AVAILABLE, "h@file#file", "nova");
        Snapshot s = snapshot(available, "a", Instant.now(), Map.of("k", "v"));
        assertThat(snapshots.create(s, AVAILABLE)).isEqualTo(SnapshotRepository.CreateOutcome.CREATED);
        assertThat(snapshots.find(s.id(), "p1")).get().satisfies(found -> {
            assertThat(found.metadata()).containsEntry("k", "v");
            assertThat(found.volumeSize()).isEqualTo(3);
            assertThat(found.progress()).isEqualTo("0%");
            assertThat(found.volumeTypeId()).isEqualTo("type-1");
            assertThat(found.createdAt()).isEqualTo(s.createdAt());
        });
        assertThat(snapshots.find(s.id(), "p2")).isEmpty();

        Volume busy = volume("p1", VolumeStatus.EXTENDING, "h@file#file", "nova");
        Snapshot refused = snapshot(busy, "b", Instant.now(), Map.of());
        assertThat(snapshots.create(refused, AVAILABLE)).isEqualTo(SnapshotRepository.CreateOutcome.VOLUME_STATUS);
        assertThat(snapshots.find(refused.id())).isEmpty();
        Snapshot orphan = new Snapshot(Ids.newId(), Ids.newId(), "p1", "u", null, null, SnapshotStatus.CREATING, "0%",
                1, null, null, Map.of(), Instant.now(), null);
        assertThat(snapshots.create(orphan, AVAILABLE)).isEqualTo(SnapshotRepository.CreateOutcome.VOLUME_NOT_FOUND);
    }

    @Test
    void aManagedSnapshotKeepsItsReferenceIsSizedWithinQuotaAndUnmanaged() {
        Volume v = volume("pm", VolumeStatus.AVAILABLE, "h@file#file", "nova");
        Volume elsewhere = volume("pm", VolumeStatus.AVAILABLE, "h@lvm#pool", "nova");
        Snapshot taken = snapshot(v, "taken", Instant.now(), Map.of());
        snapshots.create(taken, AVAILABLE);
        Snapshot managed = snapshot(v, "managed", Instant.now(), Map.of());
        QuotaReservation reserved = QuotaReservation.of("pm", Map.of("snapshots", 1L, "gigabytes", 3L),
                Map.of("snapshots", -1, "gigabytes", 10));
        assertThat(snapshots.createManaged(managed, "volume-x.old", AVAILABLE, reserved))
                .isEqualTo(SnapshotRepository.CreateOutcome.CREATED);
        snapshots.create(snapshot(elsewhere, "other", Instant.now(), Map.of()), AVAILABLE);
        assertThat(snapshots.manageReference(managed.id())).contains("volume-x.old");
        assertThat(snapshots.manageReference(taken.id())).isEmpty();
        assertThat(snapshots.idsOnBackend("h@file")).containsOnly(Map.entry(taken.id(), v.id()),
                Map.entry(managed.id(), v.id()));

        assertThatThrownBy(() -> snapshots.sizeManaged(managed.id(), 20, QuotaReservation.of("pm",
                Map.of("gigabytes", 17L), Map.of("gigabytes", 10)), Map.of())).isInstanceOf(QuotaExceededException.class);
        assertThat(snapshots.find(managed.id()).orElseThrow().volumeSize()).as("nothing changed").isEqualTo(3);
        assertThat(snapshots.sizeManaged(managed.id(), 1, null, Map.of("gigabytes", 2L))).as("smaller").isTrue();
        assertThat(new QuotaRepository(db).usages("pm").get("gigabytes").reserved()).isEqualTo(1);
        assertThat(snapshots.markAvailable(managed.id())).isTrue();
        assertThat(snapshots.sizeManaged(managed.id(), 2, null, Map.of())).as("no longer creating").isFalse();

        assertThat(snapshots.beginUnmanage(managed.id(), Set.of(SnapshotStatus.AVAILABLE)))
                .isEqualTo(SnapshotRepository.DeleteOutcome.STARTED);
        assertThat(snapshots.find(managed.id()).orElseThrow().status()).isEqualTo(SnapshotStatus.UNMANAGING);
        assertThat(snapshots.beginUnmanage(managed.id(), Set.of(SnapshotStatus.AVAILABLE)))
                .isEqualTo(SnapshotRepository.DeleteOutcome.STATUS);
        assertThat(snapshots.delete(managed.id())).isTrue();
        assertThat(new QuotaRepository(db).usages("pm").get("gigabytes").consumed()).isZero();
    }

    @Test
    void transitionsConditionallyAndFindsByBackend() {
        Volume v = volume("p1", VolumeStatus.AVAILABLE, "h@file#file", "nova");
        Volume elsewhere = volume("p1", VolumeStatus.AVAILABLE, "h@lvm#pool", "nova");
        Snapshot s = snapshot(v, "a", Instant.now(), Map.of());
        Snapshot other = snapshot(elsewhere, "b", Instant.now(), Map.of());
        snapshots.create(s, AVAILABLE);
        snapshots.create(other, AVAILABLE);
        assertThat(snapshots.findOnBackend("h@file", SnapshotStatus.CREATING)).extracting(Snapshot::id)
                .containsExactly(s.id());
        assertThat(snapshots.markAvailable(s.id())).isTrue();
        assertThat(snapshots.markAvailable(s.id())).isFalse();
        assertThat(snapshots.find(s.id()).orElseThrow().progress()).isEqualTo("100%");
        assertThat(snapshots.markFailed(s.id(), Set.of(SnapshotStatus.CREATING), SnapshotStatus.ERROR, "x")).isFalse();
        assertThat(snapshots.beginDelete(s.id(), Set.of(SnapshotStatus.AVAILABLE)))
                .isEqualTo(SnapshotRepository.DeleteOutcome.STARTED);
        assertThat(snapshots.beginDelete(s.id(), Set.of(SnapshotStatus.AVAILABLE)))
                .isEqualTo(SnapshotRepository.DeleteOutcome.STATUS);
        assertThat(snapshots.markFailed(s.id(), Set.of(SnapshotStatus.DELETING), SnapshotStatus.ERROR_DELETING,
                "disk on fire")).isTrue();
        assertThat(snapshots.find(s.id()).orElseThrow().errorReason()).isEqualTo("disk on fire");
        assertThat(snapshots.resetStatus(s.id(), SnapshotStatus.AVAILABLE)).isTrue();
        assertThat(snapshots.find(s.id()).orElseThrow().errorReason()).isNull();
        assertThat(snapshots.beginDelete(Ids.newId(), Set.of(SnapshotStatus.AVAILABLE)))
                .isEqualTo(SnapshotRepository.DeleteOutcome.NOT_FOUND);
    }

    @Test
    void aSnapshotAVolumeIsBeingMadeFromCannotBeDeleted() {
        Volume v = volume("p1", VolumeStatus.AVAILABLE, "h@file#file", "nova");
        Snapshot s = snapshot(v, "a", Instant.now(), Map.of());
        snapshots.create(s, AVAILABLE);
        snapshots.markAvailable(s.id());
        Volume fromIt = new Volume(Ids.newId(), "p1", "u", "copy", null, 3, VolumeStatus.CREATING,
                AttachStatus.DETACHED, "nova", null, null, false, false, s.id(), null, null, null, Map.of(),
                Instant.now(), null, null);
        VolumeTransitions transitions = new VolumeTransitions(db, volumes);
        assertThat(transitions.createFromSource(fromIt).outcome()).isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(snapshots.beginDelete(s.id(), Set.of(SnapshotStatus.AVAILABLE)))
                .isEqualTo(SnapshotRepository.DeleteOutcome.IN_USE);
        volumes.markAvailable(fromIt.id());
        assertThat(snapshots.beginDelete(s.id(), Set.of(SnapshotStatus.AVAILABLE)))
                .isEqualTo(SnapshotRepository.DeleteOutcome.STARTED);
        assertThat(snapshots.delete(s.id())).isTrue();
        assertThat(snapshots.find(s.id())).isEmpty();
    }

    @Test
    void listsWithFiltersSortsAndKeysetPagination() {
        Volume v = volume("p1", VolumeStatus.AVAILABLE, "h@file#file", "az1");
        Volume w = volume("p1", VolumeStatus.AVAILABLE, "h2@file#file", "az2");
        Instant base = Instant.parse("2026-01-01T00:00:00Z");
        List<Snapshot> made = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            Snapshot s = snapshot(i % 2 == 0 ? v : w, "s" + (i % 4), base.plusSeconds(i / 3),
                    i % 3 == 0 ? Map.of("tier", "gold") : Map.of());
            snapshots.create(s, AVAILABLE);
            made.add(s);
        }
        Volume foreign = volume("p2", VolumeStatus.AVAILABLE, "h@file#file", "az1");
        snapshots.create(snapshot(foreign, "s0", base, Map.of()), AVAILABLE);

        List<String> seen = new ArrayList<>();
        String marker = null;
        do {
            Page<Snapshot> page = snapshots.list(new SnapshotQuery("p1", null, null, null, null, null,
                    List.of(Sort.asc("name"), Sort.desc("created_at")), 5, marker, true, null));
            assertThat(page.total()).isEqualTo(17);
            page.items().forEach(s -> seen.add(s.id()));
            marker = page.items().size() == 5 ? page.items().get(4).id() : null;
        } while (marker != null);
        assertThat(seen).hasSize(17).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(made.stream().map(Snapshot::id).toList());

        assertThat(snapshots.list(new SnapshotQuery("p1", Map.of("name", "s1"), null, null, null, null, null, null,
                null, false, null)).items()).allMatch(s -> "s1".equals(s.name())).hasSize(4);
        assertThat(snapshots.list(new SnapshotQuery("p1", Map.of("volume_id", v.id()), null, Map.of("tier", "gold"),
                null, null, null, null, null, false, null)).items())
                .allMatch(s -> s.volumeId().equals(v.id()) && "gold".equals(s.metadata().get("tier"))).hasSize(3);
        assertThat(snapshots.list(new SnapshotQuery(null, null, null, null, "az1", null, null, null, null, true,
                null)).total()).isEqualTo(10);
        assertThat(snapshots.list(new SnapshotQuery(null, null, null, null, null, "h2", null, null, null, true,
                null)).total()).isEqualTo(8);
        assertThat(snapshots.list(new SnapshotQuery("p1", null, Map.of("name", "3"), null, null, null, null, null,
                null, true, null)).total()).isEqualTo(4);
        assertThatThrownBy(() -> snapshots.list(new SnapshotQuery("p1", null, null, null, null, null, null, 5,
                Ids.newId(), false, null))).isInstanceOf(BasaltException.class).hasMessageContaining("Snapshot").hasMessageContaining("could not be found");
        assertThatThrownBy(() -> snapshots.list(new SnapshotQuery("p1", null, null, null, null, null,
                List.of(Sort.asc("colour")), null, null, false, null))).isInstanceOf(BasaltException.class);
    }

    @Test
    void metadataMergesReplacesAndDeletesAndRenameSetsOrClears() {
        Volume v = volume("p1", VolumeStatus.AVAILABLE, "h@file#file", "nova");
        Snapshot s = snapshot(v, "a", Instant.now(), Map.of("a", "1"));
        snapshots.create(s, AVAILABLE);
        assertThat(snapshots.mergeMetadata(s.id(), Map.of("b", "2", "a", "3"))).isTrue();
        assertThat(snapshots.metadata(s.id())).containsExactlyInAnyOrderEntriesOf(Map.of("a", "3", "b", "2"));
        assertThat(snapshots.replaceMetadata(s.id(), Map.of("c", "4"))).isTrue();
        assertThat(snapshots.metadata(s.id())).containsExactly(Map.entry("c", "4"));
        assertThat(snapshots.deleteMetadataKey(s.id(), "c")).isTrue();
        assertThat(snapshots.deleteMetadataKey(s.id(), "c")).isFalse();
        assertThat(snapshots.mergeMetadata(Ids.newId(), Map.of("x", "y"))).isFalse();

        assertThat(snapshots.rename(s.id(), true, "b", true, "described")).isTrue();
        assertThat(snapshots.find(s.id()).orElseThrow()).satisfies(found -> {
            assertThat(found.name()).isEqualTo("b");
            assertThat(found.description()).isEqualTo("described");
            assertThat(found.updatedAt()).isNotNull();
        });
        assertThat(snapshots.rename(s.id(), false, null, true, null)).isTrue();
        assertThat(snapshots.find(s.id()).orElseThrow().name()).isEqualTo("b");
        assertThat(snapshots.find(s.id()).orElseThrow().description()).isNull();
    }

    @Test
    void aVolumeWithSnapshotsCannotLoseItsRow() {
        Volume v = volume("p1", VolumeStatus.AVAILABLE, "h@file#file", "nova");
        snapshots.create(snapshot(v, "a", Instant.now(), Map.of()), AVAILABLE);
        assertThatThrownBy(() -> volumes.delete(v.id())).isInstanceOf(RuntimeException.class);
        assertThat(volumes.find(v.id())).isPresent();
    }
}
