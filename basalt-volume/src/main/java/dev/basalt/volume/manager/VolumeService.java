package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.bus.Bus;
import dev.basalt.bus.Subscription;
import dev.basalt.db.AttachmentRepository;
import dev.basalt.db.BackupRecords;
import dev.basalt.db.Database;
import dev.basalt.db.ExportRepository;
import dev.basalt.db.ImageCacheEntries;
import dev.basalt.db.QosSpecsRepository;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeImageMetadata;
import dev.basalt.db.VolumeProgress;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.glance.GlanceClient;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.PoolCapacity;
import dev.basalt.model.ServiceRecord;
import dev.basalt.rpc.BackupDevice;
import dev.basalt.rpc.BackupDeviceRequest;
import dev.basalt.rpc.CapacityReport;
import dev.basalt.rpc.CleanupRequest;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CopyVolumeToImage;
import dev.basalt.rpc.CreateGroupSnapshot;
import dev.basalt.rpc.CreateSnapshot;
import dev.basalt.rpc.DeleteGroupSnapshot;
import dev.basalt.rpc.CreateVolume;
import dev.basalt.rpc.DeleteSnapshot;
import dev.basalt.rpc.DeleteVolume;
import dev.basalt.rpc.DropBackupBases;
import dev.basalt.rpc.ExtendVolume;
import dev.basalt.rpc.RevertToSnapshot;
import dev.basalt.rpc.RetypeVolume;
import dev.basalt.rpc.MigrateVolume;
import dev.basalt.db.VolumeMoves;
import dev.basalt.rpc.ManageExisting;
import dev.basalt.rpc.ManageExistingSnapshot;
import dev.basalt.rpc.ManageableSnapshots;
import dev.basalt.rpc.ManageableSnapshotsQuery;
import dev.basalt.rpc.UnmanageSnapshot;
import dev.basalt.rpc.ManageableVolumes;
import dev.basalt.rpc.ManageableVolumesQuery;
import dev.basalt.rpc.UnmanageVolume;
import dev.basalt.rpc.InitializeConnection;
import dev.basalt.rpc.VolumeConnection;
import dev.basalt.rpc.TerminateConnection;
import dev.basalt.rpc.PublishCapabilities;
import dev.basalt.rpc.ApiRpc;
import dev.basalt.rpc.BackupRpc;
import dev.basalt.model.BackendName;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.rpc.VolumeSettled;
import dev.basalt.common.LogLevels;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.volume.image.QemuImg;
import dev.basalt.volume.image.ImageDeletions;
import dev.basalt.volume.image.VolumeImageFiller;
import dev.basalt.volume.image.VolumeImageUploader;
import dev.basalt.volume.manager.OperationMeters.Operation;
import dev.basalt.volume.target.VolumeTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
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
 * earlier run left in flight ({@link WorkCleaner}), serves topic {@code volume} as server
 * {@code host@backend}, and reports capacity to the schedulers at once and then every capacity
 * report interval.
 *
 * <p>Each operation claims its workers row before it starts ({@link WorkClaims}), so that work a
 * scheduler is cleaning up is left to it, and a scheduler knows whose work was stopped by a crash.
 *
 * <p>It serves {@link VolumeRpc}'s contract; every handler is idempotent. A create that ends
 * (available or error) is announced to the API processes ({@link ApiRpc#volumeSettled}); capacity
 * goes to the schedulers ({@link SchedulerRpc#updateServiceCapabilities}) after work that changed it.
 * Each operation is timed by kind and outcome ({@link OperationMeters}); each capacity report also
 * sets the backend's capacity gauges ({@link CapacityGauges}).
 */
public final class VolumeService implements VolumeRpc.Server, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeService.class);
    private static final Duration IMAGE_DELETE_RETRY = Duration.ofSeconds(5);
    private static final Duration IMAGE_DELETE_GIVE_UP = Duration.ofMinutes(30);
    private static final Duration IMAGE_UPLOAD_GUARD = Duration.ofHours(6);
    /** How often the progress of image work is stored at most (it shows in the volume's detail). */
    private static final Duration IMAGE_PROGRESS_INTERVAL = Duration.ofSeconds(1);

    private final VolumeServiceSettings settings;
    private final VolumeDriver driver;
    private final ServiceRepository services;
    private final Bus bus;
    private final ApiRpc api;
    private final SchedulerRpc schedulers;
    private final Clock clock;
    private final VolumeManager manager;
    private final SnapshotManager snapshots;
    private final GroupSnapshotManager groupSnapshots;
    private final VolumeExtender extender;
    private final VolumeReverter reverter;
    private final VolumeMigrator migrator;
    private final LocalBackends local;
    private final VolumeAdoptions adoptions;
    private final SnapshotAdoptions snapshotAdoptions;
    private final VolumeUploads uploads;
    private final ScheduledExecutorService imageRetries;
    private final VolumeTarget target;
    private final VolumeExporter exporter;
    private final OperationMeters operations;
    private final CapacityGauges capacity;
    private final WorkClaims claims;
    private final WorkCleaner cleaner;
    private final BackupDevices devices;

    private ScheduledExecutorService timers;
    private Subscription subscription;
    private volatile String serviceUuid;
    private volatile int serviceId;
    private boolean started;
    private volatile boolean stopped;

    /** A volume service that measures nothing. */
    public VolumeService(VolumeServiceSettings settings, VolumeDriver driver, VolumeTarget target, Database database,
                         Bus bus, Clock clock) {
        this(settings, driver, target, database, bus, clock, new CompositeMeterRegistry());
    }

    /**
     * A volume service that times its operations and reports its capacity in {@code meters}, and
     * converts images in the system's temporary directory.
     */
    public VolumeService(VolumeServiceSettings settings, VolumeDriver driver, VolumeTarget target, Database database,
                         Bus bus, Clock clock, MeterRegistry meters) {
        this(settings, driver, target, database, bus, clock, meters,
                Path.of(System.getProperty("java.io.tmpdir"), "basalt-conversion"));
    }

    /**
     * A volume service that times its operations and reports its capacity in {@code meters}, and
     * downloads and converts images in {@code conversionDir} (Cinder's {@code image_conversion_dir}).
     */
    public VolumeService(VolumeServiceSettings settings, VolumeDriver driver, VolumeTarget target, Database database,
                         Bus bus, Clock clock, MeterRegistry meters, Path conversionDir) {
        this(settings, driver, target, database, bus, clock, meters, conversionDir, ImageCacheSettings.OFF);
    }

    /**
     * The image-volume cache's settings of a backend ({@code image_volume_cache_*}) and the internal
     * tenant its volumes belong to ({@code cinder_internal_tenant_project_id}, {@code _user_id}; null when unset).
     */
    public record ImageCacheSettings(boolean enabled, int maxSizeGb, int maxCount, String internalProjectId,
                                     String internalUserId) {
        /** No image-volume cache. */
        public static final ImageCacheSettings OFF = new ImageCacheSettings(false, 0, 0, null, null);
    }

    /** As the constructor above, with the backend's image-volume cache as {@code imageCache} says. */
    public VolumeService(VolumeServiceSettings settings, VolumeDriver driver, VolumeTarget target, Database database,
                         Bus bus, Clock clock, MeterRegistry meters, Path conversionDir, ImageCacheSettings imageCache) {
        this(settings, driver, target, database, bus, clock, meters, conversionDir, imageCache, new LocalBackends());
    }

    /**
     * As the constructor above, one of the volume services of this process in {@code local} (a migration
     * copies to the backends there).
     */
    public VolumeService(VolumeServiceSettings settings, VolumeDriver driver, VolumeTarget target, Database database,
                         Bus bus, Clock clock, MeterRegistry meters, Path conversionDir, ImageCacheSettings imageCache,
                         LocalBackends local) {
        requireNonNull(imageCache, "imageCache");
        this.local = requireNonNull(local, "local");
        this.settings = requireNonNull(settings, "settings");
        this.operations = new OperationMeters(meters, settings.host());
        this.capacity = new CapacityGauges(meters);
        this.driver = requireNonNull(driver, "driver");
        this.target = requireNonNull(target, "target");
        this.bus = requireNonNull(bus, "bus");
        this.api = new ApiRpc(bus);
        this.schedulers = new SchedulerRpc(bus);
        this.clock = requireNonNull(clock, "clock");
        VolumeRepository volumes = new VolumeRepository(database);
        SnapshotRepository snapshots = new SnapshotRepository(database);
        MessageRepository messages = new MessageRepository(database);
        this.services = new ServiceRepository(database);
        this.exporter = new VolumeExporter(settings.host(), driver, target, settings.targetPrefix(), volumes,
                new ExportRepository(database), new AttachmentRepository(database),
                new BackEndQos(new QosSpecsRepository(database)), clock);
        this.snapshots = new SnapshotManager(settings.host(), driver, requireNonNull(snapshots, "snapshots"), volumes,
                messages, clock, settings.messageTtl());
        this.groupSnapshots = new GroupSnapshotManager(settings.host(), driver, snapshots, volumes, messages, clock,
                settings.messageTtl());
        GlanceClient glance = GlanceClient.create(Duration.ofSeconds(10));
        StoredImageProgress imageProgress = new StoredImageProgress(new VolumeProgress(database), clock,
                IMAGE_PROGRESS_INTERVAL);
        VolumeImageFiller filler = new VolumeImageFiller(glance, QemuImg.onPath(), conversionDir, imageProgress);
        VolumeImageMetadata imageMetadata = new VolumeImageMetadata(database);
        this.manager = new VolumeManager(settings.host(), driver, volumes, snapshots, this.snapshots, exporter,
                messages, clock, settings.messageTtl(), new RestoreHandover(BackendName.hostOf(settings.host()),
                        new BackupRecords(database), volumes, services, new BackupRpc(bus), messages, clock,
                        settings.messageTtl(), settings.serviceDownTime()), filler, imageMetadata,
                new ImageVolumeCache(settings.host(), imageCache, driver, volumes, new ImageCacheEntries(database), filler,
                        imageMetadata, clock));
        this.imageRetries = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("image-deletions-" + settings.host()).factory());
        this.uploads = new VolumeUploads(settings.host(), driver, volumes, new VolumeImageUploader(glance,
                QemuImg.onPath(), conversionDir, new ImageDeletions(glance, imageRetries, IMAGE_DELETE_RETRY,
                        IMAGE_DELETE_GIVE_UP), IMAGE_UPLOAD_GUARD, imageProgress), messages, clock, settings.messageTtl());
        this.extender = new VolumeExtender(settings.host(), driver, volumes, messages, clock, settings.messageTtl());
        this.reverter = new VolumeReverter(settings.host(), driver, volumes, snapshots,
                new VolumeTransitions(database, volumes), messages, clock, settings.messageTtl());
        this.migrator = new VolumeMigrator(settings.host(), driver, local, volumes, new VolumeMoves(database), messages,
                clock, settings.messageTtl());
        this.adoptions = new VolumeAdoptions(settings.host(), driver, volumes, exporter, () -> driver.report().pool(),
                messages, clock, settings.messageTtl());
        this.snapshotAdoptions = new SnapshotAdoptions(settings.host(), driver, snapshots, volumes, messages, clock,
                settings.messageTtl());
        WorkerRepository workers = new WorkerRepository(database);
        this.claims = new WorkClaims(workers, () -> serviceId);
        this.devices = new BackupDevices(settings.host(), driver);
        this.cleaner = new WorkCleaner(settings.host(), workers, claims, () -> serviceId, volumes, snapshots, manager,
                this.snapshots, extender, reverter, uploads, migrator, adoptions, snapshotAdoptions, clock);
    }

    /**
     * Starts the driver and the service. A driver that cannot start fails this call with its
     * {@link dev.basalt.driver.VolumeDriverException}, before anything is registered.
     */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("the volume service of " + settings.host() + " was already started");
        }
        started = true;
        driver.start();
        target.start();
        try {
            ServiceRecord me = services.register(settings.host(), VolumeRpc.BINARY, VolumeRpc.TOPIC,
                    settings.availabilityZone());
            serviceUuid = me.uuid();
            serviceId = me.id();
            timers = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("volume-timers-" + settings.host()).factory());
            long beat = settings.reportInterval().toMillis();
            timers.scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
            local.add(settings.host(), driver);
            cleaner.recoverOwnWork();
            exporter.recover();
            subscription = VolumeRpc.serve(bus, settings.host(), this, new LogLevels());
            long every = settings.capacityReportInterval().toMillis();
            timers.scheduleAtFixedRate(this::reportCapacity, 0, every, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("volume service {} started with the {} driver (service {})", settings.host(), driver.name(),
                serviceUuid);
    }

    @Override
    public void createVolume(CreateVolume request) {
        claims.perform(CleanableResource.VOLUME, request.volumeId(), VolumeStatus.CREATING.apiName(),
                () -> announce(request.volumeId(), operations.time(Operation.CREATE_VOLUME, () -> manager.create(request))));
    }

    @Override
    public void deleteVolume(DeleteVolume request) {
        claims.perform(CleanableResource.VOLUME, request.volumeId(), VolumeStatus.DELETING.apiName(),
                () -> reportIfDone(operations.time(Operation.DELETE_VOLUME, () -> manager.delete(request))));
    }

    @Override
    public void extendVolume(ExtendVolume request) {
        claims.perform(CleanableResource.VOLUME, request.volumeId(), VolumeStatus.EXTENDING.apiName(),
                () -> reportIfDone(operations.time(Operation.EXTEND_VOLUME, () -> extender.extend(request))));
    }

    @Override
    public void revertToSnapshot(RevertToSnapshot request) {
        claims.perform(CleanableResource.VOLUME, request.volumeId(), VolumeStatus.REVERTING.apiName(),
                () -> operations.time(Operation.REVERT_TO_SNAPSHOT, () -> reverter.revert(request)));
    }

    @Override
    public void retype(RetypeVolume request) {
        claims.perform(CleanableResource.VOLUME, request.volumeId(), VolumeStatus.RETYPING.apiName(),
                () -> reportIfDone(operations.time(Operation.RETYPE, () -> migrator.retype(request))));
    }

    @Override
    public void migrateVolume(MigrateVolume request) {
        claims.perform(CleanableResource.VOLUME, request.volumeId(), VolumeStatus.MAINTENANCE.apiName(),
                () -> reportIfDone(operations.time(Operation.MIGRATE_VOLUME, () -> migrator.migrate(request))));
    }

    @Override
    public void manageExisting(ManageExisting request) {
        claims.perform(CleanableResource.VOLUME, request.volumeId(), VolumeStatus.MANAGING.apiName(),
                () -> reportIfDone(operations.time(Operation.MANAGE_EXISTING, () -> adoptions.manage(request))));
    }

    @Override
    public void unmanageVolume(UnmanageVolume request) {
        claims.perform(CleanableResource.VOLUME, request.volumeId(), VolumeStatus.UNMANAGING.apiName(),
                () -> reportIfDone(operations.time(Operation.UNMANAGE_VOLUME, () -> adoptions.unmanage(request))));
    }

    @Override
    public ManageableVolumes manageableVolumes(ManageableVolumesQuery request) {
        return adoptions.manageable();
    }

    @Override
    public void manageExistingSnapshot(ManageExistingSnapshot request) {
        claims.perform(CleanableResource.SNAPSHOT, request.snapshotId(), SnapshotStatus.CREATING.apiName(),
                () -> operations.time(Operation.MANAGE_EXISTING_SNAPSHOT, () -> snapshotAdoptions.manage(request)));
    }

    @Override
    public void unmanageSnapshot(UnmanageSnapshot request) {
        claims.perform(CleanableResource.SNAPSHOT, request.snapshotId(), SnapshotStatus.UNMANAGING.apiName(),
                () -> operations.time(Operation.UNMANAGE_SNAPSHOT, () -> snapshotAdoptions.unmanage(request)));
    }

    @Override
    public ManageableSnapshots manageableSnapshots(ManageableSnapshotsQuery request) {
        return snapshotAdoptions.manageable();
    }

    @Override
    public void copyVolumeToImage(CopyVolumeToImage request) {
        claims.perform(CleanableResource.VOLUME, request.volumeId(), VolumeStatus.UPLOADING.apiName(),
                () -> operations.time(Operation.COPY_VOLUME_TO_IMAGE, () -> uploads.upload(request)));
    }

    @Override
    public void createSnapshot(CreateSnapshot request) {
        Optional<String> group = groupSnapshots.groupOf(request.snapshotId());
        if (group.isPresent()) {
            // A member (its message sent again): its group snapshot's members are taken together.
            createGroupSnapshot(new CreateGroupSnapshot(group.get(), request.requestId()));
            return;
        }
        claims.perform(CleanableResource.SNAPSHOT, request.snapshotId(), SnapshotStatus.CREATING.apiName(),
                () -> reportIfDone(operations.time(Operation.CREATE_SNAPSHOT, () -> snapshots.create(request))));
    }

    @Override
    public void deleteSnapshot(DeleteSnapshot request) {
        Optional<String> group = groupSnapshots.groupOf(request.snapshotId());
        if (group.isPresent()) {
            deleteGroupSnapshot(new DeleteGroupSnapshot(group.get(), request.requestId()));
            return;
        }
        claims.perform(CleanableResource.SNAPSHOT, request.snapshotId(), SnapshotStatus.DELETING.apiName(),
                () -> reportIfDone(operations.time(Operation.DELETE_SNAPSHOT, () -> snapshots.delete(request))));
    }

    @Override
    public void createGroupSnapshot(CreateGroupSnapshot request) {
        String id = request.groupSnapshotId();
        List<Snapshot> members = groupSnapshots.members(id, SnapshotStatus.CREATING);
        claims.performAll(CleanableResource.SNAPSHOT, "group snapshot " + id, members.stream().map(Snapshot::id)
                        .toList(), SnapshotStatus.CREATING.apiName(),
                () -> reportIfDone(operations.time(Operation.CREATE_SNAPSHOT,
                        () -> groupSnapshots.create(id, members, request.requestId()))));
    }

    @Override
    public void deleteGroupSnapshot(DeleteGroupSnapshot request) {
        String id = request.groupSnapshotId();
        List<Snapshot> members = groupSnapshots.members(id, SnapshotStatus.DELETING);
        claims.performAll(CleanableResource.SNAPSHOT, "group snapshot " + id, members.stream().map(Snapshot::id)
                        .toList(), SnapshotStatus.DELETING.apiName(),
                () -> reportIfDone(operations.time(Operation.DELETE_SNAPSHOT,
                        () -> groupSnapshots.delete(id, members, request.requestId()))));
    }

    @Override
    public VolumeConnection initializeConnection(InitializeConnection request) {
        return operations.timeAnswer(Operation.INITIALIZE_CONNECTION, () -> exporter.initialize(request));
    }

    @Override
    public BackupDevice backupDevice(BackupDeviceRequest request) throws IOException {
        return devices.locate(request);
    }

    @Override
    public void dropBackupBases(DropBackupBases request) {
        devices.drop(request);
    }

    @Override
    public void terminateConnection(TerminateConnection request) {
        operations.timeAnswer(Operation.TERMINATE_CONNECTION, () -> {
            exporter.terminate(request);
            return null;
        });
    }

    @Override
    public void publishCapabilities(PublishCapabilities request) {
        reportCapacity();
    }

    @Override
    public void doCleanup(CleanupRequest request) {
        int cleaned = cleaner.clean(request);
        LOG.info("cleaned up {} piece(s) of work left by service {}", cleaned, request.serviceId());
        if (cleaned > 0) {
            reportCapacity();
        }
    }

    /** Tells the API processes that a create ended, so a waiting create request can answer at once. */
    private void announce(String volumeId, VolumeManager.Outcome outcome) {
        VolumeStatus settled = switch (outcome) {
            case DONE -> VolumeStatus.AVAILABLE;
            case FAILED -> VolumeStatus.ERROR;
            case SKIPPED, HANDED_OVER -> null;
        };
        if (settled != null) {
            api.volumeSettled(new VolumeSettled(volumeId, settled.apiName()));
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
        local.remove(settings.host());
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
        imageRetries.shutdownNow();
        target.close();
        capacity.close();
        try {
            driver.stop();
        } catch (RuntimeException e) {
            LOG.warn("the {} driver of {} did not stop cleanly", driver.name(), settings.host(), e);
        }
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

    /** The service's number (Cinder's {@code services.id}) once started. */
    public int serviceId() {
        return serviceId;
    }

    /** Sends the backend's capacity to every scheduler now. */
    public void reportCapacity() {
        if (stopped) {
            return;
        }
        try {
            PoolCapacity pool = PoolCapacities.of(settings, driver.report(), target.enforcesLimits(), clock.instant());
            capacity.record(pool);
            schedulers.updateServiceCapabilities(new CapacityReport(settings.host(), serviceUuid, List.of(pool)));
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
