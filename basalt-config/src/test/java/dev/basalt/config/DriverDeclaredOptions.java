package dev.basalt.config;

import java.nio.file.Path;
import java.util.List;

/** Backend options as a volume driver declares them: known to backend sections only when the loader is given them. */
final class DriverDeclaredOptions {
    static final Option<Path> VOLUMES_DIR = Option.computed("example_volumes_dir", OptionType.path(),
            section -> "$state_path/volumes/" + OptionDefault.escape(section), "Where the example driver keeps volumes.");
    static final Option<Boolean> SPARSE = Option.of("example_sparse", OptionType.bool(), "true", "Sparse volumes.");

    private DriverDeclaredOptions() {
    }

    /** Loads the files with the options above known to every backend section. */
    static BasaltConfig load(Path... files) {
        return new ConfigLoader(ConfigLoader.groups(List.of(VOLUMES_DIR, SPARSE))).load(List.of(files));
    }

    /** The value of {@code option} in the backend's section. */
    static <T> T get(BasaltConfig config, String backend, Option<T> option) {
        return config.source().section(backend).get(option);
    }
}
