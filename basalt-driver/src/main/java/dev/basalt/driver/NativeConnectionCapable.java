package dev.basalt.driver;

import java.util.Map;

/**
 * A {@link VolumeDriver} whose volumes hosts can reach by a protocol of the storage itself, without a
 * target in between: for RBD, QEMU and the kernel open {@code rbd:pool/volume-<id>} through librbd, as
 * Cinder's RBD driver tells them. The volume service answers a connection with it unless the host asks
 * for another protocol (the connector's {@code protocol}); a driver that is also {@link BlockIoCapable}
 * or {@link ExportCapable} can still be reached over iSCSI through Basalt's target. The contract of
 * {@link VolumeDriver} holds here too.
 */
public interface NativeConnectionCapable extends VolumeDriver {

    /** Cinder's {@code driver_volume_type} of the native connection, e.g. {@code "rbd"}. */
    String driverVolumeType();

    /**
     * The {@code data} of the connection to the volume, under Cinder's keys and in Cinder's order, as
     * that protocol's Cinder driver answers {@code initialize_connection}. Fails with a
     * {@link VolumeDriverException} when the volume does not exist or the storage cannot be reached.
     */
    Map<String, Object> connectionData(String volumeId);
}
