package dev.basalt.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basalt.bus.InJvmBus;
import dev.basalt.bus.Subscription;
import dev.basalt.common.Ids;
import dev.basalt.common.Json;
import dev.basalt.db.Database;
import dev.basalt.db.DefaultTypeRepository;
import dev.basalt.db.JdbcTarget;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.QuotaRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeAccessRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CreateSnapshot;
import dev.basalt.rpc.DeleteSnapshot;
import dev.basalt.rpc.DeleteVolume;
import dev.basalt.rpc.ExtendVolume;
import dev.basalt.rpc.InitializeConnection;
import dev.basalt.rpc.VolumeConnection;
import dev.basalt.rpc.TerminateConnection;
import dev.basalt.rpc.ScheduleVolume;
import dev.basalt.common.LogLevels;
import dev.basalt.rpc.ApiRpc;
import dev.basalt.rpc.CleanedService;
import dev.basalt.rpc.CleanupRequest;
import dev.basalt.rpc.CleanupResult;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.SchedulerServerStub;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.rpc.VolumeServerStub;
import dev.basalt.rpc.VolumeSettled;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A running API on an ephemeral port with the real parts behind it: an H2 database, the in-JVM
 * bus, a stand-in scheduler that places every volume on {@code test@file#pool} and marks it
 * available (or, told to fail, marks it in error as the real one does when no backend fits), and
 * a stand-in volume service that removes deleted volumes (after their deleting snapshots), takes
 * and removes snapshots and finishes extends (each unless told to hold).
 */
final class TestApi implements AutoCloseable {
    static final String BACKEND = "test@file";
    static final String USER = "alice";
    static final String PROJECT = "b0c2e4f6a8d0";
    static final String TOKEN = USER + ":" + PROJECT;

    final Database db;
    final VolumeRepository volumes;
    final VolumeTypeRepository types;
    final DefaultTypeRepository defaultTypes;
    final ServiceRepository services;
    final MessageRepository messages;
    final QuotaRepository quotas;
    final VolumeTypeAccessRepository typeAccess;
    final SnapshotRepository snapshots;
    final VolumeTransitions transitions;
    final dev.basalt.db.BackupRecords backups;
    /** The stand-in backup service of host {@code test} (where {@link #BACKEND} is). */
    final BackupServiceDouble backupService;
    final ServiceRecord backupServiceRecord;
    final InJvmBus bus;
    final MutableClock clock = new MutableClock();
    final ApiServer server;
    /** The process's meters, as the composition root makes them: the API records here and serves them. */
    final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final String base;
    final ServiceRecord volumeService;
    final List<ScheduleVolume> scheduled = new CopyOnWriteArrayList<>();
    final List<DeleteVolume> deletes = new CopyOnWriteArrayList<>();
    final List<CreateSnapshot> snapshotCreates = new CopyOnWriteArrayList<>();
    final List<DeleteSnapshot> snapshotDeletes = new CopyOnWriteArrayList<>();
    final List<dev.basalt.rpc.CreateGroupSnapshot> groupSnapshotCreates = new CopyOnWriteArrayList<>();
    final List<dev.basalt.rpc.DeleteGroupSnapshot> groupSnapshotDeletes = new CopyOnWriteArrayList<>();
    final List<ExtendVolume> extends_ = new CopyOnWriteArrayList<>();
    final List<dev.basalt.rpc.RevertToSnapshot> reverts = new CopyOnWriteArrayList<>();
    /** The retypes and migrations the stand-in scheduler received (it leaves the volumes as they are). */
    final List<dev.basalt.rpc.RetypeVolume> retypes = new CopyOnWriteArrayList<>();
    final List<dev.basalt.rpc.MigrateVolume> migrations = new CopyOnWriteArrayList<>();
    final List<InitializeConnection> connects = new CopyOnWriteArrayList<>();
    final List<TerminateConnection> disconnects = new CopyOnWriteArrayList<>();
    /** What {@code POST /workers/cleanup} asked the stand-in scheduler; it answers that the volume service is cleaned. */
    final List<CleanupRequest> cleanups = new CopyOnWriteArrayList<>();
    /** The pools the stand-in scheduler knows, and the get_pools queries it was asked. */
    final List<dev.basalt.model.PoolCapacity> pools = new CopyOnWriteArrayList<>();
    final List<dev.basalt.rpc.PoolsQuery> poolQueries = new CopyOnWriteArrayList<>();
    /** What the stand-in volume service was asked to manage and unmanage. */
    final List<dev.basalt.rpc.ManageExisting> manages = new CopyOnWriteArrayList<>();
    final List<dev.basalt.rpc.UnmanageVolume> unmanages = new CopyOnWriteArrayList<>();
    /** What the stand-in volume service's storage holds that could be managed. */
    final List<dev.basalt.rpc.ManageableVolumes.Entry> manageable = new CopyOnWriteArrayList<>();
    final List<dev.basalt.rpc.ManageExistingSnapshot> snapshotManages = new CopyOnWriteArrayList<>();
    final List<dev.basalt.rpc.UnmanageSnapshot> snapshotUnmanages = new CopyOnWriteArrayList<>();
    /**
     * What the stand-in volume service lists as manageable snapshots; it manages a reference it lists
     * (at its size) and fails any other ({@code error}), and unmanages by removing the row (both held
     * as volumes' are by {@link #holdManages}).
     */
    final List<dev.basalt.rpc.ManageableSnapshots.Entry> manageableSnapshots = new CopyOnWriteArrayList<>();
    /**
     * The stand-in volume service leaves manages {@code managing} and unmanages {@code unmanaging};
     * otherwise it manages a reference it lists (at its size, within the limits sent) and fails any
     * other ({@code error_managing}), and unmanages by removing the row.
     */
    volatile boolean holdManages;
    volatile boolean holdDeletes;
    volatile boolean holdScheduling;
    volatile boolean failScheduling;
    volatile boolean holdSnapshots;
    volatile boolean holdExtends;
    /** The stand-in volume service leaves reverts {@code reverting} (else it ends them at once). */
    volatile boolean holdReverts;
    /** The stand-in volume service fails snapshots ({@code error}) and extends ({@code error_extending}). */
    volatile boolean failSnapshots;
    volatile boolean failExtends;
    private final Subscription scheduler;
    private final Subscription volumeEndpoint;
    private final Subscription backupEndpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestApi() {
        this(settings(1000));
    }

    /** Loopback, ephemeral port, noauth, the given osapi_max_limit. */
    static ApiSettings settings(int maxLimit) {
        ApiSettings d = ApiSettings.defaults();
        return new ApiSettings("127.0.0.1", 0, ApiSettings.NOAUTH, maxLimit, d.defaultVolumeType(), null, "nova",
                false, java.time.Duration.ofSeconds(60), "api-host", null, d.maxRequestBodySize(),
                java.time.Duration.ZERO, d.azCacheDuration(), false, null, d.keyManager());
    }

    TestApi(ApiSettings settings) {
        this(settings, null);
    }

    /** With {@code authenticator} instead of the one the settings name (null: the settings'). */
    TestApi(ApiSettings settings, dev.basalt.api.auth.Authenticator authenticator) {
        this(settings, authenticator, QuotaSettings.defaults());
    }

    /** With every quota unlimited, for tests that make many volumes and are not about quotas. */
    static TestApi withoutQuotas() {
        return new TestApi(settings(1000), null, new QuotaSettings(-1, -1, -1, -1, -1, -1, -1, true));
    }

    /** With the given default quotas (the quota_* options). */
    TestApi(ApiSettings settings, dev.basalt.api.auth.Authenticator authenticator, QuotaSettings quotaSettings) {
        this(settings, authenticator, quotaSettings, dev.basalt.api.policy.Policy.cinderDefaults());
    }

    /** With the given policy (Cinder's defaults with an operator's overrides, say). */
    TestApi(ApiSettings settings, dev.basalt.api.auth.Authenticator authenticator, QuotaSettings quotaSettings,
            dev.basalt.api.policy.Policy policy) {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 8);
        volumes = new VolumeRepository(db);
        types = new VolumeTypeRepository(db);
        defaultTypes = new DefaultTypeRepository(db);
        services = new ServiceRepository(db);
        messages = new MessageRepository(db);
        quotas = new QuotaRepository(db);
        typeAccess = new VolumeTypeAccessRepository(db);
        snapshots = new SnapshotRepository(db);
        transitions = new VolumeTransitions(db, volumes);
        backups = new dev.basalt.db.BackupRecords(db);
        types.ensure(settings.defaultVolumeType(), "Default Volume Type");
        volumeService = services.register(BACKEND, VolumeRpc.BINARY, VolumeRpc.TOPIC, "nova");
        services.register("test", SchedulerRpc.BINARY, SchedulerRpc.TOPIC, "nova");
        bus = new InJvmBus();
        backupServiceRecord = services.register("test", dev.basalt.rpc.BackupRpc.BINARY,
                dev.basalt.rpc.BackupRpc.TOPIC, "nova");
        backupService = new BackupServiceDouble("test", backups, volumes, snapshots);
        backupEndpoint = dev.basalt.rpc.BackupRpc.serve(bus, "test", backupService, new LogLevels());
        ApiRpc api = new ApiRpc(bus);
        scheduler = SchedulerRpc.serve(bus, "test", new SchedulerServerStub() {
            @Override
            public void createVolume(ScheduleVolume msg) {
                scheduled.add(msg);
                if (failScheduling) {
                    if (volumes.markError(msg.volumeId(), Set.of(VolumeStatus.CREATING), "No valid backend")) {
                        api.volumeSettled(new VolumeSettled(msg.volumeId(), "error"));
                    }
                    return;
                }
                if (msg.backupId() != null) {
                    // As a volume service does with a volume made from a backup: the backup service restores it.
                    if (!holdScheduling && volumes.place(msg.volumeId(), BACKEND + "#pool", volumeService.uuid())
                            && backups.beginRestoreIntoNew(msg.backupId(), msg.volumeId(), "test")) {
                        new dev.basalt.rpc.BackupRpc(bus).restoreBackup("test", new dev.basalt.rpc.RestoreBackup(
                                msg.backupId(), msg.volumeId(), true, msg.requestId()));
                    }
                    return;
                }
                if (!holdScheduling && volumes.place(msg.volumeId(), BACKEND + "#pool", volumeService.uuid())
                        && volumes.markAvailable(msg.volumeId())) {
                    api.volumeSettled(new VolumeSettled(msg.volumeId(), "available"));
                }
            }

            @Override
            public void retype(dev.basalt.rpc.RetypeVolume msg) {
                retypes.add(msg);
            }

            @Override
            public void migrateVolume(dev.basalt.rpc.MigrateVolume msg) {
                migrations.add(msg);
            }

            @Override
            public List<dev.basalt.model.PoolCapacity> pools(dev.basalt.rpc.PoolsQuery query) {
                poolQueries.add(query);
                return List.copyOf(pools);
            }

            @Override
            public CleanupResult workCleanup(CleanupRequest request) {
                cleanups.add(request);
                return new CleanupResult(List.of(new CleanedService(volumeService.id(), BACKEND, VolumeRpc.BINARY,
                        null)), List.of());
            }
        }, new LogLevels());
        volumeEndpoint = VolumeRpc.serve(bus, BACKEND, new VolumeServerStub() {
            @Override
            public void deleteVolume(DeleteVolume msg) {
                deletes.add(msg);
                if (!holdDeletes) {
                    for (Snapshot s : snapshots.forVolume(msg.volumeId())) {
                        if (s.status() == SnapshotStatus.DELETING) {
                            snapshots.delete(s.id());
                        }
                    }
                    volumes.delete(msg.volumeId());
                }
            }

            @Override
            public void createSnapshot(CreateSnapshot msg) {
                if (failSnapshots) {
                    snapshots.markFailed(msg.snapshotId(), Set.of(SnapshotStatus.CREATING), SnapshotStatus.ERROR,
                            "driver failed");
                } else if (!holdSnapshots) {
                    snapshots.markAvailable(msg.snapshotId());
                }
                snapshotCreates.add(msg);
            }

            @Override
            public void deleteSnapshot(DeleteSnapshot msg) {
                snapshotDeletes.add(msg);
                if (!holdSnapshots && snapshots.find(msg.snapshotId())
                        .map(s -> s.status() == SnapshotStatus.DELETING).orElse(false)) {
                    snapshots.delete(msg.snapshotId());
                }
            }

            @Override
            public void createGroupSnapshot(dev.basalt.rpc.CreateGroupSnapshot msg) {
                for (Snapshot s : snapshots.forGroupSnapshot(msg.groupSnapshotId())) {
                    if (s.status() != SnapshotStatus.CREATING || holdSnapshots) {
                        continue;
                    }
                    if (failSnapshots) {
                        snapshots.markFailed(s.id(), Set.of(SnapshotStatus.CREATING), SnapshotStatus.ERROR,
                                "driver failed");
                    } else {
                        snapshots.markAvailable(s.id());
                    }
                }
                groupSnapshotCreates.add(msg);
            }

            @Override
            public void deleteGroupSnapshot(dev.basalt.rpc.DeleteGroupSnapshot msg) {
                groupSnapshotDeletes.add(msg);
                for (Snapshot s : snapshots.forGroupSnapshot(msg.groupSnapshotId())) {
                    if (s.status() == SnapshotStatus.DELETING && !holdSnapshots) {
                        snapshots.delete(s.id());
                    }
                }
            }

            @Override
            public VolumeConnection initializeConnection(InitializeConnection msg) {
                if (!(msg.connector().get("initiator") instanceof String)) {
                    throw dev.basalt.common.BasaltException.badRequest("Invalid input received: Connector doesn't"
                            + " have required information: initiator.");
                }
                connects.add(msg);
                return VolumeConnection.iscsi("127.0.0.1:3260", "iqn.2010-10.org.openstack:volume-" + msg.volumeId(),
                        0, "CHAP", "user-" + msg.volumeId().substring(0, 8), "secret-of-the-test");
            }

            @Override
            public void terminateConnection(TerminateConnection msg) {
                disconnects.add(msg);
            }

            @Override
            public void extendVolume(ExtendVolume msg) {
                extends_.add(msg);
                if (failExtends) {
                    volumes.markFailed(msg.volumeId(), Set.of(VolumeStatus.EXTENDING),
                            VolumeStatus.ERROR_EXTENDING, "driver failed");
                } else if (!holdExtends) {
                    volumes.finishExtend(msg.volumeId(), msg.newSize());
                }
            }

            @Override
            public void manageExisting(dev.basalt.rpc.ManageExisting msg) {
                manages.add(msg);
                if (holdManages) {
                    return;
                }
                var entry = manageable.stream().filter(e -> e.reference().equals(msg.reference())).findFirst();
                if (entry.isEmpty()) {
                    volumes.markFailed(msg.volumeId(), Set.of(VolumeStatus.MANAGING), VolumeStatus.ERROR_MANAGING,
                            "no such storage");
                    return;
                }
                var volume = volumes.findRow(msg.volumeId()).orElseThrow();
                int size = entry.get().size();
                var deltas = new java.util.TreeMap<String, Long>(Map.of("gigabytes", (long) size,
                        "gigabytes:" + volume.volumeTypeId(), (long) size));
                var limits = new java.util.HashMap<String, Integer>();
                deltas.keySet().forEach(k -> limits.put(k, msg.gigabyteLimits().getOrDefault(k, -1)));
                try {
                    String host = volume.host().contains("#") ? volume.host() : volume.host() + "#pool";
                    volumes.sizeManaged(msg.volumeId(), size, host,
                            new dev.basalt.db.QuotaReservation(volume.projectId(), deltas, limits));
                    volumes.finishManage(msg.volumeId());
                } catch (dev.basalt.db.QuotaExceededException e) {
                    volumes.markFailed(msg.volumeId(), Set.of(VolumeStatus.MANAGING), VolumeStatus.ERROR_MANAGING,
                            "over quota");
                }
            }

            @Override
            public void unmanageVolume(dev.basalt.rpc.UnmanageVolume msg) {
                unmanages.add(msg);
                if (!holdManages) {
                    volumes.delete(msg.volumeId());
                }
            }

            @Override
            public dev.basalt.rpc.ManageableVolumes manageableVolumes(dev.basalt.rpc.ManageableVolumesQuery msg) {
                return new dev.basalt.rpc.ManageableVolumes(List.copyOf(manageable));
            }

            @Override
            public void manageExistingSnapshot(dev.basalt.rpc.ManageExistingSnapshot msg) {
                snapshotManages.add(msg);
                if (holdManages) {
                    return;
                }
                var entry = manageableSnapshots.stream().filter(e -> e.reference().equals(msg.reference())).findFirst();
                if (entry.isEmpty()) {
                    snapshots.markFailed(msg.snapshotId(), Set.of(SnapshotStatus.CREATING), SnapshotStatus.ERROR,
                            "no such snapshot");
                    return;
                }
                var snapshot = snapshots.find(msg.snapshotId()).orElseThrow();
                int change = entry.get().size() - snapshot.volumeSize();
                try {
                    snapshots.sizeManaged(msg.snapshotId(), entry.get().size(), change <= 0 ? null
                            : dev.basalt.db.QuotaReservation.of(snapshot.projectId(), Map.of("gigabytes", (long) change),
                                    Map.of("gigabytes", msg.gigabyteLimits().getOrDefault("gigabytes", -1))),
                            change < 0 ? Map.of("gigabytes", (long) -change) : Map.of());
                    snapshots.markAvailable(msg.snapshotId());
                } catch (dev.basalt.db.QuotaExceededException e) {
                    snapshots.markFailed(msg.snapshotId(), Set.of(SnapshotStatus.CREATING), SnapshotStatus.ERROR,
                            "over quota");
                }
            }

            @Override
            public void unmanageSnapshot(dev.basalt.rpc.UnmanageSnapshot msg) {
                snapshotUnmanages.add(msg);
                if (!holdManages) {
                    snapshots.delete(msg.snapshotId());
                }
            }

            @Override
            public dev.basalt.rpc.ManageableSnapshots manageableSnapshots(dev.basalt.rpc.ManageableSnapshotsQuery msg) {
                return new dev.basalt.rpc.ManageableSnapshots(List.copyOf(manageableSnapshots));
            }

            @Override
            public void revertToSnapshot(dev.basalt.rpc.RevertToSnapshot msg) {
                reverts.add(msg);
                if (!holdReverts) {
                    transitions.endRevert(msg.volumeId(), msg.snapshotId(), VolumeStatus.AVAILABLE, null);
                }
            }
        }, new LogLevels());
        server = new ApiServer(settings, db, bus, clock, quotaSettings,
                authenticator == null ? new dev.basalt.api.auth.NoAuthAuthenticator() : authenticator,
                policy, new ApiMetrics(meters, meters::scrape));
        int port = server.start();
        base = "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stop();
        scheduler.close();
        volumeEndpoint.close();
        backupEndpoint.close();
        bus.close();
        db.close();
    }

    /** An HTTP answer: status, headers, and the body parsed as JSON (null when empty). */
    record Reply(int status, Map<String, List<String>> headers, String text, JsonNode json) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** The fault's message, checking the body has Cinder's fault shape. */
        String faultMessage() {
            if (json == null || !json.isObject() || json.size() != 1) {
                throw new AssertionError("not a fault body: " + text);
            }
            JsonNode inner = json.elements().next();
            if (inner.get("code").asInt() != status) {
                throw new AssertionError("fault code " + inner.get("code") + " but status " + status + ": " + text);
            }
            return inner.get("message").asText();
        }

        String faultName() {
            return json.fieldNames().next();
        }
    }

    /** A request builder with the noauth token and the given microversion (null: no header). */
    Call call(String method, String path) {
        return new Call(method, path);
    }

    Reply get(String path) {
        return call("GET", path).send();
    }

    Reply get(String path, String version) {
        return call("GET", path).version(version).send();
    }

    Reply post(String path, String body) {
        return call("POST", path).body(body).send();
    }

    /** POST /volumes/{id}/action with {@code body}, at the default version. */
    Reply volumeAction(String volumeId, String body) {
        return post(p("/volumes/" + volumeId + "/action"), body);
    }

    /** The volume's row as the database has it now. */
    dev.basalt.model.Volume volume(String id) {
        return volumes.find(id).orElseThrow();
    }

    Reply post(String path, String body, String version) {
        return call("POST", path).body(body).version(version).send();
    }

    Reply put(String path, String body) {
        return call("PUT", path).body(body).send();
    }

    Reply put(String path, String body, String version) {
        return call("PUT", path).body(body).version(version).send();
    }

    Reply delete(String path) {
        return call("DELETE", path).send();
    }

    Reply delete(String path, String version) {
        return call("DELETE", path).version(version).send();
    }

    /** {@code /v3/<project>} + path. */
    static String p(String path) {
        return "/v3/" + PROJECT + path;
    }

    /** Creates a volume through the API and returns its id. */
    String createVolume(String name, int size) {
        return createVolume("{\"volume\": {\"name\": \"" + name + "\", \"size\": " + size + "}}");
    }

    String createVolume(String body) {
        Reply r = post(p("/volumes"), body);
        if (r.status() != 202) {
            throw new AssertionError("create failed: " + r.status() + " " + r.text());
        }
        return r.json().get("volume").get("id").asText();
    }

    /** A project name of its own, so what a test counts in it starts from zero. */
    static String newProject() {
        return "p" + Ids.newId().replace("-", "");
    }

    /** {@code method} on {@code /v3/<project>} + path as a user of {@code project}, with {@code body} unless null. */
    Reply as(String project, String method, String path, String body) {
        Call call = call(method, "/v3/" + project + path).token("u:" + project);
        return (body == null ? call : call.body(body)).send();
    }

    /** Creates a volume of {@code size} GiB in {@code project} and returns its id. */
    String createVolumeIn(String project, int size) {
        Reply r = as(project, "POST", "/volumes", "{\"volume\": {\"size\": " + size + "}}");
        if (r.status() != 202) {
            throw new AssertionError("create failed: " + r.status() + " " + r.text());
        }
        return r.json().get("volume").get("id").asText();
    }

    /** Waits until the volume has the status. */
    void awaitStatus(String id, VolumeStatus status) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> volumes.find(id).map(v -> v.status() == status).orElse(false));
    }

    /** Creates a volume through the API and waits until it is available. */
    String availableVolume(String name, int size) {
        String id = createVolume(name, size);
        awaitStatus(id, VolumeStatus.AVAILABLE);
        return id;
    }

    /** The volume's attachments as the database has them. */
    List<dev.basalt.model.VolumeAttachment> attachments(String volumeId) {
        return new dev.basalt.db.AttachmentRepository(db).ofVolume(volumeId);
    }

    /** Creates a snapshot through the API and returns its id. */
    String createSnapshot(String volumeId, String name) {
        Reply r = post(p("/snapshots"), "{\"snapshot\": {\"volume_id\": \"" + volumeId + "\", \"name\": \"" + name
                + "\"}}");
        if (r.status() != 202) {
            throw new AssertionError("snapshot create failed: " + r.status() + " " + r.text());
        }
        return r.json().get("snapshot").get("id").asText();
    }

    /** Waits until the snapshot has the status. */
    void awaitSnapshotStatus(String id, SnapshotStatus status) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> snapshots.find(id).map(s -> s.status() == status).orElse(false));
    }

    /**
     * Creates a snapshot the stand-in volume service receives but leaves {@code creating} (as if
     * it were still being taken).
     */
    String creatingSnapshot(String volumeId, String name) {
        holdSnapshots = true;
        try {
            String id = createSnapshot(volumeId, name);
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> snapshotCreates.stream().anyMatch(c -> c.snapshotId().equals(id)));
            return id;
        } finally {
            holdSnapshots = false;
        }
    }

    /** Creates a snapshot and waits until it is available. */
    String availableSnapshot(String volumeId, String name) {
        String id = createSnapshot(volumeId, name);
        awaitSnapshotStatus(id, SnapshotStatus.AVAILABLE);
        return id;
    }

    /** A backup create body for {@code volumeId} with {@code extra} JSON members (none when empty). */
    static String backupBody(String volumeId, String extra) {
        return "{\"backup\": {\"volume_id\": \"" + volumeId + "\"" + (extra.isEmpty() ? "" : ", " + extra) + "}}";
    }

    /** Backs up {@code volumeId} (at 3.51) and waits until the stand-in backup service made it available. */
    String availableBackup(String volumeId, String extra) {
        Reply r = post(p("/backups"), backupBody(volumeId, extra), "3.51");
        if (r.status() != 202) {
            throw new AssertionError("backup create failed: " + r.status() + " " + r.text());
        }
        String id = r.json().get("backup").get("id").asText();
        awaitBackupStatus(id, dev.basalt.model.BackupStatus.AVAILABLE);
        awaitStatus(volumeId, VolumeStatus.AVAILABLE);
        return id;
    }

    /** Waits until the backup has the status. */
    void awaitBackupStatus(String id, dev.basalt.model.BackupStatus status) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> backups.find(id).map(b -> b.status() == status).orElse(false));
    }

    long volumeCount() {
        return volumes.list(dev.basalt.db.VolumeQuery.allOf(null)).items().size();
    }

    static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }

    final class Call {
        private final String method;
        private final String path;
        private String body;
        private String version;
        private String token = TOKEN;
        private String contentType = "application/json";
        private final Map<String, String> headers = new java.util.LinkedHashMap<>();

        Call(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Call body(String b) {
            this.body = b;
            return this;
        }

        Call version(String v) {
            this.version = v;
            return this;
        }

        Call token(String t) {
            this.token = t;
            return this;
        }

        Call contentType(String t) {
            this.contentType = t;
            return this;
        }

        Call header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Reply send() {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
            if (token != null) {
                b.header("X-Auth-Token", token);
            }
            if (version != null) {
                b.header("OpenStack-API-Version", version.contains(" ") ? version : "volume " + version);
            }
            headers.forEach(b::header);
            if (body != null) {
                if (contentType != null) {
                    b.header("Content-Type", contentType);
                }
                b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode json = r.body() == null || r.body().isEmpty() ? null : Json.mapper().readTree(r.body());
                return new Reply(r.statusCode(), r.headers().map(), r.body(), json);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** {@code text} parsed as JSON. */
    static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
