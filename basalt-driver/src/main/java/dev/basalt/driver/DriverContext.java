package dev.basalt.driver;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a driver is made with: its backend's section and the values of the options it declared
 * (already checked), and the backend options every driver may need.
 *
 * @param section the backend's name in {@code enabled_backends}, which is also its section
 * @param volumeBackendName {@code volume_backend_name}: reported to the scheduler, the pool's name
 * @param volumeClear {@code volume_clear}: how a deleted volume's data is wiped
 * @param volumeClearSizeMib {@code volume_clear_size}: MiB to wipe at the start of a deleted volume; 0 wipes all
 * @param statePath {@code state_path}: where Basalt keeps its state on this node
 * @param optionValues the values of the driver's options by name; an option unset and without a
 *     default has none
 */
public record DriverContext(String section, String volumeBackendName, VolumeClear volumeClear,
                            int volumeClearSizeMib, Path statePath, Map<String, Object> optionValues) {

    public DriverContext {
        requireNonNull(section, "section");
        requireNonNull(volumeBackendName, "volumeBackendName");
        requireNonNull(volumeClear, "volumeClear");
        requireNonNull(statePath, "statePath");
        optionValues = Map.copyOf(optionValues);
    }

    /**
     * The value of {@code option}.
     *
     * @throws IllegalStateException when it has none (an option without a default: use {@link #find})
     */
    public <T> T option(DriverOption<T> option) {
        return find(option).orElseThrow(() -> new IllegalStateException(
                "[" + section + "] " + option.name() + " is not set, and the option has no default"));
    }

    /** The value of {@code option}, or empty when it is unset and has no default. */
    public <T> Optional<T> find(DriverOption<T> option) {
        Object value = optionValues.get(option.name());
        return value == null ? Optional.empty() : Optional.of(option.kind().valueType().cast(value));
    }
}
