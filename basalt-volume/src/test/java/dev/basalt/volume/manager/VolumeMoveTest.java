package dev.basalt.volume.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.bus.InJvmBus;
import dev.basalt.bus.Subscription;
import dev.basalt.common.Ids;
import dev.basalt.common.LogLevels;
import dev.basalt.db.Database;
import dev.basalt.db.JdbcTarget;
import dev.basalt.db.MessageRepository;
import dev.basalt.db.VolumeMoves;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.file.FileDriverSettings;
import dev.basalt.driver.file.FileVolumeDriver;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.CreateVolume;
import dev.basalt.rpc.MigrateVolume;
import dev.basalt.rpc.RetypeVolume;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.SchedulerServerStub;
import dev.basalt.rpc.VolumeRpc;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import dev.basalt.driver.BlockDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retype and migration in the volume service: two file backends of one volume process, H2 and the in-JVM
 * bus; the bytes checked in the files.
 */
class VolumeMoveTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String A = "node1@a";
    private static final String B = "node1@b";
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private Database db;
    private VolumeRepository volumes;
    private VolumeMoves moves;
    private VolumeType silver;
    private VolumeType gold;
    private InJvmBus bus;
    private Subscription scheduler;
    private final LocalBackends local = new LocalBackends();
    private final TestTargets iscsi = new TestTargets();
    private VolumeService a;
    private VolumeService b;

    @BeforeEach
    void open() {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 4);
        volumes = new VolumeRepository(db);
        moves = new VolumeMoves(db);
        VolumeTypeRepository types = new VolumeTypeRepository(db);
        silver = types.create("silver", null, true, Map.of());
        gold = types.create("gold", null, true, Map.of());
        bus = new InJvmBus();
        scheduler = SchedulerRpc.serve(bus, "sched1", new SchedulerServerStub() {
            @Override
            public void updateServiceCapabilities(dev.basalt.rpc.CapacityReport r) {
            }
        }, new LogLevels());
        a = start(A);
        b = start(B);
    }

    @AfterEach
    void close() {
        a.stop();
        b.stop();
        scheduler.close();
        iscsi.close();
        bus.close();
        db.close();
    }

    private VolumeService start(String host) {
        Path where = dir.resolve(host.substring(host.indexOf('@') + 1));
        VolumeService service = new VolumeService(new VolumeServiceSettings(host, "file", "az1", 20.0, 0,
                Duration.ofMillis(200), Duration.ofHours(1), Duration.ofDays(30),
                VolumeServiceSettings.DEFAULT_TARGET_PREFIX, Duration.ofSeconds(60)),
                new FileVolumeDriver(new FileDriverSettings(where, true, VolumeClear.ZERO, 0, "file")), iscsi.target(),
                db, bus, Clock.systemUTC(), new io.micrometer.core.instrument.composite.CompositeMeterRegistry(),
                dir.resolve("conversion"), VolumeService.ImageCacheSettings.OFF, local);
        service.start();
        return service;
    }

    private Path file(String backend, String id) {
        return dir.resolve(backend.substring(backend.indexOf('@') + 1)).resolve("volume-" + id);
    }

    /** A 1 GiB volume on backend A holding a pattern at 0 and at 700 MiB. */
    private Volume volumeOnA() throws IOException {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "vol", null, 1, VolumeStatus.CREATING, AttachStatus.DETACHED,
                "az1", A + "#file", silver.id(), false, false, null, null, null, null, Map.of(), Instant.now(), null,
                null);
        volumes.create(v);
        new VolumeRpc(bus).createVolume(A, new CreateVolume(v.id(), null));
        await().atMost(PATIENCE).until(() -> status(v.id()) == VolumeStatus.AVAILABLE);
        write(file(A, v.id()), 0, pattern(1));
        write(file(A, v.id()), 700 * MIB, pattern(2));
        return volumes.find(v.id()).orElseThrow();
    }

    private VolumeStatus status(String id) {
        return volumes.find(id).map(Volume::status).orElse(null);
    }

    @Test
    void aMigrationCopiesTheBytesToTheOtherBackendAndMovesTheVolume() throws IOException {
        Volume v = volumeOnA();
        assertThat(moves.beginMigration(v.id(), B + "#file")).isEqualTo(VolumeMoves.Outcome.DONE);

        new VolumeRpc(bus).migrateVolume(A, new MigrateVolume(v.id(), B + "#file", false, "req-m"));

        await().atMost(PATIENCE).until(() -> "success".equals(volumes.find(v.id()).orElseThrow().migrationStatus()));
        Volume moved = volumes.find(v.id()).orElseThrow();
        assertThat(moved.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(moved.host()).isEqualTo(B + "#file");
        assertThat(moved.adminMetadata()).doesNotContainKey(VolumeMoves.DESTINATION);
        assertThat(read(file(B, v.id()), 0, 4096)).isEqualTo(pattern(1));
        assertThat(read(file(B, v.id()), 700 * MIB, 4096)).isEqualTo(pattern(2));
        assertThat(Files.size(file(B, v.id()))).isEqualTo(1L << 30);
        assertThat(file(A, v.id())).doesNotExist();
    }

    @Test
    void aRetypeStaysInPlaceOnItsBackendOrMovesWithTheNewType() throws IOException {
        Volume here = volumeOnA();
        assertThat(moves.beginRetype(here.id(), gold.id(), null)).isEqualTo(VolumeMoves.Outcome.DONE);
        new VolumeRpc(bus).retype(A, new RetypeVolume(here.id(), gold.id(), RetypeVolume.NEVER, A + "#file", "r1"));
        await().atMost(PATIENCE).until(() -> status(here.id()) == VolumeStatus.AVAILABLE);
        assertThat(volumes.find(here.id()).orElseThrow().volumeTypeId()).isEqualTo(gold.id());
        assertThat(volumes.find(here.id()).orElseThrow().migrationStatus()).isNull();
        assertThat(read(file(A, here.id()), 0, 4096)).isEqualTo(pattern(1));

        Volume away = volumeOnA();
        assertThat(moves.beginRetype(away.id(), gold.id(), null)).isEqualTo(VolumeMoves.Outcome.DONE);
        new VolumeRpc(bus).retype(A, new RetypeVolume(away.id(), gold.id(), RetypeVolume.ON_DEMAND, B + "#file", "r2"));
        await().atMost(PATIENCE).until(() -> status(away.id()) == VolumeStatus.AVAILABLE);
        Volume moved = volumes.find(away.id()).orElseThrow();
        assertThat(moved.host()).isEqualTo(B + "#file");
        assertThat(moved.volumeTypeId()).isEqualTo(gold.id());
        assertThat(moved.migrationStatus()).isEqualTo("success");
        assertThat(read(file(B, away.id()), 700 * MIB, 4096)).isEqualTo(pattern(2));
        assertThat(file(A, away.id())).doesNotExist();
    }

    @Test
    void aFailedMigrationLeavesTheVolumeWhereItWasAndSaysSo() throws IOException {
        Volume v = volumeOnA();
        Files.createDirectories(file(B, v.id()).getParent());
        Files.write(file(B, v.id()), new byte[] {7});
        assertThat(moves.beginMigration(v.id(), B + "#file")).isEqualTo(VolumeMoves.Outcome.DONE);

        new VolumeRpc(bus).migrateVolume(A, new MigrateVolume(v.id(), B + "#file", false, "req-f"));

        await().atMost(PATIENCE).until(() -> "error".equals(volumes.find(v.id()).orElseThrow().migrationStatus()));
        Volume left = volumes.find(v.id()).orElseThrow();
        assertThat(left.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(left.host()).isEqualTo(A + "#file");
        assertThat(read(file(A, v.id()), 0, 4096)).isEqualTo(pattern(1));
        assertThat(Files.readAllBytes(file(B, v.id()))).as("what was there is left alone").containsExactly(7);
        assertThat(new MessageRepository(db).forResource(v.id())).singleElement()
                .satisfies(m -> assertThat(m.actionId()).isEqualTo("020"));

        Volume attached = volumeOnA();
        volumes.resetStatus(attached.id(), VolumeStatus.IN_USE, AttachStatus.ATTACHED);
        assertThat(moves.beginRetype(attached.id(), gold.id(), null)).isEqualTo(VolumeMoves.Outcome.DONE);
        new VolumeRpc(bus).retype(A, new RetypeVolume(attached.id(), gold.id(), RetypeVolume.ON_DEMAND, B + "#file",
                "req-a"));
        await().atMost(PATIENCE).until(() -> status(attached.id()) == VolumeStatus.IN_USE);
        assertThat(volumes.find(attached.id()).orElseThrow().volumeTypeId()).as("an attached volume is not moved")
                .isEqualTo(silver.id());
        assertThat(file(B, attached.id())).doesNotExist();
    }

    @Test
    void aRestartFailsAMigrationLeftInFlightAndRemovesItsCopy() throws IOException {
        Volume v = volumeOnA();
        assertThat(moves.beginMigration(v.id(), B + "#file")).isEqualTo(VolumeMoves.Outcome.DONE);
        assertThat(moves.advance(v.id(), VolumeMoves.STARTING, VolumeMoves.MIGRATING, B + "#file")).isTrue();
        Files.createDirectories(file(B, v.id()).getParent());
        Files.write(file(B, v.id()), new byte[] {1, 2, 3});
        a.stop();

        a = start(A);

        Volume left = volumes.find(v.id()).orElseThrow();
        assertThat(left.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(left.migrationStatus()).isEqualTo("error");
        assertThat(left.host()).isEqualTo(A + "#file");
        assertThat(file(B, v.id())).as("the half copy").doesNotExist();
        assertThat(read(file(A, v.id()), 0, 4096)).isEqualTo(pattern(1));
    }

    @Test
    void theChecksumDependsOnTheBytesNotOnHowTheStorageAllocatedThem() throws IOException {
        byte[] bytes = new byte[3 << 20];
        bytes[(1 << 20) + 5] = 9;
        String sparse = VolumeMigrator.checksum(new Memory(bytes, List.of(new BlockDevice.Range(1 << 20, 4096))));
        String whole = VolumeMigrator.checksum(new Memory(bytes, List.of(new BlockDevice.Range(0, bytes.length))));
        assertThat(sparse).isEqualTo(whole);
        byte[] moved = new byte[3 << 20];
        moved[(2 << 20) + 5] = 9;
        assertThat(VolumeMigrator.checksum(new Memory(moved, List.of(new BlockDevice.Range(0, moved.length)))))
                .as("the same byte elsewhere").isNotEqualTo(whole);
    }

    /** A device in memory that reports the data ranges it is given. */
    private record Memory(byte[] bytes, List<BlockDevice.Range> ranges) implements BlockDevice {
        public long size() {
            return bytes.length;
        }

        public boolean readOnly() {
            return true;
        }

        public int read(long offset, ByteBuffer dst) {
            int n = (int) Math.min(dst.remaining(), bytes.length - offset);
            dst.put(bytes, (int) offset, n);
            return n;
        }

        public void write(long offset, ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        public void flush() {
        }

        public void discard(long offset, long length) {
        }

        public List<BlockDevice.Range> dataRanges() {
            return ranges;
        }

        public void close() {
        }
    }

    private static byte[] pattern(int seed) {
        byte[] bytes = new byte[4096];
        Arrays.fill(bytes, (byte) (0x40 + seed));
        bytes[0] = (byte) seed;
        return bytes;
    }

    private static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
        }
    }

    private static byte[] read(Path file, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // reads until full
            }
            return buffer.array();
        }
    }
}
