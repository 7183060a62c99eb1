package dev.basalt.iscsi;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libiscsi's conformance suite, {@code iscsi-test-cu -d -t ALL}, against a 1 GiB thin LUN. Every
 * test listed in {@code conformance/expected-pass.txt} must pass; a test passing that is not
 * listed is reported, so the list can grow.
 */
class ConformanceTest {
    private static final String IQN = "iqn.2024-01.dev.basalt:conformance";

    @TempDir
    Path dir;

    @Test
    void everyExpectedTestPasses() throws Exception {
        ExternalTools.require("iscsi-test-cu");
        Path disk = dir.resolve("lun0.raw");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        try (IscsiTarget target = new IscsiTarget(TargetConfig.defaults().withAddress("127.0.0.1", 0))) {
            target.start();
            target.addExport(Export.of(IQN, List.of(Lun.readWrite(0, disk, "conformance-0"))));
            String url = "iscsi://127.0.0.1:" + target.address().getPort() + "/" + IQN + "/0";
            ConformanceSuite.runAndCheck(dir, url, Duration.ofMinutes(15));
        }
    }
}
