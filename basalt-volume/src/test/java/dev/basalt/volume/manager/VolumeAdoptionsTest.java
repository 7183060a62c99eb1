package dev.basalt.volume.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.bus.InJvmBus;
import dev.basalt.common.Ids;
import dev.basalt.common.LogLevels;
import dev.basalt.db.Database;
import dev.basalt.db.JdbcTarget;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.QuotaRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.driver.Sizes;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.file.FileDriverSettings;
import dev.basalt.driver.file.FileVolumeDriver;
import dev.basalt.bus.Subscription;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.UserMessage;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.ManageExisting;
import dev.basalt.rpc.ManageableVolumes;
import dev.basalt.rpc.ManageableVolumesQuery;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.SchedulerServerStub;
import dev.basalt.rpc.UnmanageVolume;
import dev.basalt.rpc.VolumeRpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The volume service's manage and unmanage work end to end: the real file driver in a temporary
 * directory, H2 and the in-JVM bus, checked by the files, the rows and the quota.
 */
class VolumeAdoptionsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String HOST = "node1@file";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Database db;
    private VolumeRepository volumes;
    private MessageRepository messages;
    private InJvmBus bus;
    private Subscription scheduler;
    private VolumeService service;
    private final TestTargets iscsi = new TestTargets();

    @BeforeEach
    void open() {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 4);
        volumes = new VolumeRepository(db);
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

    private Volume row(VolumeStatus status, int size, String host) {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "vol", null, size, status, AttachStatus.DETACHED, "az1", host,
                "t1", false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
        volumes.create(v);
        return v;
    }

    private VolumeStatus status(Volume v) {
        return volumes.find(v.id()).map(Volume::status).orElse(null);
    }

    @Test
    void adoptsAFileAsAVolumeCountingItsGigabytesAndLetsItGoWithItsBytes() throws Exception {
        start();
        Path legacy = dir.resolve("legacy.img");
        Files.write(legacy, "hello".getBytes());
        try (var raf = new java.io.RandomAccessFile(legacy.toFile(), "rw")) {
            raf.setLength(Sizes.GIB + 1);
        }
        VolumeRpc rpc = new VolumeRpc(bus);
        assertThat(rpc.manageableVolumes(HOST, new ManageableVolumesQuery("r1"), TIMEOUT).volumes())
                .containsExactly(new ManageableVolumes.Entry("legacy.img", 2, true, null, null, null));

        Volume v = row(VolumeStatus.MANAGING, 0, HOST);
        rpc.manageExisting(HOST, new ManageExisting(v.id(), "legacy.img", "r2",
                Map.of("gigabytes", 100, "gigabytes:t1", -1, "per_volume_gigabytes", -1)));

        await().atMost(PATIENCE).until(() -> status(v) == VolumeStatus.AVAILABLE);
        Volume managed = volumes.find(v.id()).orElseThrow();
        assertThat(managed.size()).isEqualTo(2);
        assertThat(managed.host()).isEqualTo(HOST + "#file");
        assertThat(legacy).doesNotExist();
        assertThat(Files.size(dir.resolve("volume-" + v.id()))).isEqualTo(2 * Sizes.GIB);
        assertThat(new QuotaRepository(db).usages("p1").get("gigabytes").inUse()).isEqualTo(2);
        assertThat(rpc.manageableVolumes(HOST, new ManageableVolumesQuery("r3"), TIMEOUT).volumes())
                .containsExactly(new ManageableVolumes.Entry("volume-" + v.id(), 2, false, "already managed", v.id(),
                        null));

        volumes.transition(v.id(), java.util.Set.of(VolumeStatus.AVAILABLE), VolumeStatus.UNMANAGING);
        rpc.unmanageVolume(HOST, new UnmanageVolume(v.id(), "r4"));
        await().atMost(PATIENCE).until(() -> volumes.find(v.id()).isEmpty());
        try (var in = Files.newInputStream(dir.resolve("unmanaged-volume-" + v.id()))) {
            assertThat(in.readNBytes(5)).isEqualTo("hello".getBytes());
        }
        assertThat(new QuotaRepository(db).usages("p1").get("gigabytes").consumed()).isZero();
    }

    @Test
    void aBadReferenceOrASizeOverQuotaFailsTheVolumeAndLeavesTheStorageAlone() throws Exception {
        start();
        Files.write(dir.resolve("big.img"), new byte[] {1});
        VolumeRpc rpc = new VolumeRpc(bus);
        Volume missing = row(VolumeStatus.MANAGING, 0, HOST);
        Volume noName = row(VolumeStatus.MANAGING, 0, HOST);
        Volume tooBig = row(VolumeStatus.MANAGING, 0, HOST + "#file");
        Volume noPool = row(VolumeStatus.MANAGING, 0, HOST + "#elsewhere");
        rpc.manageExisting(HOST, new ManageExisting(missing.id(), "nothing.img", "r1", Map.of()));
        rpc.manageExisting(HOST, new ManageExisting(noName.id(), null, "r2", Map.of()));
        rpc.manageExisting(HOST, new ManageExisting(tooBig.id(), "big.img", "r3", Map.of("gigabytes", 0)));
        rpc.manageExisting(HOST, new ManageExisting(noPool.id(), "big.img", "r4", Map.of()));

        await().atMost(PATIENCE).until(() -> status(missing) == VolumeStatus.ERROR_MANAGING
                && status(noName) == VolumeStatus.ERROR_MANAGING && status(tooBig) == VolumeStatus.ERROR_MANAGING
                && status(noPool) == VolumeStatus.ERROR_MANAGING);
        assertThat(dir.resolve("big.img")).exists();
        List<UserMessage> left = messages.list("p1");
        assertThat(left).extracting(UserMessage::resourceUuid).contains(missing.id(), noName.id(), tooBig.id());
        assertThat(left).filteredOn(m -> m.resourceUuid().equals(missing.id())).singleElement()
                .satisfies(m -> assertThat(m.detail()).contains("there is no file nothing.img"));
        assertThat(left).filteredOn(m -> m.resourceUuid().equals(noName.id())).singleElement()
                .satisfies(m -> assertThat(m.detail()).contains("Reference must contain source-name element."));
        assertThat(left).filteredOn(m -> m.resourceUuid().equals(noPool.id())).singleElement()
                .satisfies(m -> assertThat(m.detail()).contains("has no pool elsewhere"));
        assertThat(volumes.find(tooBig.id()).orElseThrow().size()).as("nothing was recorded").isZero();
    }

    @Test
    void aManageDeliveredAgainAfterTheStorageWasAdoptedFinishesTheVolume() throws Exception {
        start();
        Volume sized = row(VolumeStatus.MANAGING, 1, HOST + "#file");
        Files.write(dir.resolve("volume-" + sized.id()), new byte[] {3});

        new VolumeRpc(bus).manageExisting(HOST, new ManageExisting(sized.id(), "renamed-already.img", "r1", Map.of()));

        await().atMost(PATIENCE).until(() -> status(sized) == VolumeStatus.AVAILABLE);
        assertThat(Files.size(dir.resolve("volume-" + sized.id()))).isEqualTo(Sizes.GIB);
    }

    @Test
    void aRestartFinishesAdoptedManagesFailsTheOthersAndFinishesUnmanages() throws Exception {
        Volume adopted = row(VolumeStatus.MANAGING, 1, HOST + "#file");
        Files.write(dir.resolve("volume-" + adopted.id()), new byte[] {7});
        Volume notYet = row(VolumeStatus.MANAGING, 0, HOST);
        Volume failedMeanwhile = row(VolumeStatus.ERROR_MANAGING, 1, HOST + "#file");
        Files.write(dir.resolve("volume-" + failedMeanwhile.id()), new byte[] {5});
        Volume leaving = row(VolumeStatus.UNMANAGING, 1, HOST + "#file");
        Files.write(dir.resolve("volume-" + leaving.id()), new byte[] {9});

        start();

        assertThat(status(adopted)).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(Files.size(dir.resolve("volume-" + adopted.id()))).isEqualTo(Sizes.GIB);
        assertThat(status(notYet)).isEqualTo(VolumeStatus.ERROR_MANAGING);
        assertThat(volumes.find(leaving.id())).isEmpty();
        assertThat(dir.resolve("unmanaged-volume-" + leaving.id())).exists();
        assertThat(dir.resolve("volume-" + failedMeanwhile.id())).as("a failed manage keeps what it adopted")
                .doesNotExist();
        assertThat(dir.resolve("unmanaged-volume-" + failedMeanwhile.id())).exists();
    }
}
