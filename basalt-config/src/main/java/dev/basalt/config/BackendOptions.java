package dev.basalt.config;

import static java.util.Objects.requireNonNull;

/**
 * The options every backend section (named in {@code enabled_backends}) has, whatever its driver, each
 * falling back to {@code [backend_defaults]} and then to its built-in default. A driver's own options
 * are declared by the driver and known to the sections through {@link ConfigLoader#groups(java.util.List)}.
 *
 * @param name the backend's name as in enabled_backends, which is also its section
 * @param volumeClearSizeMib MiB to wipe at the start of a deleted volume; 0 wipes all of it
 * @param target how the backend's volumes are exported
 */
public record BackendOptions(
        String name,
        String volumeDriver,
        String volumeBackendName,
        OverSubscriptionRatio maxOverSubscriptionRatio,
        int reservedPercentage,
        VolumeClear volumeClear,
        int volumeClearSizeMib,
        TargetOptions target,
        ImageCache imageCache) {

    /**
     * The backend's image-volume cache, as Cinder's options name it.
     *
     * @param enabled   {@code image_volume_cache_enabled}
     * @param maxSizeGb {@code image_volume_cache_max_size_gb}: most GiB of cached volumes; 0: no limit
     * @param maxCount  {@code image_volume_cache_max_count}: most cached volumes; 0: no limit
     */
    public record ImageCache(boolean enabled, int maxSizeGb, int maxCount) {
        /** No cache. */
        public static final ImageCache OFF = new ImageCache(false, 0, 0);
    }

    /** The options of [backend_defaults], which are also the options of every backend section. */
    public static final OptionGroup GROUP = new OptionGroup(ConfigSource.BACKEND_DEFAULTS, "Defaults of every backend section; a backend section sets the same options for itself.");

    public static final Option<String> VOLUME_DRIVER = GROUP.add(Option.of("volume_driver", OptionType.matching(".+", "a driver name"), "file", "Driver of the backend's storage."));
    public static final Option<String> VOLUME_BACKEND_NAME = GROUP.add(Option.computed("volume_backend_name", OptionType.matching(".+", "a non-empty name"), OptionDefault::escape, "Name volume types use to select the backend (extra spec volume_backend_name); default: the section name."));
    public static final Option<OverSubscriptionRatio> MAX_OVER_SUBSCRIPTION_RATIO = GROUP.add(Option.of("max_over_subscription_ratio", OverSubscriptionRatio.type(), "20.0", "Most provisioned capacity per real capacity for thin volumes, or auto."));
    public static final Option<Integer> RESERVED_PERCENTAGE = GROUP.add(Option.of("reserved_percentage", OptionType.integer(0, 100), "0", "Percentage of capacity kept free of new volumes."));
    public static final Option<VolumeClear> VOLUME_CLEAR = GROUP.add(Option.of("volume_clear", OptionType.choices(VolumeClear.class), "zero", "How a deleted volume's data is wiped."));
    public static final Option<Integer> VOLUME_CLEAR_SIZE = GROUP.add(Option.of("volume_clear_size", OptionType.atLeast(0), "0", "MiB to wipe at the start of a deleted volume; 0 wipes all of it."));
    public static final Option<Boolean> IMAGE_VOLUME_CACHE_ENABLED = GROUP.add(Option.of("image_volume_cache_enabled", OptionType.bool(), "false", "Keep a volume of each image a volume is made from on this backend, and clone later volumes of that image from it (needs cinder_internal_tenant_project_id and cinder_internal_tenant_user_id)."));
    public static final Option<Integer> IMAGE_VOLUME_CACHE_MAX_SIZE_GB = GROUP.add(Option.of("image_volume_cache_max_size_gb", OptionType.atLeast(0), "0", "Most GiB of cached image volumes on this backend; 0: no limit."));
    public static final Option<Integer> IMAGE_VOLUME_CACHE_MAX_COUNT = GROUP.add(Option.of("image_volume_cache_max_count", OptionType.atLeast(0), "0", "Most cached image volumes on this backend; 0: no limit."));

    static {
        TargetOptions.ALL.forEach(GROUP::add);
    }

    public BackendOptions {
        requireNonNull(name, "name");
        requireNonNull(volumeDriver, "volumeDriver");
        requireNonNull(volumeBackendName, "volumeBackendName");
        requireNonNull(maxOverSubscriptionRatio, "maxOverSubscriptionRatio");
        requireNonNull(volumeClear, "volumeClear");
        requireNonNull(target, "target");
        requireNonNull(imageCache, "imageCache");
    }

    /** Reads a backend's section (with its fallback to [backend_defaults]). */
    public static BackendOptions from(ConfigSection section) {
        return new BackendOptions(
                section.name(),
                section.get(VOLUME_DRIVER),
                section.get(VOLUME_BACKEND_NAME),
                section.get(MAX_OVER_SUBSCRIPTION_RATIO),
                section.get(RESERVED_PERCENTAGE),
                section.get(VOLUME_CLEAR),
                section.get(VOLUME_CLEAR_SIZE),
                TargetOptions.from(section),
                new ImageCache(section.get(IMAGE_VOLUME_CACHE_ENABLED), section.get(IMAGE_VOLUME_CACHE_MAX_SIZE_GB),
                        section.get(IMAGE_VOLUME_CACHE_MAX_COUNT)));
    }
}
