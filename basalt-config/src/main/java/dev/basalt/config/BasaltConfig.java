package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Basalt's configuration, read from cinder.conf-style files and checked.
 *
 * @param backends one per name in enabled_backends, in that order
 * @param warnings what was ignored (unknown options and sections) or adjusted, already logged
 * @param source typed reads of any other option, for the options of later modules
 */
public record BasaltConfig(
        DefaultOptions defaults,
        List<BackendOptions> backends,
        DatabaseOptions database,
        List<String> warnings,
        ConfigSource source) {

    public BasaltConfig {
        requireNonNull(defaults, "defaults");
        backends = List.copyOf(backends);
        requireNonNull(database, "database");
        warnings = List.copyOf(warnings);
        requireNonNull(source, "source");
    }

    /** Reads {@code files} (later files override earlier ones); no file at all gives the defaults. */
    public static BasaltConfig load(List<Path> files) {
        return new ConfigLoader().load(files);
    }

    public Optional<BackendOptions> backend(String name) {
        return backends.stream().filter(b -> b.name().equals(name)).findFirst();
    }
}
