package dev.basalt.driver.rbd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.driver.DriverContext;
import dev.basalt.driver.DriverOption;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.VolumeDrivers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The provider: found by its names, its options with Cinder's defaults, settings from a backend's values. */
class RbdDriverProviderTest {
    private final RbdDriverProvider provider = new RbdDriverProvider();

    @Test
    void isFoundByNameAndByCindersClassPath() {
        VolumeDrivers drivers = VolumeDrivers.onClassPath();

        assertThat(drivers.resolve("rbd")).isInstanceOf(RbdDriverProvider.class);
        assertThat(drivers.resolve("cinder.volume.drivers.rbd.RBDDriver")).isInstanceOf(RbdDriverProvider.class);
    }

    @Test
    void declaresCindersOptionsWithCindersDefaults() {
        Map<String, String> defaults = new HashMap<>();
        for (DriverOption<?> option : provider.options()) {
            defaults.put(option.name(), option.defaultText().forSection("ceph"));
        }

        assertThat(defaults).containsEntry("rbd_pool", "rbd").containsEntry("rbd_cluster_name", "ceph")
                .containsEntry("rbd_flatten_volume_from_snapshot", "false").containsEntry("rbd_max_clone_depth", "5")
                .containsEntry("rbd_store_chunk_size", "4").containsEntry("rados_connect_timeout", "-1")
                .containsEntry("rados_connection_retries", "3").containsEntry("rados_connection_interval", "5")
                .containsEntry("report_dynamic_total_capacity", "true").containsEntry("rbd_user", null)
                .containsEntry("rbd_ceph_conf", null).containsEntry("rbd_secret_uuid", null)
                .containsEntry("rbd_keyring_conf", null);
    }

    @Test
    void theDefaultsMakeCindersSettings() {
        RbdDriverSettings settings = RbdDriverProvider.settings(context(Map.of()));

        assertThat(settings.pool()).isEqualTo("rbd");
        assertThat(settings.clientName()).isEqualTo("client.admin");
        assertThat(settings.confFile()).isEqualTo(Path.of("/etc/ceph/ceph.conf"));
        assertThat(settings.keyring()).isEmpty();
        assertThat(settings.objectOrder()).isEqualTo(22);
        assertThat(settings.connectTimeout()).isEmpty();
        assertThat(settings.maxCloneDepth()).isEqualTo(5);
        assertThat(settings.reportDynamicTotalCapacity()).isTrue();
        assertThat(settings.connectionAttempts()).isEqualTo(3);
        assertThat(settings.waitBeforeAttempt(2)).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.waitBeforeAttempt(3)).as("doubled, as Cinder's exponential wait").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void valuesSetAreRead() {
        RbdDriverSettings settings = RbdDriverProvider.settings(context(Map.of("rbd_user", "cinder",
                "rbd_cluster_name", "east", "rbd_store_chunk_size", 8, "rados_connect_timeout", 7,
                "rbd_keyring_conf", Path.of("/k"), "rados_connection_retries", 1, "rados_connection_interval", 2)));

        assertThat(settings.clientName()).isEqualTo("client.cinder");
        assertThat(settings.confFile()).isEqualTo(Path.of("/etc/ceph/east.conf"));
        assertThat(settings.objectOrder()).isEqualTo(23);
        assertThat(settings.connectTimeout()).contains(Duration.ofSeconds(7));
        assertThat(settings.keyring()).isEqualTo(Optional.of(Path.of("/k")));
        assertThat(settings.connectionAttempts()).isEqualTo(1);
        assertThat(settings.connectionInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(provider.describe(context(Map.of()))).isEqualTo("rbd driver, pool rbd as client.admin (/etc/ceph/ceph.conf)");
    }

    @Test
    void aChunkSizeThatIsNoPowerOfTwoIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> provider.create(context(Map.of("rbd_store_chunk_size", 3))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rbd_store_chunk_size");
    }

    @Test
    void noConnectionAttemptIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> provider.create(context(Map.of("rados_connection_retries", 0))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rados_connection_retries");
    }

    private DriverContext context(Map<String, Object> set) {
        Map<String, Object> values = new HashMap<>();
        for (DriverOption<?> option : provider.options()) {
            String text = option.defaultText().forSection("ceph");
            if (text != null) {
                values.put(option.name(), switch (option.kind()) {
                    case dev.basalt.driver.OptionKind.Bool b -> Boolean.parseBoolean(text);
                    case dev.basalt.driver.OptionKind.Whole w -> Integer.parseInt(text);
                    default -> text;
                });
            }
        }
        values.putAll(set);
        return new DriverContext("ceph", "ceph", VolumeClear.ZERO, 0, Path.of("/var/lib/basalt"), values);
    }
}
