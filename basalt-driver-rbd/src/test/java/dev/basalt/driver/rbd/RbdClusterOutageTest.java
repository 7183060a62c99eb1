package dev.basalt.driver.rbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.basalt.driver.VolumeDriverException;
import dev.basalt.driver.VolumeSpec;
import dev.basalt.testkit.CephServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster stopping under a started driver: operations fail within the timeout, saying the cluster
 * does not answer, instead of hanging; once it is back the same driver serves again. Connecting is tried
 * rados_connection_retries times (2 here, 1 s apart) before it fails.
 */
class RbdClusterOutageTest {
    private final CephServer ceph = CephServer.shared();
    private final RbdVolumeDriver driver = new RbdVolumeDriver(RbdTestSupport.settings());

    @AfterEach
    void clusterUpAgain() {
        if (!ceph.running()) {
            ceph.start();
        }
        driver.stop();
    }

    @Test
    void aStoppedClusterFailsOperationsClearlyAndAClusterBackIsUsedAgain() {
        driver.start();
        VolumeSpec before = new VolumeSpec(UUID.randomUUID().toString(), 1);
        driver.createVolume(before);

        ceph.stop();
        long started = System.nanoTime();
        assertThatThrownBy(() -> driver.createVolume(new VolumeSpec(UUID.randomUUID().toString(), 1)))
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("did not answer within 5 s (rados_connect_timeout)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        assertThatThrownBy(() -> driver.hasVolume(before.id())).isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("Ceph");

        ceph.start();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> driver.hasVolume(before.id()));
        driver.deleteVolume(before.id());
        assertThat(driver.hasVolume(before.id())).isFalse();
    }

    @Test
    void aClusterThatIsDownAtStartSaysWhatToCheck() {
        ceph.stop();

        assertThatThrownBy(driver::start).isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("no monitor answered within 5 s")
                .hasMessageContaining("mon_host in " + ceph.confFile())
                .hasMessageContaining("(2 attempts, rados_connection_retries)");
    }
}
