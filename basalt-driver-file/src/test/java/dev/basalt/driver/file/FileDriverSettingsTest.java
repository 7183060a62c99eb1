package dev.basalt.driver.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.driver.Sizes;
import dev.basalt.driver.VolumeClear;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FileDriverSettingsTest {

    @Test
    void defaultsAreCindersSparseAndZeroTheWholeVolume() {
        FileDriverSettings settings = FileDriverSettings.defaults(Path.of("/var/lib/basalt/volumes"));

        assertThat(settings.sparse()).isTrue();
        assertThat(settings.clear()).isEqualTo(VolumeClear.ZERO);
        assertThat(settings.clearSizeMib()).isZero();
        assertThat(settings.backendName()).isEqualTo("file");
        assertThat(settings.clearLength(5 * Sizes.GIB)).isEqualTo(5 * Sizes.GIB);
    }

    @Test
    void clearSizeLimitsTheWipeToTheStartOfTheVolume() {
        FileDriverSettings settings = new FileDriverSettings(Path.of("/v"), true, VolumeClear.ZERO, 100, "b");

        assertThat(settings.clearLength(Sizes.GIB)).isEqualTo(100 * Sizes.MIB);
        assertThat(settings.clearLength(10 * Sizes.MIB)).isEqualTo(10 * Sizes.MIB);
    }

    @Test
    void clearNoneWipesNothing() {
        FileDriverSettings settings = new FileDriverSettings(Path.of("/v"), true, VolumeClear.NONE, 100, "b");

        assertThat(settings.clearLength(Sizes.GIB)).isZero();
    }

    @Test
    void theDirectoryIsMadeAbsoluteAndNormal() {
        FileDriverSettings settings = FileDriverSettings.defaults(Path.of("volumes/../vols"));

        assertThat(settings.directory()).isEqualTo(Path.of("vols").toAbsolutePath());
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> new FileDriverSettings(Path.of("/v"), true, VolumeClear.ZERO, -1, "b"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("volume_clear_size");
        assertThatThrownBy(() -> new FileDriverSettings(Path.of("/v"), true, VolumeClear.ZERO, 0, " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("volume_backend_name");
        assertThatThrownBy(() -> new FileDriverSettings(null, true, VolumeClear.ZERO, 0, "b"))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new FileDriverSettings(Path.of("/v"), true, null, 0, "b"))
                .isInstanceOf(NullPointerException.class);
    }
}
