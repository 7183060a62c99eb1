package dev.basalt.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.config.BasaltConfig;
import dev.basalt.config.ConfigException;
import dev.basalt.config.Option;
import dev.basalt.driver.DriverOption;
import dev.basalt.driver.VolumeDrivers;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.file.FileDriverSettings;
import dev.basalt.driver.file.FileVolumeDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backend section is read with its driver's options, and its volume_driver picks the driver. */
class BackendDriversTest {
    private final BackendDrivers drivers = BackendDrivers.onClassPath();

    @TempDir
    Path temp;

    private Path conf(String... lines) throws IOException {
        Path file = temp.resolve("basalt.conf");
        Files.writeString(file, "[DEFAULT]\nstate_path = " + temp + "\n" + String.join("\n", lines) + "\n");
        return file;
    }

    private FileDriverSettings fileSettings(BasaltConfig config, String backend) {
        return ((FileVolumeDriver) drivers.create(config, config.backend(backend).orElseThrow())).settings();
    }

    @Test
    void theFileDriverIsMadeFromItsSectionWithItsDefaultsAndBackendDefaults() throws IOException {
        BasaltConfig config = drivers.load(List.of(conf("enabled_backends = b1, b2", "[backend_defaults]",
                "file_sparse_volumes = false", "volume_clear = none", "[b1]", "file_volumes_dir = $state_path/fast",
                "volume_backend_name = gold", "volume_clear_size = 7")));

        assertThat(config.warnings()).isEmpty();
        assertThat(fileSettings(config, "b1"))
                .isEqualTo(new FileDriverSettings(temp.resolve("fast"), false, VolumeClear.NONE, 7, "gold"));
        assertThat(fileSettings(config, "b2"))
                .isEqualTo(new FileDriverSettings(temp.resolve("volumes/b2"), false, VolumeClear.NONE, 0, "b2"));
        assertThat(drivers.describe(config, config.backend("b2").orElseThrow()))
                .isEqualTo("file driver, volumes in " + temp.resolve("volumes/b2"));
    }

    @Test
    void aMalformedDriverOptionRefusesToStartNamingFileSectionAndOption() throws IOException {
        Path file = conf("enabled_backends = b1", "[b1]", "file_sparse_volumes = sometimes");

        assertThatThrownBy(() -> drivers.load(List.of(file))).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": [b1] file_sparse_volumes = \"sometimes\": not a boolean (expected true/false,"
                        + " yes/no, on/off or 1/0)");
    }

    @Test
    void anOptionNoDriverDeclaresIsStillAWarning() throws IOException {
        Path file = conf("enabled_backends = b1", "[b1]", "file_volume_dir = /srv/typo");

        assertThat(drivers.load(List.of(file)).warnings())
                .containsExactly(file + ": [b1] file_volume_dir: unknown option, ignored");
    }

    @Test
    void aDriverBasaltLacksOrDoesNotKnowRefusesToStartNamingTheSection() throws IOException {
        BasaltConfig config = drivers.load(List.of(conf("enabled_backends = lvm, ceph, old, nosuch",
                "[lvm]", "volume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver",
                "[ceph]", "volume_driver = cinder.volume.drivers.rbd.RBDDriver",
                "[old]", "volume_driver = dev.basalt.volume.file.FileVolumeDriver",
                "[nosuch]", "volume_driver = cinder.volume.drivers.nosuch.Driver")));

        assertThatThrownBy(() -> drivers.provider(config.backend("lvm").orElseThrow()))
                .isInstanceOf(StartupException.class)
                .hasMessage("[lvm] volume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver: Basalt has no LVM driver;"
                        + " available: file, rbd");
        assertThat(drivers.provider(config.backend("ceph").orElseThrow()).name()).isEqualTo("rbd");
        assertThat(drivers.provider(config.backend("old").orElseThrow()).name()).isEqualTo("file");
        assertThatThrownBy(() -> drivers.provider(config.backend("nosuch").orElseThrow()))
                .hasMessage("[nosuch] volume_driver = cinder.volume.drivers.nosuch.Driver: unknown driver;"
                        + " available: file, rbd");
    }

    @Test
    void everyOptionOfEveryDriverIsDocumentedAndItsDefaultParsesInABackendSection() throws IOException {
        BasaltConfig config = drivers.load(List.of(conf("enabled_backends = b1")));

        for (DriverOption<?> option : VolumeDrivers.onClassPath().options()) {
            assertThat(option.help()).as(option.name()).isNotBlank();
            Option<?> read = BackendDrivers.configOption(option);
            assertThat(config.source().section("b1").find(read)).as(option.name())
                    .matches(value -> value.isPresent() == (option.defaultText().forSection("b1") != null));
        }
    }
}
