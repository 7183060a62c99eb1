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
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeMoves;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.PoolCapacity;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.CapacityReport;
import dev.basalt.rpc.MigrateVolume;
import dev.basalt.rpc.PublishCapabilities;
import dev.basalt.rpc.RetypeVolume;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.rpc.VolumeServerStub;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's part of retype and migration: the volume's own pool when it passes the new type, another
 * only on-demand, none with a user message; a migration's destination checked by the filters.
 */
class RetypeSchedulingTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String GOLD = "node1@gold";
    private static final String SILVER = "node2@silver";

    private Database db;
    private VolumeRepository volumes;
    private VolumeMoves moves;
    private MessageRepository messages;
    private VolumeType silver;
    private VolumeType silverPlus;
    private VolumeType gold;
    private InJvmBus bus;
    private SchedulerService scheduler;
    private final List<Subscription> backends = new ArrayList<>();
    private final Queue<Object> received = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void open() {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 4);
        volumes = new VolumeRepository(db);
        moves = new VolumeMoves(db);
        messages = new MessageRepository(db);
        VolumeTypeRepository types = new VolumeTypeRepository(db);
        silver = types.create("silver", null, true, Map.of("volume_backend_name", "silver"));
        silverPlus = types.create("silver-plus", null, true, Map.of("volume_backend_name", "silver", "RESKEY:availability_zones", "nova"));
        gold = types.create("gold", null, true, Map.of("volume_backend_name", "gold"));
        bus = new InJvmBus();
        backend(GOLD, Pools.pool(GOLD + "#pool").build());
        backend(SILVER, Pools.pool(SILVER + "#pool").build());
        scheduler = new SchedulerService(new SchedulerSettings("sched1", SchedulerSettings.DEFAULT_FILTERS,
                List.of("CapacityWeigher"), 1.0, 0.0, "nova", Duration.ofMillis(100), Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofDays(30), Duration.ofHours(1), Duration.ofSeconds(60),
                Duration.ofSeconds(60)), volumes, new SnapshotRepository(db), types, new ServiceRepository(db),
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
            public void retype(RetypeVolume r) {
                received.add(r);
            }

            @Override
            public void migrateVolume(MigrateVolume m) {
                received.add(m);
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

    private Volume onSilver(String typeId) {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "vol", null, 1, VolumeStatus.AVAILABLE, AttachStatus.DETACHED,
                "nova", SILVER + "#pool", typeId, false, false, null, null, null, null, Map.of(), Instant.now(), null,
                null);
        volumes.create(v);
        return v;
    }

    private Volume retyping(String toType) {
        Volume v = onSilver(silver.id());
        assertThat(moves.beginRetype(v.id(), toType, null)).isEqualTo(VolumeMoves.Outcome.DONE);
        return v;
    }

    @Test
    void aRetypeTheVolumesPoolStillPassesStaysThere() {
        Volume v = retyping(silverPlus.id());
        new SchedulerRpc(bus).retype(new RetypeVolume(v.id(), silverPlus.id(), RetypeVolume.NEVER, null, "r1"));
        await().atMost(PATIENCE).until(() -> received.contains(
                new RetypeVolume(v.id(), silverPlus.id(), RetypeVolume.NEVER, SILVER + "#pool", "r1")));
    }

    @Test
    void aRetypeThatNeedsAnotherBackendMovesOnlyOnDemand() {
        Volume never = retyping(gold.id());
        new SchedulerRpc(bus).retype(new RetypeVolume(never.id(), gold.id(), RetypeVolume.NEVER, null, "r2"));
        await().atMost(PATIENCE).until(() -> volumes.find(never.id()).orElseThrow().status() == VolumeStatus.AVAILABLE);
        assertThat(volumes.find(never.id()).orElseThrow().volumeTypeId()).isEqualTo(silver.id());
        assertThat(messages.forResource(never.id())).singleElement().satisfies(m -> {
            assertThat(m.actionId()).isEqualTo("019");
            assertThat(m.detailId()).isEqualTo("003");
        });

        Volume onDemand = retyping(gold.id());
        new SchedulerRpc(bus).retype(new RetypeVolume(onDemand.id(), gold.id(), RetypeVolume.ON_DEMAND, null, "r3"));
        await().atMost(PATIENCE).until(() -> received.contains(
                new RetypeVolume(onDemand.id(), gold.id(), RetypeVolume.ON_DEMAND, GOLD + "#pool", "r3")));
        assertThat(received).noneMatch(r -> r instanceof RetypeVolume t && t.volumeId().equals(never.id()));
    }

    @Test
    void aMigrationGoesOnlyWhereTheVolumesTypePasses() {
        Volume free = onSilver(null);
        assertThat(moves.beginMigration(free.id(), GOLD)).isEqualTo(VolumeMoves.Outcome.DONE);
        new SchedulerRpc(bus).migrateVolume(new MigrateVolume(free.id(), GOLD, false, "r4"));
        await().atMost(PATIENCE).until(() -> received.contains(new MigrateVolume(free.id(), GOLD + "#pool", false,
                "r4")));

        Volume pinned = onSilver(silver.id());
        assertThat(moves.beginMigration(pinned.id(), GOLD + "#pool")).isEqualTo(VolumeMoves.Outcome.DONE);
        new SchedulerRpc(bus).migrateVolume(new MigrateVolume(pinned.id(), GOLD + "#pool", false, "r5"));
        await().atMost(PATIENCE).until(() -> "error".equals(volumes.find(pinned.id()).orElseThrow().migrationStatus()));
        assertThat(volumes.find(pinned.id()).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(volumes.find(pinned.id()).orElseThrow().host()).isEqualTo(SILVER + "#pool");
    }
}
