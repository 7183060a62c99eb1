package dev.basalt.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Real iSCSI initiators run as processes: QEMU's ({@code qemu-io}, {@code qemu-img}) and
 * libiscsi's tools ({@code iscsi-ls}, {@code iscsi-inq}, {@code iscsi-readcapacity16}). A missing
 * tool skips the test with the packages to install, except in CI, where it fails.
 */
final class Initiators {
    static final String PACKAGES = "libiscsi-bin qemu-utils qemu-block-extra";
    private static final List<String> TOOLS = List.of("qemu-io", "qemu-img", "iscsi-ls", "iscsi-inq",
            "iscsi-readcapacity16");

    private Initiators() {
    }

    static void require() {
        List<String> missing = new ArrayList<>();
        for (String tool : TOOLS) {
            if (find(tool) == null) {
                missing.add(tool);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = missing + " not found on PATH: apt-get install " + PACKAGES;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: tests that need real initiators must run)");
        }
        Assumptions.abort(message);
    }

    /** The libiscsi URL of a LUN, with CHAP credentials: {@code iscsi://user%secret@portal/iqn/lun}. */
    static String url(String portal, String iqn, String lun, String user, String secret) {
        return "iscsi://" + user + "%" + secret + "@" + portal + "/" + iqn + "/" + lun;
    }

    /** Runs {@code qemu-io} with one command (such as {@code write -P 0x5a 1M 4M}) on the URL. */
    static Cli.Result qemuIo(String url, String command) throws IOException, InterruptedException {
        return run("qemu-io", "-f", "raw", "-c", command, url);
    }

    static Cli.Result run(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        line.set(0, find(command[0]).toString());
        return Cli.run(line, Map.of());
    }

    private static Path find(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
