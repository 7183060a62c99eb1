package dev.basalt.it;

import dev.basalt.volume.target.TgtDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Attach through the tgt daemon ({@code target_helper = tgtadm}), as an operator runs it: the test
 * starts its own tgtd on a free port and points Basalt at it with {@code target_port} and
 * {@code tgt_control_port}.
 */
class TgtAttachIT extends AttachContract {
    private TgtDaemon tgtd;

    @Override
    String startTarget(Path dir) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/tgtd"))) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI must have tgt installed (apt-get install tgt)");
            }
            Assumptions.abort("tgtd not found: apt-get install tgt");
        }
        tgtd = TgtDaemon.start(dir);
        return "[backend_defaults]\ntarget_helper = tgtadm\ntarget_port = " + tgtd.port()
                + "\ntgt_control_port = " + tgtd.controlPort() + "\n";
    }

    @Override
    String portal(BasaltProcess basalt) {
        return "127.0.0.1:" + tgtd.port();
    }

    @Override
    void stopTarget() {
        if (tgtd != null) {
            tgtd.close();
        }
    }
}
