package dev.basalt.volume.manager;

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
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.driver.Sizes;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.file.FileDriverSettings;
import dev.basalt.driver.file.FileVolumeDriver;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.UserMessage;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.ManageExistingSnapshot;
import dev.basalt.rpc.ManageableSnapshots;
import dev.basalt.rpc.ManageableSnapshotsQuery;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.SchedulerServerStub;
import dev.basalt.rpc.UnmanageSnapshot;
import dev.basalt.rpc.VolumeRpc;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The volume service's snapshot manage and unmanage work end to end: the real file driver in a
 * temporary directory, H2 and the in-JVM bus, checked by the files, the rows and the quota.
 */
class SnapshotAdoptionsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String HOST = "node1@file";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Database db;
    private VolumeRepository volumes;
    private SnapshotRepository snapshots;
    private MessageRepository messages;
    private InJvmBus bus;
    private Subscription scheduler;
    private VolumeService service;
    private final TestTargets iscsi = new TestTargets();

    @BeforeEach
    void open() {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 4);
        volumes = new VolumeRepository(db);
        snapshots = new SnapshotRepository(db);
        messages = new MessageRepository(db);
        bus = new InJvmBus();
        scheduler = SchedulerRpc.serve(bus, "sched1", new SchedulerServerStub() {
            @Override
            public void updateServiceCapabilities(dev.basalt.rpc.CapacityReport r) {
            }
        }, new LogLevels());
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

    private void start() {
        service = new VolumeService(new VolumeServiceSettings(HOST, "file", "az1", 20.0, 0, Duration.ofMillis(200),
                Duration.ofHours(1), Duration.ofDays(30), VolumeServiceSettings.DEFAULT_TARGET_PREFIX,
                Duration.ofSeconds(60)), new FileVolumeDriver(new FileDriverSettings(dir, true, VolumeClear.ZERO, 0,
                "file")), iscsi.target(), db, bus, Clock.systemUTC());
        service.start();
    }

    /** An available 1 GiB volume on the backend, with its file. */
    private Volume volume() throws Exception {
        return volume(1);
    }

    private Volume volume(int size) throws Exception {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "vol", null, size, VolumeStatus.AVAILABLE,
                AttachStatus.DETACHED, "az1", HOST + "#file", "t1", false, false, null, null, null, null, Map.of(),
                Instant.now(), null, null);
        volumes.create(v);
        file("volume-" + v.id(), size * Sizes.GIB);
        return v;
    }

    private Path file(String name, long size) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, "hello".getBytes());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
        return file;
    }

    /** A managed snapshot's row as the API writes it: creating, the volume's size and a snapshot reserved. */
    private Snapshot managed(Volume v, String reference, SnapshotStatus status) {
        Snapshot s = new Snapshot(Ids.newId(), v.id(), "p1", "u1", "snap", null, status, "0%", v.size(), "t1", null,
                Map.of(), Instant.now(), null);
        QuotaReservation reservation = QuotaReservation.of("p1", Map.of("snapshots", 1L, "gigabytes", (long) v.size()),
                Map.of("snapshots", -1, "gigabytes", -1));
        assertThat(snapshots.createManaged(s, reference, Set.of(VolumeStatus.AVAILABLE), reservation))
                .isEqualTo(SnapshotRepository.CreateOutcome.CREATED);
        return s;
    }

    private SnapshotStatus status(Snapshot s) {
        return snapshots.find(s.id()).map(Snapshot::status).orElse(null);
    }

    private long gigabytes(String kind) {
        var usage = new QuotaRepository(db).usages("p1").get("gigabytes");
        return kind.equals("in_use") ? usage.inUse() : usage.consumed();
    }

    @Test
    void adoptsASnapshotFileCountingItsGigabytesAndLetsItGoWithItsBytes() throws Exception {
        Volume v = volume();
        String reference = "volume-" + v.id() + ".old";
        file(reference, Sizes.GIB + 1);
        start();
        VolumeRpc rpc = new VolumeRpc(bus);
        assertThat(rpc.manageableSnapshots(HOST, new ManageableSnapshotsQuery("r1"), TIMEOUT).snapshots())
                .containsExactly(new ManageableSnapshots.Entry(reference, 2, true, null, null, null, "volume-" + v.id()));

        Snapshot s = managed(v, reference, SnapshotStatus.CREATING);
        rpc.manageExistingSnapshot(HOST, new ManageExistingSnapshot(s.id(), reference, "r2",
                Map.of("gigabytes", 100, "gigabytes:t1", -1)));

        await().atMost(PATIENCE).until(() -> status(s) == SnapshotStatus.AVAILABLE);
        assertThat(snapshots.find(s.id()).orElseThrow().volumeSize()).as("the snapshot's own size").isEqualTo(2);
        assertThat(snapshots.find(s.id()).orElseThrow().progress()).isEqualTo("100%");
        assertThat(dir.resolve(reference)).doesNotExist();
        assertThat(Files.size(dir.resolve("snapshot-" + s.id()))).isEqualTo(2 * Sizes.GIB);
        assertThat(gigabytes("in_use")).as("the reservation moved to the snapshot's size").isEqualTo(2);
        assertThat(rpc.manageableSnapshots(HOST, new ManageableSnapshotsQuery("r3"), TIMEOUT).snapshots())
                .containsExactly(new ManageableSnapshots.Entry("snapshot-" + s.id(), 2, false, "already managed",
                        s.id(), null, "volume-" + v.id()));

        assertThat(snapshots.beginUnmanage(s.id(), Set.of(SnapshotStatus.AVAILABLE)))
                .isEqualTo(SnapshotRepository.DeleteOutcome.STARTED);
        rpc.unmanageSnapshot(HOST, new UnmanageSnapshot(s.id(), "r4"));
        await().atMost(PATIENCE).until(() -> snapshots.find(s.id()).isEmpty());
        try (var in = Files.newInputStream(dir.resolve("volume-" + v.id() + ".snapshot-" + s.id()))) {
            assertThat(in.readNBytes(5)).isEqualTo("hello".getBytes());
        }
        assertThat(gigabytes("consumed")).isZero();
        assertThat(new QuotaRepository(db).usages("p1").get("snapshots").consumed()).isZero();
    }

    @Test
    void aSnapshotSmallerThanItsVolumeGivesBackWhatTheApiReservedOverItsSize() throws Exception {
        Volume v = volume(3);
        String reference = "volume-" + v.id() + ".small";
        file(reference, Sizes.GIB);
        start();
        Snapshot s = managed(v, reference, SnapshotStatus.CREATING);
        new VolumeRpc(bus).manageExistingSnapshot(HOST, new ManageExistingSnapshot(s.id(), reference, "r1",
                Map.of("gigabytes", 100)));

        await().atMost(PATIENCE).until(() -> status(s) == SnapshotStatus.AVAILABLE);
        assertThat(snapshots.find(s.id()).orElseThrow().volumeSize()).isEqualTo(1);
        assertThat(gigabytes("in_use")).isEqualTo(1);
        assertThat(gigabytes("consumed")).isEqualTo(1);
    }

    @Test
    void aBadReferenceOrASizeOverQuotaFailsTheSnapshotAndLeavesTheStorageAlone() throws Exception {
        Volume v = volume();
        Volume other = volume();
        String big = "volume-" + v.id() + ".big";
        file(big, 3 * Sizes.GIB);
        start();
        VolumeRpc rpc = new VolumeRpc(bus);
        Snapshot missing = managed(v, "volume-" + v.id() + ".nothing", SnapshotStatus.CREATING);
        Snapshot notItsVolume = managed(other, big, SnapshotStatus.CREATING);
        Snapshot tooBig = managed(v, big, SnapshotStatus.CREATING);
        rpc.manageExistingSnapshot(HOST, new ManageExistingSnapshot(missing.id(), "volume-" + v.id() + ".nothing",
                "r1", Map.of()));
        rpc.manageExistingSnapshot(HOST, new ManageExistingSnapshot(notItsVolume.id(), big, "r2", Map.of()));
        rpc.manageExistingSnapshot(HOST, new ManageExistingSnapshot(tooBig.id(), big, "r3", Map.of("gigabytes", 2)));

        await().atMost(PATIENCE).until(() -> status(missing) == SnapshotStatus.ERROR
                && status(notItsVolume) == SnapshotStatus.ERROR && status(tooBig) == SnapshotStatus.ERROR);
        assertThat(dir.resolve(big)).exists();
        assertThat(messages.forResource(missing.id())).singleElement().satisfies(m -> {
            assertThat(m.detail()).contains("there is no file volume-" + v.id() + ".nothing");
            assertThat(m.eventId()).isEqualTo("VOLUME_VOLUME_SNAPSHOT_018_001");
        });
        assertThat(messages.forResource(notItsVolume.id())).extracting(UserMessage::detail).singleElement()
                .asString().contains("is not the name of a snapshot of volume " + other.id());
        assertThat(messages.forResource(tooBig.id())).extracting(UserMessage::detail).singleElement()
                .asString().contains("exceed the project's quota");
        assertThat(snapshots.find(tooBig.id()).orElseThrow().volumeSize()).as("nothing was recorded").isEqualTo(1);
        assertThat(gigabytes("in_use") + new QuotaRepository(db).usages("p1").get("gigabytes").reserved())
                .as("the failed manages' reservations went back").isZero();
    }

    @Test
    void aRestartFinishesAdoptedManagesFailsTheOthersAndFinishesUnmanages() throws Exception {
        Volume v = volume();
        Snapshot adopted = managed(v, "volume-" + v.id() + ".a", SnapshotStatus.CREATING);
        file("snapshot-" + adopted.id(), Sizes.GIB);
        Snapshot notYet = managed(v, "volume-" + v.id() + ".b", SnapshotStatus.CREATING);
        file("volume-" + v.id() + ".b", Sizes.GIB);
        Snapshot failedMeanwhile = managed(v, "volume-" + v.id() + ".c", SnapshotStatus.ERROR);
        file("snapshot-" + failedMeanwhile.id(), Sizes.GIB);
        Snapshot leaving = managed(v, "volume-" + v.id() + ".d", SnapshotStatus.UNMANAGING);
        file("snapshot-" + leaving.id(), Sizes.GIB);

        start();

        assertThat(status(adopted)).isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(status(notYet)).isEqualTo(SnapshotStatus.ERROR);
        assertThat(dir.resolve("volume-" + v.id() + ".b")).as("not adopted: never wiped").exists();
        assertThat(messages.forResource(notYet.id())).extracting(UserMessage::detail)
                .containsExactly(SnapshotAdoptions.STOPPED_WHILE_MANAGING);
        assertThat(snapshots.find(leaving.id())).isEmpty();
        assertThat(dir.resolve("volume-" + v.id() + ".snapshot-" + leaving.id())).exists();
        assertThat(dir.resolve("snapshot-" + failedMeanwhile.id())).as("a failed manage keeps what it adopted")
                .doesNotExist();
        assertThat(dir.resolve("volume-" + v.id() + ".snapshot-" + failedMeanwhile.id())).exists();
    }
}
