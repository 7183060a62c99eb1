package dev.basalt.driver.file;

import dev.basalt.driver.DriverContext;
import dev.basalt.driver.DriverOption;
import dev.basalt.driver.OptionKind;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.driver.VolumeDriverProvider;
import java.nio.file.Path;
import java.util.List;

/** Makes {@link FileVolumeDriver}s: {@code volume_driver = file}. */
public final class FileVolumeDriverProvider implements VolumeDriverProvider {

    public static final DriverOption<Path> FILE_VOLUMES_DIR = DriverOption.computed("file_volumes_dir",
            OptionKind.path(), section -> "$state_path/volumes/" + DriverOption.literal(section),
            "Directory of the file driver's volumes; default: $state_path/volumes/<section>.");
    public static final DriverOption<Boolean> FILE_SPARSE_VOLUMES = DriverOption.of("file_sparse_volumes",
            OptionKind.bool(), "true", "Whether the file driver creates sparse files rather than allocating every byte.");

    /** The driver's class name before it had a module of its own, accepted as configurations may name it. */
    static final String FORMER_CLASS_NAME = "dev.basalt.volume.file.FileVolumeDriver";

    @Override
    public String name() {
        return FileVolumeDriver.NAME;
    }

    @Override
    public List<String> aliases() {
        return List.of(FileVolumeDriver.class.getName(), FORMER_CLASS_NAME);
    }

    @Override
    public List<DriverOption<?>> options() {
        return List.of(FILE_VOLUMES_DIR, FILE_SPARSE_VOLUMES);
    }

    @Override
    public VolumeDriver create(DriverContext context) {
        return new FileVolumeDriver(settings(context));
    }

    @Override
    public String describe(DriverContext context) {
        return FileVolumeDriver.NAME + " driver, volumes in " + context.option(FILE_VOLUMES_DIR);
    }

    static FileDriverSettings settings(DriverContext context) {
        return new FileDriverSettings(context.option(FILE_VOLUMES_DIR), context.option(FILE_SPARSE_VOLUMES),
                context.volumeClear(), context.volumeClearSizeMib(), context.volumeBackendName());
    }
}
