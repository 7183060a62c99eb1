package dev.basalt.server;

import dev.basalt.config.BasaltConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --config-file}, repeatable, as Cinder's services take it. */
final class ConfigOptions {
    @Option(names = "--config-file", paramLabel = "FILE",
            description = "A cinder.conf-style file; repeat to layer files (later ones win).")
    List<Path> configFiles = new ArrayList<>();

    BasaltConfig load() {
        return BackendDrivers.onClassPath().load(configFiles);
    }
}
