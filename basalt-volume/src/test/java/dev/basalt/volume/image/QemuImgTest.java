package dev.basalt.volume.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.iscsi.ExternalTools;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuImgTest {
    private static final int MIB = 1 << 20;

    @Test
    void aConversionReportsItsProgressUpToAHundredAndItsOutputStaysClean(@TempDir Path dir) throws Exception {
        ExternalTools.require("qemu-img", "qemu-io");
        Path qcow2 = dir.resolve("image.qcow2");
        ExternalTools.Run create = ExternalTools.run(Duration.ofMinutes(1), "qemu-img", "create", "-f", "qcow2",
                qcow2.toString(), "64M");
        assertThat(create.exitCode()).as(create.output()).isZero();
        ExternalTools.Run write = ExternalTools.run(Duration.ofMinutes(1), "qemu-io", "-c", "write -P 7 16M 8M",
                qcow2.toString());
        assertThat(write.exitCode()).as(write.output()).isZero();
        Path raw = dir.resolve("volume.raw");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(64L * MIB);
        }
        QemuImg qemuImg = QemuImg.onPath();
        assertThat(qemuImg.info(qcow2).format()).as("info's JSON still parses").isEqualTo("qcow2");

        List<Double> heard = new CopyOnWriteArrayList<>();
        qemuImg.convertToRaw(qcow2, "qcow2", raw, heard::add);
        assertThat(heard).isNotEmpty().isSorted().last().isEqualTo(100.0);
        byte[] written = new byte[8 * MIB];
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "r")) {
            f.seek(16L * MIB);
            f.readFully(written);
        }
        byte[] expected = new byte[8 * MIB];
        Arrays.fill(expected, (byte) 7);
        assertThat(written).isEqualTo(expected);

        heard.clear();
        Path back = dir.resolve("back.qcow2");
        qemuImg.convertFromRaw(raw, "qcow2", back, heard::add);
        assertThat(heard).last().isEqualTo(100.0);
        assertThat(Files.exists(back)).isTrue();
        assertThatThrownBy(() -> qemuImg.convertToRaw(dir.resolve("missing.qcow2"), "qcow2", raw, heard::add))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing.qcow2")
                .hasMessageNotContaining("/100%");
    }
}
