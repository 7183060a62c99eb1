package dev.basalt.driver;

import java.util.Locale;

/** How a driver wipes a volume's data before it releases the space (cinder.conf {@code volume_clear}). */
public enum VolumeClear {
    /** Make the old data unreadable: zero it, punch holes over it, or discard it. The default. */
    ZERO,
    /** Release the space without wiping (for storage that never hands old data to a new volume). */
    NONE;

    /** The value as written in cinder.conf: {@code zero} or {@code none}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the cinder.conf value ({@code zero}, {@code none}; any case). */
    public static VolumeClear fromConfig(String value) {
        if (value != null) {
            for (VolumeClear clear : values()) {
                if (clear.configValue().equalsIgnoreCase(value.strip())) {
                    return clear;
                }
            }
        }
        throw new IllegalArgumentException(
                "volume_clear must be one of zero, none; got " + (value == null ? "nothing" : '"' + value + '"'));
    }
}
