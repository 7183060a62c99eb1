package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

@ParameterizedClass
@EnumSource(TestDatabase.class)
class VolumeTransitionsTest {
    private static final Set<VolumeStatus> DELETABLE = EnumSet.of(VolumeStatus.AVAILABLE, VolumeStatus.ERROR);

    private final TestDatabase database;
    private Database db;
    private VolumeRepository volumes;
    private SnapshotRepository snapshots;
    private VolumeTransitions transitions;

    VolumeTransitionsTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open(8);
        volumes = new VolumeRepository(db);
        snapshots = new SnapshotRepository(db);
        transitions = new VolumeTransitions(db, volumes);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private Volume volume(VolumeStatus status, int size) {
        Volume v = new Volume(Ids.newId(), "p1", "u", "vol", null, size, status, AttachStatus.DETACHED, "nova",
                "h@file#file", null, false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
        volumes.create(v);
        return v;
    }

    private Snapshot snapshot(Volume v, SnapshotStatus status) {
        Snapshot s = new Snapshot(Ids.newId(), v.id(), "p1", "u", null, null, SnapshotStatus.CREATING, "0%", v.size(),
                null, null, Map.of(), Instant.now(), null);
        snapshots.create(s, EnumSet.allOf(VolumeStatus.class));
        snapshots.resetStatus(s.id(), status);
        return snapshots.find(s.id()).orElseThrow();
    }

    private Volume copyOf(Volume source, Snapshot snapshot, int size) {
        return new Volume(Ids.newId(), "p1", "u", "copy", null, size, VolumeStatus.CREATING, AttachStatus.DETACHED,
                "nova", null, null, false, false, snapshot == null ? null : snapshot.id(),
                snapshot == null ? source.id() : null, null, null, Map.of(), Instant.now(), null, null);
    }

    private VolumeStatus status(Volume v) {
        return volumes.find(v.id()).orElseThrow().status();
    }

    @Test
    void aVolumeWithSnapshotsIsNotDeletedWithoutCascade() {
        Volume v = volume(VolumeStatus.AVAILABLE, 1);
        Snapshot s = snapshot(v, SnapshotStatus.AVAILABLE);
        VolumeTransitions.DeleteResult refused = transitions.beginDelete(v.id(), DELETABLE, false, false);
        assertThat(refused.outcome()).isEqualTo(VolumeTransitions.Outcome.HAS_SNAPSHOTS);
        assertThat(refused.snapshots()).extracting(Snapshot::id).containsExactly(s.id());
        assertThat(status(v)).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(transitions.beginDelete(v.id(), EnumSet.allOf(VolumeStatus.class), false, true).outcome())
                .as("force alone does not take snapshots along").isEqualTo(VolumeTransitions.Outcome.HAS_SNAPSHOTS);
    }

    @Test
    void cascadeTakesDeletableSnapshotsAlongInOneStep() {
        Volume v = volume(VolumeStatus.AVAILABLE, 1);
        Snapshot a = snapshot(v, SnapshotStatus.AVAILABLE);
        Snapshot e = snapshot(v, SnapshotStatus.ERROR);
        VolumeTransitions.DeleteResult done = transitions.beginDelete(v.id(), DELETABLE, true, false);
        assertThat(done.outcome()).isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(done.snapshots()).extracting(Snapshot::id).containsExactly(a.id(), e.id());
        assertThat(done.snapshots()).extracting(Snapshot::status)
                .containsExactly(SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR);
        assertThat(status(v)).isEqualTo(VolumeStatus.DELETING);
        assertThat(snapshots.forVolume(v.id())).extracting(Snapshot::status).containsOnly(SnapshotStatus.DELETING);
    }

    @Test
    void cascadeIsRefusedWhileASnapshotIsBusyUnlessForced() {
        Volume v = volume(VolumeStatus.AVAILABLE, 1);
        snapshot(v, SnapshotStatus.AVAILABLE);
        snapshot(v, SnapshotStatus.CREATING);
        assertThat(transitions.beginDelete(v.id(), DELETABLE, true, false).outcome())
                .isEqualTo(VolumeTransitions.Outcome.SNAPSHOTS_BUSY);
        assertThat(status(v)).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(snapshots.forVolume(v.id())).extracting(Snapshot::status)
                .containsExactly(SnapshotStatus.AVAILABLE, SnapshotStatus.CREATING);
        assertThat(transitions.beginDelete(v.id(), EnumSet.allOf(VolumeStatus.class), true, true).outcome())
                .isEqualTo(VolumeTransitions.Outcome.DONE);
    }

    @Test
    void deleteChecksStatusAttachmentAndVolumesBeingMadeFromIt() {
        Volume extending = volume(VolumeStatus.EXTENDING, 1);
        assertThat(transitions.beginDelete(extending.id(), DELETABLE, false, false).outcome())
                .isEqualTo(VolumeTransitions.Outcome.STATUS);
        assertThat(transitions.beginDelete(Ids.newId(), DELETABLE, false, false).outcome())
                .isEqualTo(VolumeTransitions.Outcome.NOT_FOUND);
        Volume attached = volume(VolumeStatus.AVAILABLE, 1);
        volumes.resetStatus(attached.id(), VolumeStatus.AVAILABLE, AttachStatus.ATTACHED);
        assertThat(transitions.beginDelete(attached.id(), DELETABLE, false, false).outcome())
                .isEqualTo(VolumeTransitions.Outcome.ATTACHED);
        Volume source = volume(VolumeStatus.AVAILABLE, 1);
        Volume clone = copyOf(source, null, 1);
        assertThat(transitions.createFromSource(clone).outcome()).isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(transitions.beginDelete(source.id(), DELETABLE, false, false).outcome())
                .isEqualTo(VolumeTransitions.Outcome.BUSY);
        volumes.markAvailable(clone.id());
        assertThat(transitions.beginDelete(source.id(), DELETABLE, false, false).outcome())
                .isEqualTo(VolumeTransitions.Outcome.DONE);
    }

    @Test
    void extendNeedsAnAvailableVolumeALargerSizeAndNoWorkOnItAndRemembersTheSize() {
        Volume v = volume(VolumeStatus.AVAILABLE, 2);
        assertThat(transitions.beginExtend(v.id(), 2)).isEqualTo(new VolumeTransitions.SizedResult(
                VolumeTransitions.Outcome.SIZE, 2));
        Snapshot s = snapshot(v, SnapshotStatus.CREATING);
        assertThat(transitions.beginExtend(v.id(), 3).outcome()).isEqualTo(VolumeTransitions.Outcome.BUSY);
        snapshots.markAvailable(s.id());
        assertThat(transitions.beginExtend(v.id(), 3).outcome()).isEqualTo(VolumeTransitions.Outcome.DONE);
        Volume extending = volumes.find(v.id()).orElseThrow();
        assertThat(extending.status()).isEqualTo(VolumeStatus.EXTENDING);
        assertThat(extending.adminMetadata()).containsEntry(Volume.EXTEND_NEW_SIZE, "3");
        assertThat(extending.visibleMetadata()).doesNotContainKey(Volume.EXTEND_NEW_SIZE);
        assertThat(transitions.beginExtend(v.id(), 4).outcome()).isEqualTo(VolumeTransitions.Outcome.STATUS);
        assertThat(volumes.finishExtend(v.id(), 3)).isTrue();
        Volume grown = volumes.find(v.id()).orElseThrow();
        assertThat(grown.size()).isEqualTo(3);
        assertThat(grown.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(grown.adminMetadata()).doesNotContainKey(Volume.EXTEND_NEW_SIZE);
        assertThat(volumes.finishExtend(v.id(), 3)).isFalse();
    }

    @Test
    void createFromSourceChecksTheSourceUnderItsLock() {
        Volume v = volume(VolumeStatus.AVAILABLE, 2);
        Snapshot creating = snapshot(v, SnapshotStatus.CREATING);
        assertThat(transitions.createFromSource(copyOf(v, creating, 2)).outcome())
                .isEqualTo(VolumeTransitions.Outcome.STATUS);
        Snapshot available = snapshot(v, SnapshotStatus.AVAILABLE);
        assertThat(transitions.createFromSource(copyOf(v, available, 1)))
                .isEqualTo(new VolumeTransitions.SizedResult(VolumeTransitions.Outcome.SIZE, 2));
        Volume larger = copyOf(v, available, 5);
        assertThat(transitions.createFromSource(larger).outcome()).isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(volumes.find(larger.id()).orElseThrow().snapshotId()).isEqualTo(available.id());
        Volume error = volume(VolumeStatus.ERROR, 1);
        assertThat(transitions.createFromSource(copyOf(error, null, 1)).outcome())
                .isEqualTo(VolumeTransitions.Outcome.STATUS);
        Volume missing = new Volume(Ids.newId(), "p1", "u", "x", null, 1, VolumeStatus.CREATING,
                AttachStatus.DETACHED, "nova", null, null, false, false, null, Ids.newId(), null, null, Map.of(),
                Instant.now(), null, null);
        assertThat(transitions.createFromSource(missing).outcome()).isEqualTo(VolumeTransitions.Outcome.NOT_FOUND);
        assertThat(volumes.find(missing.id())).isEmpty();
    }

    @Test
    void readonlyIsAdminMetadataShownInTheVisibleMetadata() {
        Volume v = volume(VolumeStatus.AVAILABLE, 1);
        assertThat(volumes.setAdminMetadata(v.id(), Set.of(VolumeStatus.AVAILABLE), Volume.READONLY, "True")).isTrue();
        Volume found = volumes.find(v.id()).orElseThrow();
        assertThat(found.metadata()).isEmpty();
        assertThat(found.visibleMetadata()).containsExactly(Map.entry("readonly", "True"));
        assertThat(volumes.list(VolumeQuery.allOf("p1")).items()).filteredOn(x -> x.id().equals(v.id()))
                .singleElement().satisfies(x -> assertThat(x.adminMetadata()).containsEntry("readonly", "True"));
        Volume busy = volume(VolumeStatus.EXTENDING, 1);
        assertThat(volumes.setAdminMetadata(busy.id(), Set.of(VolumeStatus.AVAILABLE), Volume.READONLY, "True"))
                .isFalse();
        assertThat(volumes.setBootable(v.id(), true)).isTrue();
        assertThat(volumes.find(v.id()).orElseThrow().bootable()).isTrue();
        assertThat(volumes.delete(v.id())).isTrue();
    }

    /**
     * Requests racing to move the same volumes out of {@code available}, each to its own status (a
     * delete, an extend, an attach, a reset): per volume exactly one conditional update wins, and the
     * row shows the winner's status.
     */
    @Test
    void racingConditionalUpdatesHaveExactlyOneWinnerPerVolume() throws Exception {
        List<VolumeStatus> wanted = List.of(VolumeStatus.DELETING, VolumeStatus.EXTENDING, VolumeStatus.RESERVED,
                VolumeStatus.ERROR, VolumeStatus.MAINTENANCE, VolumeStatus.BACKING_UP);
        List<Volume> raced = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            raced.add(volume(VolumeStatus.AVAILABLE, 1));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> moves = new ArrayList<>();
            for (Volume v : raced) {
                for (VolumeStatus next : wanted) {
                    moves.add(pool.submit(() -> {
                        go.await();
                        return volumes.transition(v.id(), Set.of(VolumeStatus.AVAILABLE), next);
                    }));
                }
            }
            go.countDown();
            for (int i = 0; i < raced.size(); i++) {
                List<VolumeStatus> winners = new ArrayList<>();
                for (int j = 0; j < wanted.size(); j++) {
                    if (moves.get(i * wanted.size() + j).get()) {
                        winners.add(wanted.get(j));
                    }
                }
                assertThat(winners).as("winners for one volume").hasSize(1);
                assertThat(status(raced.get(i))).isEqualTo(winners.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A snapshot create and a volume delete racing: exactly one wins, and never both. */
    @RepeatedTest(10)
    void snapshotCreateAndVolumeDeleteNeverBothWin() throws Exception {
        Volume v = volume(VolumeStatus.AVAILABLE, 1);
        Snapshot s = new Snapshot(Ids.newId(), v.id(), "p1", "u", null, null, SnapshotStatus.CREATING, "0%", 1, null,
                null, Map.of(), Instant.now(), null);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            Future<SnapshotRepository.CreateOutcome> create = pool.submit(() -> {
                go.await();
                return snapshots.create(s, Set.of(VolumeStatus.AVAILABLE));
            });
            Future<VolumeTransitions.DeleteResult> delete = pool.submit(() -> {
                go.await();
                return transitions.beginDelete(v.id(), DELETABLE, false, false);
            });
            go.countDown();
            boolean created = create.get() == SnapshotRepository.CreateOutcome.CREATED;
            boolean deleting = delete.get().outcome() == VolumeTransitions.Outcome.DONE;
            assertThat(created ^ deleting).as("created %s, deleting %s", created, deleting).isTrue();
            List<Snapshot> left = new ArrayList<>(snapshots.forVolume(v.id()));
            assertThat(left.isEmpty()).isEqualTo(!created);
        } finally {
            pool.shutdownNow();
        }
    }

    private SnapshotStatus status(Snapshot s) {
        return snapshots.find(s.id()).orElseThrow().status();
    }

    @Test
    void revertMovesVolumeAndItsLatestSnapshotTogetherAndRecordsTheWork() {
        Volume v = volume(VolumeStatus.AVAILABLE, 1);
        Snapshot older = snapshot(v, SnapshotStatus.AVAILABLE);
        Snapshot latest = snapshot(v, SnapshotStatus.AVAILABLE);
        assertThat(transitions.beginRevert(v.id(), older.id())).isEqualTo(VolumeTransitions.Outcome.NOT_LATEST);
        assertThat(status(v)).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(status(older)).isEqualTo(SnapshotStatus.AVAILABLE);

        assertThat(transitions.beginRevert(v.id(), latest.id())).isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(status(v)).isEqualTo(VolumeStatus.REVERTING);
        assertThat(status(latest)).isEqualTo(SnapshotStatus.RESTORING);
        assertThat(new WorkerRepository(db).pending()).extracting(p -> p.worker().resourceId(), p -> p.worker().status())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(v.id(), "reverting"));
        assertThat(transitions.beginRevert(v.id(), latest.id()))
                .as("a second revert loses").isEqualTo(VolumeTransitions.Outcome.STATUS);

        assertThat(transitions.endRevert(v.id(), latest.id(), VolumeStatus.AVAILABLE, null)).isTrue();
        assertThat(status(v)).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(status(latest)).isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(new WorkerRepository(db).pending()).isEmpty();
        assertThat(transitions.endRevert(v.id(), latest.id(), VolumeStatus.AVAILABLE, null))
                .as("ends once").isFalse();
    }

    @Test
    void revertIsRefusedUnlessBothAreAvailableAndAFailureLeavesTheVolumeInError() {
        Volume busy = volume(VolumeStatus.IN_USE, 1);
        Snapshot ofBusy = snapshot(busy, SnapshotStatus.AVAILABLE);
        assertThat(transitions.beginRevert(busy.id(), ofBusy.id())).isEqualTo(VolumeTransitions.Outcome.STATUS);
        assertThat(transitions.beginRevert(Ids.newId(), ofBusy.id())).isEqualTo(VolumeTransitions.Outcome.NOT_FOUND);
        Volume v = volume(VolumeStatus.AVAILABLE, 1);
        Snapshot creating = snapshot(v, SnapshotStatus.CREATING);
        assertThat(transitions.beginRevert(v.id(), creating.id()))
                .isEqualTo(VolumeTransitions.Outcome.SNAPSHOT_STATUS);
        assertThat(status(v)).as("nothing changed").isEqualTo(VolumeStatus.AVAILABLE);

        snapshots.resetStatus(creating.id(), SnapshotStatus.AVAILABLE);
        assertThat(transitions.beginRevert(v.id(), creating.id())).isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(transitions.endRevert(v.id(), creating.id(), VolumeStatus.ERROR, "driver failed")).isTrue();
        Volume failed = volumes.find(v.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(VolumeStatus.ERROR);
        assertThat(failed.errorReason()).isEqualTo("driver failed");
        assertThat(status(creating)).isEqualTo(SnapshotStatus.AVAILABLE);
    }

    @RepeatedTest(3)
    void ofTwoConcurrentRevertsOneWins() throws Exception {
        Volume v = volume(VolumeStatus.AVAILABLE, 1);
        Snapshot s = snapshot(v, SnapshotStatus.AVAILABLE);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<VolumeTransitions.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return transitions.beginRevert(v.id(), s.id());
                }));
            }
            start.countDown();
            List<VolumeTransitions.Outcome> seen = new ArrayList<>();
            for (Future<VolumeTransitions.Outcome> f : outcomes) {
                seen.add(f.get());
            }
            assertThat(seen).containsExactlyInAnyOrder(VolumeTransitions.Outcome.DONE,
                    VolumeTransitions.Outcome.STATUS);
        } finally {
            pool.shutdownNow();
        }
    }
}
