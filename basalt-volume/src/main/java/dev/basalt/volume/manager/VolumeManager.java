package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.MessageRepository;
import dev.basalt.db.VolumeImageMetadata;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CreateVolume;
import dev.basalt.rpc.DeleteVolume;
import dev.basalt.rpc.ImageSource;
import dev.basalt.driver.CloneCapable;
import dev.basalt.driver.ExportCapable;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.driver.VolumeSpec;
import dev.basalt.volume.image.ImageUnacceptableException;
import dev.basalt.volume.image.VolumeImageFiller;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The work a volume service does for its backend, each step idempotent: a message delivered twice,
 * or work redone after a restart, does no harm. A volume is only touched when its row says this
 * backend owns it and is in the status the operation expects. A volume made from a snapshot or
 * another volume is copied from that source by the driver (which must be
 * {@link CloneCapable}); a volume is deleted only after its {@code deleting} snapshots (a
 * cascading delete) are. A volume made from an image is filled by {@link VolumeImageFiller} (the
 * driver must be {@link ExportCapable}), then marked bootable with the image's metadata; an image
 * that cannot fill it fails the create with a user message saying why.
 */
final class VolumeManager {
    static final String RESTARTED_WHILE_CREATING = "the volume service restarted while creating it";

    private static final Logger LOG = LoggerFactory.getLogger(VolumeManager.class);
    private static final Set<VolumeStatus> CREATING = Set.of(VolumeStatus.CREATING);
    private static final Set<VolumeStatus> DELETING = Set.of(VolumeStatus.DELETING);

    /** What became of one request. */
    enum Outcome {
        DONE, SKIPPED, FAILED,
        /** A volume made from a backup: created raw and handed to the backup service that restores it. */
        HANDED_OVER
    }

    private final String backend;
    private final VolumeExporter exporter;
    private final VolumeDriver driver;
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshotRows;
    private final SnapshotManager snapshots;
    private final MessageRepository messages;
    private final Clock clock;
    private final Duration messageTtl;
    private final RestoreHandover restores;
    private final VolumeImageFiller images;
    private final VolumeImageMetadata imageMetadata;
    private final ImageVolumeCache imageCache;

    VolumeManager(String backend, VolumeDriver driver, VolumeRepository volumes, SnapshotRepository snapshotRows,
                  SnapshotManager snapshots, VolumeExporter exporter, MessageRepository messages, Clock clock,
                  Duration messageTtl, RestoreHandover restores, VolumeImageFiller images,
                  VolumeImageMetadata imageMetadata, ImageVolumeCache imageCache) {
        this.restores = requireNonNull(restores, "restores");
        this.images = requireNonNull(images, "images");
        this.imageMetadata = requireNonNull(imageMetadata, "imageMetadata");
        this.imageCache = requireNonNull(imageCache, "imageCache");
        this.exporter = requireNonNull(exporter, "exporter");
        this.backend = requireNonNull(backend, "backend");
        this.driver = requireNonNull(driver, "driver");
        this.volumes = requireNonNull(volumes, "volumes");
        this.snapshotRows = requireNonNull(snapshotRows, "snapshotRows");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.messages = requireNonNull(messages, "messages");
        this.clock = requireNonNull(clock, "clock");
        this.messageTtl = requireNonNull(messageTtl, "messageTtl");
    }

    /**
     * Makes the storage of a volume placed here and still {@code creating}, then marks it available;
     * a volume made from a backup is made raw and handed to the backup service that restores it
     * ({@link RestoreHandover}), still {@code creating}.
     */
    Outcome create(CreateVolume request) {
        Optional<Volume> found = volumes.findRow(request.volumeId());
        if (found.isEmpty()) {
            LOG.info("volume {} is gone; nothing to create", request.volumeId());
            return Outcome.SKIPPED;
        }
        Volume volume = found.get();
        if (volume.status() != VolumeStatus.CREATING || !backend.equals(volume.backend())) {
            LOG.info("not creating volume {}: it is {} on {}", volume.id(), volume.status().apiName(), volume.host());
            return Outcome.SKIPPED;
        }
        String backupId = request.backupId();
        try {
            if (request.image() != null && imageCache.enabled()) {
                imageMetadata.recordBootableImage(volume.id(), imageCache.create(volume, request.image()));
            } else {
                if (backupId == null || !restores.handedOver(volume, backupId)) {
                    make(volume);
                }
                if (request.image() != null) {
                    fillFromImage(volume, request.image());
                }
            }
        } catch (ImageUnacceptableException e) {
            LOG.warn("volume {} could not be made from image {}: {}", volume.id(), request.image().imageId(),
                    e.getMessage());
            if (volumes.markError(volume.id(), CREATING, e.getMessage())) {
                leaveMessage(volume, request.requestId(), e.getMessage());
            }
            return Outcome.FAILED;
        } catch (RuntimeException e) {
            LOG.error("the {} driver failed to create volume {} ({} GiB)", driver.name(), volume.id(), volume.size(), e);
            if (volumes.markError(volume.id(), CREATING, "The volume driver failed to create the volume: "
                    + describe(e))) {
                leaveMessage(volume, request.requestId());
            }
            return Outcome.FAILED;
        }
        if (backupId != null) {
            return restores.handOver(volume, backupId, request.requestId());
        }
        if (!volumes.markAvailable(volume.id())) {
            LOG.warn("volume {} was created on {} but changed status meanwhile", volume.id(), backend);
            return Outcome.SKIPPED;
        }
        LOG.info("volume {} ({} GiB) created on {}", volume.id(), volume.size(), volume.host());
        return Outcome.DONE;
    }

    /** Makes the volume's storage: empty, or from its snapshot or source volume. */
    private void make(Volume volume) {
        VolumeSpec spec = new VolumeSpec(volume.id(), volume.size());
        if (volume.snapshotId() != null) {
            DriverCapabilities.require(driver, CloneCapable.class, "create volumes from snapshots")
                    .createVolumeFromSnapshot(spec, volume.snapshotId());
        } else if (volume.sourceVolid() != null) {
            DriverCapabilities.require(driver, CloneCapable.class, "clone volumes")
                    .cloneVolume(spec, volume.sourceVolid());
        } else {
            driver.createVolume(spec);
        }
    }

    private void fillFromImage(Volume volume, ImageSource image) {
        ExportCapable local = DriverCapabilities.require(driver, ExportCapable.class, "create volumes from images");
        Map<String, String> metadata = images.fill(volume.id(), image, local.exportPath(volume.id()), volume.size());
        imageMetadata.recordBootableImage(volume.id(), metadata);
    }

    /** Wipes and removes the storage of a {@code deleting} volume of this backend, then its row. */
    Outcome delete(DeleteVolume request) {
        Optional<Volume> found = volumes.findRow(request.volumeId());
        if (found.isEmpty()) {
            LOG.debug("volume {} is already deleted", request.volumeId());
            return Outcome.SKIPPED;
        }
        return delete(found.get());
    }

    private Outcome delete(Volume volume) {
        if (volume.status() != VolumeStatus.DELETING) {
            LOG.info("not deleting volume {}: it is {}", volume.id(), volume.status().apiName());
            return Outcome.SKIPPED;
        }
        if (volume.host() != null && !backend.equals(volume.backend())) {
            LOG.warn("not deleting volume {}: it lives on {}, not {}", volume.id(), volume.host(), backend);
            return Outcome.SKIPPED;
        }
        if (!deleteSnapshotsOf(volume)) {
            return Outcome.FAILED;
        }
        try {
            exporter.removeExport(volume.id());
            driver.deleteVolume(volume.id());
        } catch (RuntimeException e) {
            LOG.error("the {} driver failed to delete volume {}", driver.name(), volume.id(), e);
            volumes.markFailed(volume.id(), DELETING, VolumeStatus.ERROR_DELETING,
                    "The volume driver failed to delete the volume: " + describe(e));
            return Outcome.FAILED;
        }
        volumes.delete(volume.id());
        LOG.info("volume {} deleted from {}", volume.id(), backend);
        return Outcome.DONE;
    }

    /**
     * Deletes the volume's snapshots that a cascading delete moved to {@code deleting}, oldest
     * first. False (and the volume in {@code error_deleting}) when one fails or the volume still
     * has snapshots afterwards.
     */
    private boolean deleteSnapshotsOf(Volume volume) {
        List<Snapshot> remaining = snapshotRows.forVolume(volume.id());
        for (Snapshot snapshot : remaining) {
            if (snapshot.status() == SnapshotStatus.DELETING
                    && snapshots.delete(snapshot, null) == Outcome.FAILED) {
                volumes.markFailed(volume.id(), DELETING, VolumeStatus.ERROR_DELETING,
                        "Snapshot " + snapshot.id() + " of the volume could not be deleted, so the volume was not");
                return false;
            }
        }
        List<Snapshot> left = snapshotRows.forVolume(volume.id());
        if (!left.isEmpty()) {
            LOG.error("not deleting volume {}: it still has {} snapshot(s)", volume.id(), left.size());
            volumes.markFailed(volume.id(), DELETING, VolumeStatus.ERROR_DELETING,
                    "The volume still has snapshots: " + left.stream().map(Snapshot::id).toList());
            return false;
        }
        return true;
    }

    /**
     * Fails a create that a service stopped in the middle of (this one before a restart, or one
     * that is down): whatever storage was made for the volume is removed and it goes to
     * {@code error}.
     */
    void recoverCreating(Volume volume, String reason) {
        try {
            driver.deleteVolume(volume.id());
        } catch (RuntimeException e) {
            LOG.warn("cannot remove what was made for volume {} before the restart", volume.id(), e);
        }
        if (volumes.markError(volume.id(), CREATING, reason)) {
            LOG.warn("volume {} was being created when its service stopped; it is now in error", volume.id());
        }
    }

    /** Finishes a delete that a service stopped in the middle of. */
    void recoverDeleting(Volume volume) {
        try {
            delete(volume);
        } catch (RuntimeException e) {
            LOG.error("cannot finish deleting volume {}", volume.id(), e);
        }
    }

    private void leaveMessage(Volume volume, String requestId) {
        try {
            messages.create(CreateFailureMessages.driverFailedCreate(volume.projectId(), requestId, volume.id(),
                    clock.instant(), messageTtl));
        } catch (RuntimeException e) {
            LOG.error("could not record the user message for volume {}", volume.id(), e);
        }
    }

    private void leaveMessage(Volume volume, String requestId, String imageFailure) {
        try {
            messages.create(CreateFailureMessages.imageFailed(volume.projectId(), requestId, volume.id(),
                    imageFailure, clock.instant(), messageTtl));
        } catch (RuntimeException e) {
            LOG.error("could not record the user message for volume {}", volume.id(), e);
        }
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
