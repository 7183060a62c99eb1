package dev.basalt.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Programs a test needs from Debian's packages. A missing one skips the test with the package to
 * install, except in CI ({@code CI=true}), where it fails: CI runs every test.
 */
public final class RequiredTools {
    private RequiredTools() {
    }

    /** Requires each of {@code programs} (absolute paths or names looked up on PATH), which {@code packages} install. */
    public static void require(String packages, String... programs) {
        require(System.getenv(), packages, programs);
    }

    static void require(Map<String, String> environment, String packages, String... programs) {
        List<String> missing = new ArrayList<>();
        for (String program : programs) {
            if (find(environment, program) == null) {
                missing.add(program);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = missing + " not found: apt-get install " + packages;
        if (inCi(environment)) {
            Assertions.fail(message + " (CI=true: tests that need real programs must run, not skip)");
        }
        Assumptions.abort(message);
    }

    /** True under CI, where nothing may skip. */
    public static boolean inCi() {
        return inCi(System.getenv());
    }

    private static boolean inCi(Map<String, String> environment) {
        return "true".equalsIgnoreCase(environment.get("CI"));
    }

    /** Where {@code program} is, or null. */
    public static Path find(String program) {
        return find(System.getenv(), program);
    }

    private static Path find(Map<String, String> environment, String program) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            return Files.isExecutable(p) ? p : null;
        }
        String path = environment.getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin:/usr/lib/postgresql/15/bin";
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
