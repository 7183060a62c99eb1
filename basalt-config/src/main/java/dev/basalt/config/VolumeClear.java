package dev.basalt.config;

/** How a deleted volume's data is wiped ({@code volume_clear}). */
public enum VolumeClear {
    /** Overwrite with zeros. */
    ZERO,
    /** Do not wipe. */
    NONE
}
