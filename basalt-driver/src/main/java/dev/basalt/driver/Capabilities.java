package dev.basalt.driver;

import java.util.List;

/**
 * Keys of {@link PoolReport#capabilities()}, named as in Cinder's volume stats so that volume-type
 * extra specs written for Cinder match. Every driver reports at least the keys listed here.
 */
public final class Capabilities {
    /** String: the backend's {@code volume_backend_name}. */
    public static final String VOLUME_BACKEND_NAME = "volume_backend_name";
    /** String: who makes the storage or driver. */
    public static final String VENDOR_NAME = "vendor_name";
    /** String: the driver's version. */
    public static final String DRIVER_VERSION = "driver_version";
    /** String: how a host reaches a volume, e.g. {@code iSCSI}. */
    public static final String STORAGE_PROTOCOL = "storage_protocol";
    /** Boolean: volumes take space only as data is written. */
    public static final String THIN_PROVISIONING_SUPPORT = "thin_provisioning_support";
    /** Boolean: volumes take all their space when created. */
    public static final String THICK_PROVISIONING_SUPPORT = "thick_provisioning_support";
    /** Boolean: a volume may be attached to several hosts at once. */
    public static final String MULTIATTACH = "multiattach";

    /**
     * Boolean, optional (Basalt's own key): snapshots and clones share the data of their source
     * until either is written (reflinks on a filesystem, copy-on-write clones), so they take the
     * same few milliseconds and almost no space whatever the volume's size. When false or absent,
     * a snapshot or clone copies the source's data.
     */
    public static final String COPY_ON_WRITE = "copy_on_write";

    /** The keys every driver must report. */
    public static final List<String> REQUIRED = List.of(
            VOLUME_BACKEND_NAME, VENDOR_NAME, DRIVER_VERSION, STORAGE_PROTOCOL,
            THIN_PROVISIONING_SUPPORT, THICK_PROVISIONING_SUPPORT, MULTIATTACH);

    private Capabilities() {
    }
}
