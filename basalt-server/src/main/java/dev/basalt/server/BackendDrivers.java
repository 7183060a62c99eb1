package dev.basalt.server;

import static java.util.Objects.requireNonNull;

import dev.basalt.config.BackendOptions;
import dev.basalt.config.BasaltConfig;
import dev.basalt.config.ConfigLoader;
import dev.basalt.config.ConfigSection;
import dev.basalt.config.Option;
import dev.basalt.config.OptionType;
import dev.basalt.driver.DriverContext;
import dev.basalt.driver.DriverOption;
import dev.basalt.driver.OptionKind;
import dev.basalt.driver.VolumeClear;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.driver.VolumeDriverProvider;
import dev.basalt.driver.VolumeDrivers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The volume drivers on the class path as the configuration sees them: their options become options
 * of every backend section (checked with the rest of the files, before anything starts), and a
 * backend's {@code volume_driver} picks the provider that makes its driver from the section's values.
 */
final class BackendDrivers {
    private final VolumeDrivers drivers;
    private final List<Option<?>> configOptions;

    BackendDrivers(VolumeDrivers drivers) {
        this.drivers = requireNonNull(drivers, "drivers");
        this.configOptions = drivers.options().stream().<Option<?>>map(BackendDrivers::configOption).toList();
    }

    /** The drivers found on the class path. */
    static BackendDrivers onClassPath() {
        return new BackendDrivers(VolumeDrivers.onClassPath());
    }

    /** Reads and checks the files, the drivers' options included. */
    BasaltConfig load(List<Path> files) {
        return new ConfigLoader(ConfigLoader.groups(configOptions)).load(files);
    }

    /** The driver of {@code backend}, not started yet. */
    VolumeDriver create(BasaltConfig config, BackendOptions backend) {
        VolumeDriverProvider provider = provider(backend);
        try {
            return provider.create(context(config, backend, provider));
        } catch (IllegalArgumentException e) {
            throw new StartupException("[" + backend.name() + "] " + e.getMessage(), e);
        }
    }

    /** What the start-up banner says of {@code backend}'s driver. */
    String describe(BasaltConfig config, BackendOptions backend) {
        VolumeDriverProvider provider = provider(backend);
        return provider.describe(context(config, backend, provider));
    }

    /** The provider {@code volume_driver} names; none is a start-up error naming the section. */
    VolumeDriverProvider provider(BackendOptions backend) {
        try {
            return drivers.resolve(backend.volumeDriver());
        } catch (IllegalArgumentException e) {
            throw new StartupException("[" + backend.name() + "] " + e.getMessage(), e);
        }
    }

    /** The section's values of the options the driver declared, with what every backend has. */
    DriverContext context(BasaltConfig config, BackendOptions backend, VolumeDriverProvider provider) {
        ConfigSection section = config.source().section(backend.name());
        Map<String, Object> values = new HashMap<>();
        for (DriverOption<?> option : provider.options()) {
            section.find(configOption(option)).ifPresent(value -> values.put(option.name(), value));
        }
        return new DriverContext(backend.name(), backend.volumeBackendName(),
                VolumeClear.fromConfig(backend.volumeClear().name().toLowerCase(Locale.ROOT)),
                backend.volumeClearSizeMib(), config.defaults().statePath(), values);
    }

    /** A driver's option as the configuration reads it: the same name, type, default and help. */
    static Option<?> configOption(DriverOption<?> option) {
        OptionType<?> type = switch (option.kind()) {
            case OptionKind.Bool bool -> OptionType.bool();
            case OptionKind.Whole whole -> OptionType.integer(whole.min(), whole.max());
            case OptionKind.Decimal decimal -> OptionType.floating(decimal.min(), decimal.max());
            case OptionKind.Text text -> OptionType.matching(text.regex(), text.expected());
            case OptionKind.FilePath path -> OptionType.path();
        };
        return Option.computed(option.name(), type, section -> option.defaultText().forSection(section), option.help());
    }
}
