package dev.basalt.volume.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.glance.GlanceImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ImageFormats} refuses, on files {@code qemu-img create} makes and {@link QemuImg}
 * probes: a declared format that is not the content's, a format Basalt does not convert, a disk
 * larger than the volume, a backing file.
 */
class ImageFormatsTest {
    private static final String ID = "img-1";
    @TempDir
    Path temp;

    private static GlanceImage declared(String diskFormat) {
        return new GlanceImage(ID, "n", "active", diskFormat, "bare", 1L, null, 0, 0, null, Map.of());
    }

    private Path make(String format, String size, String... more) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-img")) || "true".equals(System.getenv("CI")),
                "qemu-img (qemu-utils) is not installed");
        Path file = temp.resolve("disk." + format + more.length);
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("qemu-img", "create", "-q", "-f",
                format));
        command.addAll(java.util.List.of(more));
        command.addAll(java.util.List.of(file.toString(), size));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
        return file;
    }

    @Test
    void eachConvertibleFormatIsAcceptedWhenDeclaredAsItIs() throws Exception {
        for (String format : new String[] {"raw", "qcow2", "vmdk", "vdi"}) {
            QemuImg.Info info = QemuImg.onPath().info(make(format, "64M"));
            assertThat(info.format()).isEqualTo(format);
            assertThat(info.virtualSize()).isEqualTo(64L << 20);
            assertThatCode(() -> ImageFormats.check(declared(format), info, 1)).doesNotThrowAnyException();
        }
    }

    @Test
    void qcow2ContentDeclaredRawIsRefused() throws Exception {
        QemuImg.Info info = QemuImg.onPath().info(make("qcow2", "64M"));
        assertThatThrownBy(() -> ImageFormats.check(declared("raw"), info, 1))
                .isInstanceOf(ImageUnacceptableException.class)
                .hasMessage("Image img-1 is unacceptable: its content is qcow2 but its disk_format says raw.");
    }

    @Test
    void rawContentDeclaredQcow2IsRefused() throws Exception {
        QemuImg.Info info = QemuImg.onPath().info(make("raw", "1M"));
        assertThatThrownBy(() -> ImageFormats.check(declared("qcow2"), info, 1))
                .hasMessage("Image img-1 is unacceptable: its content is raw but its disk_format says qcow2.");
    }

    @Test
    void aFormatBasaltDoesNotConvertIsRefused() throws Exception {
        QemuImg.Info info = QemuImg.onPath().info(make("raw", "1M"));
        assertThatThrownBy(() -> ImageFormats.check(declared("iso"), info, 1))
                .hasMessageContaining("disk format iso is not supported");
    }

    @Test
    void aDiskLargerThanTheVolumeIsRefused() throws Exception {
        QemuImg.Info info = QemuImg.onPath().info(make("qcow2", "3G"));
        assertThatThrownBy(() -> ImageFormats.check(declared("qcow2"), info, 2))
                .hasMessageContaining("virtual size is 3GB and doesn't fit in a volume of size 2GB");
    }

    @Test
    void aQcow2WithABackingFileIsRefused() throws Exception {
        Path base = make("qcow2", "64M");
        QemuImg.Info info = QemuImg.onPath().info(make("qcow2", "64M", "-b", base.toString(), "-F", "qcow2"));
        assertThatThrownBy(() -> ImageFormats.check(declared("qcow2"), info, 1))
                .hasMessageContaining("refers to another file");
    }
}
