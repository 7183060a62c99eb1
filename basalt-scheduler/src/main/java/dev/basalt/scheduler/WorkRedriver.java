package dev.basalt.scheduler;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeMoves;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.PendingWork;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.Worker;
import dev.basalt.rpc.CreateSnapshot;
import dev.basalt.rpc.CreateVolume;
import dev.basalt.rpc.DeleteSnapshot;
import dev.basalt.rpc.DeleteVolume;
import dev.basalt.rpc.UnmanageSnapshot;
import dev.basalt.rpc.UnmanageVolume;
import dev.basalt.rpc.ExtendVolume;
import dev.basalt.rpc.VolumeRpc;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends again the work nobody claimed (its message lost: an api, or a scheduler, stopped between
 * writing the row and sending it), once: the row is touched first by a conditional update (of
 * several schedulers one sends it, and the row counts as new again), then a volume still
 * {@code creating} and unplaced is placed (one made from a backup with the backup's id, as its row
 * records it), an upload (whose token and image went with the lost message) ends with the volume
 * back to {@code available} or {@code in-use}, so does a retype or a migration nobody took up (its migration in
 * {@code error}), a snapshot manage (whose quota limits went with the lost message) fails, and any other
 * work goes again to the volume service of
 * its backend. Every handler on the other side is idempotent, so a message that was only late does no
 * harm (a late upload finds the volume no longer {@code uploading} and does nothing).
 */
final class WorkRedriver {
    private static final Logger LOG = LoggerFactory.getLogger(WorkRedriver.class);
    static final String MANAGE_REQUEST_LOST = "the request to manage the volume was lost before a volume service"
            + " received it; manage the storage again";
    static final String SNAPSHOT_MANAGE_REQUEST_LOST = "the request to manage the snapshot was lost before a volume"
            + " service received it; manage the snapshot again";

    private final WorkerRepository workers;
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;
    private final VolumePlacer placer;
    private final VolumeRpc volumeServices;

    WorkRedriver(WorkerRepository workers, VolumeRepository volumes, SnapshotRepository snapshots, VolumePlacer placer,
                 VolumeRpc volumeServices) {
        this.workers = requireNonNull(workers, "workers");
        this.volumes = requireNonNull(volumes, "volumes");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.placer = requireNonNull(placer, "placer");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
    }

    /** Sends the work again; true if this call did (false: another scheduler did, or the row changed). */
    boolean redrive(PendingWork work) {
        Worker w = work.worker();
        if (w.claimed() || !workers.touch(w)) {
            return false;
        }
        String backend = work.backend();
        String id = w.resourceId();
        LOG.info("{} {} was left {} with nobody working on it; sending it again{}", w.resourceType().typeName(), id,
                w.status(), backend == null ? "" : " to " + backend);
        switch (w.resourceType()) {
            case VOLUME -> {
                switch (w.status()) {
                    case "creating" -> {
                        if (backend == null) {
                            placer.scheduleAgain(id);
                        } else {
                            Optional<Volume> volume = volumes.find(id);
                            String imageId = volume.map(v -> v.adminMetadata().get(Volume.FROM_IMAGE_ID)).orElse(null);
                            if (imageId != null) {
                                volumes.markError(id, Set.of(VolumeStatus.CREATING),
                                        VolumePlacer.imageRequestLost(imageId));
                            } else {
                                volumeServices.createVolume(backend, new CreateVolume(id, null,
                                        volume.map(v -> v.adminMetadata().get(Volume.FROM_BACKUP_ID)).orElse(null),
                                        null));
                            }
                        }
                    }
                    case "deleting" -> volumeServices.deleteVolume(backend, new DeleteVolume(id, null));
                    case "unmanaging" -> volumeServices.unmanageVolume(backend, new UnmanageVolume(id, null));
                    case "managing" -> {
                        // The reference to adopt went with the lost message: fail the manage.
                        if (volumes.markFailed(id, Set.of(VolumeStatus.MANAGING), VolumeStatus.ERROR_MANAGING,
                                MANAGE_REQUEST_LOST)) {
                            LOG.warn("volume {} was left managing with no manage under way; it is in error", id);
                        }
                    }
                    case "extending" -> {
                        Optional<Volume> volume = volumes.find(id);
                        int size = volume.map(v -> Optional.ofNullable(v.adminMetadata().get(Volume.EXTEND_NEW_SIZE))
                                .map(Integer::valueOf).orElse(v.size())).orElse(0);
                        volumeServices.extendVolume(backend, new ExtendVolume(id, size, null));
                    }
                    case "uploading" -> {
                        // The caller's token and the image went with the lost message: end the upload.
                        if (volumes.endUpload(id)) {
                            LOG.warn("volume {} was left uploading with no upload under way; it is back", id);
                        }
                    }
                    case "retyping", "maintenance" -> {
                        // A retype or migration whose request was lost: nothing was moved; the volume goes back.
                        if (new VolumeMoves(volumes).finish(id, VolumeMoves.Ending.failed(null))) {
                            LOG.warn("volume {} was left {} with no retype or migration under way; it is back", id,
                                    w.status());
                        }
                    }
                    default -> {
                        return false;
                    }
                }
            }
            case SNAPSHOT -> {
                switch (w.status()) {
                    case "creating" -> {
                        if (snapshots.manageReference(id).isEmpty()) {
                            volumeServices.createSnapshot(backend, new CreateSnapshot(id, null));
                        } else if (snapshots.markFailed(id, Set.of(SnapshotStatus.CREATING), SnapshotStatus.ERROR,
                                SNAPSHOT_MANAGE_REQUEST_LOST)) {
                            // Never taken as a new snapshot: its storage is the one to adopt.
                            LOG.warn("snapshot {} was left managing with no manage under way; it is in error", id);
                        }
                    }
                    case "deleting" -> volumeServices.deleteSnapshot(backend, new DeleteSnapshot(id, null));
                    case "unmanaging" -> volumeServices.unmanageSnapshot(backend, new UnmanageSnapshot(id, null));
                    default -> {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
