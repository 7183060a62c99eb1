package dev.basalt.api;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.auth.Authenticator;
import dev.basalt.api.auth.NoAuthAuthenticator;
import dev.basalt.api.http.ApiDispatcher;
import dev.basalt.api.http.HttpMeters;
import dev.basalt.api.http.Router;
import dev.basalt.api.http.TransportFaults;
import dev.basalt.api.policy.Policy;
import dev.basalt.api.resources.AttachActions;
import dev.basalt.api.resources.ImageMetadataActions;
import dev.basalt.api.resources.ManageableSnapshotsResource;
import dev.basalt.api.resources.ManageableVolumesResource;
import dev.basalt.api.resources.RevertAction;
import dev.basalt.api.resources.MoveActions;
import dev.basalt.api.service.VolumeRetypes;
import dev.basalt.api.service.VolumeMigrations;
import dev.basalt.db.VolumeMoves;
import dev.basalt.api.resources.UploadImageAction;
import dev.basalt.api.resources.BackupActionsResource;
import dev.basalt.api.resources.BackupsResource;
import dev.basalt.api.resources.AttachmentsResource;
import dev.basalt.api.resources.Connections;
import dev.basalt.api.resources.AvailabilityZonesResource;
import dev.basalt.api.resources.ClustersResource;
import dev.basalt.api.resources.DefaultTypesResource;
import dev.basalt.api.resources.CapabilitiesResource;
import dev.basalt.api.resources.ExtensionsResource;
import dev.basalt.api.resources.HostsResource;
import dev.basalt.api.resources.SchedulerStatsResource;
import dev.basalt.api.resources.ExtraSpecsResource;
import dev.basalt.api.resources.FrontEndQos;
import dev.basalt.api.resources.LimitsResource;
import dev.basalt.common.LogLevels;
import dev.basalt.api.resources.MessagesResource;
import dev.basalt.api.resources.GroupSpecsResource;
import dev.basalt.api.resources.GroupTypesResource;
import dev.basalt.api.resources.GroupSnapshotsResource;
import dev.basalt.api.resources.GroupsResource;
import dev.basalt.api.resources.QosSpecsResource;
import dev.basalt.api.resources.QuotaClassSetsResource;
import dev.basalt.api.resources.QuotaSetsResource;
import dev.basalt.api.resources.ResourceFiltersResource;
import dev.basalt.api.resources.ServicesResource;
import dev.basalt.api.resources.SnapshotActionsResource;
import dev.basalt.api.resources.SnapshotMetadataResource;
import dev.basalt.api.resources.SnapshotsResource;
import dev.basalt.api.resources.VersionsResource;
import dev.basalt.api.resources.VolumeActions;
import dev.basalt.api.resources.VolumeActionsResource;
import dev.basalt.api.resources.VolumeMetadataResource;
import dev.basalt.api.resources.TransfersResource;
import dev.basalt.api.resources.VolumeTypeAccessResource;
import dev.basalt.api.resources.VolumeTypeEncryptionResource;
import dev.basalt.api.resources.VolumeTypeCache;
import dev.basalt.api.resources.VolumeTypesResource;
import dev.basalt.api.resources.VolumeView;
import dev.basalt.api.resources.VolumesResource;
import dev.basalt.api.resources.WorkersResource;
import dev.basalt.api.service.AvailabilityZones;
import dev.basalt.api.service.SnapshotManagement;
import dev.basalt.api.service.VolumeManagement;
import dev.basalt.api.service.VolumeReverts;
import dev.basalt.api.service.BackupHosts;
import dev.basalt.api.service.BackupService;
import dev.basalt.api.service.GroupMembership;
import dev.basalt.api.service.GroupFromSource;
import dev.basalt.api.service.GroupService;
import dev.basalt.api.service.GroupSnapshotService;
import dev.basalt.api.service.RestoreTargets;
import dev.basalt.api.service.CreateSettling;
import dev.basalt.api.service.DefaultTypes;
import dev.basalt.api.service.DetachSafety;
import dev.basalt.api.service.EncryptionKeys;
import dev.basalt.api.service.Quotas;
import dev.basalt.api.service.SnapshotService;
import dev.basalt.api.service.TransferService;
import dev.basalt.api.service.TypeAccess;
import dev.basalt.api.service.VolumeCreation;
import dev.basalt.api.service.VolumeDeletion;
import dev.basalt.api.service.VolumeImageMetadataService;
import dev.basalt.api.service.VolumeService;
import dev.basalt.api.service.VolumeSources;
import dev.basalt.api.validation.Schemas;
import dev.basalt.bus.Bus;
import dev.basalt.rpc.BackupRpc;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.ServiceRpc;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.db.AttachmentRepository;
import dev.basalt.db.AttachmentTransitions;
import dev.basalt.db.BackupRecords;
import dev.basalt.db.Database;
import dev.basalt.db.DefaultTypeRepository;
import dev.basalt.db.EncryptionRepository;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.GroupRepository;
import dev.basalt.db.GroupSnapshotRepository;
import dev.basalt.db.GroupTypeRepository;
import dev.basalt.db.QosSpecsRepository;
import dev.basalt.db.QuotaRepository;
import dev.basalt.db.HostUsage;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.TransferRepository;
import dev.basalt.db.VolumeImageMetadata;
import dev.basalt.db.VolumeRepository;
import dev.basalt.glance.GlanceClient;
import dev.basalt.api.service.ImageEndpoints;
import dev.basalt.api.service.VolumeImages;
import dev.basalt.api.service.VolumeUploads;
import dev.basalt.db.VolumeTypeAccessRepository;
import dev.basalt.db.VolumeProgress;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.db.WorkerRepository;
import io.helidon.webserver.WebServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Basalt's REST API: the Block Storage API v3 (microversions {@link Microversions#MIN} to
 * {@link Microversions#MAX}) on a Helidon web server. Holds no state of its own beyond a short
 * cache of volume type names, so any number of API processes can serve the same database.
 *
 * <p>Wiring: pass the one {@link Database} and the bus the scheduler and volume services listen
 * on, then {@link #start()}; the configured {@code default_volume_type} must exist before volumes
 * are created without a type.
 *
 * <p>Besides the API it answers {@code GET /healthcheck} and {@code GET /metrics} (the process's
 * meters, see {@link ApiMetrics}), neither of which needs a token.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final Duration TYPE_CACHE_MAX_AGE = Duration.ofSeconds(5);
    /** How long a request waits for a volume service's answer (Cinder's rpc_response_timeout). */
    private static final Duration VOLUME_CALL_TIMEOUT = Duration.ofSeconds(60);
    /** How long a restore waits for the volume it creates to leave {@code creating}. */
    private static final Duration RESTORE_VOLUME_WAIT = Duration.ofSeconds(60);

    private final ApiSettings settings;
    private final ApiDispatcher dispatcher;
    private final CreateSettling createSettling;
    private final Healthcheck healthcheck;
    private final MetricsHandler metricsHandler;
    private WebServer server;

    /** An API authenticating as {@link ApiSettings#authStrategy()} says ({@code noauth}; Keystone needs its authenticator). */
    public ApiServer(ApiSettings settings, Database database, Bus bus, Clock clock, QuotaSettings quotaSettings) {
        this(settings, database, bus, clock, quotaSettings, authenticator(settings));
    }

    /** An API with its own {@link Authenticator} and Cinder's default policy. */
    public ApiServer(ApiSettings settings, Database database, Bus bus, Clock clock, QuotaSettings quotaSettings,
                     Authenticator authenticator) {
        this(settings, database, bus, clock, quotaSettings, authenticator, Policy.cinderDefaults());
    }

    /**
     * An API on {@code database} with its own {@link Authenticator} (noauth, or Keystone token
     * validation) and {@link Policy} (Cinder's defaults with the operator's overrides).
     */
    public ApiServer(ApiSettings settings, Database database, Bus bus, Clock clock, QuotaSettings quotaSettings,
                     Authenticator authenticator, Policy policy) {
        this(settings, database, bus, clock, quotaSettings, authenticator, policy, ApiMetrics.none());
    }

    /**
     * An API as the other constructors build it, recording its requests in {@code metrics}' registry
     * and answering {@code GET /metrics} with its exposition.
     */
    public ApiServer(ApiSettings settings, Database database, Bus bus, Clock clock, QuotaSettings quotaSettings,
                     Authenticator authenticator, Policy policy, ApiMetrics metrics) {
        this(settings, database, bus, clock, quotaSettings, authenticator, policy, metrics, DetachSafety.off(),
                ImageEndpoints.none());
    }

    /**
     * An API as the other constructors build it, leaving attachments that instances use to the
     * compute service as {@code detachSafety} decides ({@code auth_strategy = keystone}), and
     * finding the Image service (for volumes made from images) through {@code imageEndpoints}.
     */
    public ApiServer(ApiSettings settings, Database database, Bus bus, Clock clock, QuotaSettings quotaSettings,
                     Authenticator authenticator, Policy policy, ApiMetrics metrics, DetachSafety detachSafety,
                     ImageEndpoints imageEndpoints) {
        requireNonNull(detachSafety, "detachSafety");
        requireNonNull(imageEndpoints, "imageEndpoints");
        this.settings = requireNonNull(settings, "settings");
        requireNonNull(metrics, "metrics");
        this.metricsHandler = new MetricsHandler(metrics.exposition());
        requireNonNull(database, "database");
        requireNonNull(authenticator, "authenticator");
        requireNonNull(policy, "policy");
        requireNonNull(bus, "bus");
        requireNonNull(clock, "clock");
        requireNonNull(quotaSettings, "quotaSettings");
        VolumeRepository volumes = new VolumeRepository(database);
        VolumeTypeRepository types = new VolumeTypeRepository(database);
        DefaultTypeRepository defaultTypes = new DefaultTypeRepository(database);
        ServiceRepository services = new ServiceRepository(database);
        MessageRepository messages = new MessageRepository(database);
        SnapshotRepository snapshots = new SnapshotRepository(database);
        VolumeTransitions transitions = new VolumeTransitions(database, volumes);
        QuotaRepository quotas = new QuotaRepository(database);
        VolumeTypeAccessRepository typeAccess = new VolumeTypeAccessRepository(database);
        QosSpecsRepository qosSpecs = new QosSpecsRepository(database);
        EncryptionRepository encryption = new EncryptionRepository(database);

        Schemas schemas = new Schemas();
        VolumeTypeCache typeCache = new VolumeTypeCache(types, clock, TYPE_CACHE_MAX_AGE);
        DefaultTypes defaults = new DefaultTypes(defaultTypes, types, settings);
        AvailabilityZones zones = new AvailabilityZones(services, settings, clock);
        AttachmentRepository attachments = new AttachmentRepository(database);
        VolumeImageMetadata imageMetadata = new VolumeImageMetadata(database);
        VolumeView volumeView = new VolumeView(typeCache, attachments, imageMetadata, new VolumeProgress(database));
        Quotas quotaRules = new Quotas(quotas, types, quotaSettings);
        TypeAccess access = new TypeAccess(typeAccess);

        VolumeRpc volumeServices = new VolumeRpc(bus);
        GlanceClient glance = GlanceClient.create(Duration.ofSeconds(10));
        this.createSettling = new CreateSettling(bus, settings.createSettleWait());
        GroupRepository groupRepository = new GroupRepository(database);
        VolumeDeletion deletion = new VolumeDeletion(volumes, snapshots, transitions, volumeServices);
        VolumeCreation creation = new VolumeCreation(settings, volumes, types, defaults, access, zones,
                new VolumeSources(snapshots, volumes, transitions), quotaRules, new SchedulerRpc(bus), createSettling,
                clock, new VolumeImages(glance, imageEndpoints), encryption, new EncryptionKeys(settings.keyManager()),
                new GroupMembership(groupRepository));
        AttachmentTransitions attachmentTransitions = new AttachmentTransitions(database);
        VolumeService volumeService = new VolumeService(volumes, transitions, attachments, creation, deletion,
                quotaRules, volumeServices);
        SnapshotService snapshotService = new SnapshotService(snapshots, volumes, volumeService, quotaRules,
                volumeServices, clock);
        VolumeTypesResource typesResource = new VolumeTypesResource(settings, types, volumes, defaults, typeCache,
                schemas, access);
        VolumeManagement management = new VolumeManagement(settings, volumes, types, defaults, encryption, services,
                transitions, quotaRules, volumeServices, clock, VOLUME_CALL_TIMEOUT);
        Router.Builder routes = Router.builder();
        Connections connections = new Connections(volumeServices, new FrontEndQos(qosSpecs), VOLUME_CALL_TIMEOUT);
        new VolumeActionsResource(volumeService, new VolumeActions(volumeService, schemas),
                new AttachActions(volumeService, attachments, attachmentTransitions, connections, detachSafety, schemas,
                        clock),
                new ImageMetadataActions(volumeService, new VolumeImageMetadataService(imageMetadata, volumes), schemas),
                new UploadImageAction(volumeService, new VolumeUploads(volumes, imageMetadata, glance, imageEndpoints,
                        volumeServices, settings.enableForceUpload()), typeCache, schemas),
                new RevertAction(volumeService, new VolumeReverts(snapshots, transitions, volumeServices), schemas),
                new MoveActions(volumeService, new VolumeRetypes(types, encryption, qosSpecs, quotaRules,
                        new VolumeMoves(database), new SchedulerRpc(bus)), new VolumeMigrations(new VolumeMoves(database),
                        services, attachments, new SchedulerRpc(bus), clock, settings.serviceDownTime()), schemas),
                management).register(routes);
        new ManageableVolumesResource(management, volumeView, schemas, settings.maxLimit()).register(routes);
        new AttachmentsResource(volumeService, attachments, attachmentTransitions, connections, detachSafety, schemas,
                clock, settings.maxLimit()).register(routes);
        new SnapshotsResource(settings, snapshots, snapshotService, volumeService, schemas).register(routes);
        new SnapshotMetadataResource(snapshots, snapshotService, schemas).register(routes);
        SnapshotManagement snapshotManagement = new SnapshotManagement(snapshots, volumes, volumeService, management,
                quotaRules, volumeServices, clock, VOLUME_CALL_TIMEOUT);
        new ManageableSnapshotsResource(snapshotManagement, volumeService, schemas, settings.maxLimit())
                .register(routes);
        new SnapshotActionsResource(snapshotService, snapshotManagement, schemas).register(routes);
        BackupRecords backupRecords = new BackupRecords(database);
        BackupService backupService = new BackupService(backupRecords, volumeService, snapshotService, snapshots,
                quotaRules, new BackupHosts(services, clock, settings.serviceDownTime()),
                new RestoreTargets(volumeService, clock, RESTORE_VOLUME_WAIT), new BackupRpc(bus), clock,
                VOLUME_CALL_TIMEOUT);
        new VolumesResource(settings, volumes, volumeService, backupService, volumeView, schemas).register(routes);
        new BackupsResource(settings, backupRecords, backupService, volumeService, schemas).register(routes);
        new BackupActionsResource(backupService, schemas).register(routes);
        new VolumeMetadataResource(volumes, volumeService, schemas).register(routes);
        new TransfersResource(new TransferService(new TransferRepository(database), volumes, quotaRules, clock),
                volumeService, schemas, settings.maxLimit()).register(routes);
        typesResource.register(routes);
        GroupTypeRepository groupTypes = new GroupTypeRepository(database);
        GroupService groupService = new GroupService(groupRepository, groupTypes, types, volumes,
                snapshots, zones, quotaRules, new SchedulerRpc(bus), VOLUME_CALL_TIMEOUT, deletion, clock);
        GroupSnapshotService groupSnapshotService = new GroupSnapshotService(new GroupSnapshotRepository(database),
                groupRepository, snapshots, groupService, volumes, quotaRules, volumeServices, clock);
        new GroupsResource(groupService, new GroupFromSource(groupRepository, groupService, groupSnapshotService,
                snapshots, volumes, types, encryption, new EncryptionKeys(settings.keyManager()), quotaRules,
                new SchedulerRpc(bus), clock), schemas, settings.maxLimit()).register(routes);
        new GroupSnapshotsResource(groupSnapshotService, groupService, schemas, settings.maxLimit()).register(routes);
        GroupTypesResource groupTypesResource = new GroupTypesResource(settings, groupTypes, groupService::typeInUse,
                schemas);
        groupTypesResource.register(routes);
        new GroupSpecsResource(groupTypes, groupTypesResource, schemas).register(routes);
        new ExtraSpecsResource(types, volumes, typesResource, typeCache, schemas).register(routes);
        new VolumeTypeEncryptionResource(encryption, types, volumes, schemas).register(routes);
        new QosSpecsResource(qosSpecs, typeCache, schemas, settings.maxLimit()).register(routes);
        new DefaultTypesResource(defaultTypes, types, schemas).register(routes);
        new AvailabilityZonesResource(zones).register(routes);
        new ServicesResource(settings, services, schemas, new LogLevels(), new ServiceRpc(bus), clock).register(routes);
        new MessagesResource(settings, messages).register(routes);
        new ResourceFiltersResource().register(routes);
        new ClustersResource().register(routes);
        new ExtensionsResource().register(routes);
        SchedulerRpc schedulers = new SchedulerRpc(bus);
        new SchedulerStatsResource(schedulers, types, VOLUME_CALL_TIMEOUT).register(routes);
        new CapabilitiesResource(services, schedulers, VOLUME_CALL_TIMEOUT).register(routes);
        new HostsResource(services, new HostUsage(database), clock, settings.serviceDownTime()).register(routes);
        new QuotaSetsResource(quotaRules, schemas).register(routes);
        new QuotaClassSetsResource(quotaRules, schemas).register(routes);
        new LimitsResource(quotaRules).register(routes);
        new VolumeTypeAccessResource(types, typeAccess, schemas).register(routes);
        new WorkersResource(new WorkerRepository(database), new SchedulerRpc(bus), schemas, clock, VOLUME_CALL_TIMEOUT)
                .register(routes);

        this.healthcheck = new Healthcheck(List.of(() -> databaseProblem(database),
                () -> bus.isConnected() ? Optional.empty() : Optional.of("message broker unreachable")));
        VersionsResource versions = new VersionsResource();
        this.dispatcher = new ApiDispatcher(routes.build(), authenticator, policy, versions::document,
                settings.maxRequestBodySize(), settings.publicEndpoint(), new HttpMeters(metrics.registry()));
    }

    private static Optional<String> databaseProblem(Database database) {
        try {
            database.jdbi().useHandle(h -> h.execute("SELECT 1"));
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("database unreachable");
        }
    }

    private static Authenticator authenticator(ApiSettings settings) {
        if (settings.authStrategy().equals(ApiSettings.NOAUTH)) {
            return new NoAuthAuthenticator();
        }
        throw new IllegalArgumentException("auth_strategy = " + settings.authStrategy()
                + " needs its authenticator: pass a KeystoneAuthenticator");
    }

    /** Starts listening; returns the bound port (the ephemeral one when the settings say 0). */
    public synchronized int start() {
        if (server != null) {
            throw new IllegalStateException("the API server is already running");
        }
        createSettling.start(settings.host());
        server = WebServer.builder()
                .host(settings.listenAddress())
                .port(settings.port())
                .shutdownGracePeriod(Duration.ofSeconds(2))
                .directHandlers(TransportFaults.all())
                .routing(routing -> routing.get(Healthcheck.PATH, healthcheck).head(Healthcheck.PATH, healthcheck)
                        .get(MetricsHandler.PATH, metricsHandler).any(dispatcher))
                .build()
                .start();
        LOG.info("Block Storage API v3 (microversions {} to {}) listening on {}:{}", Microversions.MIN,
                Microversions.MAX, settings.listenAddress(), server.port());
        return server.port();
    }

    /** The bound port, or -1 when not running. */
    public synchronized int port() {
        return server == null ? -1 : server.port();
    }

    public synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
        createSettling.close();
    }

    @Override
    public void close() {
        stop();
    }
}
