package dev.basalt.driver.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.driver.DriverContext;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.VolumeDriverProvider;
import dev.basalt.driver.VolumeDrivers;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file driver is found on the class path by its names and made from its backend's values. */
class FileVolumeDriverProviderTest {
    @TempDir
    Path temp;

    @Test
    void theFileDriverIsFoundByItsNameAndItsClassNamesOldAndNew() {
        VolumeDrivers drivers = VolumeDrivers.onClassPath();

        assertThat(drivers.names()).containsExactly("file");
        VolumeDriverProvider file = drivers.resolve("file");
        assertThat(file).isInstanceOf(FileVolumeDriverProvider.class);
        assertThat(drivers.resolve("dev.basalt.driver.file.FileVolumeDriver")).isSameAs(file);
        assertThat(drivers.resolve("dev.basalt.volume.file.FileVolumeDriver")).isSameAs(file);
        assertThatThrownBy(() -> drivers.resolve("cinder.volume.drivers.lvm.LVMVolumeDriver")).hasMessage(
                "volume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver: Basalt has no LVM driver; available: file");
    }

    @Test
    void itDeclaresItsOptionsWithTheirDefaults() {
        FileVolumeDriverProvider provider = new FileVolumeDriverProvider();

        assertThat(provider.options()).extracting(o -> o.name()).containsExactly("file_volumes_dir", "file_sparse_volumes");
        assertThat(FileVolumeDriverProvider.FILE_VOLUMES_DIR.defaultText().forSection("b$1"))
                .isEqualTo("$state_path/volumes/b$$1");
        assertThat(FileVolumeDriverProvider.FILE_SPARSE_VOLUMES.defaultText().forSection("b1")).isEqualTo("true");
    }

    @Test
    void aDriverIsMadeFromTheBackendsValues() {
        Path directory = temp.resolve("thick");
        DriverContext context = new DriverContext("b1", "gold", VolumeClear.NONE, 5, temp,
                Map.of("file_volumes_dir", directory, "file_sparse_volumes", false));
        FileVolumeDriverProvider provider = new FileVolumeDriverProvider();

        FileVolumeDriver driver = (FileVolumeDriver) provider.create(context);

        assertThat(driver.settings()).isEqualTo(new FileDriverSettings(directory, false, VolumeClear.NONE, 5, "gold"));
        assertThat(provider.describe(context)).isEqualTo("file driver, volumes in " + directory);
    }
}
