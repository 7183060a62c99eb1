package dev.basalt.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpolationTest {
    @TempDir
    Path dir;

    @Test
    void dollarNameAndBracedNameReadDefault() {
        Path file = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]",
                "state_path = /var/lib/basalt",
                "enabled_backends = a, b",
                "[a]",
                "example_volumes_dir = $state_path/a-volumes",
                "[b]",
                "example_volumes_dir = ${state_path}-b",
                "[database]",
                "connection = jdbc:h2:file:${state_path}/db");

        BasaltConfig config = DriverDeclaredOptions.load(file);

        assertThat(DriverDeclaredOptions.get(config, "a", DriverDeclaredOptions.VOLUMES_DIR))
                .isEqualTo(Path.of("/var/lib/basalt/a-volumes"));
        assertThat(DriverDeclaredOptions.get(config, "b", DriverDeclaredOptions.VOLUMES_DIR))
                .isEqualTo(Path.of("/var/lib/basalt-b"));
        assertThat(config.database().connection()).isEqualTo("jdbc:h2:file:/var/lib/basalt/db");
    }

    @Test
    void defaultsThatReferToStatePathFollowIt() {
        Path file = ConfFiles.write(dir, "cinder.conf", "[DEFAULT]", "state_path = /srv/basalt");

        BasaltConfig config = DriverDeclaredOptions.load(file);

        assertThat(DriverDeclaredOptions.get(config, "file", DriverDeclaredOptions.VOLUMES_DIR))
                .isEqualTo(Path.of("/srv/basalt/volumes/file"));
        assertThat(config.database().connection()).isEqualTo("jdbc:h2:file:/srv/basalt/basalt");
    }

    @Test
    void aReferenceToAnUnsetOptionUsesItsDefault() {
        Path file = ConfFiles.write(dir, "cinder.conf", "[DEFAULT]", "default_volume_type = type-$osapi_volume_listen_port");

        assertThat(BasaltConfig.load(List.of(file)).defaults().defaultVolumeType()).isEqualTo("type-8776");
    }

    @Test
    void aNameKnownInTheCurrentSectionIsReadThereAndSectionDotNameReadsAnotherSection() {
        Path file = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]",
                "enabled_backends = lvm, nfs",
                "[lvm]",
                "volume_backend_name = LVM",
                "example_volumes_dir = /srv/$volume_backend_name",
                "[nfs]",
                "volume_backend_name = ${lvm.volume_backend_name}-2");

        BasaltConfig config = DriverDeclaredOptions.load(file);

        assertThat(DriverDeclaredOptions.get(config, "lvm", DriverDeclaredOptions.VOLUMES_DIR)).isEqualTo(Path.of("/srv/LVM"));
        assertThat(config.backend("nfs").orElseThrow().volumeBackendName()).isEqualTo("LVM-2");
    }

    @Test
    void aDoubleDollarIsALiteralDollar() {
        Path file = ConfFiles.write(dir, "cinder.conf", "[database]", "connection = postgresql://u:pa$$word@h/db");

        assertThat(BasaltConfig.load(List.of(file)).database().connection()).isEqualTo("postgresql://u:pa$word@h/db");
    }

    @Test
    void aReferenceToNoOptionIsAnErrorNamingFileSectionAndOption() {
        Path file = ConfFiles.write(dir, "cinder.conf", "[DEFAULT]", "default_volume_type = $nothing_here");

        assertThatThrownBy(() -> BasaltConfig.load(List.of(file))).hasMessage(file
                + ": [DEFAULT] default_volume_type = \"$nothing_here\": \"$nothing_here\" refers to no option set in [DEFAULT]");
    }

    @Test
    void aLoneDollarIsAnError() {
        Path file = ConfFiles.write(dir, "cinder.conf", "[DEFAULT]", "default_volume_type = cost$");

        assertThatThrownBy(() -> BasaltConfig.load(List.of(file))).hasMessage(file
                + ": [DEFAULT] default_volume_type = \"cost$\": invalid reference at \"$\":"
                + " write $name or ${name} to use an option, $$ for a literal $");
    }

    @Test
    void aMalformedSecretIsReportedWithoutItsValue() {
        Path file = ConfFiles.write(dir, "cinder.conf", "[database]", "connection = mysql://u:pa$word1@h/db");

        assertThatThrownBy(() -> BasaltConfig.load(List.of(file))).hasNoCause().hasMessage(file
                + ": [database] connection = (secret): \"****\" refers to no option set in [DEFAULT]");
        Path lone = ConfFiles.write(dir, "lone.conf", "[database]", "connection = mysql://u:pa$@h/db");
        assertThatThrownBy(() -> BasaltConfig.load(List.of(lone))).hasMessage(lone
                + ": [database] connection = (secret): invalid reference at \"****\":"
                + " write $name or ${name} to use an option, $$ for a literal $");
    }

    @Test
    void aLoopIsAnError() {
        Path file = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]", "storage_availability_zone = $default_availability_zone");

        assertThatThrownBy(() -> BasaltConfig.load(List.of(file))).hasMessageContaining(file
                + ": [DEFAULT] storage_availability_zone = \"$default_availability_zone\": interpolation loop: "
                + "[DEFAULT] storage_availability_zone -> [DEFAULT] default_availability_zone"
                + " -> [DEFAULT] storage_availability_zone");
    }

    @Test
    void theExpandedValueIsShownWhenItIsMalformed() {
        Path file = ConfFiles.write(dir, "cinder.conf",
                "[DEFAULT]", "default_volume_type = x", "osapi_max_limit = ${default_volume_type}");

        assertThatThrownBy(() -> BasaltConfig.load(List.of(file))).hasMessage(file
                + ": [DEFAULT] osapi_max_limit = \"${default_volume_type}\" (expands to \"x\"): not an integer");
    }

    @Test
    void interpolatorExpandsReferencesAndLeavesOtherTextAlone() {
        Map<String, String> values = Map.of("a", "1", "b.c", "2", "a_b9", "3");

        assertThat(Interpolator.expand("x$a/${b.c}-$a_b9.$$ ${a}y", values::get)).isEqualTo("x1/2-3.$ 1y");
        assertThat(Interpolator.expand("no references", values::get)).isEqualTo("no references");
        assertThatThrownBy(() -> Interpolator.expand("${a", values::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Interpolator.expand("$1", values::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Interpolator.expand("${}", values::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
