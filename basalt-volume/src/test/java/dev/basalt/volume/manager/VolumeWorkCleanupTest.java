package dev.basalt.volume.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.bus.InJvmBus;
import dev.basalt.bus.Subscription;
import dev.basalt.common.Ids;
import dev.basalt.common.LogLevels;
import dev.basalt.db.Database;
import dev.basalt.db.JdbcTarget;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.Worker;
import dev.basalt.rpc.CleanupRequest;
import dev.basalt.rpc.CreateVolume;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.SchedulerServerStub;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.driver.Sizes;
import dev.basalt.driver.SnapshotSpec;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.VolumeSpec;
import dev.basalt.driver.file.FileDriverSettings;
import dev.basalt.driver.file.FileVolumeDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work in flight as the workers table records it, seen from a volume service: the real file driver,
 * H2 and the in-JVM bus. A restart finishes or fails its own work (an upload: the volume goes back
 * to {@code available} or {@code in-use}), leaves work a scheduler is cleaning up alone, and a live
 * service cleans up on request what a stopped one left on its backend.
 */
class VolumeWorkCleanupTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String HOST = "node1@file";
    private static final String POOL = HOST + "#file";
    /** A service that took work and stopped: a scheduler that was cleaning it up, say. */
    private static final int STOPPED_SERVICE = 999;

    @TempDir
    Path dir;

    private Database db;
    private VolumeRepository volumes;
    private SnapshotRepository snapshots;
    private WorkerRepository workers;
    private InJvmBus bus;
    private Subscription scheduler;
    private VolumeService service;
    private final TestTargets iscsi = new TestTargets();

    @BeforeEach
    void open() {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 4);
        volumes = new VolumeRepository(db);
        snapshots = new SnapshotRepository(db);
        workers = new WorkerRepository(db);
        bus = new InJvmBus();
        scheduler = SchedulerRpc.serve(bus, "sched1", new SchedulerServerStub(), new LogLevels());
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.stop();
        }
        scheduler.close();
        iscsi.close();
        bus.close();
        db.close();
    }

    private FileVolumeDriver driver() {
        return new FileVolumeDriver(new FileDriverSettings(dir, true, VolumeClear.ZERO, 0, "file"));
    }

    private VolumeService startService() {
        service = new VolumeService(new VolumeServiceSettings(HOST, "file", "az1", 20.0, 5, Duration.ofMillis(100),
                Duration.ofHours(1), Duration.ofDays(30), VolumeServiceSettings.DEFAULT_TARGET_PREFIX, Duration.ofSeconds(60)), driver(),
                iscsi.target(), db, bus, Clock.systemUTC());
        service.start();
        return service;
    }

    /** Starts the service once to learn its number, and stops it, as a crash would. */
    private int numberOfAStoppedService() {
        int id = startService().serviceId();
        service.stop();
        service = null;
        return id;
    }

    private Volume volume(VolumeStatus status, String host) {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "vol", null, 1, status, AttachStatus.DETACHED, "az1", host,
                null, false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
        volumes.create(v);
        return v;
    }

    /** An available volume of this backend with its file. */
    private Volume madeVolume() {
        Volume v = volume(VolumeStatus.AVAILABLE, POOL);
        FileVolumeDriver d = driver();
        d.start();
        d.createVolume(new VolumeSpec(v.id(), 1));
        return v;
    }

    /** A volume of this backend being deleted, with its file, as the API leaves it. */
    private Volume deletingVolume() {
        Volume v = madeVolume();
        new VolumeTransitions(db, volumes).beginDelete(v.id(), Set.of(VolumeStatus.AVAILABLE), false, false);
        return v;
    }

    private Snapshot creatingSnapshot(Volume of) {
        Snapshot s = new Snapshot(Ids.newId(), of.id(), "p1", "u1", "snap", null, SnapshotStatus.CREATING, "0%",
                of.size(), null, null, Map.of(), Instant.now(), null);
        snapshots.create(s, Set.of(VolumeStatus.AVAILABLE));
        return s;
    }

    private void claim(CleanableResource type, String id, String status, int serviceId) {
        assertThat(workers.claim(type, id, status, serviceId)).isEqualTo(WorkerRepository.Claim.CLAIMED);
    }

    /** Another service takes the row to clean it up, as a scheduler does for a service that is down. */
    private void heldBy(CleanableResource type, String id, int serviceId) {
        Worker seen = workers.find(type, id).orElseThrow();
        assertThat(workers.claimForCleanup(seen, serviceId)).isTrue();
    }

    private Optional<Worker> row(CleanableResource type, String id) {
        return workers.find(type, id);
    }

    private VolumeStatus status(Volume v) {
        return volumes.find(v.id()).orElseThrow().status();
    }

    private Path file(String name) {
        return dir.resolve(name);
    }

    @Test
    void aRestartFinishesOrFailsTheWorkItHadClaimedAndForgetsRowsWhoseResourceMovedOn() throws Exception {
        int me = numberOfAStoppedService();
        Volume creating = volume(VolumeStatus.CREATING, POOL);
        claim(CleanableResource.VOLUME, creating.id(), "creating", me);
        Volume extending = madeVolume();
        new VolumeTransitions(db, volumes).beginExtend(extending.id(), 2);
        claim(CleanableResource.VOLUME, extending.id(), "extending", me);
        Volume deleting = deletingVolume();
        claim(CleanableResource.VOLUME, deleting.id(), "deleting", me);
        Volume moved = volume(VolumeStatus.CREATING, POOL);
        claim(CleanableResource.VOLUME, moved.id(), "creating", me);
        // A status changed behind the bookkeeping's back (a row left over): the restart drops it.
        db.jdbi().useHandle(h -> h.execute("UPDATE volumes SET status = 'available' WHERE id = ?", moved.id()));

        startService();

        assertThat(status(creating)).isEqualTo(VolumeStatus.ERROR);
        assertThat(volumes.find(creating.id()).orElseThrow().errorReason())
                .isEqualTo(VolumeManager.RESTARTED_WHILE_CREATING);
        Volume grown = volumes.find(extending.id()).orElseThrow();
        assertThat(grown.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(grown.size()).isEqualTo(2);
        assertThat(Files.size(file("volume-" + extending.id()))).isEqualTo(2 * Sizes.GIB);
        assertThat(volumes.find(deleting.id())).isEmpty();
        assertThat(file("volume-" + deleting.id())).doesNotExist();
        assertThat(workers.pending()).isEmpty();
    }

    @Test
    void aRestartLeavesAloneTheWorkAnotherServiceIsCleaningUp() {
        numberOfAStoppedService();
        Volume deleting = deletingVolume();
        heldBy(CleanableResource.VOLUME, deleting.id(), STOPPED_SERVICE);

        startService();

        assertThat(status(deleting)).isEqualTo(VolumeStatus.DELETING);
        assertThat(file("volume-" + deleting.id())).exists();
        assertThat(row(CleanableResource.VOLUME, deleting.id())).get()
                .extracting(Worker::serviceId).isEqualTo(STOPPED_SERVICE);
    }

    @Test
    void aMessageClaimsItsWorkAndLeavesWorkAnotherServiceHoldsToIt() {
        startService();
        Volume held = volume(VolumeStatus.CREATING, POOL);
        heldBy(CleanableResource.VOLUME, held.id(), STOPPED_SERVICE);
        Volume free = volume(VolumeStatus.CREATING, POOL);
        new VolumeRpc(bus).createVolume(HOST, new CreateVolume(held.id(), null));
        new VolumeRpc(bus).createVolume(HOST, new CreateVolume(free.id(), null));

        await().atMost(PATIENCE).until(() -> status(free) == VolumeStatus.AVAILABLE);
        assertThat(row(CleanableResource.VOLUME, free.id())).as("gone with the final status").isEmpty();
        assertThat(status(held)).isEqualTo(VolumeStatus.CREATING);
        assertThat(file("volume-" + held.id())).doesNotExist();
    }

    @Test
    void cleansUpOnRequestWhatAStoppedServiceLeftOnThisBackendAndNothingElse() throws Exception {
        startService();
        Volume creating = volume(VolumeStatus.CREATING, POOL);
        FileVolumeDriver d = driver();
        d.start();
        d.createVolume(new VolumeSpec(creating.id(), 1));
        heldBy(CleanableResource.VOLUME, creating.id(), STOPPED_SERVICE);
        Volume deleting = deletingVolume();
        heldBy(CleanableResource.VOLUME, deleting.id(), STOPPED_SERVICE);
        Volume source = madeVolume();
        Snapshot snapshot = creatingSnapshot(source);
        d.createSnapshot(new SnapshotSpec(snapshot.id(), source.id(), 1));
        heldBy(CleanableResource.SNAPSHOT, snapshot.id(), STOPPED_SERVICE);
        Volume elsewhere = volume(VolumeStatus.CREATING, "node2@file#file");
        heldBy(CleanableResource.VOLUME, elsewhere.id(), STOPPED_SERVICE);
        Volume someoneElses = volume(VolumeStatus.CREATING, POOL);
        heldBy(CleanableResource.VOLUME, someoneElses.id(), STOPPED_SERVICE - 1);
        Instant until = Instant.now();
        Thread.sleep(5);
        Volume later = volume(VolumeStatus.CREATING, POOL);
        heldBy(CleanableResource.VOLUME, later.id(), STOPPED_SERVICE);

        new VolumeRpc(bus).doCleanup(HOST, new CleanupRequest(STOPPED_SERVICE, null, null, null, null, null, null,
                null, until));

        await().atMost(PATIENCE).until(() -> volumes.find(deleting.id()).isEmpty());
        await().atMost(PATIENCE).until(() -> status(creating) == VolumeStatus.ERROR);
        await().atMost(PATIENCE).until(() -> snapshots.find(snapshot.id()).orElseThrow().status()
                == SnapshotStatus.ERROR);
        assertThat(volumes.find(creating.id()).orElseThrow().errorReason())
                .isEqualTo(WorkCleaner.STOPPED_WHILE_CREATING);
        assertThat(file("volume-" + creating.id())).doesNotExist();
        assertThat(file("volume-" + deleting.id())).doesNotExist();
        assertThat(file("snapshot-" + snapshot.id())).doesNotExist();
        assertThat(row(CleanableResource.VOLUME, creating.id())).isEmpty();
        assertThat(row(CleanableResource.SNAPSHOT, snapshot.id())).isEmpty();
        assertThat(status(elsewhere)).isEqualTo(VolumeStatus.CREATING);
        assertThat(status(someoneElses)).isEqualTo(VolumeStatus.CREATING);
        assertThat(status(later)).as("recorded after the request").isEqualTo(VolumeStatus.CREATING);
        assertThat(row(CleanableResource.VOLUME, later.id())).get().extracting(Worker::serviceId)
                .isEqualTo(STOPPED_SERVICE);
    }

    /** A volume of this backend the API moved to {@code uploading} (its workers row recorded). */
    private Volume uploadingVolume(boolean attached) {
        Volume v = madeVolume();
        if (attached) {
            assertThat(volumes.resetStatus(v.id(), VolumeStatus.IN_USE, AttachStatus.ATTACHED)).isTrue();
        }
        assertThat(volumes.beginUpload(v.id(), Set.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE))).isTrue();
        return v;
    }

    @Test
    void aRestartPutsUploadingVolumesBackByTheirAttachStatus() {
        int me = numberOfAStoppedService();
        Volume detached = uploadingVolume(false);
        claim(CleanableResource.VOLUME, detached.id(), "uploading", me);
        Volume attached = uploadingVolume(true);
        Volume unclaimed = uploadingVolume(false);
        db.jdbi().useHandle(h -> h.execute("DELETE FROM workers WHERE resource_id = ?", unclaimed.id()));

        startService();

        assertThat(status(detached)).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(status(attached)).isEqualTo(VolumeStatus.IN_USE);
        assertThat(status(unclaimed)).as("begun before rows were kept").isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(file("volume-" + detached.id())).exists();
        assertThat(workers.pending()).isEmpty();
    }

    @Test
    void cleansUpOnRequestAnUploadAStoppedServiceLeft() {
        startService();
        Volume uploading = uploadingVolume(false);
        heldBy(CleanableResource.VOLUME, uploading.id(), STOPPED_SERVICE);

        new VolumeRpc(bus).doCleanup(HOST, new CleanupRequest(STOPPED_SERVICE, null, null, null, null, null, null,
                null, Instant.now()));

        await().atMost(PATIENCE).until(() -> status(uploading) == VolumeStatus.AVAILABLE);
        assertThat(row(CleanableResource.VOLUME, uploading.id())).isEmpty();
    }
}
