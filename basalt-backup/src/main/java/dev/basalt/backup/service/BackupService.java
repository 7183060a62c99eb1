package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.BackupRepository;
import dev.basalt.backup.service.BackupMeters.Operation;
import dev.basalt.backup.service.BackupMeters.Outcome;
import dev.basalt.bus.Bus;
import dev.basalt.bus.Subscription;
import dev.basalt.common.LogLevels;
import dev.basalt.db.BackupRecords;
import dev.basalt.db.Database;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.ServiceRecord;
import dev.basalt.rpc.BackupRecord;
import dev.basalt.rpc.BackupRpc;
import dev.basalt.rpc.CreateBackup;
import dev.basalt.rpc.DeleteBackup;
import dev.basalt.rpc.ImportBackup;
import dev.basalt.rpc.RestoreBackup;
import dev.basalt.rpc.VolumeRpc;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup role of one host (Cinder's {@code cinder-backup}): runs a backup repository and serves
 * {@link BackupRpc}'s messages.
 *
 * <p><b>Same host.</b> A Basalt backup service reads and writes the volumes of its own host
 * directly (a local file, its holes found with {@code SEEK_DATA}), as Cinder's
 * {@code backup_use_same_host = True}: the api sends a backup or restore to the backup service
 * whose host is the host part of the volume's {@code host@backend#pool}, and the service asks the
 * volume's volume service where the file is ({@link VolumeRpc#backupDevice}), refusing a file on
 * another host. In {@code basalt all} everything is on one host. An attached ({@code in-use})
 * volume is backed up through a temporary snapshot ({@link TemporarySnapshots}): it stays attached
 * and usable meanwhile.
 *
 * <p>{@link #start()} registers the service ({@code cinder-backup} on {@code host}) and heartbeats
 * it every report interval, recovers the work an earlier run left in flight
 * ({@link BackupRecovery}), then serves topic {@code backup} as server {@code host}.
 *
 * <p>Every handler is idempotent: a message for a backup no longer in the status it expects does
 * nothing, and a message for a backup this process is already working on (a redelivery) is
 * dropped. Each operation is measured ({@link BackupMeters}); failures reach the user as the
 * backup's (or volume's) status and reason and as user messages ({@link BackupMessages}).
 */
public final class BackupService implements BackupRpc.Server, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);
    /** How long a volume service may take to take the temporary snapshot of an attached volume. */
    private static final Duration TEMPORARY_SNAPSHOT_TIMEOUT = Duration.ofMinutes(10);

    private final BackupServiceSettings settings;
    private final Bus bus;
    private final ServiceRepository services;
    private final BackupMeters meters;
    private final BackupCreator creator;
    private final BackupRestorer restorer;
    private final BackupDeleter deleter;
    private final RecordExchange records;
    private final BackupRecovery recovery;
    private final Set<String> working = ConcurrentHashMap.newKeySet();

    private ScheduledExecutorService timers;
    private Subscription subscription;
    private volatile String serviceUuid;
    private volatile int serviceId;
    private boolean started;
    private boolean stopped;

    /** A backup service that measures nothing. */
    public BackupService(BackupServiceSettings settings, BackupRepository repository, Database database, Bus bus,
                         Clock clock) {
        this(settings, repository, database, bus, clock, new CompositeMeterRegistry());
    }

    /** A backup service that measures its operations in {@code meters}. */
    public BackupService(BackupServiceSettings settings, BackupRepository repository, Database database, Bus bus,
                         Clock clock, MeterRegistry meters) {
        this.settings = requireNonNull(settings, "settings");
        requireNonNull(repository, "repository");
        requireNonNull(database, "database");
        this.bus = requireNonNull(bus, "bus");
        requireNonNull(clock, "clock");
        this.services = new ServiceRepository(database);
        this.meters = new BackupMeters(meters, settings.host());
        BackupRecords backups = new BackupRecords(database);
        VolumeRepository volumes = new VolumeRepository(database);
        SnapshotRepository snapshots = new SnapshotRepository(database);
        VolumeStatuses statuses = new VolumeStatuses(volumes, snapshots);
        BackupMessages messages = new BackupMessages(new MessageRepository(database), clock, settings.messageTtl());
        VolumeDevices devices = new VolumeDevices(new VolumeRpc(bus), settings.host(), settings.rpcTimeout());
        BackupWork work = new BackupWork(repository, backups, volumes, devices, statuses, messages, this.meters, clock);
        TemporarySnapshots temporaries = new TemporarySnapshots(backups, snapshots, volumes, new VolumeRpc(bus), clock,
                TEMPORARY_SNAPSHOT_TIMEOUT);
        this.creator = new BackupCreator(settings, work, temporaries);
        this.restorer = new BackupRestorer(work, new WorkerRepository(database), () -> serviceId);
        this.deleter = new BackupDeleter(work);
        this.records = new RecordExchange(settings, repository, backups);
        this.recovery = new BackupRecovery(settings.host(), repository, backups, volumes, statuses, deleter,
                temporaries, devices);
    }

    /** Registers and heartbeats the service, recovers its work left in flight, then serves its messages. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("the backup service of " + settings.host() + " was already started");
        }
        started = true;
        try {
            ServiceRecord me = services.register(settings.host(), BackupRpc.BINARY, BackupRpc.TOPIC,
                    settings.availabilityZone());
            serviceUuid = me.uuid();
            serviceId = me.id();
            timers = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("backup-timers-" + settings.host()).factory());
            long beat = settings.reportInterval().toMillis();
            timers.scheduleAtFixedRate(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
            recovery.recover();
            subscription = BackupRpc.serve(bus, settings.host(), this, new LogLevels());
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("backup service {} started with {} (service {})", settings.host(), settings.driverName(),
                serviceUuid);
    }

    @Override
    public void createBackup(CreateBackup request) throws Exception {
        meters.time(Operation.CREATE_BACKUP, () -> once(request.backupId(), request.backupId(), () -> creator.create(request)));
    }

    @Override
    public void restoreBackup(RestoreBackup request) throws Exception {
        meters.time(Operation.RESTORE_BACKUP, () -> once(request.backupId(), request.backupId() + " into volume "
                + request.volumeId(), () -> restorer.restore(request)));
    }

    @Override
    public void deleteBackup(DeleteBackup request) throws Exception {
        meters.time(Operation.DELETE_BACKUP,
                () -> once(request.backupId(), request.backupId(),
                        () -> deleter.delete(request.backupId(), request.requestId())));
    }

    @Override
    public BackupRecord exportRecord(String backupId) throws Exception {
        return meters.answer(Operation.EXPORT_RECORD, () -> records.export(backupId));
    }

    @Override
    public void importRecord(ImportBackup request) throws Exception {
        meters.time(Operation.IMPORT_RECORD, () -> once(request.backupId(), request.backupId(),
                () -> records.importRecord(request)));
    }

    /**
     * Runs {@code work} on the backup unless this process is already doing that {@code job} (then:
     * skipped); a job is the backup's id, or a restore's backup and volume (one backup may be restored
     * into several volumes at once).
     */
    private Outcome once(String backupId, String job, Supplier<Outcome> work) {
        if (!working.add(job)) {
            LOG.info("backup {} is already being worked on here: message dropped", job);
            return Outcome.SKIPPED;
        }
        try {
            return work.get();
        } finally {
            working.remove(job);
            if (working.stream().noneMatch(other -> other.startsWith(backupId))) {
                meters.progressEnded(backupId);
            }
        }
    }

    /** Stops serving and heartbeating; work in progress finishes. Safe to call more than once. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (subscription != null) {
            subscription.close();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
        LOG.info("backup service {} stopped", settings.host());
    }

    @Override
    public void close() {
        stop();
    }

    /** The service row's uuid once started. */
    public String serviceUuid() {
        return serviceUuid;
    }

    private void heartbeat() {
        try {
            services.heartbeat(serviceUuid);
        } catch (RuntimeException e) {
            LOG.warn("heartbeat of backup service {} failed", settings.host(), e);
        }
    }
}
