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
 * Real initiators (and other real programs) run as processes. A missing tool skips the test with
 * the package to install, except in CI ({@code CI=true}), where it fails: CI must run every test.
 * Published in this module's test-jar for the target tests of basalt-volume.
 */
public final class ExternalTools {
    /** What CI installs: {@code apt-get install libiscsi-bin qemu-utils qemu-block-extra}. */
    public static final String PACKAGES = "libiscsi-bin qemu-utils qemu-block-extra";

    private ExternalTools() {
    }

    public record Run(int exitCode, String stdout, String stderr) {
        public String output() {
            return stdout + stderr;
        }
    }

    /** Requires initiator tools, which {@link #PACKAGES} install. */
    public static void require(String... commands) {
        requireFrom(System.getenv(), PACKAGES, commands);
    }

    /** Requires commands that the given Debian packages install (named in the skip or failure). */
    public static void requireFrom(String packages, String... commands) {
        requireFrom(System.getenv(), packages, commands);
    }

    static void require(java.util.Map<String, String> environment, String... commands) {
        requireFrom(environment, PACKAGES, commands);
    }

    static void requireFrom(java.util.Map<String, String> environment, String packages, String... commands) {
        List<String> missing = new ArrayList<>();
        for (String command : commands) {
            if (find(environment, command) == null) {
                missing.add(command);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = missing + " not found on PATH: apt-get install " + packages;
        if ("true".equalsIgnoreCase(environment.get("CI"))) {
            fail(message + " (CI=true: tests that need real programs must run, not skip)");
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
    public static Run run(Path workDir, Duration guard, String... command) throws IOException, InterruptedException {
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

    public static Run run(Duration guard, String... command) throws IOException, InterruptedException {
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
