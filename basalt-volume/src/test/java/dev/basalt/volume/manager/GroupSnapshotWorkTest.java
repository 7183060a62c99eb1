package dev.basalt.volume.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.bus.InJvmBus;
import dev.basalt.common.Ids;
import dev.basalt.common.LogLevels;
import dev.basalt.bus.Subscription;
import dev.basalt.db.Database;
import dev.basalt.db.GroupRepository;
import dev.basalt.db.GroupSnapshotRepository;
import dev.basalt.db.GroupTypeRepository;
import dev.basalt.db.JdbcTarget;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.driver.SnapshotSpec;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.VolumeSpec;
import dev.basalt.driver.file.FileDriverSettings;
import dev.basalt.driver.file.FileVolumeDriver;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Group;
import dev.basalt.model.GroupSnapshot;
import dev.basalt.model.GroupSnapshotStatus;
import dev.basalt.model.GroupStatus;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CreateGroupSnapshot;
import dev.basalt.rpc.CreateSnapshot;
import dev.basalt.rpc.DeleteGroupSnapshot;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.SchedulerServerStub;
import dev.basalt.rpc.VolumeRpc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The volume service's group snapshot work end to end with the real file driver: every member taken
 * in one pass and holding its volume's bytes, a member the driver fails failing the group snapshot
 * (the others kept), a member's message sent again taking the whole group snapshot, the delete of
 * every member, and a restart failing a group snapshot it was taking.
 */
class GroupSnapshotWorkTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String HOST = "node1@file";
    private static final String POOL = HOST + "#file";

    @TempDir
    Path dir;

    private Database db;
    private VolumeRepository volumes;
    private SnapshotRepository snapshots;
    private GroupRepository groups;
    private GroupSnapshotRepository groupSnapshots;
    private InJvmBus bus;
    private Subscription scheduler;
    private VolumeService service;
    private final TestTargets iscsi = new TestTargets();
    private Group group;

    @BeforeEach
    void open() {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 4);
        volumes = new VolumeRepository(db);
        snapshots = new SnapshotRepository(db);
        groups = new GroupRepository(db);
        groupSnapshots = new GroupSnapshotRepository(db);
        bus = new InJvmBus();
        scheduler = SchedulerRpc.serve(bus, "sched1", new SchedulerServerStub() {
            @Override
            public void updateServiceCapabilities(dev.basalt.rpc.CapacityReport r) {
            }
        }, new LogLevels());
        String type = new GroupTypeRepository(db).create("gt", null, true, Map.of()).id();
        group = new Group(Ids.newId(), "p1", "u1", "g", null, "az1", POOL, type, List.of("t1"), GroupStatus.AVAILABLE,
                Instant.now(), null);
        groups.create(group, QuotaReservation.of("p1", Map.of("groups", 1L), Map.of("groups", -1)));
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

    private FileVolumeDriver fileDriver() {
        return new FileVolumeDriver(new FileDriverSettings(dir, true, VolumeClear.NONE, 0, "file"));
    }

    private void start() {
        service = new VolumeService(new VolumeServiceSettings(HOST, "file", "az1", 20.0, 0, Duration.ofMillis(200),
                Duration.ofHours(1), Duration.ofDays(30), VolumeServiceSettings.DEFAULT_TARGET_PREFIX,
                Duration.ofSeconds(60)), fileDriver(), iscsi.target(), db, bus, Clock.systemUTC());
        service.start();
    }

    /** A volume of the group whose file exists (made by {@code driver}) and starts with {@code head}. */
    private Volume member(FileVolumeDriver driver, byte[] head) throws IOException {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "vol", null, 1, VolumeStatus.AVAILABLE, AttachStatus.DETACHED,
                "az1", POOL, "t1", false, false, null, null, null, null, Map.of(), Instant.now(), null, null, Map.of(),
                group.id(), null);
        volumes.create(v);
        driver.createVolume(new VolumeSpec(v.id(), 1));
        write(dir.resolve("volume-" + v.id()), head);
        return v;
    }

    /** The group snapshot's rows, written as the API writes them: creating, one member per volume. */
    private GroupSnapshot rows(List<Volume> of) {
        GroupSnapshot g = new GroupSnapshot(Ids.newId(), group.id(), "p1", "u1", "gs", null,
                GroupSnapshotStatus.CREATING, group.groupTypeId(), Instant.now(), null);
        List<Snapshot> members = new ArrayList<>();
        List<QuotaReservation> reservations = new ArrayList<>();
        for (Volume v : of) {
            members.add(new Snapshot(Ids.newId(), v.id(), "p1", "u1", "gs", null, SnapshotStatus.CREATING, "0%", 1, "t1",
                    null, Map.of(), Instant.now(), null, null, g.id()));
            reservations.add(QuotaReservation.of("p1", Map.of("snapshots", 1L), Map.of("snapshots", -1)));
        }
        assertThat(groupSnapshots.create(g, members, reservations, Set.of(VolumeStatus.AVAILABLE)))
                .isEqualTo(GroupSnapshotRepository.CreateOutcome.CREATED);
        return g;
    }

    private GroupSnapshotStatus statusOf(GroupSnapshot g) {
        return groupSnapshots.find(g.id()).map(GroupSnapshot::status).orElse(null);
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), 0);
        }
    }

    private static byte[] head(Path file, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.read(buffer, 0);
            return buffer.array();
        }
    }

    private static byte[] bytes(int value) {
        byte[] b = new byte[4096];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void everyMemberIsTakenTogetherWithItsVolumesBytesAndDeletedWithTheGroupSnapshot() throws Exception {
        start();
        FileVolumeDriver driver = fileDriver();
        driver.start();
        Volume a = member(driver, bytes(1));
        Volume b = member(driver, bytes(2));
        GroupSnapshot g = rows(List.of(a, b));

        new VolumeRpc(bus).createGroupSnapshot(HOST, new CreateGroupSnapshot(g.id(), "req-1"));
        await().atMost(PATIENCE).until(() -> statusOf(g) == GroupSnapshotStatus.AVAILABLE);
        write(dir.resolve("volume-" + a.id()), bytes(9));
        List<Snapshot> members = snapshots.forGroupSnapshot(g.id());
        assertThat(members).allMatch(s -> s.status() == SnapshotStatus.AVAILABLE && "100%".equals(s.progress()));
        for (Snapshot s : members) {
            byte[] expected = bytes(s.volumeId().equals(a.id()) ? 1 : 2);
            assertThat(head(dir.resolve("snapshot-" + s.id()), 4096)).isEqualTo(expected);
        }

        assertThat(groupSnapshots.beginDelete(g.id(), Set.of(GroupSnapshotStatus.AVAILABLE)))
                .isEqualTo(GroupSnapshotRepository.DeleteOutcome.STARTED);
        new VolumeRpc(bus).deleteGroupSnapshot(HOST, new DeleteGroupSnapshot(g.id(), "req-2"));
        await().atMost(PATIENCE).until(() -> groupSnapshots.find(g.id()).isEmpty());
        assertThat(snapshots.forGroupSnapshot(g.id())).isEmpty();
        for (Snapshot s : members) {
            assertThat(dir.resolve("snapshot-" + s.id())).doesNotExist();
        }
    }

    @Test
    void aMemberTheDriverCannotTakeFailsTheGroupSnapshotAndAMembersMessageTakesThemAll() throws Exception {
        start();
        FileVolumeDriver driver = fileDriver();
        driver.start();
        Volume a = member(driver, bytes(1));
        Volume b = member(driver, bytes(2));
        Files.delete(dir.resolve("volume-" + b.id()));
        GroupSnapshot g = rows(List.of(a, b));

        Snapshot ofA = snapshots.forGroupSnapshot(g.id()).stream().filter(s -> s.volumeId().equals(a.id()))
                .findFirst().orElseThrow();
        // As a scheduler sends a member's lost message again: the group snapshot is taken.
        new VolumeRpc(bus).createSnapshot(HOST, new CreateSnapshot(ofA.id(), "req-3"));
        await().atMost(PATIENCE).until(() -> statusOf(g) == GroupSnapshotStatus.ERROR);
        for (Snapshot s : snapshots.forGroupSnapshot(g.id())) {
            assertThat(s.status()).isEqualTo(s.volumeId().equals(a.id()) ? SnapshotStatus.AVAILABLE
                    : SnapshotStatus.ERROR);
        }
        assertThat(new MessageRepository(db).list("p1")).anyMatch(m -> m.resourceUuid().equals(
                snapshots.forGroupSnapshot(g.id()).stream().filter(s -> s.volumeId().equals(b.id())).findFirst()
                        .orElseThrow().id()));
    }

    @Test
    void aRestartFailsTheGroupSnapshotItWasTaking() throws Exception {
        FileVolumeDriver before = fileDriver();
        before.start();
        Volume a = member(before, bytes(1));
        Volume b = member(before, bytes(2));
        GroupSnapshot g = rows(List.of(a, b));
        Snapshot first = snapshots.forGroupSnapshot(g.id()).get(0);
        before.createSnapshot(new SnapshotSpec(first.id(), first.volumeId(), 1));

        start();

        assertThat(statusOf(g)).isEqualTo(GroupSnapshotStatus.ERROR);
        assertThat(snapshots.forGroupSnapshot(g.id())).allMatch(s -> s.status() == SnapshotStatus.ERROR);
        assertThat(dir.resolve("snapshot-" + first.id())).doesNotExist();
    }
}
