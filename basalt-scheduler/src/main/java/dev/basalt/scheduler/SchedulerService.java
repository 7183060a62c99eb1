package dev.basalt.scheduler;

import static java.util.Objects.requireNonNull;

import dev.basalt.bus.Bus;
import dev.basalt.bus.Subscription;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.PoolCapacity;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CapacityReport;
import dev.basalt.rpc.CleanupRequest;
import dev.basalt.rpc.CleanupResult;
import dev.basalt.rpc.PoolsQuery;
import dev.basalt.rpc.PublishCapabilities;
import dev.basalt.rpc.MigrateVolume;
import dev.basalt.rpc.RetypeVolume;
import dev.basalt.rpc.ScheduleVolume;
import dev.basalt.common.LogLevels;
import dev.basalt.rpc.ApiRpc;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.VolumeRpc;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler role: places new volumes on pools.
 *
 * <p>{@link #start()} registers the service ({@code cinder-scheduler} on {@code host}) and
 * heartbeats it every report interval, serves topic {@code scheduler}, and asks every volume
 * service to report its capacity at once. Until every live volume service has reported (or the
 * start-up wait has passed), placement requests wait, so that a restart does not fail volumes for
 * want of reports; then volumes left {@code creating} and unplaced by an earlier run are placed.
 *
 * <p>It serves {@link SchedulerRpc}'s contract: placements, capacity reports, its pools, and the
 * cleanup of work in flight that stopped services left ({@link WorkCleanup}), which it also does
 * by itself every {@code periodic_interval}. Each placement is timed by outcome ({@link PlacementMeters}).
 */
public final class SchedulerService implements SchedulerRpc.Server, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerService.class);

    private final SchedulerSettings settings;
    private final VolumeRepository volumes;
    private final ServiceRepository services;
    private final MessageRepository messages;
    private final Bus bus;
    private final VolumeRpc volumeServices;
    private final Clock clock;
    private final BackendRegistry registry;
    private final VolumePlacer placer;
    private final PoolSelection selection;
    private final PlacementMeters placements;
    private final VolumeMover mover;
    private final WorkCleanup cleanup;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final Object reports = new Object();

    private ScheduledExecutorService timers;
    private ScheduledExecutorService cleanups;
    private Subscription subscription;
    private Thread startup;
    private String serviceUuid;
    private volatile int serviceId;
    private volatile boolean started;
    private volatile boolean stopped;

    /**
     * Builds the scheduler; refuses filter or weigher names it does not know
     * ({@link IllegalArgumentException} naming them and the known ones).
     */
    public SchedulerService(SchedulerSettings settings, VolumeRepository volumes, SnapshotRepository snapshots,
                            VolumeTypeRepository types, ServiceRepository services, MessageRepository messages,
                            WorkerRepository workers, Bus bus, Clock clock) {
        this(settings, volumes, snapshots, types, services, messages, workers, bus, clock, new CompositeMeterRegistry());
    }

    /** As the other constructor, timing the placements in {@code meters}. */
    public SchedulerService(SchedulerSettings settings, VolumeRepository volumes, SnapshotRepository snapshots,
                            VolumeTypeRepository types, ServiceRepository services, MessageRepository messages,
                            WorkerRepository workers, Bus bus, Clock clock, MeterRegistry meters) {
        this.settings = requireNonNull(settings, "settings");
        this.placements = new PlacementMeters(meters);
        this.volumes = requireNonNull(volumes, "volumes");
        this.services = requireNonNull(services, "services");
        this.messages = requireNonNull(messages, "messages");
        this.bus = requireNonNull(bus, "bus");
        this.volumeServices = new VolumeRpc(bus);
        this.clock = requireNonNull(clock, "clock");
        FilterScheduler scheduler = SchedulerPlugins.filterScheduler(settings);
        this.registry = new BackendRegistry(clock, settings.capacityStaleAfter());
        this.selection = new PoolSelection(scheduler);
        this.placer = new VolumePlacer(volumes, requireNonNull(snapshots, "snapshots"), requireNonNull(types, "types"),
                services, messages, registry, scheduler, volumeServices, new ApiRpc(bus), clock, settings.messageTtl());
        this.mover = new VolumeMover(volumes, types, services, messages, registry, scheduler, volumeServices, clock,
                settings.messageTtl());
        requireNonNull(workers, "workers");
        this.cleanup = new WorkCleanup(services, workers, new WorkFailer(workers, volumes, snapshots, new ApiRpc(bus)),
                new WorkRedriver(workers, volumes, snapshots, placer, volumeServices), volumeServices, clock,
                settings.serviceDownTime(), () -> serviceId);
        LOG.debug("scheduler filters {}, weighers {}", scheduler.filterNames(), scheduler.weigherNames());
    }

    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("the scheduler was already started");
        }
        started = true;
        ServiceRecord me = services.register(settings.host(), SchedulerRpc.BINARY, SchedulerRpc.TOPIC,
                settings.availabilityZone());
        serviceUuid = me.uuid();
        serviceId = me.id();
        // Taken before serving: volumes created from now on come with their own request.
        List<Volume> leftUnplaced = volumes.findUnplaced(VolumeStatus.CREATING);
        timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("scheduler-timers").factory());
        long beat = settings.reportInterval().toMillis();
        timers.scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        long reap = settings.messageReapInterval().toMillis();
        timers.scheduleAtFixedRate(this::reapMessages, reap, reap, TimeUnit.MILLISECONDS);
        cleanups = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("scheduler-cleanup").factory());
        long sweep = settings.periodicInterval().toMillis();
        cleanups.scheduleWithFixedDelay(this::cleanUpStrandedWork, sweep, sweep, TimeUnit.MILLISECONDS);
        subscription = SchedulerRpc.serve(bus, settings.host(), this, new LogLevels());
        volumeServices.publishCapabilities(new PublishCapabilities(settings.host()));
        startup = Thread.ofVirtual().name("scheduler-startup").start(() -> awaitReportsThenRedrive(leftUnplaced));
        LOG.info("scheduler {} started (service {})", settings.host(), serviceUuid);
    }

    /** Stops serving and the timers; placements in progress finish. Safe to call more than once. */
    public synchronized void stop() {
        if (!started || stopped) {
            stopped = true;
            return;
        }
        stopped = true;
        ready.countDown();
        if (subscription != null) {
            subscription.close();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        if (cleanups != null) {
            cleanups.shutdownNow();
        }
        if (startup != null) {
            startup.interrupt();
            try {
                startup.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("scheduler {} stopped", settings.host());
    }

    @Override
    public void close() {
        stop();
    }

    /** True once every live volume service has reported, or the start-up wait has passed. */
    public boolean isReady() {
        return ready.getCount() == 0;
    }

    /** The service row's uuid once started. */
    public String serviceUuid() {
        return serviceUuid;
    }

    /** The service's number (Cinder's {@code services.id}) once started. */
    public int serviceId() {
        return serviceId;
    }

    /** The pools as this scheduler sees them now: fresh reports, with capacity consumed since counted in. */
    public List<PoolCapacity> pools() {
        return registry.pools();
    }

    /** The pools {@code query} selects among {@link #pools()}. */
    @Override
    public List<PoolCapacity> pools(PoolsQuery query) {
        return selection.select(registry.pools(), query);
    }

    @Override
    public void createVolume(ScheduleVolume request) throws InterruptedException {
        awaitReady();
        if (stopped) {
            return;
        }
        placements.time(() -> placer.schedule(request));
    }

    @Override
    public void retype(RetypeVolume request) throws InterruptedException {
        awaitReady();
        if (!stopped) {
            mover.retype(request);
        }
    }

    @Override
    public void migrateVolume(MigrateVolume request) throws InterruptedException {
        awaitReady();
        if (!stopped) {
            mover.migrate(request);
        }
    }

    @Override
    public CleanupResult workCleanup(CleanupRequest request) {
        CleanupResult result = cleanup.clean(request);
        LOG.info("cleanup of {} service(s) under way, {} without a service to clean up for them",
                result.cleaning().size(), result.unavailable().size());
        return result;
    }

    /**
     * The periodic look for work in flight that stopped services left, or that nobody claimed
     * (once every live volume service has reported, so that what it places finds them).
     */
    void cleanUpStrandedWork() {
        if (stopped || !isReady()) {
            return;
        }
        try {
            cleanup.sweep();
        } catch (RuntimeException e) {
            LOG.warn("looking for work in flight left by stopped services failed", e);
        }
    }

    @Override
    public void updateServiceCapabilities(CapacityReport report) {
        registry.update(report);
        synchronized (reports) {
            reports.notifyAll();
        }
    }

    private void awaitReady() throws InterruptedException {
        if (!ready.await(settings.initWaitTime().toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
            LOG.warn("scheduling before every volume service has reported");
        }
    }

    private void awaitReportsThenRedrive(List<Volume> leftUnplaced) {
        long deadline = System.nanoTime() + settings.initWaitTime().toNanos();
        try {
            while (!stopped && !allLiveBackendsReported()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("not every volume service reported its capacity within {}; scheduling with {}",
                            settings.initWaitTime(), registry.reportedBackends());
                    break;
                }
                synchronized (reports) {
                    reports.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } finally {
            ready.countDown();
        }
        redrive(leftUnplaced);
    }

    /** At least one backend reported, and every enabled volume service that is up has. */
    private boolean allLiveBackendsReported() {
        Set<String> reported = registry.reportedBackends();
        if (reported.isEmpty()) {
            return false;
        }
        try {
            Set<String> live = services.list(null, VolumeRpc.BINARY).stream()
                    .filter(s -> !s.disabled() && s.isUp(clock.instant(), settings.capacityStaleAfter()))
                    .map(ServiceRecord::host).collect(Collectors.toSet());
            return reported.containsAll(live);
        } catch (RuntimeException e) {
            LOG.warn("cannot list volume services", e);
            return false;
        }
    }

    /** Places volumes an earlier run left creating and unplaced (their requests may be lost). */
    private void redrive(List<Volume> unplaced) {
        if (!unplaced.isEmpty()) {
            LOG.info("placing {} volume(s) left unplaced", unplaced.size());
        }
        for (Volume volume : unplaced) {
            if (stopped) {
                return;
            }
            try {
                placements.time(() -> placer.scheduleAgain(volume.id()));
            } catch (RuntimeException e) {
                LOG.error("cannot place volume {}", volume.id(), e);
            }
        }
    }

    private void heartbeat() {
        try {
            services.heartbeat(serviceUuid);
        } catch (RuntimeException e) {
            LOG.warn("scheduler heartbeat failed", e);
        }
    }

    private void reapMessages() {
        try {
            int removed = messages.deleteExpired(clock.instant());
            if (removed > 0) {
                LOG.info("removed {} expired user message(s)", removed);
            }
        } catch (RuntimeException e) {
            LOG.warn("removing expired user messages failed", e);
        }
    }
}
