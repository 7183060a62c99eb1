package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Snapshots claim quota with their row, volumes made from a source with theirs, and extends with
 * their start; each claim moves exactly once when the operation ends and goes with the row.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class SnapshotAndExtendQuotaTest {
    private static final Set<VolumeStatus> AVAILABLE = Set.of(VolumeStatus.AVAILABLE);
    private static final String TYPE = "type-1";

    private final TestDatabase database;
    private Database db;
    private VolumeRepository volumes;
    private SnapshotRepository snapshots;
    private VolumeTransitions transitions;
    private QuotaRepository quotas;
    private String project;

    SnapshotAndExtendQuotaTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open();
        volumes = new VolumeRepository(db);
        snapshots = new SnapshotRepository(db);
        transitions = new VolumeTransitions(db, volumes);
        quotas = new QuotaRepository(db);
        project = "p-" + Ids.newId();
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** An available, placed volume of {@code size} GiB whose creation claimed volumes and gigabytes. */
    private Volume availableVolume(int size) {
        return PlacedVolumes.available(volumes, project, TYPE, size);
    }

    private Snapshot snapshot(Volume v) {
        return new Snapshot(Ids.newId(), v.id(), project, "u", "s", null, SnapshotStatus.CREATING, "0%", v.size(),
                TYPE, null, Map.of(), Instant.now().truncatedTo(ChronoUnit.MICROS), null);
    }

    private QuotaReservation forSnapshot(int size, int snapshotLimit, int gigabyteLimit) {
        return QuotaReservation.of(project,
                Map.of("snapshots", 1L, "gigabytes", (long) size, "snapshots:" + TYPE, 1L),
                Map.of("snapshots", snapshotLimit, "gigabytes", gigabyteLimit, "snapshots:" + TYPE, -1));
    }

    private IntFunction<QuotaReservation> forExtend(int gigabyteLimit) {
        return increase -> QuotaReservation.of(project, Map.of("gigabytes", (long) increase),
                Map.of("gigabytes", gigabyteLimit));
    }

    private QuotaUsage usage(String resource) {
        return quotas.usages(project).getOrDefault(resource, QuotaUsage.NONE);
    }

    @Test
    void aSnapshotReservesCommitsOnAvailableOnceAndReleasesWithItsRow() {
        Volume v = availableVolume(3);
        Snapshot s = snapshot(v);
        assertThat(snapshots.create(s, AVAILABLE, forSnapshot(3, 10, 100)))
                .isEqualTo(SnapshotRepository.CreateOutcome.CREATED);
        assertThat(usage("snapshots")).isEqualTo(new QuotaUsage(0, 1));
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(3, 3));
        assertThat(usage("snapshots:" + TYPE)).isEqualTo(new QuotaUsage(0, 1));

        assertThat(snapshots.markAvailable(s.id())).isTrue();
        assertThat(snapshots.markAvailable(s.id())).as("a second delivery").isFalse();
        assertThat(usage("snapshots")).isEqualTo(new QuotaUsage(1, 0));
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(6, 0));

        assertThat(snapshots.markFailed(s.id(), Set.of(SnapshotStatus.AVAILABLE), SnapshotStatus.ERROR, "x")).isTrue();
        assertThat(usage("snapshots")).as("an error after success keeps what is in use")
                .isEqualTo(new QuotaUsage(1, 0));

        assertThat(snapshots.delete(s.id())).isTrue();
        assertThat(snapshots.delete(s.id())).isFalse();
        assertThat(usage("snapshots")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage("snapshots:" + TYPE)).isEqualTo(QuotaUsage.NONE);
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(3, 0));
    }

    @Test
    void aFailedSnapshotGivesItsReservationBackOnceAndADeleteStillCreatingReleasesIt() {
        Volume v = availableVolume(2);
        Snapshot failed = snapshot(v);
        snapshots.create(failed, AVAILABLE, forSnapshot(2, 10, 100));
        assertThat(snapshots.markFailed(failed.id(), Set.of(SnapshotStatus.CREATING), SnapshotStatus.ERROR, "driver"))
                .isTrue();
        assertThat(snapshots.markFailed(failed.id(), Set.of(SnapshotStatus.CREATING), SnapshotStatus.ERROR, "again"))
                .isFalse();
        assertThat(usage("snapshots")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(2, 0));
        assertThat(snapshots.delete(failed.id())).isTrue();
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(2, 0));

        Snapshot creating = snapshot(v);
        snapshots.create(creating, AVAILABLE, forSnapshot(2, 10, 100));
        assertThat(snapshots.delete(creating.id())).isTrue();
        assertThat(usage("snapshots")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(2, 0));

        Snapshot updated = snapshot(v);
        snapshots.create(updated, AVAILABLE, forSnapshot(2, 10, 100));
        assertThat(snapshots.updateStatus(updated.id(), Set.of(SnapshotStatus.CREATING), SnapshotStatus.AVAILABLE,
                "100%")).isTrue();
        assertThat(usage("snapshots")).as("os-update_snapshot_status commits too").isEqualTo(new QuotaUsage(1, 0));
    }

    @Test
    void aSnapshotOverQuotaInsertsNothingAndKeepsNothingReserved() {
        Volume v = availableVolume(4);
        Snapshot first = snapshot(v);
        snapshots.create(first, AVAILABLE, forSnapshot(4, 1, 100));
        Snapshot second = snapshot(v);
        assertThatThrownBy(() -> snapshots.create(second, AVAILABLE, forSnapshot(4, 1, 100)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.resource()).isEqualTo("snapshots");
                    assertThat(e.limit()).isEqualTo(1);
                });
        assertThatThrownBy(() -> snapshots.create(second, AVAILABLE, forSnapshot(4, 10, 11)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.resource()).isEqualTo("gigabytes");
                    assertThat(e.consumed()).isEqualTo(8);
                    assertThat(e.requested()).isEqualTo(4);
                });
        assertThat(snapshots.find(second.id())).isEmpty();
        assertThat(usage("snapshots")).isEqualTo(new QuotaUsage(0, 1));
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(4, 4));

        Volume busy = availableVolume(1);
        volumes.transition(busy.id(), AVAILABLE, VolumeStatus.EXTENDING);
        assertThat(snapshots.create(snapshot(busy), AVAILABLE, forSnapshot(1, 10, 100)))
                .as("a refused volume reserves nothing").isEqualTo(SnapshotRepository.CreateOutcome.VOLUME_STATUS);
        assertThat(usage("snapshots")).isEqualTo(new QuotaUsage(0, 1));
    }

    @Test
    void concurrentSnapshotsNeverExceedTheLimit() throws Exception {
        Volume v = availableVolume(1);
        int threads = 24;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        snapshots.create(snapshot(v), AVAILABLE, forSnapshot(1, 5, -1));
                        return true;
                    } catch (QuotaExceededException e) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int created = 0;
            for (Future<Boolean> f : results) {
                created += f.get() ? 1 : 0;
            }
            assertThat(created).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
        assertThat(snapshots.forVolume(v.id())).hasSize(5);
        assertThat(usage("snapshots")).isEqualTo(new QuotaUsage(0, 5));
    }

    @Test
    void aVolumeFromASourceReservesInTheSameTransactionOrInsertsNothing() {
        Volume source = availableVolume(2);
        Volume clone = new Volume(Ids.newId(), project, "u", "c", null, 2, VolumeStatus.CREATING,
                AttachStatus.DETACHED, "nova", null, TYPE, false, false, null, source.id(), null, null, Map.of(),
                Instant.now(), null, null);
        QuotaReservation tight = QuotaReservation.of(project, Map.of("volumes", 1L, "gigabytes", 2L),
                Map.of("volumes", 1, "gigabytes", -1));
        assertThatThrownBy(() -> transitions.createFromSource(clone, tight))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> assertThat(e.resource()).isEqualTo("volumes"));
        assertThat(volumes.find(clone.id())).isEmpty();
        assertThat(usage("volumes")).isEqualTo(new QuotaUsage(1, 0));

        QuotaReservation fits = QuotaReservation.of(project, Map.of("volumes", 1L, "gigabytes", 2L),
                Map.of("volumes", 2, "gigabytes", -1));
        assertThat(transitions.createFromSource(clone, fits).outcome()).isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(usage("volumes")).isEqualTo(new QuotaUsage(1, 1));
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(2, 2));
        volumes.place(clone.id(), "h@file#pool", "svc");
        assertThat(volumes.markAvailable(clone.id())).isTrue();
        assertThat(usage("volumes")).isEqualTo(new QuotaUsage(2, 0));

        Volume refused = new Volume(Ids.newId(), project, "u", "c", null, 1, VolumeStatus.CREATING,
                AttachStatus.DETACHED, "nova", null, TYPE, false, false, null, source.id(), null, null, Map.of(),
                Instant.now(), null, null);
        assertThat(transitions.createFromSource(refused, fits).outcome())
                .as("too small: refused before reserving").isEqualTo(VolumeTransitions.Outcome.SIZE);
        assertThat(usage("volumes")).isEqualTo(new QuotaUsage(2, 0));
    }

    @Test
    void anExtendReservesTheIncreaseCommitsItOnFinishAndGivesItBackOnError() {
        Volume v = availableVolume(2);
        assertThat(transitions.beginExtend(v.id(), 5, forExtend(100)).outcome())
                .isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(2, 3));
        assertThat(volumes.finishExtend(v.id(), 5)).isTrue();
        assertThat(volumes.finishExtend(v.id(), 5)).as("a second delivery").isFalse();
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(5, 0));

        assertThat(transitions.beginExtend(v.id(), 9, forExtend(100)).outcome())
                .isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(5, 4));
        Set<VolumeStatus> extending = Set.of(VolumeStatus.EXTENDING);
        assertThat(volumes.markFailed(v.id(), extending, VolumeStatus.ERROR_EXTENDING, "driver")).isTrue();
        assertThat(volumes.markFailed(v.id(), extending, VolumeStatus.ERROR_EXTENDING, "again")).isFalse();
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(5, 0));
        assertThat(volumes.find(v.id()).orElseThrow().size()).isEqualTo(5);

        assertThat(volumes.delete(v.id())).isTrue();
        assertThat(usage("gigabytes")).isEqualTo(QuotaUsage.NONE);
        assertThat(usage("volumes")).isEqualTo(QuotaUsage.NONE);
    }

    @Test
    void anExtendOverQuotaChangesNothingAndACancelledOneGivesItBack() {
        Volume v = availableVolume(2);
        assertThatThrownBy(() -> transitions.beginExtend(v.id(), 6, forExtend(5)))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.requested()).isEqualTo(4);
                    assertThat(e.consumed()).isEqualTo(2);
                });
        Volume after = volumes.find(v.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(after.adminMetadata()).doesNotContainKey(Volume.EXTEND_NEW_SIZE);
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(2, 0));

        assertThat(transitions.beginExtend(v.id(), 2, forExtend(5)).outcome())
                .as("not larger: refused before reserving").isEqualTo(VolumeTransitions.Outcome.SIZE);
        assertThat(transitions.beginExtend(v.id(), 5, forExtend(5)).outcome())
                .isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(2, 3));
        assertThat(volumes.cancelExtend(v.id())).isTrue();
        assertThat(volumes.cancelExtend(v.id())).isFalse();
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(2, 0));
        Volume cancelled = volumes.find(v.id()).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(cancelled.adminMetadata()).doesNotContainKey(Volume.EXTEND_NEW_SIZE);
    }

    @Test
    void anExtendOfAVolumeThatClaimedNothingStartsAClaim() {
        Volume v = new Volume(Ids.newId(), project, "u", "v", null, 1, VolumeStatus.AVAILABLE, AttachStatus.DETACHED,
                "nova", "h@file#pool", TYPE, false, false, null, null, null, null, Map.of(), Instant.now(), null,
                null);
        volumes.create(v);
        assertThat(transitions.beginExtend(v.id(), 3, forExtend(-1)).outcome())
                .isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(volumes.finishExtend(v.id(), 3)).isTrue();
        assertThat(usage("gigabytes")).isEqualTo(new QuotaUsage(2, 0));
        assertThat(volumes.delete(v.id())).isTrue();
        assertThat(usage("gigabytes")).isEqualTo(QuotaUsage.NONE);
    }
}
