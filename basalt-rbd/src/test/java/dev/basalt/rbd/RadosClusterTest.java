package dev.basalt.rbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.testkit.CephServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connecting (and failing to, clearly and in time) and capacity figures, against the single-node Ceph. */
class RadosClusterTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path temp;

    @Test
    void poolAndClusterStatsGiveSaneNumbers() throws CephException {
        CephServer ceph = SharedCeph.server();
        try (RadosCluster cluster = RadosCluster.connect(SharedCeph.settings());
                RbdPool pool = cluster.openPool(ceph.pool())) {
            String name = SharedCeph.imageName("stats");
            pool.create(name, 16L << 20, ImageLayout.layering(ImageLayout.DEFAULT_ORDER));
            try (RbdImage image = pool.open(name)) {
                byte[] data = new byte[4 << 20];
                new Random(1).nextBytes(data);
                image.write(0, data, 0, data.length);
                image.flush();
            }

            ClusterStats total = cluster.clusterStats();
            assertThat(total.totalBytes()).isBetween(7 * GIB, 9 * GIB); // the one 8 GiB OSD
            assertThat(total.usedBytes()).isPositive().isLessThan(total.totalBytes());
            assertThat(total.availableBytes()).isPositive().isLessThan(total.totalBytes());

            PoolStats stats = statsOnceReported(cluster, ceph.pool());
            assertThat(stats.objects()).isGreaterThanOrEqualTo(2); // the image's header and its data object at least
            assertThat(stats.bytes()).isGreaterThanOrEqualTo(4L << 20);
            assertThat(stats.writes()).isPositive();

            PoolUsage usage = cluster.poolUsage(ceph.pool());
            assertThat(usage.pool()).isEqualTo(ceph.pool());
            assertThat(usage.maxAvailableBytes()).isPositive().isLessThan(8 * GIB);
            assertThat(usage.storedBytes()).isNotNegative().isLessThan(8 * GIB);
            assertThat(usage.quotaMaxBytes()).isZero();
            assertThatThrownBy(() -> cluster.poolUsage("no-such-pool")).isInstanceOf(CephNotFoundException.class)
                    .hasMessageContaining("no-such-pool");

            pool.remove(name);
        }
    }

    @Test
    void aWrongKeyFailsToConnectWithAClearError() throws IOException, InterruptedException {
        CephServer ceph = SharedCeph.server();
        Path keyring = temp.resolve("wrong.keyring");
        Files.writeString(keyring, "[" + ceph.clientName() + "]\n\tkey = " + newKey() + "\n");
        RadosSettings wrongKey = RadosSettings.of(ceph.confFile(), ceph.clientName(), keyring, Duration.ofSeconds(10));

        assertThatThrownBy(() -> RadosCluster.connect(wrongKey)).isInstanceOf(CephException.class)
                .hasMessageContaining("rados_connect(" + ceph.clientName() + "@ceph")
                .satisfies(e -> assertThat(((CephException) e).errno()).isIn(Errno.EACCES, Errno.EPERM));

        RadosSettings noKeyring = RadosSettings.of(ceph.confFile(), ceph.clientName(), temp.resolve("missing.keyring"),
                Duration.ofSeconds(10));
        assertThatThrownBy(() -> RadosCluster.connect(noKeyring)).isInstanceOf(CephException.class)
                .hasMessageContaining("rados_connect");
    }

    @Test
    void aStoppedClusterTimesOutAsConfiguredAndServesAgainOnceStarted() throws CephException {
        CephServer ceph = SharedCeph.server();
        RadosSettings settings = RadosSettings.of(ceph.confFile(), ceph.clientName(), ceph.clientKeyring(),
                Duration.ofSeconds(3));
        ceph.stop();
        try {
            assertThat(ceph.running()).isFalse();
            long started = System.nanoTime();
            assertThatThrownBy(() -> RadosCluster.connect(settings)).isInstanceOf(CephException.class)
                    .hasMessageContaining("rados_connect(" + ceph.clientName() + "@ceph").hasMessageContaining("ETIMEDOUT")
                    .satisfies(e -> assertThat(((CephException) e).errno()).isEqualTo(Errno.ETIMEDOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(2),
                    Duration.ofSeconds(15));
        } finally {
            ceph.start();
        }
        try (RadosCluster cluster = RadosCluster.connect(settings); RbdPool pool = cluster.openPool(ceph.pool())) {
            assertThat(pool.list()).isNotNull();
        }
    }

    @Test
    void settingsRefuseWhatLibradosWouldMisread() {
        assertThatThrownBy(() -> RadosSettings.of(Path.of("/etc/ceph/ceph.conf"), "cinder", Path.of("k"),
                Duration.ofSeconds(5))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("client.cinder");
        assertThatThrownBy(() -> RadosSettings.of(Path.of("/etc/ceph/ceph.conf"), "client.cinder", Path.of("k"),
                Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The pool's stats once the OSD has reported the writes (it does every few seconds, through the manager). */
    private static PoolStats statsOnceReported(RadosCluster cluster, String pool) {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.poolStats(pool), stats -> stats.objects() >= 2 && stats.bytes() >= 4L << 20);
    }

    /** A well-formed cephx key the cluster does not know. */
    private static String newKey() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ceph-authtool", "--gen-print-key").redirectErrorStream(true).start();
        String key = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).isZero();
        return key;
    }
}
