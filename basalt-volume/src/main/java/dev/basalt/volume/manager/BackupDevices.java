package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.rpc.BackupDevice;
import dev.basalt.rpc.BackupDeviceRequest;
import dev.basalt.rpc.DropBackupBases;
import dev.basalt.driver.BackupBaseCapable;
import dev.basalt.driver.ExportCapable;
import dev.basalt.driver.VolumeDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a volume service tells the backup service of its host: where a volume's (or snapshot's)
 * bytes are, and the backup bases it keeps for incremental backups that compare extent maps
 * ({@link BackupBaseCapable}; a driver without it, or whose storage cannot share extents, keeps
 * none and the backup reads the volume itself). The backup service reads and writes the file
 * directly, so the answer names this service's host (the part of {@code host@backend} before '@').
 */
final class BackupDevices {
    private static final Logger LOG = LoggerFactory.getLogger(BackupDevices.class);

    private final String host;
    private final VolumeDriver driver;

    BackupDevices(String backend, VolumeDriver driver) {
        requireNonNull(backend, "backend");
        int at = backend.indexOf('@');
        this.host = at < 0 ? backend : backend.substring(0, at);
        this.driver = requireNonNull(driver, "driver");
    }

    BackupDevice locate(BackupDeviceRequest request) throws IOException {
        if (!(driver instanceof ExportCapable local)) {
            throw BasaltException.badRequest("Invalid volume: the %s volume driver cannot give its volumes' bytes to a"
                    + " backup service.", driver.name());
        }
        Path path = request.snapshotId() == null ? local.exportPath(request.volumeId())
                : local.snapshotPath(request.snapshotId());
        Optional<Path> base = Optional.empty();
        String parentBase = null;
        if (driver instanceof BackupBaseCapable bases) {
            if (request.keepBase() != null) {
                base = bases.keepBackupBase(request.volumeId(), request.snapshotId(), request.keepBase());
            }
            if (request.parentBase() != null) {
                parentBase = bases.backupBase(request.volumeId(), request.parentBase()).map(Path::toString)
                        .orElse(null);
            }
        }
        Path read = base.orElse(path);
        return new BackupDevice(host, read.toString(), Files.size(read), base.isPresent(), parentBase);
    }

    void drop(DropBackupBases request) {
        if (!(driver instanceof BackupBaseCapable bases)) {
            return;
        }
        switch (request.scope()) {
            case ONLY -> bases.dropBackupBase(request.volumeId(), request.baseId());
            case ALL_BUT -> dropOlderThan(bases, request.volumeId(), request.baseId());
        }
        LOG.debug("backup bases of volume {} dropped: {} {}", request.volumeId(), request.scope(), request.baseId());
    }

    /**
     * Drops the volume's bases taken before {@code kept}: a base a later backup has taken since (this
     * message may be handled late) is that backup's, and stays. Nothing goes when {@code kept} is gone.
     */
    private static void dropOlderThan(BackupBaseCapable bases, String volumeId, String kept) {
        Optional<FileTime> keptAt = bases.backupBase(volumeId, kept).flatMap(BackupDevices::takenAt);
        if (keptAt.isEmpty()) {
            return;
        }
        for (String baseId : bases.backupBases(volumeId)) {
            if (!baseId.equals(kept) && bases.backupBase(volumeId, baseId).flatMap(BackupDevices::takenAt)
                    .filter(at -> at.compareTo(keptAt.get()) <= 0).isPresent()) {
                bases.dropBackupBase(volumeId, baseId);
            }
        }
    }

    /** When a base was taken: bases are never written after, so their modification time. */
    private static Optional<FileTime> takenAt(Path base) {
        try {
            return Optional.of(Files.getLastModifiedTime(base));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
