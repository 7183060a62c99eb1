package dev.basalt.backup.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.backup.Compression;
import dev.basalt.backup.Volumes;
import dev.basalt.backup.posix.PosixBackupRepository;
import dev.basalt.bus.InJvmBus;
import dev.basalt.bus.Subscription;
import dev.basalt.common.Ids;
import dev.basalt.common.LogLevels;
import dev.basalt.db.BackupRecords;
import dev.basalt.db.Database;
import dev.basalt.db.JdbcTarget;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.QuotaRepository;
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.QuotaUsage;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.WorkerRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.Worker;
import dev.basalt.model.UserMessage;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.BackupDevice;
import dev.basalt.rpc.DeleteSnapshot;
import dev.basalt.rpc.CreateSnapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Snapshot;
import dev.basalt.rpc.BackupDeviceRequest;
import dev.basalt.rpc.BackupRecord;
import dev.basalt.rpc.BackupRpc;
import dev.basalt.rpc.BackupUrl;
import dev.basalt.rpc.CreateBackup;
import dev.basalt.rpc.DeleteBackup;
import dev.basalt.rpc.ImportBackup;
import dev.basalt.rpc.RestoreBackup;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.rpc.VolumeServerStub;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup service end to end: H2, the in-JVM bus, a real POSIX repository in a temporary
 * directory, real sparse files as volumes, and a volume service double that says where they are.
 */
class BackupServiceTest {
    private static final String HOST = "node1";
    private static final String BACKEND = HOST + "@file";
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private Database db;
    private InJvmBus bus;
    private PosixBackupRepository repository;
    private BackupRecords backups;
    private WorkerRepository workers;
    private VolumeRepository volumes;
    private MessageRepository messages;
    private SimpleMeterRegistry meters;
    private Subscription volumeService;
    private BackupService service;
    /** Where each volume's file is, as the volume service double answers. */
    private final Map<String, Path> files = new ConcurrentHashMap<>();
    private volatile String deviceHost = HOST;
    private SnapshotRepository snapshots;
    /** Whether the volume service double fails to take snapshots. */
    private volatile boolean failSnapshots;

    @BeforeEach
    void open() throws IOException {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 4);
        backups = new BackupRecords(db);
        workers = new WorkerRepository(db);
        volumes = new VolumeRepository(db);
        snapshots = new SnapshotRepository(db);
        messages = new MessageRepository(db);
        bus = new InJvmBus();
        repository = PosixBackupRepository.open(dir.resolve("repository"), 2);
        meters = new SimpleMeterRegistry();
        volumeService = VolumeRpc.serve(bus, BACKEND, new VolumeServerStub() {
            @Override
            public void createSnapshot(CreateSnapshot request) {
                Snapshot snapshot = snapshots.find(request.snapshotId()).orElseThrow();
                if (failSnapshots) {
                    snapshots.markFailed(snapshot.id(), Set.of(SnapshotStatus.CREATING), SnapshotStatus.ERROR, "no room");
                    return;
                }
                try {
                    Path copy = dir.resolve("snapshot-" + snapshot.id());
                    Files.copy(files.get(snapshot.volumeId()), copy);
                    files.put(snapshot.id(), copy);
                    // the attached volume is written to while its backup reads the snapshot
                    Volumes.writeRandom(files.get(snapshot.volumeId()), 0, 50_000, 99);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                snapshots.markAvailable(snapshot.id());
            }

            @Override
            public void deleteSnapshot(DeleteSnapshot request) {
                Path copy = files.remove(request.snapshotId());
                try {
                    if (copy != null) {
                        Files.delete(copy);
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                snapshots.delete(request.snapshotId());
            }

            @Override
            public BackupDevice backupDevice(BackupDeviceRequest request) {
                Path file = files.get(request.snapshotId() == null ? request.volumeId() : request.snapshotId());
                try {
                    return new BackupDevice(deviceHost, file.toString(), Files.size(file));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }, new LogLevels());
    }

    @AfterEach
    void close() {
        if (service != null) {
            service.stop();
        }
        volumeService.close();
        bus.close();
        db.close();
    }

    private BackupService start() {
        BackupServiceSettings settings = new BackupServiceSettings(HOST, "nova", Duration.ofMillis(100),
                Duration.ofDays(30), Duration.ofSeconds(10), 64 * 1024, Compression.ZSTD,
                BackupServiceSettings.POSIX_DRIVER);
        service = new BackupService(settings, repository, db, bus, Clock.systemUTC(), meters);
        service.start();
        return service;
    }

    // --- volumes and backups as the api leaves them

    /** A volume of {@code size} bytes (in a 1 GiB row) whose file has data in a few places. */
    private Volume volume(VolumeStatus status, long seed) throws IOException {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "vol", null, 1, status, AttachStatus.DETACHED, "nova",
                BACKEND + "#file", null, false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
        volumes.create(v);
        Path file = Volumes.sparse(dir.resolve("volume-" + v.id()), 2 * MIB);
        Volumes.writeRandom(file, 0, 100_000, seed);
        Volumes.writeRandom(file, MIB + 4096, 300_000, seed + 1);
        files.put(v.id(), file);
        return v;
    }

    private Path file(Volume v) {
        return files.get(v.id());
    }

    /** A {@code creating} backup of the volume, its quota claimed, as the api creates it. */
    private Backup creating(Volume v, String parentId) {
        Backup b = Backup.creating(Ids.newId(), "p1", "u1", v.id(), null, "nova", "b", null, "backups", 1, parentId,
                null, Map.of(), Instant.now());
        assertThat(backups.create(b, QuotaReservation.of("p1", Map.of("backups", 1L, "backup_gigabytes", 1L),
                Map.of("backups", -1, "backup_gigabytes", -1)))).isEqualTo(BackupRecords.CreateOutcome.CREATED);
        volumes.transition(v.id(), Set.of(VolumeStatus.AVAILABLE), VolumeStatus.BACKING_UP);
        return b;
    }

    private Backup backedUp(Volume v, String parentId) throws Exception {
        Backup b = creating(v, parentId);
        service.createBackup(new CreateBackup(b.id(), "req-create"));
        assertThat(backup(b).status()).as("%s", backup(b).failReason()).isEqualTo(BackupStatus.AVAILABLE);
        return b;
    }

    /** A blank volume {@code restoring-backup} from the backup, as the api leaves it. */
    private Volume restoreTarget(Backup b, long bytes) throws IOException {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "restored", null, 1, VolumeStatus.RESTORING_BACKUP,
                AttachStatus.DETACHED, "nova", BACKEND + "#file", null, false, false, null, null, null, null,
                Map.of(), Instant.now(), null, null);
        volumes.create(v);
        files.put(v.id(), Volumes.sparse(dir.resolve("volume-" + v.id()), bytes));
        assertThat(backups.beginRestore(b.id(), v.id(), HOST)).isTrue();
        return v;
    }

    /**
     * A blank volume {@code creating} from the backup, its quota reserved, as its volume service hands
     * it over (the backup {@code restoring} into it, the workers row released).
     */
    private Volume creatingTarget(Backup b, long bytes) throws IOException {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "from-backup", null, 1, VolumeStatus.CREATING,
                AttachStatus.DETACHED, "nova", BACKEND + "#file", null, false, false, null, null, null, null,
                Map.of(), Instant.now(), null, null);
        volumes.create(v, QuotaReservation.of("p1", Map.of("volumes", 1L, "gigabytes", 1L),
                Map.of("volumes", -1, "gigabytes", -1)));
        files.put(v.id(), Volumes.sparse(dir.resolve("volume-" + v.id()), bytes));
        assertThat(backups.beginRestoreIntoNew(b.id(), v.id(), HOST)).isTrue();
        assertThat(workers.find(CleanableResource.VOLUME, v.id())).hasValueSatisfying(w ->
                assertThat(w.claimed()).as("released by the volume service").isFalse());
        return v;
    }

    private void corruptEveryChunk() throws IOException {
        try (Stream<Path> chunks = Files.walk(dir.resolve("repository/chunks"))) {
            for (Path chunk : chunks.filter(Files::isRegularFile).toList()) {
                byte[] bytes = Files.readAllBytes(chunk);
                bytes[bytes.length - 1] ^= 0x5a;
                Files.write(chunk, bytes);
            }
        }
    }

    private Backup backup(Backup b) {
        return backups.find(b.id()).orElseThrow();
    }

    private VolumeStatus status(Volume v) {
        return volumes.find(v.id()).orElseThrow().status();
    }

    private static String sha256(Path file, long length) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[65536];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String sha256(Path file) throws Exception {
        return sha256(file, Files.size(file));
    }

    // --- tests

    @Test
    void registersAsCinderBackupOnItsHost() {
        start();

        assertThat(new ServiceRepository(db).find(HOST, BackupRpc.BINARY)).isPresent()
                .get().satisfies(s -> assertThat(s.topic()).isEqualTo(BackupRpc.TOPIC));
    }

    @Test
    void aFullBackupRestoresIntoANewVolumeWithTheSameBytes() throws Exception {
        start();
        Volume source = volume(VolumeStatus.AVAILABLE, 1);
        Backup b = backedUp(source, null);

        Backup done = backup(b);
        assertThat(done.host()).isEqualTo(HOST);
        assertThat(done.service()).isEqualTo("cinder.backup.drivers.posix.PosixBackupDriver");
        assertThat(done.objectCount()).isPositive();
        assertThat(done.storedBytes()).isPositive();
        assertThat(done.progress()).isEqualTo(100);
        assertThat(status(source)).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(meters.find("basalt.backup.progress.ratio").gauges()).isEmpty();

        Volume target = restoreTarget(b, 2 * MIB);
        service.restoreBackup(new RestoreBackup(b.id(), target.id(), true, "req-restore"));

        assertThat(sha256(file(target))).isEqualTo(sha256(file(source)));
        assertThat(status(target)).isEqualTo(VolumeStatus.AVAILABLE);
        assertRestoresDone(b, 1);
    }

    /** The backup is available again, {@code count} restores done, and no progress gauge is left. */
    private void assertRestoresDone(Backup b, int count) {
        assertThat(backup(b).status()).isEqualTo(BackupStatus.AVAILABLE);
        assertThat(meters.get("basalt.backup.operations").tags("operation", "restore_backup", "outcome", "done")
                .timer().count()).isEqualTo(count);
        assertThat(meters.find("basalt.backup.progress.ratio").gauges()).isEmpty();
    }

    @Test
    void anAttachedVolumeIsBackedUpThroughATemporarySnapshotAndGoesBackInUse() throws Exception {
        start();
        Volume source = attached(2);
        String before = sha256(file(source));
        Backup b = backedUp(source, null);

        assertThat(status(source)).isEqualTo(VolumeStatus.IN_USE);
        assertThat(volumes.find(source.id()).orElseThrow().attachStatus()).isEqualTo(AttachStatus.ATTACHED);
        // the snapshot's delete is a cast: its volume service handles it a moment later
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(snapshots.forVolume(source.id())).as("the temporary snapshot is deleted").isEmpty();
            assertThat(files).hasSize(1);
        });
        assertThat(backup(b).tempSnapshotId()).isNull();
        assertThat(sha256(file(source))).as("the volume was written to meanwhile").isNotEqualTo(before);

        Volume target = restoreTarget(b, 2 * MIB);
        service.restoreBackup(new RestoreBackup(b.id(), target.id(), true, "req-restore"));
        assertThat(sha256(file(target))).as("the backup holds the snapshot's point").isEqualTo(before);
    }

    @Test
    void aTemporarySnapshotThatFailsFailsTheBackupAndIsRemoved() throws Exception {
        start();
        Volume source = attached(15);
        failSnapshots = true;
        Backup b = creating(source, null);
        service.createBackup(new CreateBackup(b.id(), "req-create"));

        assertThat(backup(b).status()).isEqualTo(BackupStatus.ERROR);
        assertThat(backup(b).failReason()).contains("temporary snapshot").contains("no room");
        assertThat(backup(b).tempSnapshotId()).isNull();
        assertThat(status(source)).isEqualTo(VolumeStatus.IN_USE);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(snapshots.forVolume(source.id())).isEmpty());
    }

    @Test
    void startUpDeletesTheTemporarySnapshotOfABackupLeftCreating() throws Exception {
        Volume source = attached(16);
        Backup b = creating(source, null);
        backups.assignHost(b.id(), Set.of(BackupStatus.CREATING), HOST, BackupServiceSettings.POSIX_DRIVER);
        Snapshot temporary = new Snapshot(Ids.newId(), source.id(), "p1", "u1", "backup-snap-" + source.id(), null,
                SnapshotStatus.AVAILABLE, "100%", 1, null, null, Map.of(), Instant.now(), Instant.now());
        snapshots.create(temporary, Set.of(VolumeStatus.BACKING_UP));
        backups.recordTemporaries(b.id(), null, temporary.id());

        start();

        assertThat(backup(b).status()).isEqualTo(BackupStatus.ERROR);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(snapshots.find(temporary.id())).isEmpty());
        assertThat(status(source)).isEqualTo(VolumeStatus.IN_USE);
    }

    /** A volume attached to an instance (its backup forced), data in its file. */
    private Volume attached(long seed) throws IOException {
        Volume v = volume(VolumeStatus.AVAILABLE, seed);
        volumes.resetStatus(v.id(), VolumeStatus.AVAILABLE, AttachStatus.ATTACHED);
        return v;
    }

    @Test
    void eachBackupOfAnIncrementalChainRestoresItsOwnBytes() throws Exception {
        start();
        Volume source = volume(VolumeStatus.AVAILABLE, 3);
        Path first = Files.copy(file(source), dir.resolve("first"));
        Backup full = backedUp(source, null);
        Volumes.writeRandom(file(source), 512 * 1024, 70_000, 30);
        Backup second = backedUp(source, full.id());
        Volumes.writeZeros(file(source), 0, 4096);
        Backup third = backedUp(source, second.id());

        assertThat(backup(third).storedBytes()).isLessThan(backup(full).storedBytes());
        Volume latest = restoreTarget(third, 2 * MIB);
        service.restoreBackup(new RestoreBackup(third.id(), latest.id(), true, "r1"));
        Volume oldest = restoreTarget(full, 2 * MIB);
        service.restoreBackup(new RestoreBackup(full.id(), oldest.id(), true, "r2"));

        assertThat(sha256(file(latest))).isEqualTo(sha256(file(source)));
        assertThat(sha256(file(oldest))).isEqualTo(sha256(first));
    }

    @Test
    void aRestoreOntoAnExistingLargerVolumeWritesTheBackupOverItsStart() throws Exception {
        start();
        Volume source = volume(VolumeStatus.AVAILABLE, 4);
        Backup b = backedUp(source, null);
        Volume target = restoreTarget(b, 3 * MIB);
        Volumes.writeRandom(file(target), 0, (int) (3 * MIB), 99);
        byte[] old = Files.readAllBytes(file(target));

        service.restoreBackup(new RestoreBackup(b.id(), target.id(), false, "r"));

        assertThat(sha256(file(target), 2 * MIB)).isEqualTo(sha256(file(source)));
        assertThat(Files.size(file(target))).isEqualTo(3 * MIB);
        byte[] now = Files.readAllBytes(file(target));
        assertThat(Arrays.copyOfRange(now, (int) (2 * MIB), (int) (3 * MIB)))
                .as("the bytes past the backup's end").isEqualTo(Arrays.copyOfRange(old, (int) (2 * MIB), (int) (3 * MIB)));
        assertThat(status(target)).isEqualTo(VolumeStatus.AVAILABLE);
    }

    @Test
    void twoVolumesMadeFromOneBackupAtOnceAreBothRestoredAndTheBackupIsAvailableWhenTheLastEnds() throws Exception {
        start();
        Volume source = volume(VolumeStatus.AVAILABLE, 23);
        Backup b = backedUp(source, null);
        Volume first = creatingTarget(b, 2 * MIB);
        Volume second = creatingTarget(b, 2 * MIB);
        assertThat(backup(b).status()).isEqualTo(BackupStatus.RESTORING);

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Object>> restores = Stream.of(first, second).map(v -> threads.submit(() -> {
                service.restoreBackup(new RestoreBackup(b.id(), v.id(), true, "req-" + v.id()));
                return null;
            })).toList();
            for (Future<Object> restore : restores) {
                restore.get();
            }
        }

        for (Volume v : List.of(first, second)) {
            assertThat(sha256(file(v))).isEqualTo(sha256(file(source)));
            assertThat(status(v)).isEqualTo(VolumeStatus.AVAILABLE);
            assertThat(volumes.metadata(v.id())).as("as Cinder").containsEntry("src_backup_id", b.id());
        }
        assertThat(backups.restoresOnHost(HOST)).isEmpty();
        assertRestoresDone(b, 2);
    }

    @Test
    void aRestoreOntoTheBackupsOwnVolumeRecordsNoSourceBackupUnlessTheVolumeNamedAnother() throws Exception {
        start();
        Volume source = volume(VolumeStatus.AVAILABLE, 24);
        Backup b = backedUp(source, null);
        restoreOntoItsOwnVolume(b, source);
        assertThat(volumes.metadata(source.id())).doesNotContainKey("src_backup_id");

        volumes.mergeMetadata(source.id(), Map.of("src_backup_id", "an-earlier-backup"));
        restoreOntoItsOwnVolume(b, source);
        assertThat(volumes.metadata(source.id())).containsEntry("src_backup_id", b.id());
    }

    private void restoreOntoItsOwnVolume(Backup b, Volume source) throws Exception {
        assertThat(volumes.transition(source.id(), Set.of(VolumeStatus.AVAILABLE), VolumeStatus.RESTORING_BACKUP))
                .isTrue();
        assertThat(backups.beginRestore(b.id(), source.id(), HOST)).isTrue();
        service.restoreBackup(new RestoreBackup(b.id(), source.id(), false, "req-own"));
        assertThat(status(source)).isEqualTo(VolumeStatus.AVAILABLE);
    }

    @Test
    void aVolumeMadeFromABackupIsRestoredWhileCreatingAndEndsAvailableWithItsQuotaInUse() throws Exception {
        start();
        Volume source = volume(VolumeStatus.AVAILABLE, 21);
        Backup b = backedUp(source, null);
        Volume target = creatingTarget(b, 2 * MIB);

        service.restoreBackup(new RestoreBackup(b.id(), target.id(), true, "req-from-backup"));

        assertThat(sha256(file(target))).isEqualTo(sha256(file(source)));
        Volume restored = volumes.find(target.id()).orElseThrow();
        assertThat(restored.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(restored.launchedAt()).as("stamped as a create that ends").isNotNull();
        assertThat(backup(b).status()).isEqualTo(BackupStatus.AVAILABLE);
        assertThat(backup(b).progress()).isEqualTo(100);
        assertThat(workers.find(CleanableResource.VOLUME, target.id())).as("the create's work is done").isEmpty();
        assertThat(new QuotaRepository(db).usages("p1")).containsEntry("volumes", new QuotaUsage(1, 0))
                .containsEntry("gigabytes", new QuotaUsage(1, 0));
    }

    @Test
    void aCorruptChunkFailsAVolumeMadeFromTheBackupIntoErrorAndTheBackupIsAvailable() throws Exception {
        start();
        Volume source = volume(VolumeStatus.AVAILABLE, 22);
        Backup b = backedUp(source, null);
        corruptEveryChunk();
        Volume target = creatingTarget(b, 2 * MIB);

        service.restoreBackup(new RestoreBackup(b.id(), target.id(), true, "req-corrupt-new"));

        assertThat(status(target)).as("Cinder: a volume being created ends error").isEqualTo(VolumeStatus.ERROR);
        assertThat(volumes.find(target.id()).orElseThrow().errorReason()).contains(b.id());
        assertThat(backup(b).status()).isEqualTo(BackupStatus.AVAILABLE);
        assertThat(workers.find(CleanableResource.VOLUME, target.id())).isEmpty();
        assertThat(messages.forResource(b.id())).extracting(UserMessage::eventId)
                .containsExactly("VOLUME_VOLUME_BACKUP_015_026");
    }

    @Test
    void aVolumeWhoseCreateACleanerHoldsIsNotRestoredInto() throws Exception {
        start();
        Volume source = volume(VolumeStatus.AVAILABLE, 23);
        Backup b = backedUp(source, null);
        Volume target = creatingTarget(b, 2 * MIB);
        Worker row = workers.find(CleanableResource.VOLUME, target.id()).orElseThrow();
        assertThat(workers.claimForCleanup(row, 9999)).isTrue();

        service.restoreBackup(new RestoreBackup(b.id(), target.id(), true, "req-held"));

        assertThat(Volumes.allocatedBytes(file(target))).as("nothing written").isZero();
        assertThat(status(target)).isEqualTo(VolumeStatus.CREATING);
        assertThat(backup(b).status()).isEqualTo(BackupStatus.RESTORING);
    }

    @Test
    void aCorruptChunkFailsTheRestoreLeavingTheBackupAvailable() throws Exception {
        start();
        Volume source = volume(VolumeStatus.AVAILABLE, 5);
        Backup b = backedUp(source, null);
        corruptEveryChunk();
        Volume target = restoreTarget(b, 2 * MIB);

        service.restoreBackup(new RestoreBackup(b.id(), target.id(), true, "req-corrupt"));

        assertThat(status(target)).isEqualTo(VolumeStatus.ERROR_RESTORING);
        assertThat(volumes.find(target.id()).orElseThrow().errorReason()).contains(b.id());
        assertThat(backup(b).status()).isEqualTo(BackupStatus.AVAILABLE);
        assertThat(backup(b).failReason()).contains(target.id());
        assertThat(messages.forResource(b.id())).singleElement().satisfies(m -> {
            assertThat(m.resourceType()).isEqualTo("VOLUME_BACKUP");
            assertThat(m.actionId()).isEqualTo("015");
            assertThat(m.detailId()).isEqualTo("026");
            assertThat(m.requestId()).isEqualTo("req-corrupt");
            assertThat(m.projectId()).isEqualTo("p1");
        });
    }

    @Test
    void aVolumeOnAnotherHostIsNotBackedUp() throws Exception {
        start();
        Volume source = volume(VolumeStatus.AVAILABLE, 6);
        deviceHost = "node2";
        Backup b = creating(source, null);

        service.createBackup(new CreateBackup(b.id(), "req-elsewhere"));

        assertThat(backup(b).status()).isEqualTo(BackupStatus.ERROR);
        assertThat(backup(b).failReason()).contains("node2").contains(HOST);
        assertThat(status(source)).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(messages.forResource(b.id())).extracting(UserMessage::eventId)
                .containsExactly("VOLUME_VOLUME_BACKUP_013_019");
        assertThat(repository.hasManifest(b.id())).isFalse();
    }

    @Test
    void aRedeliveredCreateOfAnAvailableBackupDoesNothing() throws Exception {
        start();
        Volume source = volume(VolumeStatus.AVAILABLE, 7);
        Backup b = backedUp(source, null);
        Backup before = backup(b);

        service.createBackup(new CreateBackup(b.id(), "again"));

        assertThat(backup(b)).isEqualTo(before);
        assertThat(meters.get("basalt.backup.operations").tags("operation", "create_backup", "outcome", "skipped")
                .timer().count()).isEqualTo(1);
    }

    @Test
    void startUpRecoversTheWorkLeftInFlight() throws Exception {
        Volume creatingSource = volume(VolumeStatus.AVAILABLE, 8);
        Backup wasCreating = creating(creatingSource, null);
        backups.assignHost(wasCreating.id(), Set.of(BackupStatus.CREATING), HOST, BackupServiceSettings.POSIX_DRIVER);

        Volume restoredSource = volume(VolumeStatus.AVAILABLE, 9);
        Backup wasRestoring = finishedBackup(restoredSource);
        Volume restoreTarget = restoreTarget(wasRestoring, 2 * MIB);

        Backup wasRestoringIntoNew = finishedBackup(volume(VolumeStatus.AVAILABLE, 12));
        Volume newTarget = creatingTarget(wasRestoringIntoNew, 2 * MIB);
        assertThat(workers.claim(CleanableResource.VOLUME, newTarget.id(), "creating", 4242))
                .isEqualTo(WorkerRepository.Claim.CLAIMED);

        Backup wasDeleting = finishedBackup(volume(VolumeStatus.AVAILABLE, 10));
        assertThat(backups.beginDelete(wasDeleting.id(), Set.of(BackupStatus.AVAILABLE)))
                .isEqualTo(BackupRecords.DeleteOutcome.STARTED);

        Backup notTaken = creating(volume(VolumeStatus.AVAILABLE, 11), null);

        Backup restoringOnTwoHosts = finishedBackup(volume(VolumeStatus.AVAILABLE, 13));
        Volume restoredHere = restoreTarget(restoringOnTwoHosts, 2 * MIB);
        String restoredOnNode2 = Ids.newId();
        assertThat(backups.beginRestore(restoringOnTwoHosts.id(), restoredOnNode2, "node2")).isTrue();

        start();

        assertThat(status(restoredHere)).isEqualTo(VolumeStatus.ERROR_RESTORING);
        assertThat(backup(restoringOnTwoHosts).status()).as("its restore on node2 still runs")
                .isEqualTo(BackupStatus.RESTORING);
        assertThat(backups.restoresOnHost("node2")).containsExactly(
                new BackupRecords.RunningRestore(restoringOnTwoHosts.id(), restoredOnNode2, "node2"));
        assertThat(backups.restoresOnHost(HOST)).isEmpty();

        assertThat(backup(wasCreating).status()).isEqualTo(BackupStatus.ERROR);
        assertThat(backup(wasCreating).failReason()).isEqualTo(BackupRecovery.RESTARTED);
        assertThat(status(creatingSource)).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(backup(wasRestoring).status()).isEqualTo(BackupStatus.AVAILABLE);
        assertThat(status(restoreTarget)).isEqualTo(VolumeStatus.ERROR_RESTORING);
        assertThat(backup(wasRestoringIntoNew).status()).isEqualTo(BackupStatus.AVAILABLE);
        assertThat(status(newTarget)).as("never creating forever").isEqualTo(VolumeStatus.ERROR);
        assertThat(workers.find(CleanableResource.VOLUME, newTarget.id())).isEmpty();
        assertThat(backups.find(wasDeleting.id())).isEmpty();
        assertThat(repository.hasManifest(wasDeleting.id())).isFalse();
        assertThat(backup(notTaken).status()).isEqualTo(BackupStatus.CREATING);
    }

    /** An available backup on this host, made by a service that then stopped. */
    private Backup finishedBackup(Volume v) throws Exception {
        BackupService earlier = start();
        Backup b = backedUp(v, null);
        earlier.stop();
        service = null;
        return b;
    }

    @Test
    void deleteRemovesTheDataAndGivesTheQuotaBack() throws Exception {
        start();
        Backup b = backedUp(volume(VolumeStatus.AVAILABLE, 12), null);
        assertThat(usage("backups").inUse()).isEqualTo(1);
        assertThat(usage("backup_gigabytes").inUse()).isEqualTo(1);
        assertThat(backups.beginDelete(b.id(), Set.of(BackupStatus.AVAILABLE)))
                .isEqualTo(BackupRecords.DeleteOutcome.STARTED);

        service.deleteBackup(new DeleteBackup(b.id(), "req-delete"));

        assertThat(backups.find(b.id())).isEmpty();
        assertThat(usage("backups").inUse()).isZero();
        assertThat(usage("backup_gigabytes").inUse()).isZero();
        assertThat(repository.hasManifest(b.id())).isFalse();
        try (Stream<Path> left = Files.walk(dir.resolve("repository/chunks"))) {
            assertThat(left.filter(Files::isRegularFile).toList()).isEmpty();
        }
    }

    private QuotaUsage usage(String resource) {
        return new QuotaRepository(db).usages("p1").getOrDefault(resource, QuotaUsage.NONE);
    }

    @Test
    void anExportedRecordImportsAfterItsRowIsGoneAndRestores() throws Exception {
        start();
        Volume source = volume(VolumeStatus.AVAILABLE, 13);
        Backup b = backedUp(source, null);

        BackupRecord record = service.exportRecord(b.id());
        assertThat(record.backupService()).isEqualTo("cinder.backup.drivers.posix.PosixBackupDriver");
        backups.delete(b.id());
        Backup decoded = BackupUrl.decode(record.backupUrl()).backup();
        backups.importRecord(new Backup(decoded.id(), "p1", "u1", decoded.volumeId(), null, null,
                decoded.availabilityZone(), decoded.name(), decoded.description(), decoded.container(),
                BackupStatus.CREATING, null, null, null, decoded.size(), 0, null, 0, decoded.dataTimestamp(), null,
                null, null, null, null, decoded.metadata(), Instant.now(), null));
        service.importRecord(new ImportBackup(b.id(), record.backupService(), record.backupUrl(), "req-import"));

        Backup imported = backup(b);
        assertThat(imported.status()).isEqualTo(BackupStatus.AVAILABLE);
        assertThat(imported.host()).isEqualTo(HOST);
        Volume target = restoreTarget(b, 2 * MIB);
        service.restoreBackup(new RestoreBackup(b.id(), target.id(), true, "r"));
        assertThat(sha256(file(target))).isEqualTo(sha256(file(source)));
    }

    @Test
    void aMalformedRecordLeavesTheImportedBackupInError() throws Exception {
        start();
        String id = Ids.newId();
        backups.importRecord(new Backup(id, "p1", "u1", Ids.newId(), null, null, "nova", null, null, null,
                BackupStatus.CREATING, null, null, null, 1, 0, null, 0, null, null, null, null, null, null, Map.of(),
                Instant.now(), null));

        service.importRecord(new ImportBackup(id, BackupServiceSettings.POSIX_DRIVER, "bm90IGpzb24=", "r"));

        Backup failed = backups.find(id).orElseThrow();
        assertThat(failed.status()).isEqualTo(BackupStatus.ERROR);
        assertThat(failed.failReason()).contains("not base64 of a JSON backup record");
    }

    @Test
    void servesItsMessagesOnTheBus() throws Exception {
        start();
        Volume source = volume(VolumeStatus.AVAILABLE, 14);
        Backup b = creating(source, null);

        new BackupRpc(bus).createBackup(HOST, new CreateBackup(b.id(), "req-bus"));

        await().atMost(Duration.ofSeconds(20)).until(() -> backup(b).status() == BackupStatus.AVAILABLE);
        assertThat(new BackupRpc(bus).exportRecord(HOST, b.id(), Duration.ofSeconds(10)).backupUrl()).isNotBlank();
        assertThat(List.of(status(source))).containsExactly(VolumeStatus.AVAILABLE);
    }
}
