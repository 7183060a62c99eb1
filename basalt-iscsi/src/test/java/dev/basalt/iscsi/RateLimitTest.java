package dev.basalt.iscsi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * An export limited to 500 operations a second serves no more than 5 % above that to a real
 * initiator (QEMU's iSCSI driver, libiscsi, through {@code qemu-img bench} at queue depth 16).
 */
class RateLimitTest extends TargetTestSupport {
    private static final Duration GUARD = Duration.ofMinutes(2);
    private static final Pattern COMPLETED = Pattern.compile("Run completed in ([0-9.]+) seconds");
    private static final String LIMITED = IQN + "-limited";
    private static final long IOPS = 500;

    private double iops(String iqn, int lun, int count, boolean write) throws Exception {
        ExternalTools.require("qemu-img");
        String opts = "driver=iscsi,transport=tcp,portal=127.0.0.1:" + target.address().getPort() + ",target=" + iqn
                + ",lun=" + lun;
        ExternalTools.Run run = write
                ? ExternalTools.run(GUARD, "qemu-img", "bench", "-w", "-c", String.valueOf(count), "-d", "16", "-s", "4k",
                        "-S", "12k", "-t", "none", "--image-opts", opts)
                : ExternalTools.run(GUARD, "qemu-img", "bench", "-c", String.valueOf(count), "-d", "16", "-s", "4k",
                        "-S", "12k", "-t", "none", "--image-opts", opts);
        assertThat(run.exitCode()).as(run.output()).isZero();
        Matcher m = COMPLETED.matcher(run.stdout());
        assertThat(m.find()).as(run.output()).isTrue();
        return count / Double.parseDouble(m.group(1));
    }

    @Test
    void totalIopsLimitHoldsReadsAndWritesTo500() throws Exception {
        target.addExport(Export.of(LIMITED, List.of(Lun.readWrite(0, disk, "limited-0")
                .withLimits(new IoLimits(IOPS, 0, 0, 0, 0, 0)))));
        double reads = iops(LIMITED, 0, 2500, false);
        double writes = iops(LIMITED, 0, 2000, true);
        assertThat(reads).as("read IOPS").isLessThanOrEqualTo(IOPS * 1.05);
        assertThat(writes).as("write IOPS").isLessThanOrEqualTo(IOPS * 1.05);
    }

    @Test
    void writeIopsLimitHoldsWritesTo500() throws Exception {
        target.addExport(Export.of(LIMITED, List.of(Lun.readWrite(0, disk, "limited-0")
                .withLimits(new IoLimits(0, 0, IOPS, 0, 0, 0)))));
        assertThat(iops(LIMITED, 0, 2000, true)).as("write IOPS").isLessThanOrEqualTo(IOPS * 1.05);
    }
}
