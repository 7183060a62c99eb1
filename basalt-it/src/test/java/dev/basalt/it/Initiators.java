package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.iscsi.ExternalTools;
import java.io.IOException;
import java.time.Duration;

/**
 * Real iSCSI initiators, QEMU's ({@code qemu-io}) and libiscsi's tools ({@code iscsi-inq},
 * {@code iscsi-readcapacity16}), run as processes through {@link ExternalTools}: a missing tool
 * skips the test with the packages to install, except in CI, where it fails.
 */
final class Initiators {
    private static final Duration GUARD = Duration.ofMinutes(2);

    private Initiators() {
    }

    static void require() {
        ExternalTools.require("qemu-io", "iscsi-inq", "iscsi-readcapacity16");
    }

    /** The libiscsi URL of a LUN, with CHAP credentials: {@code iscsi://user%secret@portal/iqn/lun}. */
    static String url(String portal, String iqn, String lun, String user, String secret) {
        return "iscsi://" + user + "%" + secret + "@" + portal + "/" + iqn + "/" + lun;
    }

    /** Runs {@code qemu-io} with one command (such as {@code write -P 0x5a 1M 4M}) on the URL. */
    static ExternalTools.Run qemuIo(String url, String command) throws IOException, InterruptedException {
        return run("qemu-io", "-f", "raw", "-c", command, url);
    }

    /** The run's standard output, after asserting it succeeded (its output in the failure message). */
    static String ok(ExternalTools.Run run) {
        assertThat(run.exitCode()).as(run.output()).isZero();
        return run.stdout();
    }

    static ExternalTools.Run run(String... command) throws IOException, InterruptedException {
        return ExternalTools.run(GUARD, command);
    }
}
