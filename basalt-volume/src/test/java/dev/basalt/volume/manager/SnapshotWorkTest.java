package dev.basalt.volume.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.bus.InJvmBus;
import dev.basalt.bus.Subscription;
import dev.basalt.common.Ids;
import dev.basalt.db.Database;
import dev.basalt.db.JdbcTarget;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.UserMessage;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CapacityReport;
import dev.basalt.rpc.CreateSnapshot;
import dev.basalt.rpc.CreateVolume;
import dev.basalt.rpc.DeleteSnapshot;
import dev.basalt.rpc.DeleteVolume;
import dev.basalt.rpc.ExtendVolume;
import dev.basalt.rpc.RevertToSnapshot;
import dev.basalt.common.LogLevels;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.SchedulerServerStub;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.driver.Sizes;
import dev.basalt.driver.SnapshotSpec;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.driver.VolumeSpec;
import dev.basalt.driver.file.FileDriverSettings;
import dev.basalt.driver.file.FileVolumeDriver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The volume service's snapshot, clone, extend and revert work end to end: the real file driver in a
 * temporary directory, H2 and the in-JVM bus, checked by the bytes in the files.
 */
class SnapshotWorkTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String HOST = "node1@file";
    private static final String POOL = HOST + "#file";
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private Database db;
    private VolumeRepository volumes;
    private SnapshotRepository snapshots;
    private VolumeTransitions transitions;
    private ServiceRepository services;
    private MessageRepository messages;
    private InJvmBus bus;
    private VolumeService service;
    private final Queue<CapacityReport> reports = new ConcurrentLinkedQueue<>();
    private Subscription scheduler;

    @BeforeEach
    void open() {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 4);
        volumes = new VolumeRepository(db);
        snapshots = new SnapshotRepository(db);
        transitions = new VolumeTransitions(db, volumes);
        services = new ServiceRepository(db);
        messages = new MessageRepository(db);
        bus = new InJvmBus();
        scheduler = SchedulerRpc.serve(bus, "sched1", new SchedulerServerStub() {
            @Override
            public void updateServiceCapabilities(CapacityReport r) {
                reports.add(r);
            }
        }, new LogLevels());
    }

    private final TestTargets iscsi = new TestTargets();

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

    private FileVolumeDriver fileDriver() {
        return new FileVolumeDriver(new FileDriverSettings(dir, true, VolumeClear.ZERO, 0, "file"));
    }

    private void start(VolumeDriver driver) {
        service = new VolumeService(new VolumeServiceSettings(HOST, "file", "az1", 20.0, 0, Duration.ofMillis(200),
                Duration.ofHours(1), Duration.ofDays(30), VolumeServiceSettings.DEFAULT_TARGET_PREFIX, Duration.ofSeconds(60)), driver,
                iscsi.target(), db, bus, Clock.systemUTC());
        service.start();
    }

    private VolumeRpc volumeService() {
        return new VolumeRpc(bus);
    }

    private Volume row(int size, VolumeStatus status, String snapshotId, String sourceVolid) {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "vol", null, size, status, AttachStatus.DETACHED, "az1", POOL,
                null, false, false, snapshotId, sourceVolid, null, null, Map.of(), Instant.now(), null, null);
        volumes.create(v);
        return v;
    }

    /** A volume made through the service, holding {@code pattern} at its start. */
    private Volume availableVolume(int size, byte[] pattern) throws IOException {
        Volume v = row(size, VolumeStatus.CREATING, null, null);
        volumeService().createVolume(HOST, new CreateVolume(v.id(), null));
        await().atMost(PATIENCE).until(() -> status(v) == VolumeStatus.AVAILABLE);
        write(volumeFile(v.id()), 0, pattern);
        return volumes.find(v.id()).orElseThrow();
    }

    private Snapshot snapshotRow(Volume v) {
        Snapshot s = new Snapshot(Ids.newId(), v.id(), "p1", "u1", "snap", null, SnapshotStatus.CREATING, "0%",
                v.size(), null, null, Map.of(), Instant.now(), null);
        assertThat(snapshots.create(s, EnumSet.allOf(VolumeStatus.class)))
                .isEqualTo(SnapshotRepository.CreateOutcome.CREATED);
        return s;
    }

    private Snapshot takeSnapshot(Volume v) {
        Snapshot s = snapshotRow(v);
        volumeService().createSnapshot(HOST, new CreateSnapshot(s.id(), "req-snap"));
        await().atMost(PATIENCE).until(() -> snapshotStatus(s) == SnapshotStatus.AVAILABLE);
        return snapshots.find(s.id()).orElseThrow();
    }

    private VolumeStatus status(Volume v) {
        return volumes.find(v.id()).map(Volume::status).orElse(null);
    }

    private SnapshotStatus snapshotStatus(Snapshot s) {
        return snapshots.find(s.id()).map(Snapshot::status).orElse(null);
    }

    private Path volumeFile(String id) {
        return dir.resolve("volume-" + id);
    }

    private Path snapshotFile(String id) {
        return dir.resolve("snapshot-" + id);
    }

    private static byte[] pattern(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
        }
    }

    /**
     * Whether the file holds exactly {@code size} bytes: {@code head}, then zeros (the whole content
     * compared, the zeros by vectorised mismatch so that GiB-sized volumes stay quick to check).
     */
    private static boolean holds(Path file, byte[] head, long size) throws IOException {
        if (Files.size(file) != size) {
            return false;
        }
        ByteBuffer chunk = ByteBuffer.allocateDirect(8 << 20);
        ByteBuffer zeros = ByteBuffer.allocateDirect(8 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long position = 0;
            while (position < size) {
                chunk.clear();
                int read = channel.read(chunk, position);
                if (read <= 0) {
                    return false;
                }
                chunk.flip();
                for (int i = 0; i < read; i++) {
                    long at = position + i;
                    if (at >= head.length) {
                        zeros.clear().limit(read - i);
                        if (chunk.position(i).mismatch(zeros) != -1) {
                            return false;
                        }
                        break;
                    }
                    if (chunk.get(i) != head[(int) at]) {
                        return false;
                    }
                }
                position += read;
            }
        }
        return true;
    }

    @Test
    void takesASnapshotThatKeepsTheBytesOfThatMomentAndARedeliveryIsHarmless() throws Exception {
        start(fileDriver());
        byte[] before = pattern(1, (int) (3 * MIB));
        Volume v = availableVolume(1, before);
        Snapshot s = takeSnapshot(v);
        assertThat(s.progress()).isEqualTo("100%");
        assertThat(s.errorReason()).isNull();
        write(volumeFile(v.id()), 0, pattern(2, (int) MIB));

        assertThat(holds(snapshotFile(s.id()), before, Sizes.GIB)).isTrue();
        assertThat(holds(volumeFile(v.id()), before, Sizes.GIB)).isFalse();

        volumeService().createSnapshot(HOST, new CreateSnapshot(s.id(), "req-snap"));
        Volume marker = availableVolume(1, new byte[0]);
        assertThat(marker).isNotNull();
        assertThat(snapshotStatus(s)).isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(holds(snapshotFile(s.id()), before, Sizes.GIB)).isTrue();
        assertThat(messages.forResource(s.id())).isEmpty();
    }

    @Test
    void capacityReportsCountSnapshotsAsSoonAsTheyAreTaken() throws Exception {
        start(fileDriver());
        Volume v = availableVolume(2, new byte[0]);
        reports.clear();
        takeSnapshot(v);
        await().atMost(PATIENCE).until(() -> reports.stream()
                .anyMatch(r -> r.pools().get(0).provisionedCapacityGb() == 4.0));
    }

    @Test
    void aSnapshotTheDriverCannotTakeIsInErrorWithAReasonAndAUserMessage() throws Exception {
        start(fileDriver());
        Volume v = availableVolume(1, new byte[0]);
        Files.delete(volumeFile(v.id()));
        Snapshot s = snapshotRow(v);
        volumeService().createSnapshot(HOST, new CreateSnapshot(s.id(), "req-bad"));
        await().atMost(PATIENCE).until(() -> snapshotStatus(s) == SnapshotStatus.ERROR);
        assertThat(snapshots.find(s.id()).orElseThrow().errorReason())
                .startsWith("The volume driver failed to take the snapshot: ").contains("does not exist");
        assertThat(messages.forResource(s.id())).singleElement().satisfies(m -> {
            assertThat(m.resourceType()).isEqualTo("VOLUME_SNAPSHOT");
            assertThat(m.actionId()).isEqualTo("009");
            assertThat(m.detailId()).isEqualTo("013");
            assertThat(m.eventId()).isEqualTo("VOLUME_VOLUME_SNAPSHOT_009_013");
            assertThat(m.requestId()).isEqualTo("req-bad");
        });
        assertThat(snapshotFile(s.id())).doesNotExist();
    }

    @Test
    void snapshotsOfOtherBackendsOrNotCreatingAreLeftAlone() throws Exception {
        start(fileDriver());
        Volume elsewhere = row(1, VolumeStatus.AVAILABLE, null, null);
        volumes.resetStatus(elsewhere.id(), VolumeStatus.AVAILABLE, null);
        Volume other = new Volume(Ids.newId(), "p1", "u1", "vol", null, 1, VolumeStatus.AVAILABLE,
                AttachStatus.DETACHED, "az1", "node2@file#file", null, false, false, null, null, null, null,
                Map.of(), Instant.now(), null, null);
        volumes.create(other);
        Snapshot foreign = snapshotRow(other);
        volumeService().createSnapshot(HOST, new CreateSnapshot(foreign.id(), null));
        volumeService().createSnapshot(HOST, new CreateSnapshot(Ids.newId(), null));
        Volume v = availableVolume(1, new byte[0]);
        Snapshot mine = takeSnapshot(v);
        volumeService().deleteSnapshot(HOST, new DeleteSnapshot(mine.id(), null));
        Volume marker = availableVolume(1, new byte[0]);
        assertThat(marker).isNotNull();
        assertThat(snapshotStatus(foreign)).isEqualTo(SnapshotStatus.CREATING);
        assertThat(snapshotFile(foreign.id())).doesNotExist();
        assertThat(snapshotStatus(mine)).as("an available snapshot is not deleted").isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(snapshotFile(mine.id())).exists();
    }

    @Test
    void deletesASnapshotAndItsFileAndAFailureIsErrorDeleting() throws Exception {
        start(fileDriver());
        Volume v = availableVolume(1, pattern(3, 4096));
        Snapshot s = takeSnapshot(v);
        assertThat(snapshots.beginDelete(s.id(), Set.of(SnapshotStatus.AVAILABLE)))
                .isEqualTo(SnapshotRepository.DeleteOutcome.STARTED);
        volumeService().deleteSnapshot(HOST, new DeleteSnapshot(s.id(), "req-del"));
        await().atMost(PATIENCE).until(() -> snapshots.find(s.id()).isEmpty());
        assertThat(snapshotFile(s.id())).doesNotExist();
        assertThat(volumeFile(v.id())).exists();
        volumeService().deleteSnapshot(HOST, new DeleteSnapshot(s.id(), "req-del"));

        Snapshot broken = snapshotRow(v);
        snapshots.resetStatus(broken.id(), SnapshotStatus.DELETING);
        Files.createDirectory(snapshotFile(broken.id()));
        volumeService().deleteSnapshot(HOST, new DeleteSnapshot(broken.id(), "req-broken"));
        await().atMost(PATIENCE).until(() -> snapshotStatus(broken) == SnapshotStatus.ERROR_DELETING);
        assertThat(snapshots.find(broken.id()).orElseThrow().errorReason())
                .startsWith("The volume driver failed to delete the snapshot: ");
        assertThat(messages.forResource(broken.id())).singleElement()
                .satisfies(m -> assertThat(m.eventId()).isEqualTo("VOLUME_VOLUME_SNAPSHOT_010_016"));
    }

    @Test
    void volumesFromASnapshotAndClonesHoldTheSourceBytesThenZeros() throws Exception {
        start(fileDriver());
        byte[] original = pattern(4, (int) (2 * MIB + 123));
        Volume v = availableVolume(1, original);
        Snapshot s = takeSnapshot(v);
        byte[] changed = pattern(5, (int) MIB);
        write(volumeFile(v.id()), 0, changed);
        byte[] current = original.clone();
        System.arraycopy(changed, 0, current, 0, changed.length);

        Volume same = row(1, VolumeStatus.CREATING, s.id(), null);
        Volume larger = row(2, VolumeStatus.CREATING, s.id(), null);
        Volume clone = row(1, VolumeStatus.CREATING, null, v.id());
        for (Volume n : List.of(same, larger, clone)) {
            volumeService().createVolume(HOST, new CreateVolume(n.id(), null));
        }
        await().atMost(PATIENCE).until(() -> List.of(same, larger, clone).stream()
                .allMatch(n -> status(n) == VolumeStatus.AVAILABLE));
        assertThat(holds(volumeFile(same.id()), original, Sizes.GIB)).isTrue();
        assertThat(holds(volumeFile(larger.id()), original, 2 * Sizes.GIB)).isTrue();
        assertThat(holds(volumeFile(clone.id()), current, Sizes.GIB)).isTrue();

        write(volumeFile(clone.id()), 0, pattern(6, 4096));
        assertThat(holds(volumeFile(v.id()), current, Sizes.GIB)).as("the source does not see writes to its clone")
                .isTrue();
    }

    @Test
    void aVolumeFromAMissingSnapshotIsInError() {
        start(fileDriver());
        Volume v = row(1, VolumeStatus.CREATING, Ids.newId(), null);
        volumeService().createVolume(HOST, new CreateVolume(v.id(), "req"));
        await().atMost(PATIENCE).until(() -> status(v) == VolumeStatus.ERROR);
        assertThat(volumes.find(v.id()).orElseThrow().errorReason()).contains("does not exist");
        assertThat(messages.forResource(v.id())).singleElement()
                .satisfies(m -> assertThat(m.eventId()).isEqualTo("VOLUME_VOLUME_008_012"));
    }

    @Test
    void aCascadingDeleteRemovesTheSnapshotsThenTheVolume() throws Exception {
        start(fileDriver());
        Volume v = availableVolume(1, pattern(7, 8192));
        Snapshot a = takeSnapshot(v);
        Snapshot b = takeSnapshot(v);
        assertThat(transitions.beginDelete(v.id(), Set.of(VolumeStatus.AVAILABLE), true, false).outcome())
                .isEqualTo(VolumeTransitions.Outcome.DONE);
        volumeService().deleteVolume(HOST, new DeleteVolume(v.id(), "req-cascade"));
        await().atMost(PATIENCE).until(() -> volumes.find(v.id()).isEmpty());
        assertThat(snapshots.forVolume(v.id())).isEmpty();
        assertThat(List.of(snapshotFile(a.id()), snapshotFile(b.id()), volumeFile(v.id())))
                .allSatisfy(f -> assertThat(f).doesNotExist());
    }

    @Test
    void aCascadeStopsAtASnapshotThatCannotBeDeleted() throws Exception {
        start(fileDriver());
        Volume v = availableVolume(1, new byte[0]);
        Snapshot ok = takeSnapshot(v);
        Snapshot broken = snapshotRow(v);
        snapshots.resetStatus(broken.id(), SnapshotStatus.AVAILABLE);
        Files.createDirectory(snapshotFile(broken.id()));
        transitions.beginDelete(v.id(), Set.of(VolumeStatus.AVAILABLE), true, false);
        volumeService().deleteVolume(HOST, new DeleteVolume(v.id(), null));
        await().atMost(PATIENCE).until(() -> status(v) == VolumeStatus.ERROR_DELETING);
        assertThat(volumes.find(v.id()).orElseThrow().errorReason()).contains(broken.id());
        assertThat(snapshotStatus(broken)).isEqualTo(SnapshotStatus.ERROR_DELETING);
        assertThat(snapshots.find(ok.id())).isEmpty();
        assertThat(volumeFile(v.id())).exists();
    }

    @Test
    void extendsToTheRecordedSizeAndARedeliveryIsHarmless() throws Exception {
        start(fileDriver());
        byte[] data = pattern(8, 65536);
        Volume v = availableVolume(1, data);
        assertThat(transitions.beginExtend(v.id(), 2).outcome()).isEqualTo(VolumeTransitions.Outcome.DONE);
        volumeService().extendVolume(HOST, new ExtendVolume(v.id(), 2, "req-ext"));
        await().atMost(PATIENCE).until(() -> status(v) == VolumeStatus.AVAILABLE);
        Volume grown = volumes.find(v.id()).orElseThrow();
        assertThat(grown.size()).isEqualTo(2);
        assertThat(grown.adminMetadata()).doesNotContainKey(Volume.EXTEND_NEW_SIZE);
        assertThat(holds(volumeFile(v.id()), data, 2 * Sizes.GIB)).isTrue();
        volumeService().extendVolume(HOST, new ExtendVolume(v.id(), 2, "req-ext"));
        Volume marker = availableVolume(1, new byte[0]);
        assertThat(marker).isNotNull();
        assertThat(volumes.find(v.id()).orElseThrow().size()).isEqualTo(2);
    }

    @Test
    void aFailedExtendIsErrorExtendingWithAUserMessage() throws Exception {
        start(fileDriver());
        Volume v = availableVolume(1, new byte[0]);
        transitions.beginExtend(v.id(), 2);
        Files.delete(volumeFile(v.id()));
        volumeService().extendVolume(HOST, new ExtendVolume(v.id(), 2, "req-ext"));
        await().atMost(PATIENCE).until(() -> status(v) == VolumeStatus.ERROR_EXTENDING);
        Volume failed = volumes.find(v.id()).orElseThrow();
        assertThat(failed.size()).isEqualTo(1);
        assertThat(failed.errorReason()).startsWith("The volume driver failed to extend the volume: ");
        assertThat(messages.forResource(v.id())).singleElement().satisfies(m -> {
            assertThat(m.eventId()).isEqualTo("VOLUME_VOLUME_007_010");
            assertThat(m.detail()).isEqualTo("Volume Driver failed to extend volume.");
        });
    }

    @Test
    void revertsTheVolumeInPlaceToItsSnapshotAndARedeliveryIsHarmless() throws Exception {
        start(fileDriver());
        byte[] before = pattern(11, (int) MIB);
        Volume v = availableVolume(1, before);
        Snapshot s = takeSnapshot(v);
        byte[] after = pattern(12, (int) (2 * MIB));
        write(volumeFile(v.id()), 0, after);
        assertThat(transitions.beginRevert(v.id(), s.id())).isEqualTo(VolumeTransitions.Outcome.DONE);

        volumeService().revertToSnapshot(HOST, new RevertToSnapshot(v.id(), s.id(), "req-revert"));

        await().atMost(PATIENCE).until(() -> status(v) == VolumeStatus.AVAILABLE);
        assertThat(snapshotStatus(s)).isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(holds(volumeFile(v.id()), before, Sizes.GIB)).isTrue();
        assertThat(holds(snapshotFile(s.id()), before, Sizes.GIB)).isTrue();
        assertThat(new dev.basalt.db.WorkerRepository(db).pending()).isEmpty();

        write(volumeFile(v.id()), 0, after);
        volumeService().revertToSnapshot(HOST, new RevertToSnapshot(v.id(), s.id(), "req-revert"));
        Volume marker = availableVolume(1, new byte[0]);
        assertThat(marker).isNotNull();
        assertThat(holds(volumeFile(v.id()), after, Sizes.GIB)).as("a redelivered revert is not done again")
                .isTrue();
    }

    @Test
    void aFailedRevertLeavesTheVolumeInErrorTheSnapshotAvailableAndAUserMessage() throws Exception {
        start(fileDriver());
        Volume v = availableVolume(1, pattern(13, 4096));
        Snapshot s = takeSnapshot(v);
        transitions.beginRevert(v.id(), s.id());
        Files.delete(snapshotFile(s.id()));

        volumeService().revertToSnapshot(HOST, new RevertToSnapshot(v.id(), s.id(), "req-revert"));

        await().atMost(PATIENCE).until(() -> status(v) == VolumeStatus.ERROR);
        assertThat(volumes.find(v.id()).orElseThrow().errorReason()).startsWith(VolumeReverter.REVERT_FAILED);
        assertThat(snapshotStatus(s)).isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(messages.forResource(v.id())).singleElement().satisfies(m -> {
            assertThat(m.eventId()).isEqualTo("VOLUME_VOLUME_017_001");
            assertThat(m.requestId()).isEqualTo("req-revert");
        });
    }

    @Test
    void aRestartRedoesARevertLeftInFlight() throws Exception {
        FileVolumeDriver before = fileDriver();
        before.start();
        Volume v = row(1, VolumeStatus.AVAILABLE, null, null);
        before.createVolume(new VolumeSpec(v.id(), 1));
        byte[] data = pattern(14, 65536);
        write(volumeFile(v.id()), 0, data);
        Snapshot s = snapshotRow(v);
        before.createSnapshot(new SnapshotSpec(s.id(), v.id(), 1));
        snapshots.markAvailable(s.id());
        write(volumeFile(v.id()), 0, pattern(15, 65536));
        assertThat(transitions.beginRevert(v.id(), s.id())).isEqualTo(VolumeTransitions.Outcome.DONE);

        Volume lost = row(1, VolumeStatus.REVERTING, null, null);
        before.createVolume(new VolumeSpec(lost.id(), 1));

        start(fileDriver());

        assertThat(status(v)).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(snapshotStatus(s)).isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(holds(volumeFile(v.id()), data, Sizes.GIB)).isTrue();
        Volume failed = volumes.find(lost.id()).orElseThrow();
        assertThat(failed.status()).as("no snapshot restoring: nothing to revert to").isEqualTo(VolumeStatus.ERROR);
        assertThat(failed.errorReason()).isEqualTo(VolumeReverter.SNAPSHOT_UNKNOWN);
    }

    @Test
    void aRestartFailsSnapshotsBeingTakenFinishesDeletesAndFinishesExtends() throws Exception {
        FileVolumeDriver before = fileDriver();
        before.start();
        Volume v = row(1, VolumeStatus.AVAILABLE, null, null);
        before.createVolume(new VolumeSpec(v.id(), 1));
        Snapshot creating = snapshotRow(v);
        before.createSnapshot(new SnapshotSpec(creating.id(), v.id(), 1));
        Snapshot deleting = snapshotRow(v);
        before.createSnapshot(new SnapshotSpec(deleting.id(), v.id(), 1));
        snapshots.resetStatus(deleting.id(), SnapshotStatus.DELETING);
        Volume extending = row(1, VolumeStatus.AVAILABLE, null, null);
        before.createVolume(new VolumeSpec(extending.id(), 1));
        transitions.beginExtend(extending.id(), 2);
        Volume unknownSize = row(1, VolumeStatus.EXTENDING, null, null);
        before.createVolume(new VolumeSpec(unknownSize.id(), 1));

        start(fileDriver());

        Snapshot failed = snapshots.find(creating.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(SnapshotStatus.ERROR);
        assertThat(failed.errorReason()).isEqualTo(SnapshotManager.RESTARTED_WHILE_CREATING);
        assertThat(snapshotFile(creating.id())).doesNotExist();
        assertThat(snapshots.find(deleting.id())).isEmpty();
        assertThat(snapshotFile(deleting.id())).doesNotExist();
        Volume grown = volumes.find(extending.id()).orElseThrow();
        assertThat(grown.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(grown.size()).isEqualTo(2);
        assertThat(Files.size(volumeFile(extending.id()))).isEqualTo(2 * Sizes.GIB);
        Volume unknown = volumes.find(unknownSize.id()).orElseThrow();
        assertThat(unknown.status()).isEqualTo(VolumeStatus.ERROR_EXTENDING);
        assertThat(unknown.errorReason()).isEqualTo(VolumeExtender.SIZE_UNKNOWN);
    }

    @Test
    void aRestartSettlesTheQuotaOfWorkLeftInFlight() throws Exception {
        dev.basalt.db.QuotaRepository quotas = new dev.basalt.db.QuotaRepository(db);
        java.util.function.Function<String, dev.basalt.db.QuotaUsage> usage =
                r -> quotas.usages("p1").getOrDefault(r, dev.basalt.db.QuotaUsage.NONE);
        FileVolumeDriver before = fileDriver();
        before.start();
        Volume v = row(1, VolumeStatus.AVAILABLE, null, null);
        before.createVolume(new VolumeSpec(v.id(), 1));
        dev.basalt.db.QuotaReservation snapshotQuota = dev.basalt.db.QuotaReservation.of("p1",
                Map.of("snapshots", 1L, "gigabytes", 1L), Map.of("snapshots", -1, "gigabytes", -1));
        Snapshot creating = new Snapshot(Ids.newId(), v.id(), "p1", "u1", "snap", null, SnapshotStatus.CREATING, "0%",
                1, null, null, Map.of(), Instant.now(), null);
        snapshots.create(creating, EnumSet.allOf(VolumeStatus.class), snapshotQuota);
        before.createSnapshot(new SnapshotSpec(creating.id(), v.id(), 1));
        Snapshot deleting = new Snapshot(Ids.newId(), v.id(), "p1", "u1", "snap", null, SnapshotStatus.CREATING, "0%",
                1, null, null, Map.of(), Instant.now(), null);
        snapshots.create(deleting, EnumSet.allOf(VolumeStatus.class), snapshotQuota);
        before.createSnapshot(new SnapshotSpec(deleting.id(), v.id(), 1));
        snapshots.markAvailable(deleting.id());
        snapshots.beginDelete(deleting.id(), EnumSet.of(SnapshotStatus.AVAILABLE));
        Volume extending = row(1, VolumeStatus.AVAILABLE, null, null);
        before.createVolume(new VolumeSpec(extending.id(), 1));
        transitions.beginExtend(extending.id(), 3, increase -> dev.basalt.db.QuotaReservation.of("p1",
                Map.of("gigabytes", (long) increase), Map.of("gigabytes", -1)));
        assertThat(usage.apply("snapshots")).isEqualTo(new dev.basalt.db.QuotaUsage(1, 1));
        assertThat(usage.apply("gigabytes")).isEqualTo(new dev.basalt.db.QuotaUsage(1, 3));

        start(fileDriver());

        assertThat(snapshotStatus(creating)).isEqualTo(SnapshotStatus.ERROR);
        assertThat(snapshots.find(deleting.id())).isEmpty();
        assertThat(volumes.find(extending.id()).orElseThrow().size()).isEqualTo(3);
        assertThat(usage.apply("snapshots")).isEqualTo(dev.basalt.db.QuotaUsage.NONE);
        assertThat(usage.apply("gigabytes")).as("only the finished extend's growth is in use")
                .isEqualTo(new dev.basalt.db.QuotaUsage(2, 0));
    }

    @Test
    void aDriverWithoutTheAbilityFailsTheWorkCleanly() throws Exception {
        start(new PlainDriver(fileDriver()));
        Volume v = availableVolume(1, new byte[0]);
        Snapshot s = snapshotRow(v);
        volumeService().createSnapshot(HOST, new CreateSnapshot(s.id(), "req-s"));
        await().atMost(PATIENCE).until(() -> snapshotStatus(s) == SnapshotStatus.ERROR);
        assertThat(snapshots.find(s.id()).orElseThrow().errorReason()).contains("the plain volume driver cannot take"
                + " snapshots");
        assertThat(messages.forResource(s.id())).extracting(UserMessage::eventId)
                .containsExactly("VOLUME_VOLUME_SNAPSHOT_009_013");

        Volume clone = row(1, VolumeStatus.CREATING, null, v.id());
        volumeService().createVolume(HOST, new CreateVolume(clone.id(), null));
        await().atMost(PATIENCE).until(() -> status(clone) == VolumeStatus.ERROR);
        assertThat(volumes.find(clone.id()).orElseThrow().errorReason()).contains("cannot clone volumes");

        snapshots.resetStatus(s.id(), SnapshotStatus.AVAILABLE);
        transitions.beginRevert(v.id(), s.id());
        volumeService().revertToSnapshot(HOST, new RevertToSnapshot(v.id(), s.id(), null));
        await().atMost(PATIENCE).until(() -> status(v) == VolumeStatus.ERROR);
        assertThat(volumes.find(v.id()).orElseThrow().errorReason()).contains("cannot revert volumes to snapshots");
        assertThat(snapshotStatus(s)).isEqualTo(SnapshotStatus.AVAILABLE);
        volumes.resetStatus(v.id(), VolumeStatus.AVAILABLE, null);

        transitions.beginExtend(v.id(), 2);
        volumeService().extendVolume(HOST, new ExtendVolume(v.id(), 2, null));
        await().atMost(PATIENCE).until(() -> status(v) == VolumeStatus.ERROR_EXTENDING);
        assertThat(volumes.find(v.id()).orElseThrow().errorReason()).contains("cannot extend volumes");

        snapshots.resetStatus(s.id(), SnapshotStatus.DELETING);
        volumeService().deleteSnapshot(HOST, new DeleteSnapshot(s.id(), null));
        await().atMost(PATIENCE).until(() -> snapshots.find(s.id()).isEmpty());
    }
}
