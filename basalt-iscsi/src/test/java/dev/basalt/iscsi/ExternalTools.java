package dev.basalt.iscsi;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Real initiators run as processes. A missing tool skips the test with the package to install,
 * except in CI ({@code CI=true}), where it fails: CI must run every test.
 */
final class ExternalTools {
    /** What CI installs: {@code apt-get install libiscsi-bin qemu-utils qemu-block-extra}. */
    static final String PACKAGES = "libiscsi-bin qemu-utils qemu-block-extra";

    private ExternalTools() {
    }

    record Run(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    static void require(String... commands) {
        require(System.getenv(), commands);
    }

    static void require(java.util.Map<String, String> environment, String... commands) {
        List<String> missing = new ArrayList<>();
        for (String command : commands) {
            if (find(environment, command) == null) {
                missing.add(command);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = missing + " not found on PATH: apt-get install " + PACKAGES;
        if ("true".equalsIgnoreCase(environment.get("CI"))) {
            fail(message + " (CI=true: tests that need real initiators must run)");
        }
        Assumptions.abort(message);
    }

    private static Path find(java.util.Map<String, String> environment, String command) {
        for (String dir : environment.getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs a command to its end (or kills it after the guard time, to keep a broken run from hanging the build). */
    static Run run(Path workDir, Duration guard, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process process = builder.start();
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        if (!process.waitFor(guard.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + guard);
        }
        return new Run(process.exitValue(), out.join(), err.join());
    }

    static Run run(Duration guard, String... command) throws IOException, InterruptedException {
        return run(null, guard, command);
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
