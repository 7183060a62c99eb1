package dev.basalt.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.Ids;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.PendingWork;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.Worker;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The workers table on H2, PostgreSQL and MariaDB: a row exists exactly while its resource is in
 * the transitional status it names (written and removed in the transactions that change the
 * status), a service claims what nobody else holds, and of schedulers cleaning the same row up
 * exactly one wins.
 */
@ParameterizedClass
@EnumSource(TestDatabase.class)
class WorkerRepositoryTest {
    private static final String POOL = "node1@file#file";

    private final TestDatabase database;
    private Database db;
    private VolumeRepository volumes;
    private VolumeTransitions transitions;
    private SnapshotRepository snapshots;
    private WorkerRepository workers;

    WorkerRepositoryTest(TestDatabase database) {
        this.database = database;
    }

    @BeforeEach
    void open() {
        db = database.open(8);
        volumes = new VolumeRepository(db);
        transitions = new VolumeTransitions(db, volumes);
        snapshots = new SnapshotRepository(db);
        workers = new WorkerRepository(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static Volume volume(VolumeStatus status, String host) {
        return new Volume(Ids.newId(), "p1", "u1", "vol", null, 2, status, AttachStatus.DETACHED, "nova", host,
                null, false, false, null, null, null, null, Map.of(), Rows.now(), null, null);
    }

    private static QuotaReservation reservation(long volumes) {
        return QuotaReservation.of("p1", Map.of("volumes", volumes, "gigabytes", 2L),
                Map.of("volumes", 1, "gigabytes", -1));
    }

    private Worker row(CleanableResource type, String id) {
        return workers.find(type, id).orElseThrow(() -> new AssertionError("no workers row for " + type + " " + id));
    }

    @Test
    void aCreateRecordsItsWorkInItsOwnTransactionAndAFailedOneRecordsNothing() {
        Volume created = volume(VolumeStatus.CREATING, null);
        volumes.create(created, reservation(1));
        Worker worker = row(CleanableResource.VOLUME, created.id());
        assertThat(worker.status()).isEqualTo("creating");
        assertThat(worker.claimed()).isFalse();
        assertThat(worker.updatedAt()).isNotNull();

        Volume overQuota = volume(VolumeStatus.CREATING, null);
        assertThatThrownBy(() -> volumes.create(overQuota, reservation(1))).isInstanceOf(QuotaExceededException.class);
        assertThat(volumes.find(overQuota.id())).isEmpty();
        assertThat(workers.find(CleanableResource.VOLUME, overQuota.id())).isEmpty();

        Volume available = volume(VolumeStatus.AVAILABLE, POOL);
        volumes.create(available);
        assertThat(workers.find(CleanableResource.VOLUME, available.id())).isEmpty();
    }

    @Test
    void theRowGoesWithTheFinalStatusOfEachOperation() {
        Volume v = volume(VolumeStatus.CREATING, POOL);
        volumes.create(v);
        assertThat(volumes.markAvailable(v.id())).isTrue();
        assertThat(workers.find(CleanableResource.VOLUME, v.id())).isEmpty();

        assertThat(transitions.beginExtend(v.id(), 5).outcome()).isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(row(CleanableResource.VOLUME, v.id()).status()).isEqualTo("extending");
        assertThat(volumes.finishExtend(v.id(), 5)).isTrue();
        assertThat(workers.find(CleanableResource.VOLUME, v.id())).isEmpty();

        transitions.beginExtend(v.id(), 6);
        assertThat(volumes.markFailed(v.id(), Set.of(VolumeStatus.EXTENDING), VolumeStatus.ERROR_EXTENDING, "x"))
                .isTrue();
        assertThat(workers.find(CleanableResource.VOLUME, v.id())).isEmpty();

        Snapshot s = snapshot(v, SnapshotStatus.CREATING);
        assertThat(snapshots.create(s, EnumSet.allOf(VolumeStatus.class)))
                .isEqualTo(SnapshotRepository.CreateOutcome.CREATED);
        assertThat(row(CleanableResource.SNAPSHOT, s.id()).status()).isEqualTo("creating");
        assertThat(snapshots.markAvailable(s.id())).isTrue();
        assertThat(workers.find(CleanableResource.SNAPSHOT, s.id())).isEmpty();
        assertThat(snapshots.beginDelete(s.id(), Set.of(SnapshotStatus.AVAILABLE)))
                .isEqualTo(SnapshotRepository.DeleteOutcome.STARTED);
        assertThat(row(CleanableResource.SNAPSHOT, s.id()).status()).isEqualTo("deleting");
        assertThat(snapshots.delete(s.id())).isTrue();
        assertThat(workers.find(CleanableResource.SNAPSHOT, s.id())).isEmpty();

        assertThat(transitions.beginDelete(v.id(), Set.of(VolumeStatus.ERROR_EXTENDING), false, false).outcome())
                .isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(row(CleanableResource.VOLUME, v.id()).status()).isEqualTo("deleting");
        assertThat(volumes.transition(v.id(), Set.of(VolumeStatus.DELETING), VolumeStatus.ERROR)).isTrue();
        assertThat(workers.find(CleanableResource.VOLUME, v.id())).isEmpty();
        transitions.beginDelete(v.id(), Set.of(VolumeStatus.ERROR), false, false);
        assertThat(volumes.delete(v.id())).isTrue();
        assertThat(workers.find(CleanableResource.VOLUME, v.id())).isEmpty();

        Volume unplaced = volume(VolumeStatus.CREATING, null);
        volumes.create(unplaced);
        assertThat(volumes.deleteIfUnplaced(unplaced.id())).isTrue();
        assertThat(workers.find(CleanableResource.VOLUME, unplaced.id())).isEmpty();

        Volume reset = volume(VolumeStatus.CREATING, POOL);
        volumes.create(reset);
        assertThat(volumes.resetStatus(reset.id(), VolumeStatus.AVAILABLE, null)).isTrue();
        assertThat(workers.find(CleanableResource.VOLUME, reset.id())).isEmpty();
    }

    @Test
    void aCascadingDeleteRecordsTheVolumeOnlyAndAForcedOneReplacesTheRow() {
        Volume v = volume(VolumeStatus.AVAILABLE, POOL);
        volumes.create(v);
        Snapshot s = snapshot(v, SnapshotStatus.CREATING);
        snapshots.create(s, Set.of(VolumeStatus.AVAILABLE));
        assertThat(transitions.beginExtend(v.id(), 4).outcome()).isEqualTo(VolumeTransitions.Outcome.BUSY);

        VolumeTransitions.DeleteResult result = transitions.beginDelete(v.id(), EnumSet.allOf(VolumeStatus.class),
                true, true);
        assertThat(result.outcome()).isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(row(CleanableResource.VOLUME, v.id()).status()).isEqualTo("deleting");
        assertThat(workers.find(CleanableResource.SNAPSHOT, s.id())).isEmpty();

        assertThat(workers.claim(CleanableResource.VOLUME, v.id(), "deleting", 7))
                .isEqualTo(WorkerRepository.Claim.CLAIMED);
        assertThat(transitions.beginDelete(v.id(), EnumSet.allOf(VolumeStatus.class), true, true).outcome())
                .isEqualTo(VolumeTransitions.Outcome.DONE);
        assertThat(row(CleanableResource.VOLUME, v.id()).claimed()).as("a forced delete starts the work anew").isFalse();
    }

    @Test
    void aServiceClaimsWhatNobodyElseHolds() {
        Volume v = volume(VolumeStatus.CREATING, POOL);
        volumes.create(v);
        assertThat(workers.claim(CleanableResource.VOLUME, v.id(), "creating", 1))
                .isEqualTo(WorkerRepository.Claim.CLAIMED);
        Worker claimed = row(CleanableResource.VOLUME, v.id());
        assertThat(claimed.serviceId()).isEqualTo(1);
        assertThat(claimed.racePreventer()).isEqualTo(1);
        assertThat(workers.claim(CleanableResource.VOLUME, v.id(), "creating", 1))
                .as("its own row, again").isEqualTo(WorkerRepository.Claim.CLAIMED);
        assertThat(workers.claim(CleanableResource.VOLUME, v.id(), "creating", 2))
                .isEqualTo(WorkerRepository.Claim.TAKEN);
        assertThat(workers.claim(CleanableResource.VOLUME, v.id(), "deleting", 2))
                .isEqualTo(WorkerRepository.Claim.UNRECORDED);
        assertThat(workers.claim(CleanableResource.VOLUME, Ids.newId(), "creating", 2))
                .isEqualTo(WorkerRepository.Claim.UNRECORDED);
        assertThat(row(CleanableResource.VOLUME, v.id()).serviceId()).isEqualTo(1);
    }

    @Test
    void ofTwoSchedulersCleaningTheSameRowUpExactlyOneWins() throws Exception {
        int rounds = 20;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                Volume v = volume(VolumeStatus.CREATING, POOL);
                volumes.create(v);
                workers.claim(CleanableResource.VOLUME, v.id(), "creating", 5);
                Worker seen = row(CleanableResource.VOLUME, v.id());
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<Boolean>> claims = new ArrayList<>();
                for (int claimer : new int[] {10, 11}) {
                    Callable<Boolean> claim = () -> {
                        start.await();
                        return workers.claimForCleanup(seen, claimer);
                    };
                    claims.add(pool.submit(claim));
                }
                int won = 0;
                for (Future<Boolean> claim : claims) {
                    won += claim.get() ? 1 : 0;
                }
                assertThat(won).as("round %d", round).isEqualTo(1);
                Worker after = row(CleanableResource.VOLUME, v.id());
                assertThat(after.serviceId()).isIn(10, 11);
                assertThat(after.racePreventer()).isEqualTo(seen.racePreventer() + 1);
                assertThat(workers.claimForCleanup(seen, 12)).as("a claim on what was read before").isFalse();
                assertThat(workers.claim(CleanableResource.VOLUME, v.id(), "creating", 5))
                        .as("the owner that went down finds it taken").isEqualTo(WorkerRepository.Claim.TAKEN);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUnclaimedRowIsTouchedOnceAndAClaimedOneIsGivenBackAsItWas() {
        Volume v = volume(VolumeStatus.CREATING, null);
        volumes.create(v);
        Worker seen = row(CleanableResource.VOLUME, v.id());
        assertThat(workers.touch(seen)).isTrue();
        assertThat(workers.touch(seen)).isFalse();
        Worker touched = row(CleanableResource.VOLUME, v.id());
        assertThat(touched.claimed()).isFalse();
        assertThat(touched.updatedAt()).isAfterOrEqualTo(seen.updatedAt());

        assertThat(workers.claimForCleanup(touched, 3)).isTrue();
        assertThat(workers.restore(touched)).isTrue();
        Worker restored = row(CleanableResource.VOLUME, v.id());
        assertThat(restored.serviceId()).isNull();
        assertThat(restored.updatedAt()).isEqualTo(touched.updatedAt());
        assertThat(workers.remove(touched)).as("changed since it was read").isFalse();
        assertThat(workers.remove(restored)).isTrue();
        assertThat(workers.find(CleanableResource.VOLUME, v.id())).isEmpty();
    }

    @Test
    void pendingWorkSaysWhatItsResourceIsNowAndWhere() {
        Volume creating = volume(VolumeStatus.CREATING, null);
        volumes.create(creating);
        Volume placed = volume(VolumeStatus.AVAILABLE, POOL);
        volumes.create(placed);
        Snapshot s = snapshot(placed, SnapshotStatus.CREATING);
        snapshots.create(s, Set.of(VolumeStatus.AVAILABLE));
        Volume gone = volume(VolumeStatus.CREATING, POOL);
        volumes.create(gone);
        db.jdbi().useHandle(h -> h.execute("DELETE FROM volumes WHERE id = ?", gone.id()));

        List<PendingWork> pending = workers.pending();
        assertThat(pending).extracting(p -> p.worker().resourceId())
                .containsExactlyInAnyOrder(creating.id(), s.id(), gone.id());
        PendingWork unplaced = find(pending, creating.id());
        assertThat(unplaced.current()).isTrue();
        assertThat(unplaced.backend()).isNull();
        PendingWork snapshot = find(pending, s.id());
        assertThat(snapshot.worker().resourceType()).isEqualTo(CleanableResource.SNAPSHOT);
        assertThat(snapshot.current()).isTrue();
        assertThat(snapshot.backend()).isEqualTo("node1@file");
        PendingWork vanished = find(pending, gone.id());
        assertThat(vanished.current()).isFalse();
        assertThat(vanished.resourceStatus()).isNull();

        assertThat(workers.forResource(s.id(), null)).hasSize(1);
        assertThat(workers.forResource(s.id(), CleanableResource.VOLUME)).isEmpty();
    }

    @Test
    void servicesAreNumberedAndKeepTheirNumber() {
        ServiceRepository services = new ServiceRepository(db);
        ServiceRecord a = services.register("node1@file", "cinder-volume", "volume", "nova");
        ServiceRecord b = services.register("sched", "cinder-scheduler", "scheduler", "nova");
        assertThat(a.id()).isPositive();
        assertThat(b.id()).isNotEqualTo(a.id());
        assertThat(services.register("node1@file", "cinder-volume", "volume", "nova").id()).isEqualTo(a.id());
        assertThat(services.find(b.id())).get().extracting(ServiceRecord::host).isEqualTo("sched");
    }

    @Test
    void theMigrationNumbersTheServicesThatWereThere() {
        JdbcTarget target = database.emptyDatabase();
        Flyway.configure().dataSource(target.url(), target.user(), target.password())
                .locations("classpath:db/migration").target("8").load().migrate();
        Jdbi jdbi = Jdbi.create(target.url(), target.user(), target.password());
        jdbi.useHandle(h -> {
            for (String host : List.of("a", "b", "c")) {
                h.execute("INSERT INTO services (uuid, host, binary_name, topic, availability_zone, disabled,"
                        + " disabled_reason, report_count, created_at, updated_at)"
                        + " VALUES (?, ?, 'cinder-volume', 'volume', 'nova', FALSE, NULL, 0, NULL, NULL)",
                        Ids.newId(), host);
            }
        });
        try (Database migrated = Database.open(target, 2)) {
            ServiceRepository services = new ServiceRepository(migrated);
            List<ServiceRecord> all = services.list(null, null);
            assertThat(all).extracting(ServiceRecord::id).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(services.register("d", "cinder-volume", "volume", "nova").id()).isEqualTo(4);
        }
    }

    private static PendingWork find(List<PendingWork> pending, String id) {
        return pending.stream().filter(p -> p.worker().resourceId().equals(id)).findFirst().orElseThrow();
    }

    private static Snapshot snapshot(Volume v, SnapshotStatus status) {
        return new Snapshot(Ids.newId(), v.id(), v.projectId(), "u1", "snap", null, status, "0%", v.size(), null, null,
                Map.of(), Rows.now(), null);
    }
}
