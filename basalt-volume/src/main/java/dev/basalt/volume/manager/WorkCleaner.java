package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeMoves;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.PendingWork;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.Worker;
import dev.basalt.rpc.CleanupRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or fails work in flight on this backend that a service stopped in the middle of
 * (Cinder's {@code do_cleanup}): a {@code creating} volume or snapshot goes to {@code error} (what
 * was made for it removed), a {@code deleting} one is deleted, an {@code extending} volume is grown
 * to the size recorded with it, a {@code reverting} one reverted again to its {@code restoring}
 * snapshot (a revert is idempotent), an {@code uploading} volume goes back to {@code available} or
 * {@code in-use} (as Cinder's cleanup; the image it was writing stays as Glance has it), a
 * {@code managing} volume finished if its storage was adopted, else {@code error_managing}, an
 * {@code unmanaging} one unmanaged again; storage adopted for a volume that ended {@code error_managing}
 * meanwhile is let go (unmanaged), so deleting that volume keeps it.
 *
 * <p>At start ({@link #recoverOwnWork}) that is every resource of this backend in a transitional
 * status, recorded or not (work begun before rows were kept, or whose message was lost with the
 * process), unless another service holds its row. On request ({@link #clean}: a scheduler's, when
 * the work's owner is gone) it is the rows the request names, each claimed first, so only one
 * service cleans each.
 */
final class WorkCleaner {
    static final String STOPPED_WHILE_CREATING = "the service that was creating it stopped";

    private static final Logger LOG = LoggerFactory.getLogger(WorkCleaner.class);

    private final String backend;
    private final WorkerRepository workers;
    private final WorkClaims claims;
    private final IntSupplier serviceId;
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshotRows;
    private final VolumeManager manager;
    private final SnapshotManager snapshots;
    private final VolumeExtender extender;
    private final VolumeReverter reverter;
    private final VolumeUploads uploads;
    private final VolumeMigrator migrator;
    private final VolumeAdoptions adoptions;
    private final SnapshotAdoptions snapshotAdoptions;
    private final Clock clock;

    WorkCleaner(String backend, WorkerRepository workers, WorkClaims claims, IntSupplier serviceId,
                VolumeRepository volumes, SnapshotRepository snapshotRows, VolumeManager manager,
                SnapshotManager snapshots, VolumeExtender extender, VolumeReverter reverter, VolumeUploads uploads,
                VolumeMigrator migrator, VolumeAdoptions adoptions, SnapshotAdoptions snapshotAdoptions, Clock clock) {
        this.adoptions = requireNonNull(adoptions, "adoptions");
        this.snapshotAdoptions = requireNonNull(snapshotAdoptions, "snapshotAdoptions");
        this.backend = requireNonNull(backend, "backend");
        this.workers = requireNonNull(workers, "workers");
        this.claims = requireNonNull(claims, "claims");
        this.serviceId = requireNonNull(serviceId, "serviceId");
        this.volumes = requireNonNull(volumes, "volumes");
        this.snapshotRows = requireNonNull(snapshotRows, "snapshotRows");
        this.manager = requireNonNull(manager, "manager");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.extender = requireNonNull(extender, "extender");
        this.reverter = requireNonNull(reverter, "reverter");
        this.uploads = requireNonNull(uploads, "uploads");
        this.migrator = requireNonNull(migrator, "migrator");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Finishes or fails what this backend's service left in flight when it stopped: snapshots
     * first (a volume's delete waits for its snapshots), then volumes; then forgets the rows of
     * this service whose resource has moved on.
     */
    void recoverOwnWork() {
        for (Snapshot s : snapshotRows.findOnBackend(backend, SnapshotStatus.CREATING)) {
            claims.perform(CleanableResource.SNAPSHOT, s.id(), s.status().apiName(),
                    () -> recoverCreating(s, SnapshotManager.RESTARTED_WHILE_CREATING));
        }
        for (Snapshot s : snapshotRows.findOnBackend(backend, SnapshotStatus.ERROR)) {
            if (snapshotAdoptions.isManaged(s)) {
                snapshotAdoptions.release(s);
            }
        }
        for (Snapshot s : snapshotRows.findOnBackend(backend, SnapshotStatus.DELETING)) {
            claims.perform(CleanableResource.SNAPSHOT, s.id(), s.status().apiName(), () -> snapshots.recoverDeleting(s));
        }
        for (Snapshot s : snapshotRows.findOnBackend(backend, SnapshotStatus.UNMANAGING)) {
            claims.perform(CleanableResource.SNAPSHOT, s.id(), s.status().apiName(),
                    () -> snapshotAdoptions.recoverUnmanaging(s));
        }
        for (Volume v : volumes.findOnBackend(backend, VolumeStatus.CREATING)) {
            claims.perform(CleanableResource.VOLUME, v.id(), v.status().apiName(),
                    () -> manager.recoverCreating(v, VolumeManager.RESTARTED_WHILE_CREATING));
        }
        for (Volume v : volumes.findOnBackend(backend, VolumeStatus.DELETING)) {
            claims.perform(CleanableResource.VOLUME, v.id(), v.status().apiName(), () -> manager.recoverDeleting(v));
        }
        for (Volume v : volumes.findOnBackend(backend, VolumeStatus.EXTENDING)) {
            claims.perform(CleanableResource.VOLUME, v.id(), v.status().apiName(), () -> extender.recoverExtending(v.id()));
        }
        for (Volume v : volumes.findOnBackend(backend, VolumeStatus.REVERTING)) {
            claims.perform(CleanableResource.VOLUME, v.id(), v.status().apiName(), () -> reverter.recoverReverting(v.id()));
        }
        for (Volume v : volumes.findOnBackend(backend, VolumeStatus.MANAGING)) {
            claims.perform(CleanableResource.VOLUME, v.id(), v.status().apiName(), () -> adoptions.recoverManaging(v));
        }
        for (Volume v : volumes.findOnBackend(backend, VolumeStatus.ERROR_MANAGING)) {
            adoptions.release(v);
        }
        for (Volume v : volumes.findOnBackend(backend, VolumeStatus.UNMANAGING)) {
            claims.perform(CleanableResource.VOLUME, v.id(), v.status().apiName(), () -> adoptions.recoverUnmanaging(v));
        }
        for (Volume v : volumes.findOnBackend(backend, VolumeStatus.UPLOADING)) {
            claims.perform(CleanableResource.VOLUME, v.id(), v.status().apiName(), () -> uploads.recoverUploading(v.id()));
        }
        for (Volume v : volumes.findOnBackend(backend, VolumeStatus.RETYPING)) {
            claims.perform(CleanableResource.VOLUME, v.id(), v.status().apiName(), () -> recoverMove(v.id()));
        }
        for (Volume v : volumes.findOnBackend(backend, VolumeStatus.MAINTENANCE)) {
            if (VolumeMoves.IN_FLIGHT.contains(v.migrationStatus())) {
                claims.perform(CleanableResource.VOLUME, v.id(), v.status().apiName(), () -> recoverMove(v.id()));
            }
        }
        for (PendingWork p : workers.pending()) {
            if (Objects.equals(p.worker().serviceId(), serviceId.getAsInt()) && !p.current()) {
                workers.remove(p.worker());
            }
        }
    }

    /**
     * Cleans up the work on this backend that the request's service left (rows it holds; rows
     * nobody holds when it names none), within the request's resource filters and no newer than
     * its {@code until}; returns how many rows this service cleaned.
     */
    int clean(CleanupRequest request) {
        Instant until = request.until() != null ? request.until() : clock.instant();
        int cleaned = 0;
        for (PendingWork p : workers.pending()) {
            Worker w = p.worker();
            if (!Objects.equals(w.serviceId(), request.serviceId()) || !matches(w, request)
                    || w.updatedAt() != null && w.updatedAt().isAfter(until) || !backend.equals(p.backend())) {
                continue;
            }
            if (!workers.claimForCleanup(w, serviceId.getAsInt())) {
                continue;
            }
            Worker claimed = new Worker(w.resourceType(), w.resourceId(), w.status(), serviceId.getAsInt(),
                    w.racePreventer() + 1, w.createdAt(), w.updatedAt());
            if (!p.current()) {
                workers.remove(claimed);
                continue;
            }
            LOG.info("cleaning up {} {} ({}) left by service {}", w.resourceType().typeName(), w.resourceId(),
                    w.status(), w.serviceId());
            try {
                recover(w);
                cleaned++;
            } catch (RuntimeException e) {
                LOG.error("could not clean up {} {}; giving it back", w.resourceType().typeName(), w.resourceId(), e);
                workers.restore(w);
            }
        }
        return cleaned;
    }

    /**
     * A {@code creating} snapshot left in flight: a managed one is finished or failed without
     * touching the storage it adopts, one Basalt was taking is removed and fails.
     */
    private void recoverCreating(Snapshot snapshot, String reason) {
        if (snapshotAdoptions.isManaged(snapshot)) {
            snapshotAdoptions.recoverManaging(snapshot);
        } else {
            snapshots.recoverCreating(snapshot, reason);
        }
    }

    /** A retype or migration left in flight ends failed (what it made on its destination removed). */
    private void recoverMove(String volumeId) {
        volumes.find(volumeId).ifPresent(migrator::recover);
    }

    private static boolean matches(Worker w, CleanupRequest request) {
        return (request.resourceType() == null || request.resourceType().equals(w.resourceType().typeName()))
                && (request.resourceId() == null || request.resourceId().equals(w.resourceId()));
    }

    /** Finishes or fails the work the row records; its resource is in the row's status. */
    private void recover(Worker w) {
        switch (w.resourceType()) {
            case VOLUME -> volumes.findRow(w.resourceId()).ifPresent(v -> {
                switch (v.status()) {
                    case CREATING -> manager.recoverCreating(v, STOPPED_WHILE_CREATING);
                    case DELETING -> manager.recoverDeleting(v);
                    case EXTENDING -> extender.recoverExtending(v.id());
                    case REVERTING -> reverter.recoverReverting(v.id());
                    case UPLOADING -> uploads.recoverUploading(v.id());
                    case RETYPING, MAINTENANCE -> recoverMove(v.id());
                    case MANAGING -> adoptions.recoverManaging(v);
                    case UNMANAGING -> adoptions.recoverUnmanaging(v);
                    default -> LOG.info("volume {} is {}: nothing to clean up", v.id(), v.status().apiName());
                }
            });
            case SNAPSHOT -> snapshotRows.find(w.resourceId()).ifPresent(s -> {
                switch (s.status()) {
                    case CREATING -> recoverCreating(s, STOPPED_WHILE_CREATING);
                    case DELETING -> snapshots.recoverDeleting(s);
                    case UNMANAGING -> snapshotAdoptions.recoverUnmanaging(s);
                    default -> LOG.info("snapshot {} is {}: nothing to clean up", s.id(), s.status().apiName());
                }
            });
        }
    }
}
