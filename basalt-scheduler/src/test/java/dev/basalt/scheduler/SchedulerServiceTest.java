package dev.basalt.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.basalt.bus.InJvmBus;
import dev.basalt.bus.Subscription;
import dev.basalt.common.Ids;
import dev.basalt.db.Database;
import dev.basalt.db.JdbcTarget;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.QuotaRepository;
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.QuotaUsage;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.PoolCapacity;
import dev.basalt.model.QuotaResources;
import dev.basalt.model.UserMessage;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.CapacityReport;
import dev.basalt.rpc.CreateVolume;
import dev.basalt.rpc.PublishCapabilities;
import dev.basalt.rpc.ScheduleVolume;
import dev.basalt.common.LogLevels;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.rpc.VolumeServerStub;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler end to end: H2, the in-JVM bus, and fake volume services that report and record. */
class SchedulerServiceTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private Database db;
    private VolumeRepository volumes;
    private SnapshotRepository snapshots;
    private VolumeTypeRepository types;
    private ServiceRepository services;
    private MessageRepository messages;
    private InJvmBus bus;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<FakeVolumeService> fakes = new ArrayList<>();
    private SchedulerService scheduler;

    /** Stands in for a volume service: reports its pools when asked, records what it is told to create. */
    private final class FakeVolumeService {
        final String backend;
        final List<PoolCapacity> pools;
        final String serviceUuid = Ids.newId();
        final Queue<CreateVolume> created = new ConcurrentLinkedQueue<>();
        Subscription subscription;

        FakeVolumeService(String backend, List<PoolCapacity> pools) {
            this.backend = backend;
            this.pools = pools;
        }

        /** Registers in the services table, as a real volume service does, then serves its topic. */
        FakeVolumeService serve() {
            services.register(backend, VolumeRpc.BINARY, VolumeRpc.TOPIC, pools.get(0).availabilityZone());
            subscription = VolumeRpc.serve(bus, backend, new VolumeServerStub() {
                @Override
                public void createVolume(CreateVolume c) {
                    created.add(c);
                }

                @Override
                public void publishCapabilities(PublishCapabilities p) {
                    report();
                }
            }, new LogLevels());
            return this;
        }

        void report() {
            Instant now = Instant.now();
            List<PoolCapacity> stamped = pools.stream().map(p -> new PoolCapacity(p.backend(), p.pool(),
                    p.volumeBackendName(), p.availabilityZone(), p.totalCapacityGb(), p.freeCapacityGb(),
                    p.provisionedCapacityGb(), p.maxOverSubscriptionRatio(), p.reservedPercentage(),
                    p.thinProvisioningSupport(), p.thickProvisioningSupport(), p.capabilities(), now)).toList();
            new SchedulerRpc(bus).updateServiceCapabilities(new CapacityReport(backend, serviceUuid, stamped));
        }
    }

    @BeforeEach
    void open() {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 4);
        volumes = new VolumeRepository(db);
        snapshots = new SnapshotRepository(db);
        types = new VolumeTypeRepository(db);
        services = new ServiceRepository(db);
        messages = new MessageRepository(db);
        bus = new InJvmBus();
    }

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.stop();
        }
        fakes.forEach(f -> {
            if (f.subscription != null) {
                f.subscription.close();
            }
        });
        bus.close();
        db.close();
    }

    private static SchedulerSettings settings(Duration initWait) {
        return new SchedulerSettings("sched1", SchedulerSettings.DEFAULT_FILTERS,
                List.of("CapacityWeigher", "AllocatedCapacityWeigher"), 1.0, 0.0, "nova", Duration.ofMillis(100),
                Duration.ofSeconds(60), initWait, Duration.ofDays(30), Duration.ofHours(1), Duration.ofSeconds(60),
                Duration.ofSeconds(60));
    }

    private FakeVolumeService fake(String backend, PoolCapacity... pools) {
        FakeVolumeService fake = new FakeVolumeService(backend, List.of(pools));
        fakes.add(fake);
        return fake;
    }

    private void startScheduler() {
        scheduler = new SchedulerService(settings(Duration.ofSeconds(10)), volumes, snapshots, types, services,
                messages, new WorkerRepository(db), bus, Clock.systemUTC(), meters);
        scheduler.start();
    }

    private long placements(String outcome) {
        Timer timer = meters.find("basalt.scheduler.placements").tag("outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private Volume newVolume(int size, String zone, String typeId) {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "vol", null, size, VolumeStatus.CREATING, AttachStatus.DETACHED,
                zone, null, typeId, false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
        volumes.create(v);
        return v;
    }

    private void schedule(Volume v, String requestId) {
        new SchedulerRpc(bus).createVolume(new ScheduleVolume(v.id(), requestId));
    }

    private Volume awaitPlaced(Volume v) {
        await().atMost(PATIENCE).until(() -> volumes.find(v.id()).orElseThrow().host() != null);
        return volumes.find(v.id()).orElseThrow();
    }

    /** Two backends: a big fast one with SSDs in nova, a small slow one in az2. */
    private void twoBackends() {
        fake("node1@fast", Pools.pool("node1@fast#ssd").backendName("fast").thin(1.0).capacity(1000, 1000, 0)
                .capabilities(Map.of("media", "ssd")).build()).serve();
        fake("node2@slow", Pools.pool("node2@slow#hdd").backendName("slow").capacity(100, 100, 0).zone("az2")
                .capabilities(Map.of("media", "hdd")).build()).serve();
    }

    @Test
    void placesAVolumeOnThePoolItsTypeAsksForAndHandsItToThatBackend() {
        twoBackends();
        startScheduler();
        VolumeType slow = types.create("slow", null, true, Map.of("volume_backend_name", "slow"));
        Volume typed = newVolume(10, null, slow.id());
        Volume plain = newVolume(10, null, null);
        schedule(typed, "req-typed");
        schedule(plain, "req-plain");

        Volume placedTyped = awaitPlaced(typed);
        assertThat(placedTyped.host()).isEqualTo("node2@slow#hdd");
        assertThat(placedTyped.serviceUuid()).isEqualTo(fakes.get(1).serviceUuid);
        assertThat(placedTyped.status()).isEqualTo(VolumeStatus.CREATING);
        assertThat(awaitPlaced(plain).host()).isEqualTo("node1@fast#ssd");
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(fakes.get(1).created).containsExactly(new CreateVolume(typed.id(), "req-typed"));
            assertThat(fakes.get(0).created).containsExactly(new CreateVolume(plain.id(), "req-plain"));
        });
    }

    @Test
    void timesPlacementsByOutcome() {
        twoBackends();
        startScheduler();
        Volume fits = newVolume(10, null, null);
        Volume tooBig = newVolume(100_000, null, null);
        schedule(fits, null);
        schedule(tooBig, null);
        awaitPlaced(fits);
        await().atMost(PATIENCE).until(() -> placements("placed") == 1 && placements("failed") == 1);
        schedule(fits, null);
        await().atMost(PATIENCE).until(() -> placements("skipped") == 1);
    }

    @Test
    void matchesCapabilitiesAndZones() {
        twoBackends();
        startScheduler();
        VolumeType hdd = types.create("hdd", null, true, Map.of("capabilities:media", "<or> hdd <or> tape"));
        Volume inAz2 = newVolume(1, "az2", null);
        Volume onHdd = newVolume(1, null, hdd.id());
        schedule(inAz2, null);
        schedule(onHdd, null);
        assertThat(awaitPlaced(inAz2).host()).isEqualTo("node2@slow#hdd");
        assertThat(awaitPlaced(onHdd).host()).isEqualTo("node2@slow#hdd");
    }

    @Test
    void registersItselfAndHeartbeats() {
        startScheduler();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(services.find("sched1", SchedulerRpc.BINARY))
                .get().satisfies(s -> {
                    assertThat(s.uuid()).isEqualTo(scheduler.serviceUuid());
                    assertThat(s.topic()).isEqualTo(SchedulerRpc.TOPIC);
                    assertThat(s.availabilityZone()).isEqualTo("nova");
                    assertThat(s.reportCount()).isGreaterThanOrEqualTo(2);
                }));
    }

    @Test
    void withNoValidBackendTheVolumeErrorsWithAReasonAndAUserMessage() {
        twoBackends();
        startScheduler();
        Volume huge = newVolume(5000, null, null);
        schedule(huge, "req-huge");
        await().atMost(PATIENCE).until(() -> volumes.find(huge.id()).orElseThrow().status() == VolumeStatus.ERROR);

        Volume failed = volumes.find(huge.id()).orElseThrow();
        assertThat(failed.host()).isNull();
        assertThat(failed.errorReason()).isEqualTo(
                "No valid backend was found. No pool passed the CapacityFilter (2 pools considered).");
        List<UserMessage> found = messages.forResource(huge.id());
        assertThat(found).singleElement().satisfies(m -> {
            assertThat(m.projectId()).isEqualTo("p1");
            assertThat(m.requestId()).isEqualTo("req-huge");
            assertThat(m.resourceType()).isEqualTo("VOLUME");
            assertThat(m.resourceUuid()).isEqualTo(huge.id());
            assertThat(m.actionId()).isEqualTo("001");
            assertThat(m.detailId()).isEqualTo("003");
            assertThat(m.eventId()).isEqualTo("VOLUME_VOLUME_001_003");
            assertThat(m.messageLevel()).isEqualTo("ERROR");
            assertThat(m.detail()).isEqualTo("Could not find any available weighted backend.");
            assertThat(Duration.between(m.createdAt(), m.expiresAt())).isEqualTo(Duration.ofDays(30));
        });

        // Delivered again: no second message, nothing sent to a backend.
        schedule(huge, "req-huge");
        Volume other = newVolume(1, null, null);
        schedule(other, null);
        awaitPlaced(other);
        assertThat(messages.forResource(huge.id())).hasSize(1);
        assertThat(fakes.stream().mapToInt(f -> f.created.size()).sum()).isEqualTo(1);
    }

    @Test
    void aVolumeWhoseTypeNamesAMissingBackendGivesItsQuotaBack() {
        twoBackends();
        startScheduler();
        QuotaRepository quotas = new QuotaRepository(db);
        VolumeType pinned = types.create("pinned", null, true, Map.of("volume_backend_name", "nowhere"));
        Volume v = new Volume(Ids.newId(), "p1", "u1", "vol", null, 7, VolumeStatus.CREATING, AttachStatus.DETACHED,
                null, null, pinned.id(), false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
        String volumesOfType = QuotaResources.keyOfType("volumes", pinned.id());
        String gigabytesOfType = QuotaResources.keyOfType("gigabytes", pinned.id());
        volumes.create(v, QuotaReservation.of("p1", Map.of("volumes", 1L, "gigabytes", 7L, volumesOfType, 1L,
                gigabytesOfType, 7L), Map.of("volumes", 10, "gigabytes", 1000, volumesOfType, -1, gigabytesOfType, -1)));
        assertThat(quotas.usages("p1")).containsEntry("gigabytes", new QuotaUsage(0, 7));

        schedule(v, "req-pinned");
        await().atMost(PATIENCE).until(() -> volumes.find(v.id()).orElseThrow().status() == VolumeStatus.ERROR);
        assertThat(volumes.find(v.id()).orElseThrow().errorReason()).startsWith("No valid backend was found.");
        assertThat(quotas.usages("p1")).containsEntry("volumes", QuotaUsage.NONE)
                .containsEntry("gigabytes", QuotaUsage.NONE)
                .containsEntry(volumesOfType, QuotaUsage.NONE)
                .containsEntry(gigabytesOfType, QuotaUsage.NONE);

        schedule(v, "req-pinned");
        assertThat(volumes.delete(v.id())).isTrue();
        assertThat(quotas.usages("p1")).containsEntry("gigabytes", QuotaUsage.NONE);
    }

    @Test
    void aRedeliveredRequestPlacesTheVolumeOnce() {
        twoBackends();
        startScheduler();
        Volume v = newVolume(1, null, null);
        for (int i = 0; i < 5; i++) {
            schedule(v, "req");
        }
        awaitPlaced(v);
        Volume canary = newVolume(1, null, null);
        schedule(canary, null);
        awaitPlaced(canary);
        await().atMost(PATIENCE).until(() -> fakes.get(0).created.size() == 2);
        assertThat(fakes.get(0).created).extracting(CreateVolume::volumeId).containsExactly(v.id(), canary.id());
    }

    @Test
    void twoHundredConcurrentRequestsSpreadOverTwoPoolsByCapacity() {
        fake("node1@a", Pools.pool("node1@a#p").thin(1.0).capacity(300, 300, 0).build()).serve();
        fake("node2@b", Pools.pool("node2@b#p").thin(1.0).capacity(200, 200, 0).build()).serve();
        startScheduler();
        List<Volume> burst = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            burst.add(newVolume(1, null, null));
        }
        burst.parallelStream().forEach(v -> schedule(v, null));

        await().atMost(PATIENCE).until(() -> volumes.findUnplaced(VolumeStatus.CREATING).isEmpty());
        Map<String, Long> perPool = burst.stream().map(v -> volumes.find(v.id()).orElseThrow().host())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        // Free capacity evens out: 300 - 150 = 200 - 50.
        assertThat(perPool).containsExactlyInAnyOrderEntriesOf(Map.of("node1@a#p", 150L, "node2@b#p", 50L));
        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(fakes.get(0).created).hasSize(150);
            assertThat(fakes.get(1).created).hasSize(50);
        });
        assertThat(scheduler.pools()).extracting(PoolCapacity::provisionedCapacityGb).containsExactly(150.0, 50.0);
    }

    @Test
    void placesVolumesAnEarlierRunLeftUnplaced() {
        twoBackends();
        Volume left1 = newVolume(1, null, null);
        Volume left2 = newVolume(2, null, null);
        startScheduler();
        assertThat(awaitPlaced(left1).host()).isEqualTo("node1@fast#ssd");
        assertThat(awaitPlaced(left2).host()).isEqualTo("node1@fast#ssd");
        await().atMost(PATIENCE).until(() -> fakes.get(0).created.size() == 2);
    }

    @Test
    void waitsForLiveVolumeServicesToReportInsteadOfFailingVolumes() throws Exception {
        services.register("node1@fast", VolumeRpc.BINARY, VolumeRpc.TOPIC, "nova");
        FakeVolumeService late = fake("node1@fast", Pools.pool("node1@fast#ssd").capacity(100, 100, 0).build());
        startScheduler();
        Volume v = newVolume(1, null, null);
        schedule(v, null);
        Thread.sleep(300);
        assertThat(scheduler.isReady()).isFalse();
        assertThat(volumes.find(v.id()).orElseThrow().status()).isEqualTo(VolumeStatus.CREATING);

        late.serve().report();
        assertThat(awaitPlaced(v).host()).isEqualTo("node1@fast#ssd");
        assertThat(scheduler.isReady()).isTrue();
    }

    @Test
    void skipsBackendsWhoseServiceIsDisabled() {
        services.register("node1@fast", VolumeRpc.BINARY, VolumeRpc.TOPIC, "nova");
        services.register("node2@slow", VolumeRpc.BINARY, VolumeRpc.TOPIC, "az2");
        services.setDisabled("node1@fast", VolumeRpc.BINARY, true, "maintenance");
        twoBackends();
        startScheduler();
        Volume v = newVolume(1, null, null);
        schedule(v, null);
        assertThat(awaitPlaced(v).host()).isEqualTo("node2@slow#hdd");
    }

    @Test
    void answersGetPools() {
        twoBackends();
        startScheduler();
        await().atMost(PATIENCE).until(scheduler::isReady);
        List<PoolCapacity> pools = new SchedulerRpc(bus).getPools(dev.basalt.rpc.PoolsQuery.ALL, Duration.ofSeconds(5));
        assertThat(pools).extracting(PoolCapacity::location).containsExactly("node1@fast#ssd", "node2@slow#hdd");
        assertThat(pools.get(0).capabilities()).containsEntry("media", "ssd");
    }

    @Test
    void refusesToBuildWithAnUnknownFilter() {
        SchedulerSettings d = settings(Duration.ofSeconds(1));
        SchedulerSettings bad = new SchedulerSettings(d.host(), List.of("CapacityFilter", "NoSuchFilter"), d.weighers(),
                1.0, -1.0, "nova", d.reportInterval(), d.capacityStaleAfter(), d.initWaitTime(), d.messageTtl(),
                d.messageReapInterval(), d.serviceDownTime(), d.periodicInterval());
        assertThatThrownBy(() -> new SchedulerService(bad, volumes, snapshots, types, services, messages,
                new WorkerRepository(db), bus, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NoSuchFilter");
    }

    @Test
    void stopsServing() {
        twoBackends();
        startScheduler();
        scheduler.stop();
        scheduler.stop();
        Volume v = newVolume(1, null, null);
        schedule(v, null);
        // Nobody serves the scheduler topic now: the request waits for the next scheduler.
        scheduler = new SchedulerService(settings(Duration.ofSeconds(10)), volumes, snapshots, types, services,
                messages, new WorkerRepository(db), bus, Clock.systemUTC());
        scheduler.start();
        assertThat(awaitPlaced(v).host()).isEqualTo("node1@fast#ssd");
    }
}
