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
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Backup;
import dev.basalt.model.BackupStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.BackupDevice;
import dev.basalt.rpc.BackupDeviceRequest;
import dev.basalt.rpc.CreateBackup;
import dev.basalt.rpc.DeleteBackup;
import dev.basalt.rpc.DropBackupBases;
import dev.basalt.rpc.RestoreBackup;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.rpc.VolumeServerStub;
import dev.basalt.testkit.LoopFilesystem;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Incremental backups that read only what changed: volumes on a loop-mounted XFS (reflink=1), a
 * volume service double that keeps backup bases as reflinks beside them (as the file driver does)
 * and drops them when told, the real backup service, H2, the in-JVM bus and a POSIX repository.
 */
class BackupServiceOnXfsTest {
    @RegisterExtension
    static final LoopFilesystem XFS = LoopFilesystem.xfs();

    private static final String HOST = "node1";
    private static final String BACKEND = HOST + "@file";
    private static final long MIB = 1 << 20;
    private static final long VOLUME_BYTES = 64 * MIB;
    private static final int DATA_BYTES = (int) (40 * MIB);

    private Path dir;
    private Database db;
    private InJvmBus bus;
    private BackupRecords backups;
    private VolumeRepository volumes;
    private SimpleMeterRegistry meters;
    private Subscription volumeService;
    private BackupService service;

    @BeforeEach
    void open() throws IOException {
        dir = XFS.newDirectory();
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 4);
        backups = new BackupRecords(db);
        volumes = new VolumeRepository(db);
        bus = new InJvmBus();
        meters = new SimpleMeterRegistry();
        volumeService = VolumeRpc.serve(bus, BACKEND, new BasesDouble(), new LogLevels());
        service = startService();
    }

    /** A backup service on {@link #dir}'s repository, started (again, after {@code service.stop()}). */
    private BackupService startService() throws IOException {
        BackupServiceSettings settings = new BackupServiceSettings(HOST, "nova", Duration.ofMillis(100),
                Duration.ofDays(30), Duration.ofSeconds(10), 64 * 1024, Compression.ZSTD,
                BackupServiceSettings.POSIX_DRIVER);
        BackupService started = new BackupService(settings, PosixBackupRepository.open(dir.resolve("repository"), 2),
                db, bus, Clock.systemUTC(), meters);
        started.start();
        return started;
    }

    @AfterEach
    void close() {
        service.stop();
        volumeService.close();
        bus.close();
        db.close();
    }

    /** The volume service's side of bases, for files in {@link #dir}: reflinks kept, found and dropped. */
    private final class BasesDouble extends VolumeServerStub {
        @Override
        public BackupDevice backupDevice(BackupDeviceRequest request) {
            try {
                Path path = volumeFile(request.volumeId());
                boolean kept = request.keepBase() != null;
                if (kept && !Files.exists(base(request.volumeId(), request.keepBase()))) {
                    path = Volumes.reflink(path, base(request.volumeId(), request.keepBase()));
                } else if (kept) {
                    path = base(request.volumeId(), request.keepBase());
                }
                Path parent = request.parentBase() == null ? null : base(request.volumeId(), request.parentBase());
                return new BackupDevice(HOST, path.toString(), Files.size(path), kept,
                        parent != null && Files.exists(parent) ? parent.toString() : null);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void dropBackupBases(DropBackupBases request) {
            try {
                for (Path base : bases(request.volumeId())) {
                    boolean named = base.equals(base(request.volumeId(), request.baseId()));
                    if (named == (request.scope() == DropBackupBases.Scope.ONLY)) {
                        Files.delete(base);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Path volumeFile(String volumeId) {
        return dir.resolve("volume-" + volumeId);
    }

    private Path base(String volumeId, String backupId) {
        return dir.resolve("backup-base-" + volumeId + "." + backupId);
    }

    private Set<Path> bases(String volumeId) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return Set.copyOf(files.filter(f -> f.getFileName().toString().startsWith("backup-base-" + volumeId))
                    .toList());
        }
    }

    private Volume volume(String id, VolumeStatus status) {
        Volume v = new Volume(id, "p1", "u1", "vol", null, 1, status, AttachStatus.DETACHED, "nova",
                BACKEND + "#file", null, false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
        volumes.create(v);
        return v;
    }

    /** A volume of 64 MiB with 40 MiB of random data. */
    private Volume volumeWithData() throws IOException {
        Volume v = volume(Ids.newId(), VolumeStatus.AVAILABLE);
        Volumes.writeRandom(Volumes.sparse(volumeFile(v.id()), VOLUME_BYTES), 0, DATA_BYTES, 1);
        return v;
    }

    /** Backs the volume up as the api asks: a {@code creating} row (quota claimed), then the message. */
    private Backup backUp(Volume v, String parentId) throws Exception {
        Backup b = Backup.creating(Ids.newId(), "p1", "u1", v.id(), null, "nova", "b", null, "backups", 1, parentId,
                null, Map.of(), Instant.now());
        assertThat(backups.create(b, QuotaReservation.of("p1", Map.of("backups", 1L, "backup_gigabytes", 1L),
                Map.of("backups", -1, "backup_gigabytes", -1)))).isEqualTo(BackupRecords.CreateOutcome.CREATED);
        volumes.transition(v.id(), Set.of(VolumeStatus.AVAILABLE), VolumeStatus.BACKING_UP);
        service.createBackup(new CreateBackup(b.id(), "req-" + b.id()));
        return backups.find(b.id()).orElseThrow();
    }

    private double read(String mode) {
        return meters.get("basalt.backup.source.read.bytes").tags("mode", mode).counter().count();
    }

    private double data(String mode) {
        return meters.get("basalt.backup.source.data.bytes").tags("mode", mode).counter().count();
    }

    private void delete(Backup b) throws Exception {
        assertThat(backups.beginDelete(b.id(), Set.of(BackupStatus.AVAILABLE, BackupStatus.ERROR)))
                .isEqualTo(BackupRecords.DeleteOutcome.STARTED);
        service.deleteBackup(new DeleteBackup(b.id(), "req-delete"));
        assertThat(backups.find(b.id())).isEmpty();
    }

    /** Restores the backup into a new volume file and answers it. */
    private Path restored(Backup b) throws Exception {
        Volume target = volume(Ids.newId(), VolumeStatus.RESTORING_BACKUP);
        Volumes.sparse(volumeFile(target.id()), VOLUME_BYTES);
        assertThat(backups.beginRestore(b.id(), target.id(), HOST)).isTrue();
        service.restoreBackup(new RestoreBackup(b.id(), target.id(), true, "req-restore"));
        assertThat(volumes.find(target.id()).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
        return volumeFile(target.id());
    }

    @Test
    void theBaseOfABackupARestartCutShortIsDroppedWhenTheServiceStartsAgain() throws Exception {
        Volume v = volumeWithData();
        Backup kept = backUp(v, null);
        Backup cut = Backup.creating(Ids.newId(), "p1", "u1", v.id(), null, "nova", "cut", null, "backups", 1, null,
                null, Map.of(), Instant.now());
        assertThat(backups.create(cut, null)).isEqualTo(BackupRecords.CreateOutcome.CREATED);
        assertThat(volumes.transition(v.id(), Set.of(VolumeStatus.AVAILABLE), VolumeStatus.BACKING_UP)).isTrue();
        // As the service left it when it was killed mid-way: taken, and the volume's base for it made.
        assertThat(backups.assignHost(cut.id(), Set.of(BackupStatus.CREATING), HOST,
                BackupServiceSettings.POSIX_DRIVER)).isTrue();
        Volumes.reflink(volumeFile(v.id()), base(v.id(), cut.id()));
        service.stop();

        service = startService();

        assertThat(backups.find(cut.id()).orElseThrow().status()).isEqualTo(BackupStatus.ERROR);
        assertThat(volumes.find(v.id()).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(bases(v.id())).as("the latest good backup's base only").containsExactly(base(v.id(), kept.id())));
    }

    @Test
    void anIncrementalAfterOnePercentChangedReadsAboutOnePercentOfTheDataAndEachPointRestores() throws Exception {
        Volume v = volumeWithData();
        Backup full = backUp(v, null);
        assertThat(full.status()).as("%s", full.failReason()).isEqualTo(BackupStatus.AVAILABLE);
        Path atFull = Volumes.reflink(volumeFile(v.id()), dir.resolve("at-full"));
        // ~1% of the 40 MiB: a write inside the data, one in the hole after it
        Volumes.writeRandom(volumeFile(v.id()), 5 * MIB + 10, 100_000, 2);
        Volumes.writeRandom(volumeFile(v.id()), 50 * MIB, 300_000, 3);

        Backup incremental = backUp(v, full.id());

        assertThat(incremental.status()).as("%s", incremental.failReason()).isEqualTo(BackupStatus.AVAILABLE);
        assertThat(read("full")).isEqualTo(data("full")).isGreaterThanOrEqualTo(DATA_BYTES);
        double share = read("extent_map") / data("extent_map");
        assertThat(share).as("share of the data the incremental read").isGreaterThan(0.005).isLessThan(0.02);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(bases(v.id())).containsExactly(base(v.id(), incremental.id())));
        Volumes.assertSameContent(atFull, restored(full));
        Volumes.assertSameContent(volumeFile(v.id()), restored(incremental));
    }

    @Test
    void withoutTheParentsBaseAnIncrementalReadsAllTheDataAndStillRestores() throws Exception {
        Volume v = volumeWithData();
        Backup full = backUp(v, null);
        Files.delete(base(v.id(), full.id()));
        Volumes.writeRandom(volumeFile(v.id()), 5 * MIB, 100_000, 4);

        Backup incremental = backUp(v, full.id());

        assertThat(incremental.status()).isEqualTo(BackupStatus.AVAILABLE);
        assertThat(read("read_all")).isEqualTo(data("read_all")).isGreaterThanOrEqualTo(DATA_BYTES);
        Volumes.assertSameContent(volumeFile(v.id()), restored(incremental));
    }

    @Test
    void aFailedBackupDropsItsOwnBaseAndADeletedBackupDropsItsBase() throws Exception {
        Volume v = volumeWithData();
        Backup full = backUp(v, null);
        Path manifest;
        try (Stream<Path> files = Files.walk(dir.resolve("repository/manifests"))) {
            manifest = files.filter(f -> f.getFileName().toString().contains(full.id())).findFirst().orElseThrow();
        }
        Path aside = Files.move(manifest, dir.resolve("manifest-aside"));

        Backup failed = backUp(v, full.id()); // its parent's manifest is missing: it fails after its base was kept

        assertThat(failed.status()).isEqualTo(BackupStatus.ERROR);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(bases(v.id())).containsExactly(base(v.id(), full.id())));
        Files.move(aside, manifest);
        delete(failed);
        delete(full);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(bases(v.id())).isEmpty());
    }
}
