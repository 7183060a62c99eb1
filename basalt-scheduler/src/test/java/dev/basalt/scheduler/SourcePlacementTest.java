package dev.basalt.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.bus.InJvmBus;
import dev.basalt.bus.Subscription;
import dev.basalt.common.Ids;
import dev.basalt.db.Database;
import dev.basalt.db.GroupRepository;
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.JdbcTarget;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Group;
import dev.basalt.model.GroupStatus;
import dev.basalt.model.PoolCapacity;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CapacityReport;
import dev.basalt.rpc.CreateVolume;
import dev.basalt.rpc.PublishCapabilities;
import dev.basalt.rpc.ScheduleVolume;
import dev.basalt.common.LogLevels;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.rpc.VolumeServerStub;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A volume made from a snapshot or from another volume lands on its source's pool, a volume in a
 * group on its group's backend (Cinder's rules), still subject to the filters, capacity included.
 */
class SourcePlacementTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private Database db;
    private VolumeRepository volumes;
    private SnapshotRepository snapshots;
    private MessageRepository messages;
    private InJvmBus bus;
    private SchedulerService scheduler;
    private final List<Subscription> backends = new ArrayList<>();
    private final Queue<CreateVolume> created = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void open() {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 4);
        volumes = new VolumeRepository(db);
        snapshots = new SnapshotRepository(db);
        messages = new MessageRepository(db);
        bus = new InJvmBus();
        // A roomy empty backend the weighers prefer, and a small one that holds the sources.
        backend("node1@big", Pools.pool("node1@big#pool").capacity(1000, 1000, 0).build());
        backend("node2@small", Pools.pool("node2@small#pool").capacity(10, 10, 0).build());
        scheduler = new SchedulerService(new SchedulerSettings("sched1", SchedulerSettings.DEFAULT_FILTERS,
                List.of("CapacityWeigher"), 1.0, 0.0, "nova", Duration.ofMillis(100), Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofDays(30), Duration.ofHours(1), Duration.ofSeconds(60),
                Duration.ofSeconds(60)), volumes, snapshots, new VolumeTypeRepository(db), new ServiceRepository(db),
                messages, new WorkerRepository(db), bus, Clock.systemUTC());
        scheduler.start();
        await().atMost(PATIENCE).until(() -> scheduler.pools().size() == 2);
    }

    @AfterEach
    void close() {
        scheduler.stop();
        backends.forEach(Subscription::close);
        bus.close();
        db.close();
    }

    private void backend(String name, PoolCapacity pool) {
        backends.add(VolumeRpc.serve(bus, name, new VolumeServerStub() {
            @Override
            public void createVolume(CreateVolume c) {
                created.add(c);
            }

            @Override
            public void publishCapabilities(PublishCapabilities p) {
                PoolCapacity now = new PoolCapacity(pool.backend(), pool.pool(), pool.volumeBackendName(),
                        pool.availabilityZone(), pool.totalCapacityGb(), pool.freeCapacityGb(),
                        pool.provisionedCapacityGb(), pool.maxOverSubscriptionRatio(), pool.reservedPercentage(),
                        pool.thinProvisioningSupport(), pool.thickProvisioningSupport(), pool.capabilities(),
                        Instant.now());
                new SchedulerRpc(bus).updateServiceCapabilities(new CapacityReport(name, Ids.newId(), List.of(now)));
            }
        }, new LogLevels()));
    }

    private Volume volume(int size, VolumeStatus status, String host, String snapshotId, String sourceVolid) {
        return volume(size, status, host, snapshotId, sourceVolid, null);
    }

    private Volume volume(int size, VolumeStatus status, String host, String snapshotId, String sourceVolid,
                          String groupId) {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "vol", null, size, status, AttachStatus.DETACHED, "nova", host,
                null, false, false, snapshotId, sourceVolid, null, null, Map.of(), Instant.now(), null, null)
                .withGroupId(groupId);
        volumes.create(v);
        return v;
    }

    private Snapshot snapshotOf(Volume v) {
        Snapshot s = new Snapshot(Ids.newId(), v.id(), "p1", "u1", null, null, SnapshotStatus.CREATING, "0%", v.size(),
                null, null, Map.of(), Instant.now(), null);
        snapshots.create(s, EnumSet.allOf(VolumeStatus.class));
        snapshots.markAvailable(s.id());
        return s;
    }

    private Volume scheduled(Volume v) {
        new SchedulerRpc(bus).createVolume(new ScheduleVolume(v.id(), "req"));
        await().atMost(PATIENCE).until(() -> {
            Volume now = volumes.find(v.id()).orElseThrow();
            return now.host() != null || now.status() == VolumeStatus.ERROR;
        });
        return volumes.find(v.id()).orElseThrow();
    }

    @Test
    void aPlainVolumeGoesWhereTheWeighersPreferButCopiesGoToTheirSource() {
        assertThat(scheduled(volume(1, VolumeStatus.CREATING, null, null, null)).host()).isEqualTo("node1@big#pool");

        Volume source = volume(2, VolumeStatus.AVAILABLE, "node2@small#pool", null, null);
        Snapshot snapshot = snapshotOf(source);
        Volume fromSnapshot = volume(3, VolumeStatus.CREATING, null, snapshot.id(), null);
        Volume clone = volume(2, VolumeStatus.CREATING, null, null, source.id());
        assertThat(scheduled(fromSnapshot).host()).isEqualTo("node2@small#pool");
        assertThat(scheduled(clone).host()).isEqualTo("node2@small#pool");
        await().atMost(PATIENCE).until(() -> created.stream().anyMatch(c -> c.volumeId().equals(clone.id())));
    }

    @Test
    void theSourcePoolMustStillHaveRoom() {
        Volume source = volume(2, VolumeStatus.AVAILABLE, "node2@small#pool", null, null);
        Snapshot snapshot = snapshotOf(source);
        Volume tooBig = scheduled(volume(50, VolumeStatus.CREATING, null, snapshot.id(), null));
        assertThat(tooBig.status()).isEqualTo(VolumeStatus.ERROR);
        assertThat(tooBig.host()).isNull();
        assertThat(tooBig.errorReason()).contains("must be on its source's pool, node2@small#pool")
                .contains("CapacityFilter");
        assertThat(messages.forResource(tooBig.id())).singleElement()
                .satisfies(m -> assertThat(m.eventId()).isEqualTo("VOLUME_VOLUME_001_003"));
    }

    @Test
    void aSourceThatIsGoneFailsTheScheduling() {
        Volume orphan = scheduled(volume(1, VolumeStatus.CREATING, null, null, Ids.newId()));
        assertThat(orphan.status()).isEqualTo(VolumeStatus.ERROR);
        assertThat(orphan.errorReason()).startsWith("Scheduling failed: source volume").contains("does not exist");
    }

    private Group placedGroup(String host) {
        GroupRepository groups = new GroupRepository(db);
        Group g = new Group(Ids.newId(), "p1", "u1", "g", null, "nova", host, "gt", List.of("t1"),
                GroupStatus.AVAILABLE, Instant.now(), null);
        groups.create(g, QuotaReservation.of("p1", Map.of("groups", 1L), Map.of("groups", -1)));
        return g;
    }

    @Test
    void aVolumeInAGroupGoesToItsGroupsBackend() {
        Group group = placedGroup("node2@small#pool");
        Volume inGroup = volume(1, VolumeStatus.CREATING, null, null, null, group.id());
        assertThat(scheduled(inGroup).host()).as("not the roomy backend the weighers prefer")
                .isEqualTo("node2@small#pool");

        Volume failed = scheduled(volume(50, VolumeStatus.CREATING, null, null, null, group.id()));
        assertThat(failed.status()).isEqualTo(VolumeStatus.ERROR);
        assertThat(failed.errorReason()).contains("must be on its group's backend, node2@small");
    }
}
