package dev.basalt.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.bus.InJvmBus;
import dev.basalt.bus.Subscription;
import dev.basalt.common.Ids;
import dev.basalt.common.LogLevels;
import dev.basalt.db.Database;
import dev.basalt.db.JdbcTarget;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.QuotaRepository;
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.QuotaUsage;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.Worker;
import dev.basalt.rpc.ApiRpc;
import dev.basalt.rpc.CapacityReport;
import dev.basalt.rpc.CleanedService;
import dev.basalt.rpc.CleanupRequest;
import dev.basalt.rpc.CleanupResult;
import dev.basalt.rpc.CreateVolume;
import dev.basalt.rpc.DeleteVolume;
import dev.basalt.rpc.PublishCapabilities;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.rpc.VolumeServerStub;
import dev.basalt.rpc.VolumeSettled;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Work in flight left by services that stopped, seen from schedulers: H2, the in-JVM bus, fake volume
 * services that heartbeat (or stopped doing so) and record what they are sent. Services are down
 * after one second here.
 */
class WorkCleanupTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Duration DOWN_TIME = Duration.ofSeconds(1);
    private static final String LIVE = "node1@file";
    private static final String DEAD = "node2@file";

    private Database db;
    private VolumeRepository volumes;
    private SnapshotRepository snapshots;
    private ServiceRepository services;
    private WorkerRepository workers;
    private InJvmBus bus;
    private final List<SchedulerService> schedulers = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    private final Queue<Object> liveReceived = new ConcurrentLinkedQueue<>();
    private final Queue<VolumeSettled> settled = new ConcurrentLinkedQueue<>();
    private ServiceRecord live;
    private ServiceRecord dead;

    @BeforeEach
    void open() {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 8);
        volumes = new VolumeRepository(db);
        snapshots = new SnapshotRepository(db);
        services = new ServiceRepository(db);
        workers = new WorkerRepository(db);
        bus = new InJvmBus();
        subscriptions.add(ApiRpc.serve(bus, "api-1", settled::add));
        live = services.register(LIVE, VolumeRpc.BINARY, VolumeRpc.TOPIC, "nova");
        heartbeats.scheduleAtFixedRate(() -> services.heartbeat(live.uuid()), 0, 100, TimeUnit.MILLISECONDS);
        subscriptions.add(VolumeRpc.serve(bus, LIVE, new VolumeServerStub() {
            @Override
            public void createVolume(CreateVolume r) {
                // As a real volume service does: claim the work before doing it.
                workers.claim(CleanableResource.VOLUME, r.volumeId(), "creating", live.id());
                liveReceived.add(r);
            }

            @Override
            public void deleteVolume(DeleteVolume r) {
                liveReceived.add(r);
            }

            @Override
            public void doCleanup(CleanupRequest r) {
                liveReceived.add(r);
            }

            @Override
            public void unmanageVolume(dev.basalt.rpc.UnmanageVolume r) {
                liveReceived.add(r);
            }

            @Override
            public void unmanageSnapshot(dev.basalt.rpc.UnmanageSnapshot r) {
                liveReceived.add(r);
            }

            @Override
            public void createSnapshot(dev.basalt.rpc.CreateSnapshot r) {
                liveReceived.add(r);
            }

            @Override
            public void publishCapabilities(PublishCapabilities p) {
                new SchedulerRpc(bus).updateServiceCapabilities(new CapacityReport(LIVE, live.uuid(),
                        List.of(Pools.pool(LIVE + "#file").capacity(1000, 1000, 0).build())));
            }
        }, new LogLevels()));
        dead = services.register(DEAD, VolumeRpc.BINARY, VolumeRpc.TOPIC, "nova");
        age("services", "uuid", dead.uuid());
    }

    @AfterEach
    void close() {
        schedulers.forEach(SchedulerService::stop);
        heartbeats.shutdownNow();
        subscriptions.forEach(Subscription::close);
        bus.close();
        db.close();
    }

    private SchedulerService startScheduler(String host) {
        return startScheduler(host, Duration.ofMillis(100));
    }

    private SchedulerService startScheduler(String host, Duration periodicInterval) {
        SchedulerService scheduler = new SchedulerService(new SchedulerSettings(host, SchedulerSettings.DEFAULT_FILTERS,
                List.of("CapacityWeigher"), 1.0, 0.0, "nova", Duration.ofMillis(100), Duration.ofSeconds(60),
                Duration.ofMillis(500), Duration.ofDays(30), Duration.ofHours(1), DOWN_TIME, periodicInterval),
                volumes, snapshots, new VolumeTypeRepository(db), services, new MessageRepository(db), workers, bus,
                Clock.systemUTC());
        schedulers.add(scheduler);
        scheduler.start();
        return scheduler;
    }

    /** Makes a row look as last written an hour ago (a service's last heartbeat, a worker's claim). */
    private void age(String table, String key, String value) {
        Timestamp hourAgo = Timestamp.from(Instant.now().minus(Duration.ofHours(1)));
        db.jdbi().useHandle(h -> h.execute("UPDATE " + table + " SET created_at = ?, updated_at = ? WHERE " + key
                + " = ?", hourAgo, hourAgo, value));
    }

    private Volume volume(VolumeStatus status, String host) {
        return volume(status, host, Map.of());
    }

    private Volume volume(VolumeStatus status, String host, Map<String, String> adminMetadata) {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "vol", null, 2, status, AttachStatus.DETACHED, "nova", host,
                null, false, false, null, null, null, null, Map.of(), Instant.now(), null, null)
                .withAdminMetadata(adminMetadata);
        volumes.create(v, QuotaReservation.of("p1", Map.of("volumes", 1L, "gigabytes", 2L),
                Map.of("volumes", -1, "gigabytes", -1)));
        return v;
    }

    private void claimedBy(CleanableResource type, String id, String status, ServiceRecord service) {
        assertThat(workers.claim(type, id, status, service.id())).isEqualTo(WorkerRepository.Claim.CLAIMED);
    }

    private VolumeStatus status(Volume v) {
        return volumes.find(v.id()).orElseThrow().status();
    }

    private SnapshotStatus status(Snapshot s) {
        return snapshots.find(s.id()).orElseThrow().status();
    }

    private Snapshot snapshot(Volume of) {
        Snapshot s = new Snapshot(Ids.newId(), of.id(), "p1", "u1", "snap", null, SnapshotStatus.CREATING, "0%",
                of.size(), null, null, Map.of(), Instant.now(), null);
        snapshots.create(s, Set.of(VolumeStatus.AVAILABLE));
        return s;
    }

    @Test
    void aRevertOfAServiceDownIsFailedAndItsSnapshotIsAvailableAgain() {
        Volume reverting = volume(VolumeStatus.CREATING, DEAD + "#file");
        volumes.markAvailable(reverting.id());
        Snapshot restoring = snapshot(reverting);
        snapshots.markAvailable(restoring.id());
        assertThat(new VolumeTransitions(db, volumes).beginRevert(reverting.id(), restoring.id()))
                .isEqualTo(VolumeTransitions.Outcome.DONE);
        claimedBy(CleanableResource.VOLUME, reverting.id(), "reverting", dead);

        startScheduler("sched1");

        await().atMost(PATIENCE).until(() -> status(reverting) == VolumeStatus.ERROR);
        assertThat(status(restoring)).isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(volumes.find(reverting.id()).orElseThrow().errorReason()).contains(DEAD);
        assertThat(workers.find(CleanableResource.VOLUME, reverting.id())).isEmpty();
    }

    @Test
    void theWorkOfAServiceDownForServiceDownTimeIsFailedWithItsQuotaGivenBack() {
        Volume creating = volume(VolumeStatus.CREATING, DEAD + "#file");
        claimedBy(CleanableResource.VOLUME, creating.id(), "creating", dead);
        Volume extending = volume(VolumeStatus.CREATING, DEAD + "#file");
        volumes.markAvailable(extending.id());
        new VolumeTransitions(db, volumes).beginExtend(extending.id(), 3);
        claimedBy(CleanableResource.VOLUME, extending.id(), "extending", dead);
        Volume source = volume(VolumeStatus.CREATING, DEAD + "#file");
        volumes.markAvailable(source.id());
        Snapshot taking = snapshot(source);
        claimedBy(CleanableResource.SNAPSHOT, taking.id(), "creating", dead);
        Volume deleting = volume(VolumeStatus.CREATING, DEAD + "#file");
        volumes.markAvailable(deleting.id());
        new VolumeTransitions(db, volumes).beginDelete(deleting.id(), Set.of(VolumeStatus.AVAILABLE), false, false);
        // Its message never reached the dead service: nobody claimed it.
        age("workers", "resource_id", deleting.id());
        Volume young = volume(VolumeStatus.CREATING, DEAD + "#file");
        volumes.markAvailable(young.id());
        new VolumeTransitions(db, volumes).beginDelete(young.id(), Set.of(VolumeStatus.AVAILABLE), false, false);

        startScheduler("sched1");

        await().atMost(PATIENCE).until(() -> status(creating) == VolumeStatus.ERROR);
        await().atMost(PATIENCE).until(() -> status(extending) == VolumeStatus.ERROR_EXTENDING
                && status(taking) == SnapshotStatus.ERROR && status(deleting) == VolumeStatus.ERROR_DELETING);
        assertThat(volumes.find(creating.id()).orElseThrow().errorReason()).contains(DEAD).contains("stopped");
        assertThat(volumes.find(extending.id()).orElseThrow().size()).isEqualTo(2);
        assertThat(workers.find(CleanableResource.VOLUME, creating.id())).isEmpty();
        assertThat(workers.find(CleanableResource.SNAPSHOT, taking.id())).isEmpty();
        QuotaUsage usage = new QuotaRepository(db).usages("p1").get("gigabytes");
        assertThat(usage.reserved()).as("what the failed operations had reserved is given back").isZero();
        assertThat(settled).containsExactly(new VolumeSettled(creating.id(), "error"));
        // Recorded less than service_down_time before: the service might have taken it yet. Once old, it goes too.
        await().atMost(PATIENCE).until(() -> status(young) == VolumeStatus.ERROR_DELETING);
    }

    @Test
    void workAStoppedSchedulerHeldGoesToTheLiveServiceOfItsBackendOrIsFailed() {
        ServiceRecord stoppedScheduler = services.register("sched0", SchedulerRpc.BINARY, SchedulerRpc.TOPIC, "nova");
        age("services", "uuid", stoppedScheduler.uuid());
        Volume onLive = volume(VolumeStatus.CREATING, LIVE + "#file");
        heldForCleanupBy(onLive, stoppedScheduler);
        Volume onDead = volume(VolumeStatus.CREATING, DEAD + "#file");
        heldForCleanupBy(onDead, stoppedScheduler);

        startScheduler("sched1");

        await().atMost(PATIENCE).until(() -> liveReceived.stream().anyMatch(m -> m instanceof CleanupRequest r
                && r.serviceId() == stoppedScheduler.id()));
        await().atMost(PATIENCE).until(() -> status(onDead) == VolumeStatus.ERROR);
        assertThat(status(onLive)).as("the live service cleans it up itself").isEqualTo(VolumeStatus.CREATING);
    }

    private void heldForCleanupBy(Volume v, ServiceRecord service) {
        Worker seen = workers.find(CleanableResource.VOLUME, v.id()).orElseThrow();
        assertThat(workers.claimForCleanup(seen, service.id())).isTrue();
    }

    @Test
    void aLostCreateFromAnImageFailsWithAMessageAndOneFromABackupIsSentAgainWithTheBackup() {
        SchedulerService scheduler = startScheduler("sched1");
        await().atMost(PATIENCE).until(scheduler::isReady);
        // The create requests were lost; an image's (with the caller's token) cannot be made again.
        Volume fromImage = volume(VolumeStatus.CREATING, null, Map.of(Volume.FROM_IMAGE_ID, "img-1"));
        Volume placedFromImage = volume(VolumeStatus.CREATING, LIVE + "#file", Map.of(Volume.FROM_IMAGE_ID, "img-2"));
        Volume fromBackup = volume(VolumeStatus.CREATING, null, Map.of(Volume.FROM_BACKUP_ID, "bk-1"));
        for (Volume v : List.of(fromImage, placedFromImage, fromBackup)) {
            age("workers", "resource_id", v.id());
        }

        await().atMost(PATIENCE).until(() -> status(fromImage) == VolumeStatus.ERROR
                && status(placedFromImage) == VolumeStatus.ERROR);
        assertThat(volumes.find(fromImage.id()).orElseThrow().errorReason()).contains("img-1")
                .contains("Delete the volume and create it again");
        assertThat(volumes.find(placedFromImage.id()).orElseThrow().errorReason()).contains("img-2");
        await().atMost(PATIENCE).until(() -> liveReceived.stream()
                .anyMatch(m -> m instanceof CreateVolume c && c.volumeId().equals(fromBackup.id())));
        assertThat(liveReceived).filteredOn(m -> m instanceof CreateVolume)
                .extracting(m -> ((CreateVolume) m).volumeId())
                .doesNotContain(fromImage.id(), placedFromImage.id());
        assertThat(liveReceived).filteredOn(m -> m instanceof CreateVolume c && c.volumeId().equals(fromBackup.id()))
                .extracting(m -> ((CreateVolume) m).backupId()).containsOnly("bk-1");
    }

    @Test
    void anUploadNobodyCanFinishEndsWithTheVolumeBack() {
        Volume onDead = volume(VolumeStatus.CREATING, DEAD + "#file");
        volumes.markAvailable(onDead.id());
        volumes.beginUpload(onDead.id(), Set.of(VolumeStatus.AVAILABLE));
        claimedBy(CleanableResource.VOLUME, onDead.id(), "uploading", dead);
        Volume lost = volume(VolumeStatus.CREATING, LIVE + "#file");
        volumes.markAvailable(lost.id());
        volumes.beginUpload(lost.id(), Set.of(VolumeStatus.AVAILABLE));
        // An api stopped between moving the volume and asking its service: nobody claimed the upload.
        age("workers", "resource_id", lost.id());

        startScheduler("sched1");

        await().atMost(PATIENCE).until(() -> status(onDead) == VolumeStatus.AVAILABLE
                && status(lost) == VolumeStatus.AVAILABLE);
        assertThat(workers.find(CleanableResource.VOLUME, onDead.id())).isEmpty();
        assertThat(workers.find(CleanableResource.VOLUME, lost.id())).isEmpty();
    }

    @Test
    void aRetypeOrMigrationNobodyCanFinishEndsWithTheVolumeBackAsItWas() {
        dev.basalt.db.VolumeMoves moves = new dev.basalt.db.VolumeMoves(db);
        Volume migrating = volume(VolumeStatus.CREATING, DEAD + "#file");
        volumes.markAvailable(migrating.id());
        assertThat(moves.beginMigration(migrating.id(), LIVE + "#file")).isEqualTo(dev.basalt.db.VolumeMoves.Outcome.DONE);
        assertThat(moves.advance(migrating.id(), "starting", "migrating", LIVE + "#file")).isTrue();
        claimedBy(CleanableResource.VOLUME, migrating.id(), "maintenance", dead);
        Volume lost = volume(VolumeStatus.CREATING, LIVE + "#file");
        volumes.markAvailable(lost.id());
        String type = new VolumeTypeRepository(db).create("gold", null, true, Map.of()).id();
        assertThat(moves.beginRetype(lost.id(), type, null)).isEqualTo(dev.basalt.db.VolumeMoves.Outcome.DONE);
        // An api stopped between moving the volume and asking a scheduler: nobody claimed the retype.
        age("workers", "resource_id", lost.id());

        startScheduler("sched1");

        await().atMost(PATIENCE).until(() -> status(migrating) == VolumeStatus.AVAILABLE
                && status(lost) == VolumeStatus.AVAILABLE);
        assertThat(volumes.find(migrating.id()).orElseThrow().migrationStatus()).isEqualTo("error");
        assertThat(volumes.find(migrating.id()).orElseThrow().host()).isEqualTo(DEAD + "#file");
        assertThat(volumes.find(lost.id()).orElseThrow().volumeTypeId()).isNull();
        assertThat(workers.find(CleanableResource.VOLUME, migrating.id())).isEmpty();
        assertThat(workers.find(CleanableResource.VOLUME, lost.id())).isEmpty();
    }

    @Test
    void managesAndUnmanagesOfAServiceDownAreFailedAndLostOnesFailedOrSentAgain() {
        Volume managing = volume(VolumeStatus.MANAGING, DEAD);
        claimedBy(CleanableResource.VOLUME, managing.id(), "managing", dead);
        Volume unmanaging = volume(VolumeStatus.CREATING, DEAD + "#file");
        volumes.markAvailable(unmanaging.id());
        new VolumeTransitions(db, volumes).beginUnmanage(unmanaging.id(), Set.of(VolumeStatus.AVAILABLE));
        claimedBy(CleanableResource.VOLUME, unmanaging.id(), "unmanaging", dead);
        // An api stopped after writing these rows, before asking the (live) volume service.
        Volume lostManage = volume(VolumeStatus.MANAGING, LIVE);
        age("workers", "resource_id", lostManage.id());
        Volume lostUnmanage = volume(VolumeStatus.CREATING, LIVE + "#file");
        volumes.markAvailable(lostUnmanage.id());
        new VolumeTransitions(db, volumes).beginUnmanage(lostUnmanage.id(), Set.of(VolumeStatus.AVAILABLE));
        age("workers", "resource_id", lostUnmanage.id());

        startScheduler("sched1");

        await().atMost(PATIENCE).until(() -> status(managing) == VolumeStatus.ERROR_MANAGING
                && status(unmanaging) == VolumeStatus.ERROR_UNMANAGING
                && status(lostManage) == VolumeStatus.ERROR_MANAGING);
        await().atMost(PATIENCE).until(() -> liveReceived.stream()
                .anyMatch(m -> m instanceof dev.basalt.rpc.UnmanageVolume u && u.volumeId().equals(lostUnmanage.id())));
        assertThat(volumes.find(lostManage.id()).orElseThrow().errorReason()).contains("manage the storage again");
    }

    @Test
    void snapshotManagesAndUnmanagesOfAServiceDownAreFailedAndLostOnesFailedOrSentAgain() {
        Volume deadVolume = volume(VolumeStatus.AVAILABLE, DEAD + "#file");
        Snapshot managing = managedSnapshot(deadVolume);
        claimedBy(CleanableResource.SNAPSHOT, managing.id(), "creating", dead);
        Snapshot unmanaging = managedSnapshot(deadVolume);
        snapshots.markAvailable(unmanaging.id());
        snapshots.beginUnmanage(unmanaging.id(), Set.of(SnapshotStatus.AVAILABLE));
        claimedBy(CleanableResource.SNAPSHOT, unmanaging.id(), "unmanaging", dead);
        // An api stopped after writing these rows, before asking the (live) volume service.
        Volume liveVolume = volume(VolumeStatus.AVAILABLE, LIVE + "#file");
        Snapshot lostManage = managedSnapshot(liveVolume);
        age("workers", "resource_id", lostManage.id());
        Snapshot lostUnmanage = managedSnapshot(liveVolume);
        snapshots.markAvailable(lostUnmanage.id());
        snapshots.beginUnmanage(lostUnmanage.id(), Set.of(SnapshotStatus.AVAILABLE));
        age("workers", "resource_id", lostUnmanage.id());

        startScheduler("sched1");

        await().atMost(PATIENCE).until(() -> status(managing) == SnapshotStatus.ERROR
                && status(unmanaging) == SnapshotStatus.ERROR_DELETING && status(lostManage) == SnapshotStatus.ERROR);
        await().atMost(PATIENCE).until(() -> liveReceived.stream().anyMatch(m ->
                m instanceof dev.basalt.rpc.UnmanageSnapshot u && u.snapshotId().equals(lostUnmanage.id())));
        assertThat(snapshots.find(lostManage.id()).orElseThrow().errorReason()).contains("manage the snapshot again");
        assertThat(liveReceived).as("a managed snapshot is never taken anew")
                .noneMatch(m -> m instanceof dev.basalt.rpc.CreateSnapshot c && c.snapshotId().equals(lostManage.id()));
    }

    private Snapshot managedSnapshot(Volume of) {
        Snapshot s = new Snapshot(Ids.newId(), of.id(), "p1", "u1", "snap", null, SnapshotStatus.CREATING, "0%",
                of.size(), null, null, Map.of(), Instant.now(), null);
        snapshots.createManaged(s, "volume-" + of.id() + ".old", Set.of(VolumeStatus.AVAILABLE), null);
        return s;
    }

    @Test
    void aCreateWhoseMessageWasLostIsSentAgainOnce() {
        SchedulerService scheduler = startScheduler("sched1");
        await().atMost(PATIENCE).until(scheduler::isReady);
        // An api stopped after writing these rows, before asking a scheduler; a scheduler stopped after placing.
        Volume unplaced = volume(VolumeStatus.CREATING, null);
        Volume placed = volume(VolumeStatus.CREATING, LIVE + "#file");
        age("workers", "resource_id", unplaced.id());
        age("workers", "resource_id", placed.id());

        await().atMost(PATIENCE).until(() -> liveReceived.stream()
                .filter(m -> m instanceof CreateVolume c && c.volumeId().equals(unplaced.id())).count() == 1);
        assertThat(volumes.find(unplaced.id()).orElseThrow().host()).isEqualTo(LIVE + "#file");
        await().atMost(PATIENCE).until(() -> liveReceived.stream()
                .filter(m -> m instanceof CreateVolume c && c.volumeId().equals(placed.id())).count() == 1);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(workers.find(CleanableResource.VOLUME, placed.id()))
                .get().extracting(Worker::serviceId).isEqualTo(live.id()));
        await().during(Duration.ofMillis(1500)).atMost(PATIENCE).until(() -> liveReceived.stream()
                .filter(m -> m instanceof CreateVolume).count() == 2);
    }

    @Test
    void workCleanupAnswersWhichServicesAreCleanedAndCleansOnlyWhatItMatches() {
        Volume deadWork = volume(VolumeStatus.CREATING, DEAD + "#file");
        claimedBy(CleanableResource.VOLUME, deadWork.id(), "creating", dead);
        Volume otherDeadWork = volume(VolumeStatus.CREATING, DEAD + "#file");
        claimedBy(CleanableResource.VOLUME, otherDeadWork.id(), "creating", dead);
        startScheduler("sched1", Duration.ofHours(1));
        SchedulerRpc client = new SchedulerRpc(bus);
        CleanedService deadView = new CleanedService(dead.id(), DEAD, VolumeRpc.BINARY, null);
        CleanedService liveView = new CleanedService(live.id(), LIVE, VolumeRpc.BINARY, null);

        CleanupResult one = client.workCleanup(new CleanupRequest(null, null, "node2", null, null, null,
                deadWork.id(), "Volume", Instant.now()), PATIENCE);
        assertThat(one).isEqualTo(new CleanupResult(List.of(deadView), List.of()));
        assertThat(status(deadWork)).isEqualTo(VolumeStatus.ERROR);
        assertThat(status(otherDeadWork)).isEqualTo(VolumeStatus.CREATING);

        CleanupResult none = client.workCleanup(new CleanupRequest(null, "cluster1", null, null, null, null, null,
                null, Instant.now()), PATIENCE);
        assertThat(none).isEqualTo(new CleanupResult(List.of(), List.of()));

        CleanupResult up = client.workCleanup(new CleanupRequest(live.id(), null, null, VolumeRpc.BINARY, true, false,
                null, null, Instant.now()), PATIENCE);
        assertThat(up).isEqualTo(new CleanupResult(List.of(liveView), List.of()));
        await().atMost(PATIENCE).until(() -> liveReceived.stream().anyMatch(m -> m instanceof CleanupRequest r
                && r.serviceId() == live.id()));

        CleanupResult down = client.workCleanup(new CleanupRequest(null, null, null, VolumeRpc.BINARY, null, null,
                null, null, Instant.now()), PATIENCE);
        assertThat(down.cleaning()).containsExactly(deadView);
        assertThat(status(otherDeadWork)).isEqualTo(VolumeStatus.ERROR);
    }

    @Test
    void twoSchedulersFailEachPieceOfWorkOnce() {
        List<Volume> stranded = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Volume v = volume(VolumeStatus.CREATING, DEAD + "#file");
            claimedBy(CleanableResource.VOLUME, v.id(), "creating", dead);
            stranded.add(v);
        }

        startScheduler("sched1");
        startScheduler("sched2");

        await().atMost(PATIENCE).until(() -> stranded.stream().allMatch(v -> status(v) == VolumeStatus.ERROR));
        await().during(Duration.ofMillis(500)).atMost(PATIENCE).until(() -> settled.size() == stranded.size());
        assertThat(settled).extracting(VolumeSettled::volumeId).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(stranded.stream().map(Volume::id).toList());
        assertThat(workers.pending()).isEmpty();
    }
}
