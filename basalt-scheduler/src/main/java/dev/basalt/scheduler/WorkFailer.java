package dev.basalt.scheduler;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeMoves;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.PendingWork;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.Worker;
import dev.basalt.rpc.ApiRpc;
import dev.basalt.rpc.VolumeSettled;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails work in flight that no live service can finish, so that nothing stays in a transitional
 * status: each row is claimed first (a conditional update: of several schedulers one fails it),
 * then its resource goes to its failed status, giving back the quota its operation reserved, as the
 * volume service's own failures do — a volume {@code creating} → {@code error}, {@code deleting} →
 * {@code error_deleting} (with the snapshots it was deleting), {@code extending} →
 * {@code error_extending}, {@code reverting} → {@code error} (its {@code restoring} snapshot back to
 * {@code available}, as Cinder's failed revert), {@code retyping} (or {@code maintenance} while migrating)
 * back to {@code available} or {@code in-use}, its type and host unchanged and a migration in
 * {@code error}, {@code uploading} back to {@code available} or {@code in-use} (as Cinder's
 * cleanup of an upload); a snapshot {@code creating} (taken or managed) → {@code error}, {@code deleting}
 * or {@code unmanaging} → {@code error_deleting} (as Cinder's failed unmanage). The failed status's
 * transaction removes the row.
 */
final class WorkFailer {
    private static final Logger LOG = LoggerFactory.getLogger(WorkFailer.class);

    private final WorkerRepository workers;
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;
    private final ApiRpc api;

    WorkFailer(WorkerRepository workers, VolumeRepository volumes, SnapshotRepository snapshots, ApiRpc api) {
        this.workers = requireNonNull(workers, "workers");
        this.volumes = requireNonNull(volumes, "volumes");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.api = requireNonNull(api, "api");
    }

    /**
     * Claims the row for service {@code claimerId} and fails its resource with {@code reason}; true
     * if this call failed it (false: another cleaner took the row first, or its work had ended).
     */
    boolean fail(PendingWork work, int claimerId, String reason) {
        Worker seen = work.worker();
        if (!workers.claimForCleanup(seen, claimerId)) {
            return false;
        }
        Worker claimed = new Worker(seen.resourceType(), seen.resourceId(), seen.status(), claimerId,
                seen.racePreventer() + 1, seen.createdAt(), seen.updatedAt());
        if (!work.current()) {
            workers.remove(claimed);
            return false;
        }
        boolean failed;
        try {
            failed = failResource(seen, reason);
        } catch (RuntimeException e) {
            LOG.error("could not fail {} {}; giving its row back", seen.resourceType().typeName(), seen.resourceId(), e);
            workers.restore(seen);
            return false;
        }
        // Gone with the failed status; still there if the status had changed meanwhile.
        workers.remove(claimed);
        if (failed) {
            LOG.warn("{} {} was {} by a service that stopped: now failed ({})", seen.resourceType().typeName(),
                    seen.resourceId(), seen.status(), reason);
        }
        return failed;
    }

    private boolean failResource(Worker w, String reason) {
        String id = w.resourceId();
        return switch (w.resourceType()) {
            case VOLUME -> switch (VolumeStatus.fromApiName(w.status()).orElse(VolumeStatus.ERROR)) {
                case CREATING -> {
                    boolean failed = volumes.markError(id, Set.of(VolumeStatus.CREATING), reason);
                    if (failed) {
                        api.volumeSettled(new VolumeSettled(id, VolumeStatus.ERROR.apiName()));
                    }
                    yield failed;
                }
                case DELETING -> {
                    for (Snapshot s : snapshots.forVolume(id)) {
                        if (s.status() == SnapshotStatus.DELETING) {
                            snapshots.markFailed(s.id(), Set.of(SnapshotStatus.DELETING), SnapshotStatus.ERROR_DELETING,
                                    reason);
                        }
                    }
                    yield volumes.markFailed(id, Set.of(VolumeStatus.DELETING), VolumeStatus.ERROR_DELETING, reason);
                }
                case EXTENDING -> volumes.markFailed(id, Set.of(VolumeStatus.EXTENDING), VolumeStatus.ERROR_EXTENDING,
                        reason);
                case UPLOADING -> volumes.endUpload(id);
                case REVERTING -> {
                    for (Snapshot s : snapshots.forVolume(id)) {
                        if (s.status() == SnapshotStatus.RESTORING) {
                            snapshots.transition(s.id(), Set.of(SnapshotStatus.RESTORING), SnapshotStatus.AVAILABLE);
                        }
                    }
                    yield volumes.markError(id, Set.of(VolumeStatus.REVERTING), reason);
                }
                case RETYPING, MAINTENANCE -> new VolumeMoves(volumes).finish(id, VolumeMoves.Ending.failed(null));
                case MANAGING -> volumes.markFailed(id, Set.of(VolumeStatus.MANAGING), VolumeStatus.ERROR_MANAGING,
                        reason);
                case UNMANAGING -> volumes.markFailed(id, Set.of(VolumeStatus.UNMANAGING),
                        VolumeStatus.ERROR_UNMANAGING, reason);
                default -> false;
            };
            case SNAPSHOT -> switch (SnapshotStatus.fromApiName(w.status()).orElse(SnapshotStatus.ERROR)) {
                case CREATING -> snapshots.markFailed(id, Set.of(SnapshotStatus.CREATING), SnapshotStatus.ERROR, reason);
                case DELETING -> snapshots.markFailed(id, Set.of(SnapshotStatus.DELETING), SnapshotStatus.ERROR_DELETING,
                        reason);
                case UNMANAGING -> snapshots.markFailed(id, Set.of(SnapshotStatus.UNMANAGING),
                        SnapshotStatus.ERROR_DELETING, reason);
                default -> false;
            };
        };
    }
}
