package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.Volume;
import dev.basalt.rpc.BackupDevice;
import dev.basalt.rpc.BackupDeviceRequest;
import dev.basalt.rpc.VolumeRpc;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Finds where a volume's (or snapshot's) bytes are by asking the volume service that owns it
 * ({@link VolumeRpc#backupDevice}), and insists they are on this backup service's host: a Basalt
 * backup service reads and writes the volumes of its own host directly, as Cinder's
 * {@code backup_use_same_host = True}.
 */
final class VolumeDevices {
    private final VolumeRpc volumes;
    private final String host;
    private final Duration timeout;

    VolumeDevices(VolumeRpc volumes, String host, Duration timeout) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.host = requireNonNull(host, "host");
        this.timeout = requireNonNull(timeout, "timeout");
    }

    /**
     * The local path of {@code volume}'s bytes, or of its snapshot {@code snapshotId} when not null.
     *
     * @throws DeviceException when the volume is not placed, its volume service does not answer or
     *     refuses, or the bytes are on another host
     */
    Path locate(Volume volume, String snapshotId, String requestId) throws DeviceException {
        if (volume.host() == null) {
            throw new DeviceException("volume " + volume.id() + " is on no host");
        }
        BackupDevice device;
        try {
            device = volumes.backupDevice(backendOf(volume.host()),
                    new BackupDeviceRequest(volume.id(), snapshotId, requestId), timeout);
        } catch (RuntimeException e) {
            throw new DeviceException("the volume service of " + backendOf(volume.host())
                    + " did not say where the " + what(volume, snapshotId) + " is: " + e.getMessage());
        }
        if (!host.equals(device.host())) {
            throw new DeviceException("the " + what(volume, snapshotId) + " is on host " + device.host()
                    + ", not on this backup service's host " + host);
        }
        return Path.of(device.path());
    }

    /** {@code host@backend} of a volume's {@code host@backend#pool}: the address of its volume service. */
    static String backendOf(String volumeHost) {
        int pool = volumeHost.indexOf('#');
        return pool < 0 ? volumeHost : volumeHost.substring(0, pool);
    }

    private static String what(Volume volume, String snapshotId) {
        return snapshotId == null ? "volume " + volume.id() : "snapshot " + snapshotId + " of volume " + volume.id();
    }

    /** The device could not be had, said for the user (it becomes the backup's fail_reason). */
    static final class DeviceException extends Exception {
        DeviceException(String message) {
            super(message);
        }
    }
}
