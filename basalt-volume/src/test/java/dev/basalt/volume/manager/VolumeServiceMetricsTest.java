package dev.basalt.volume.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.basalt.bus.InJvmBus;
import dev.basalt.common.Ids;
import dev.basalt.db.Database;
import dev.basalt.db.JdbcTarget;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CreateVolume;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.file.FileDriverSettings;
import dev.basalt.driver.file.FileVolumeDriver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a volume service measures: its operations by kind and outcome, and its backend's capacity. */
class VolumeServiceMetricsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String HOST = "node1@file";
    private static final String POOL = HOST + "#file";

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestTargets iscsi = new TestTargets();
    private Database db;
    private VolumeRepository volumes;
    private InJvmBus bus;
    private VolumeService service;

    @BeforeEach
    void start() {
        db = Database.open(JdbcTarget.parse("jdbc:h2:mem:" + Ids.newId() + ";DB_CLOSE_DELAY=-1"), 4);
        volumes = new VolumeRepository(db);
        bus = new InJvmBus();
        service = new VolumeService(new VolumeServiceSettings(HOST, "file", "az1", 20.0, 0, Duration.ofSeconds(10),
                Duration.ofHours(1), Duration.ofDays(30), VolumeServiceSettings.DEFAULT_TARGET_PREFIX, Duration.ofSeconds(60)),
                new FileVolumeDriver(new FileDriverSettings(dir, true, VolumeClear.ZERO, 0, "file")), iscsi.target(),
                db, bus, Clock.systemUTC(), meters);
        service.start();
    }

    @AfterEach
    void stop() {
        service.stop();
        iscsi.close();
        bus.close();
        db.close();
    }

    private Volume creating(int size) {
        Volume v = new Volume(Ids.newId(), "p1", "u1", "vol", null, size, VolumeStatus.CREATING, AttachStatus.DETACHED,
                "az1", POOL, null, false, false, null, null, null, null, Map.of(), Instant.now(), null, null);
        volumes.create(v);
        return v;
    }

    private long creates(String outcome) {
        Timer timer = meters.find("basalt.volume.operations")
                .tags("backend", HOST, "operation", "create_volume", "outcome", outcome).timer();
        return timer == null ? 0 : timer.count();
    }

    private double capacity(String which) {
        Gauge gauge = meters.find("basalt.backend." + which + ".capacity").tags("backend", HOST, "pool", "file").gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    @Test
    void timesOperationsByOutcome() throws Exception {
        VolumeRpc rpc = new VolumeRpc(bus);
        Volume good = creating(1);
        Volume bad = creating(1);
        Files.write(dir.resolve("volume-" + bad.id()), new byte[4096]); // the driver refuses to overwrite it

        rpc.createVolume(HOST, new CreateVolume(good.id(), null));
        rpc.createVolume(HOST, new CreateVolume(bad.id(), null));
        await().atMost(PATIENCE).until(() -> creates("done") == 1 && creates("failed") == 1);
        rpc.createVolume(HOST, new CreateVolume(good.id(), null)); // delivered again: nothing to do
        await().atMost(PATIENCE).until(() -> creates("skipped") == 1);

        assertThat(volumes.find(good.id()).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(volumes.find(bad.id()).orElseThrow().status()).isEqualTo(VolumeStatus.ERROR);
        assertThat(meters.get("basalt.volume.operations").tags("outcome", "done").timer().totalTime(
                TimeUnit.NANOSECONDS)).isPositive();
    }

    @Test
    void gaugesTheCapacityOfTheLastReport() {
        await().atMost(PATIENCE).until(() -> capacity("total") > 0);
        assertThat(capacity("free")).isBetween(0.0, capacity("total"));
        assertThat(capacity("provisioned")).isZero();

        Volume v = creating(3);
        new VolumeRpc(bus).createVolume(HOST, new CreateVolume(v.id(), null));
        await().atMost(PATIENCE).until(() -> volumes.find(v.id()).orElseThrow().status() == VolumeStatus.AVAILABLE);
        service.reportCapacity();
        assertThat(capacity("provisioned")).isEqualTo(3.0);

        service.stop();
        assertThat(meters.find("basalt.backend.total.capacity").gauges()).isEmpty();
    }
}
