package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.Backup;
import dev.basalt.model.Volume;
import dev.basalt.rpc.BackupDevice;
import dev.basalt.rpc.BackupDeviceRequest;
import dev.basalt.rpc.DropBackupBases;
import dev.basalt.rpc.VolumeRpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds where a volume's (or snapshot's) bytes are by asking the volume service that owns it
 * ({@link VolumeRpc#backupDevice}), and insists they are on this backup service's host: a Basalt
 * backup service reads and writes the volumes of its own host directly, as Cinder's
 * {@code backup_use_same_host = True}.
 *
 * <p>For a backup it also asks the volume service to keep a <em>backup base</em> under the backup's
 * id (a point-in-time copy sharing extents with the volume, where the storage can share them) and
 * for the parent backup's base, and tells it which bases to drop afterwards ({@link DropBackupBases}).
 */
final class VolumeDevices {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeDevices.class);

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
        return Path.of(ask(volume, new BackupDeviceRequest(volume.id(), snapshotId, requestId)).path());
    }

    /**
     * What the backup reads: a base of the volume's (or its snapshot {@code snapshotId}'s, when not
     * null) bytes kept under the backup's id where the volume's storage keeps bases, else those bytes
     * themselves; and the parent backup's base if it is still kept.
     *
     * @throws DeviceException as {@link #locate}
     */
    BackupSource locateForBackup(Volume volume, String snapshotId, Backup backup, String requestId)
            throws DeviceException {
        BackupDevice device = ask(volume, new BackupDeviceRequest(volume.id(), snapshotId, requestId,
                backup.id(), backup.parentId()));
        return new BackupSource(Path.of(device.path()), device.keptBase(),
                Optional.ofNullable(device.parentBasePath()).map(Path::of));
    }

    /**
     * Tells the volume's volume service to drop bases of it (a cast: it does not wait); a volume on no
     * host has none, and a failure is only logged (the next backup's drop, or the volume's delete,
     * removes what is left).
     */
    void dropBases(Volume volume, DropBackupBases request) {
        if (volume.host() == null) {
            return;
        }
        try {
            volumes.dropBackupBases(backendOf(volume.host()), request);
        } catch (RuntimeException e) {
            LOG.warn("cannot ask {} to drop backup bases of volume {}: {}", backendOf(volume.host()), volume.id(),
                    e.getMessage());
        }
    }

    private BackupDevice ask(Volume volume, BackupDeviceRequest request) throws DeviceException {
        String snapshotId = request.snapshotId();
        if (volume.host() == null) {
            throw new DeviceException("volume " + volume.id() + " is on no host");
        }
        BackupDevice device;
        try {
            device = volumes.backupDevice(backendOf(volume.host()), request, timeout);
        } catch (RuntimeException e) {
            throw new DeviceException("the volume service of " + backendOf(volume.host())
                    + " did not say where the " + what(volume, snapshotId) + " is: " + e.getMessage());
        }
        if (!host.equals(device.host())) {
            throw new DeviceException("the " + what(volume, snapshotId) + " is on host " + device.host()
                    + ", not on this backup service's host " + host);
        }
        return device;
    }

    /** {@code host@backend} of a volume's {@code host@backend#pool}: the address of its volume service. */
    static String backendOf(String volumeHost) {
        int pool = volumeHost.indexOf('#');
        return pool < 0 ? volumeHost : volumeHost.substring(0, pool);
    }

    private static String what(Volume volume, String snapshotId) {
        return snapshotId == null ? "volume " + volume.id() : "snapshot " + snapshotId + " of volume " + volume.id();
    }

    /**
     * What a backup reads.
     *
     * @param path the file to read
     * @param keptBase whether {@code path} is a base kept under the backup's id (then it stays, for the
     *     next incremental, until the bases are dropped)
     * @param parentBase the parent backup's base, if the volume service still keeps it
     */
    record BackupSource(Path path, boolean keptBase, Optional<Path> parentBase) {
    }

    /** The device could not be had, said for the user (it becomes the backup's fail_reason). */
    static final class DeviceException extends Exception {
        DeviceException(String message) {
            super(message);
        }
    }
}
