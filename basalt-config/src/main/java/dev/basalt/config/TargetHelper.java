package dev.basalt.config;

/** Which target exports a backend's volumes ({@code target_helper}). */
public enum TargetHelper {
    /** Basalt's own iSCSI target, in the volume service's process. */
    BUILTIN,
    /** Debian's tgt daemon, driven with {@code tgtadm}. */
    TGTADM
}
