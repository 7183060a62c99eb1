package dev.basalt.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.bus.Bus;
import dev.basalt.bus.Endpoint;
import dev.basalt.bus.InJvmBus;
import dev.basalt.bus.RpcMethod;
import dev.basalt.common.LogLevels;
import dev.basalt.model.PoolCapacity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each client method of a role's contract reaches the matching method of that role's server, with its record intact. */
class RpcContractTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final Bus bus = new InJvmBus();
    private final Queue<Object> received = new ConcurrentLinkedQueue<>();

    @AfterEach
    void close() {
        bus.close();
    }

    @Test
    void volumeClientReachesTheVolumeServiceOfTheBackend() {
        VolumeConnection answer = VolumeConnection.iscsi("127.0.0.1:3260", "iqn.x:volume-v1", 0, "CHAP", "u", "p");
        BackupDevice device = new BackupDevice("node1", "/srv/backup-base-v1.b2", 1L << 30, true, "/srv/backup-base-v1.b1");
        ManageableVolumes manageable = new ManageableVolumes(List.of(
                new ManageableVolumes.Entry("legacy.img", 2, true, null, null, null),
                new ManageableVolumes.Entry("volume-v1", 1, false, "already managed", "v1", "x")));
        ManageableSnapshots manageableSnapshots = new ManageableSnapshots(List.of(
                new ManageableSnapshots.Entry("volume-v1.old", 1, true, null, null, null, "volume-v1"),
                new ManageableSnapshots.Entry("snapshot-s1", 1, false, "already managed", "s1", "x", "volume-v1")));
        VolumeRpc.serve(bus, "node1@file", new VolumeRpc.Server() {
            public void createVolume(CreateVolume r) { received.add(r); }
            public void deleteVolume(DeleteVolume r) { received.add(r); }
            public void extendVolume(ExtendVolume r) { received.add(r); }
            public void revertToSnapshot(RevertToSnapshot r) { received.add(r); }
            public void retype(RetypeVolume r) { received.add(r); }
            public void migrateVolume(MigrateVolume r) { received.add(r); }
            public void manageExisting(ManageExisting r) { received.add(r); }
            public void unmanageVolume(UnmanageVolume r) { received.add(r); }
            public ManageableVolumes manageableVolumes(ManageableVolumesQuery r) { received.add(r); return manageable; }
            public void manageExistingSnapshot(ManageExistingSnapshot r) { received.add(r); }
            public void unmanageSnapshot(UnmanageSnapshot r) { received.add(r); }
            public ManageableSnapshots manageableSnapshots(ManageableSnapshotsQuery r) {
                received.add(r);
                return manageableSnapshots;
            }
            public void copyVolumeToImage(CopyVolumeToImage r) { received.add(r); }
            public void createSnapshot(CreateSnapshot r) { received.add(r); }
            public void deleteSnapshot(DeleteSnapshot r) { received.add(r); }
            public void createGroupSnapshot(CreateGroupSnapshot r) { received.add(r); }
            public void deleteGroupSnapshot(DeleteGroupSnapshot r) { received.add(r); }
            public VolumeConnection initializeConnection(InitializeConnection r) { received.add(r); return answer; }
            public void terminateConnection(TerminateConnection r) { received.add(r); }
            public void publishCapabilities(PublishCapabilities r) { received.add(r); }
            public BackupDevice backupDevice(BackupDeviceRequest r) { received.add(r); return device; }
            public void dropBackupBases(DropBackupBases r) { received.add(r); }
            public void doCleanup(CleanupRequest r) { received.add(r); }
        }, new LogLevels());
        VolumeRpc client = new VolumeRpc(bus);
        List<Object> sent = List.of(new CreateVolume("v1", "r1", "b1", null), new DeleteVolume("v1", "r2"),
                new ExtendVolume("v1", 3, "r3"), new CreateSnapshot("s1", "r4"), new DeleteSnapshot("s1", "r5"),
                new PublishCapabilities("sched1"), new CleanupRequest(7, null, "node1@file", "cinder-volume", false,
                        null, "v1", "Volume", java.time.Instant.parse("2026-01-01T00:00:00.123456Z")),
                DropBackupBases.allBut("v1", "b2", "r9"),
                new CopyVolumeToImage("v1", "r10", new ImageSource("i1", "http://127.0.0.1:9292", "t"), "qcow2"),
                new RevertToSnapshot("v1", "s1", "r11"),
                new ManageExisting("v1", "legacy.img", "r12", Map.of("gigabytes", 10, "per_volume_gigabytes", -1)),
                new UnmanageVolume("v1", "r13"), new CreateGroupSnapshot("gs1", "r15"),
                new DeleteGroupSnapshot("gs1", "r16"),
                new RetypeVolume("v1", "t2", RetypeVolume.ON_DEMAND, "node2@file#file", "r17"),
                new MigrateVolume("v1", "node2@file#file", true, "r18"),
                new ManageExistingSnapshot("s2", "volume-v1.old", "r19", Map.of("gigabytes", 10)),
                new UnmanageSnapshot("s2", "r20"));
        client.createVolume("node1@file", (CreateVolume) sent.get(0));
        client.deleteVolume("node1@file", (DeleteVolume) sent.get(1));
        client.extendVolume("node1@file", (ExtendVolume) sent.get(2));
        client.createSnapshot("node1@file", (CreateSnapshot) sent.get(3));
        client.deleteSnapshot("node1@file", (DeleteSnapshot) sent.get(4));
        client.publishCapabilities((PublishCapabilities) sent.get(5));
        client.doCleanup("node1@file", (CleanupRequest) sent.get(6));
        client.dropBackupBases("node1@file", (DropBackupBases) sent.get(7));
        client.copyVolumeToImage("node1@file", (CopyVolumeToImage) sent.get(8));
        client.revertToSnapshot("node1@file", (RevertToSnapshot) sent.get(9));
        client.manageExisting("node1@file", (ManageExisting) sent.get(10));
        client.unmanageVolume("node1@file", (UnmanageVolume) sent.get(11));
        client.createGroupSnapshot("node1@file", (CreateGroupSnapshot) sent.get(12));
        client.deleteGroupSnapshot("node1@file", (DeleteGroupSnapshot) sent.get(13));
        client.retype("node1@file", (RetypeVolume) sent.get(14));
        client.migrateVolume("node1@file", (MigrateVolume) sent.get(15));
        client.manageExistingSnapshot("node1@file", (ManageExistingSnapshot) sent.get(16));
        client.unmanageSnapshot("node1@file", (UnmanageSnapshot) sent.get(17));
        ManageableVolumesQuery listing = new ManageableVolumesQuery("r14");
        assertThat(client.manageableVolumes("node1@file", listing, TIMEOUT)).isEqualTo(manageable);
        ManageableSnapshotsQuery snapshotListing = new ManageableSnapshotsQuery("r21");
        assertThat(client.manageableSnapshots("node1@file", snapshotListing, TIMEOUT)).isEqualTo(manageableSnapshots);
        InitializeConnection connect = new InitializeConnection("v1", Map.of("initiator", "iqn.h"), "r6");
        assertThat(client.initializeConnection("node1@file", connect, TIMEOUT)).isEqualTo(answer);
        TerminateConnection disconnect = new TerminateConnection("v1", "a1", "r7");
        client.terminateConnection("node1@file", disconnect, TIMEOUT);
        BackupDeviceRequest where = new BackupDeviceRequest("v1", null, "r8", "b2", "b1");
        assertThat(client.backupDevice("node1@file", where, TIMEOUT)).isEqualTo(device);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received).containsExactlyInAnyOrderElementsOf(
                concat(sent, List.of(connect, disconnect, where, listing, snapshotListing))));
    }

    @Test
    void backupClientReachesTheBackupServiceOfTheHost() {
        BackupRecord record = new BackupRecord("posix", "eyJpZCI6ICJiMSJ9");
        BackupRpc.serve(bus, "node1", new BackupRpc.Server() {
            public void createBackup(CreateBackup r) { received.add(r); }
            public void restoreBackup(RestoreBackup r) { received.add(r); }
            public void deleteBackup(DeleteBackup r) { received.add(r); }
            public BackupRecord exportRecord(String id) { received.add(id); return record; }
            public void importRecord(ImportBackup r) { received.add(r); }
        }, new LogLevels());
        BackupRpc client = new BackupRpc(bus);
        CreateBackup create = new CreateBackup("b1", "r1");
        RestoreBackup restore = new RestoreBackup("b1", "v2", true, "r2");
        DeleteBackup delete = new DeleteBackup("b1", "r3");
        ImportBackup importing = new ImportBackup("b2", "posix", "eyJpZCI6ICJiMiJ9", "r4");
        client.createBackup("node1", create);
        client.restoreBackup("node1", restore);
        client.deleteBackup("node1", delete);
        client.importRecord("node1", importing);
        assertThat(client.exportRecord("node1", "b1", TIMEOUT)).isEqualTo(record);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received).containsExactlyInAnyOrder(create, restore,
                delete, importing, "b1"));
    }

    @Test
    void schedulerClientReachesAScheduler() {
        PoolCapacity pool = new PoolCapacity("node1@file", "file", "file", "nova", 100, 90, 10, 20.0, 0, true, false,
                Map.of(), java.time.Instant.parse("2026-01-01T00:00:00Z"));
        SchedulerRpc.serve(bus, "sched1", new SchedulerRpc.Server() {
            public void createVolume(ScheduleVolume r) { received.add(r); }
            public void updateServiceCapabilities(CapacityReport r) { received.add(r); }
            public void retype(RetypeVolume r) { received.add(r); }
            public void migrateVolume(MigrateVolume r) { received.add(r); }
            public List<PoolCapacity> pools(PoolsQuery query) {
                return query.isAll() ? List.of(pool) : List.of();
            }
            public CleanupResult workCleanup(CleanupRequest r) {
                received.add(r);
                return new CleanupResult(List.of(new CleanedService(3, "node1@file", VolumeRpc.BINARY, null)), List.of());
            }
        }, new LogLevels());
        SchedulerRpc client = new SchedulerRpc(bus);
        ScheduleVolume place = new ScheduleVolume("v1", "r1");
        ScheduleVolume fromBackup = new ScheduleVolume("v2", "r2", "b1", null);
        CapacityReport report = new CapacityReport("node1@file", "uuid", List.of(pool));
        client.createVolume(place);
        client.createVolume(fromBackup);
        client.updateServiceCapabilities(report);
        RetypeVolume retype = new RetypeVolume("v1", "t2", null, null, "r3");
        MigrateVolume migrate = new MigrateVolume("v1", "node2@file#file", false, "r4");
        client.retype(retype);
        client.migrateVolume(migrate);
        assertThat(client.getPools(PoolsQuery.ALL, TIMEOUT)).containsExactly(pool);
        assertThat(client.getPools(new PoolsQuery("node1@file#other", Map.of("QoS_support", "true"),
                Map.of("volume_backend_name", "file")), TIMEOUT)).as("the filters reach the scheduler").isEmpty();
        CleanupRequest cleanup = new CleanupRequest(null, null, null, null, null, null, null, null,
                java.time.Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(client.workCleanup(cleanup, TIMEOUT)).isEqualTo(new CleanupResult(
                List.of(new CleanedService(3, "node1@file", VolumeRpc.BINARY, null)), List.of()));
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received).containsExactlyInAnyOrder(place, fromBackup,
                report, cleanup, retype, migrate));
    }

    @Test
    void aVolumeServiceOfVersionOneZeroServesPlainCreatesAndRefusesCreatesFromABackup() {
        RpcMethod<CreateVolume, Void> oldCreate = RpcMethod.cast("create_volume", "1.0", CreateVolume.class);
        bus.serve(VolumeRpc.TOPIC, "node1@file", Endpoint.builder().onCast(oldCreate, received::add).build());
        VolumeRpc client = new VolumeRpc(bus);
        CreateVolume fromBackup = new CreateVolume("v1", "r1", "b1", null);
        CreateVolume plain = new CreateVolume("v2", "r2");
        client.createVolume("node1@file", fromBackup);
        client.createVolume("node1@file", plain);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received).contains(plain));
        assertThat(received).containsExactly(plain);
    }

    @Test
    void everyServiceAnswersItsLogLevels() {
        SchedulerRpc.serve(bus, "sched1", new SchedulerServerStub(), new LogLevels());
        ServiceRpc services = new ServiceRpc(bus);
        services.setLogLevels(SchedulerRpc.TOPIC, "sched1", "dev.basalt.rpc.contract", "ERROR");
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(services.getLogLevels(SchedulerRpc.TOPIC, "sched1",
                "dev.basalt.rpc.contract", TIMEOUT)).containsEntry("dev.basalt.rpc.contract", "ERROR"));
    }

    @Test
    void everyApiProcessHearsOfSettledVolumes() {
        ApiRpc.serve(bus, "api-1", received::add);
        ApiRpc.serve(bus, "api-2", received::add);
        VolumeSettled settled = new VolumeSettled("v1", "available");
        new ApiRpc(bus).volumeSettled(settled);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(received).containsExactly(settled, settled));
    }

    private static List<Object> concat(List<Object> a, List<Object> b) {
        List<Object> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
