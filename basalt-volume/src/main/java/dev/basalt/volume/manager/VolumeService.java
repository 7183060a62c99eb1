package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.bus.Bus;
import dev.basalt.bus.Endpoint;
import dev.basalt.bus.Subscription;
import dev.basalt.db.AttachmentRepository;
import dev.basalt.db.Database;
import dev.basalt.db.ExportRepository;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.PoolCapacity;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.messages.CapacityReport;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.messages.CreateSnapshot;
import dev.basalt.model.messages.CreateVolume;
import dev.basalt.model.messages.DeleteSnapshot;
import dev.basalt.model.messages.DeleteVolume;
import dev.basalt.model.messages.ExtendVolume;
import dev.basalt.model.messages.InitializeConnection;
import dev.basalt.model.messages.IscsiConnection;
import dev.basalt.model.messages.TerminateConnection;
import dev.basalt.model.messages.PublishCapabilities;
import dev.basalt.model.messages.Topics;
import dev.basalt.model.messages.VolumeSettled;
import dev.basalt.volume.driver.VolumeDriver;
import dev.basalt.volume.target.VolumeTarget;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume role for one backend ({@code host@backend}): runs its driver and serves the
 * backend's messages.
 *
 * <p>{@link #start()} starts the driver, registers the service ({@code cinder-volume} on
 * {@code host@backend}) and heartbeats it every report interval, finishes or fails the work an
 * earlier run left in flight, serves topic {@code volume} as server {@code host@backend}, and
 * reports capacity to the schedulers at once and then every capacity report interval.
 *
 * <p>Bus methods served (all idempotent):
 * <ul>
 *   <li>{@link Topics#CREATE_VOLUME} ({@link CreateVolume}): create a volume the scheduler placed here;</li>
 *   <li>{@link Topics#DELETE_VOLUME} ({@link DeleteVolume}): wipe and remove a {@code deleting} volume
 *       (after its {@code deleting} snapshots, for a cascading delete);</li>
 *   <li>{@link Topics#CREATE_SNAPSHOT} ({@link CreateSnapshot}): take a {@code creating} snapshot;</li>
 *   <li>{@link Topics#DELETE_SNAPSHOT} ({@link DeleteSnapshot}): wipe and remove a {@code deleting} snapshot;</li>
 *   <li>{@link Topics#EXTEND_VOLUME} ({@link ExtendVolume}): grow an {@code extending} volume;</li>
 *   <li>{@link Topics#INITIALIZE_CONNECTION} ({@link InitializeConnection}, a call): export a volume for a
 *       host and answer how to reach it ({@link IscsiConnection});</li>
 *   <li>{@link Topics#TERMINATE_CONNECTION} ({@link TerminateConnection}, a call): remove the export
 *       when no other host uses it;</li>
 *   <li>{@link Topics#PUBLISH_CAPABILITIES} ({@link PublishCapabilities}): report capacity now.</li>
 * </ul>
 */
public final class VolumeService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeService.class);

    private final VolumeServiceSettings settings;
    private final VolumeDriver driver;
    private final ServiceRepository services;
    private final Bus bus;
    private final Clock clock;
    private final VolumeManager manager;
    private final SnapshotManager snapshots;
    private final VolumeExtender extender;
    private final VolumeTarget target;
    private final VolumeExporter exporter;

    private ScheduledExecutorService timers;
    private Subscription subscription;
    private volatile String serviceUuid;
    private boolean started;
    private volatile boolean stopped;

    public VolumeService(VolumeServiceSettings settings, VolumeDriver driver, VolumeTarget target, Database database,
                         Bus bus, Clock clock) {
        this.settings = requireNonNull(settings, "settings");
        this.driver = requireNonNull(driver, "driver");
        this.target = requireNonNull(target, "target");
        this.bus = requireNonNull(bus, "bus");
        this.clock = requireNonNull(clock, "clock");
        VolumeRepository volumes = new VolumeRepository(database);
        SnapshotRepository snapshots = new SnapshotRepository(database);
        MessageRepository messages = new MessageRepository(database);
        this.services = new ServiceRepository(database);
        this.exporter = new VolumeExporter(settings.host(), driver, target, settings.targetPrefix(), volumes,
                new ExportRepository(database), new AttachmentRepository(database), clock);
        this.snapshots = new SnapshotManager(settings.host(), driver, requireNonNull(snapshots, "snapshots"), volumes,
                messages, clock, settings.messageTtl());
        this.manager = new VolumeManager(settings.host(), driver, volumes, snapshots, this.snapshots, exporter,
                messages, clock, settings.messageTtl());
        this.extender = new VolumeExtender(settings.host(), driver, volumes, messages, clock, settings.messageTtl());
    }

    /**
     * Starts the driver and the service. A driver that cannot start fails this call with its
     * {@link dev.basalt.volume.driver.VolumeDriverException}, before anything is registered.
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("the volume service of " + settings.host() + " was already started");
        }
        started = true;
        driver.start();
        target.start();
        try {
            ServiceRecord me = services.register(settings.host(), Topics.VOLUME_BINARY, Topics.VOLUME,
                    settings.availabilityZone());
            serviceUuid = me.uuid();
            timers = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("volume-timers-" + settings.host()).factory());
            long beat = settings.reportInterval().toMillis();
            timers.scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
            snapshots.recover();
            manager.recover();
            extender.recover();
            exporter.recover();
            subscription = bus.serve(Topics.VOLUME, settings.host(), Endpoint.builder()
                    .on(Topics.CREATE_VOLUME, CreateVolume.class, request -> {
                        announce(request.volumeId(), manager.create(request));
                        return null;
                    })
                    .on(Topics.DELETE_VOLUME, DeleteVolume.class, request -> {
                        reportIfDone(manager.delete(request));
                        return null;
                    })
                    .on(Topics.CREATE_SNAPSHOT, CreateSnapshot.class, request -> {
                        reportIfDone(snapshots.create(request));
                        return null;
                    })
                    .on(Topics.DELETE_SNAPSHOT, DeleteSnapshot.class, request -> {
                        reportIfDone(snapshots.delete(request));
                        return null;
                    })
                    .on(Topics.EXTEND_VOLUME, ExtendVolume.class, request -> {
                        reportIfDone(extender.extend(request));
                        return null;
                    })
                    .on(Topics.INITIALIZE_CONNECTION, InitializeConnection.class, exporter::initialize)
                    .on(Topics.TERMINATE_CONNECTION, TerminateConnection.class, request -> {
                        exporter.terminate(request);
                        return null;
                    })
                    .on(Topics.PUBLISH_CAPABILITIES, PublishCapabilities.class, request -> {
                        reportCapacity();
                        return null;
                    })
                    .build());
            long every = settings.capacityReportInterval().toMillis();
            timers.scheduleAtFixedRate(this::reportCapacity, 0, every, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("volume service {} started with the {} driver (service {})", settings.host(), driver.name(),
                serviceUuid);
    }

    /** Tells the API processes that a create ended, so a waiting create request can answer at once. */
    private void announce(String volumeId, VolumeManager.Outcome outcome) {
        VolumeStatus settled = switch (outcome) {
            case DONE -> VolumeStatus.AVAILABLE;
            case FAILED -> VolumeStatus.ERROR;
            case SKIPPED -> null;
        };
        if (settled != null) {
            bus.fanout(Topics.API, Topics.VOLUME_SETTLED, new VolumeSettled(volumeId, settled.apiName()));
        }
    }

    /**
     * Reports capacity at once after work the schedulers did not charge for (snapshots, extends,
     * deletes), so their next placements count it.
     */
    private void reportIfDone(VolumeManager.Outcome outcome) {
        if (outcome == VolumeManager.Outcome.DONE) {
            reportCapacity();
        }
    }

    /** Stops serving, reporting and heartbeating; work in progress finishes. Safe to call more than once. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (subscription != null) {
            subscription.close();
        }
        if (timers != null) {
            timers.shutdown();
            try {
                if (!timers.awaitTermination(5, TimeUnit.SECONDS)) {
                    timers.shutdownNow();
                }
            } catch (InterruptedException e) {
                timers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        target.close();
        LOG.info("volume service {} stopped", settings.host());
    }

    @Override
    public void close() {
        stop();
    }

    /** The service row's uuid once started. */
    public String serviceUuid() {
        return serviceUuid;
    }

    /** Sends the backend's capacity to every scheduler now. */
    public void reportCapacity() {
        if (stopped) {
            return;
        }
        try {
            PoolCapacity pool = PoolCapacities.of(settings, driver.report(), clock.instant());
            bus.fanout(Topics.SCHEDULER, Topics.UPDATE_CAPABILITIES,
                    new CapacityReport(settings.host(), serviceUuid, List.of(pool)));
        } catch (RuntimeException e) {
            LOG.warn("cannot report the capacity of {}", settings.host(), e);
        }
    }

    private void heartbeat() {
        try {
            services.heartbeat(serviceUuid);
        } catch (RuntimeException e) {
            LOG.warn("heartbeat of {} failed", settings.host(), e);
        }
    }
}
