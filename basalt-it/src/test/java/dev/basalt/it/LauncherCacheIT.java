package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/basalt} starts the JVM with its start-up cache for this build and JDK (bin/aot-cache.sh):
 * on JDK 25+ the first start makes an AOT cache with a training run, replacing any other build's, and
 * the next start maps it; on JDK 21-24 the JVM writes a CDS archive as the first process exits and the
 * next one maps it. Run with the JDK the tests run on.
 */
class LauncherCacheIT {
    private static final boolean AOT_CACHE = Runtime.version().feature() >= 25;

    @TempDir
    Path temp;

    @Test
    void theFirstStartMakesTheCacheAndTheNextStartMapsItWithoutComplaint() throws Exception {
        Path cacheDir = Files.createDirectories(temp.resolve("aot"));
        Path otherBuilds = cacheDir.resolve("basalt-1.aot");
        if (AOT_CACHE) {
            Files.writeString(otherBuilds, "the cache of another build");
        }
        Map<String, String> environment = Map.of("JAVA_HOME", System.getProperty("java.home"),
                "BASALT_AOT_DIR", cacheDir.toString(), "BASALT_BUILD", "never");
        Path state = temp.resolve("state");

        BasaltProcess first = new BasaltProcess(state, "");
        first.start(List.of(launcher().toString()), environment, Duration.ofMinutes(5));
        first.stop();
        if (AOT_CACHE) {
            assertThat(first.log()).contains("making the JVM's AOT cache");
            assertThat(otherBuilds).doesNotExist();
        }
        Path cache = onlyCache(cacheDir);

        BasaltProcess second = new BasaltProcess(state, "");
        try (second) {
            second.start(List.of(launcher().toString()), environment, Duration.ofMinutes(2));
            assertThat(Files.readString(Path.of("/proc", Long.toString(second.pid()), "maps")))
                    .as("the JVM mapped the cache").contains(cache.toString());
            assertThat(onlyCache(cacheDir)).isEqualTo(cache);
        }
        String secondStart = second.log().substring(first.log().length());
        assertThat(secondStart).doesNotContain("making the JVM's AOT cache").doesNotContain("[warning]")
                .doesNotContain("[error]");
    }

    private static Path launcher() {
        Path jar = Path.of(System.getProperty("basalt.jar", "../basalt-server/target/basalt.jar")).toAbsolutePath();
        return jar.getParent().getParent().getParent().resolve("bin").resolve("basalt");
    }

    private static Path onlyCache(Path cacheDir) throws IOException {
        try (Stream<Path> files = Files.list(cacheDir)) {
            List<Path> caches = files.filter(f -> f.getFileName().toString().matches("basalt-[0-9]+\\.(aot|jsa)")).toList();
            assertThat(caches).as("caches in " + cacheDir).hasSize(1);
            return caches.get(0);
        }
    }
}
