package dev.basalt.driver.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySyncTest {
    @TempDir
    Path dir;

    @Test
    void manyConcurrentCallersAllReturnAfterAnFsync() throws Exception {
        DirectorySync sync = new DirectorySync(dir);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                calls.add(pool.submit(() -> {
                    Files.createFile(dir.resolve("f" + n));
                    sync.sync();
                    return null;
                }));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(200);
        }
    }

    @Test
    void aMissingDirectoryFailsEveryCallerAndLaterCallsTryAgain() throws Exception {
        DirectorySync sync = new DirectorySync(dir.resolve("not-yet"));
        assertThatThrownBy(sync::sync).isInstanceOf(IOException.class);
        Files.createDirectory(dir.resolve("not-yet"));
        sync.sync();
    }
}
