package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.model.Snapshot;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.RevertToSnapshot;
import dev.basalt.rpc.VolumeRpc;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reverting a volume to a snapshot, by Cinder's rules (its {@code revert} volume action, 3.40): the
 * snapshot must be the volume's latest and of the volume's size (400 otherwise); the volume must be
 * {@code available} and the snapshot {@code available} (409 otherwise, as Cinder answers its
 * {@code InvalidVolume}/{@code InvalidSnapshot}); then the volume is {@code reverting} and the
 * snapshot {@code restoring}, both in one conditional step (so of two concurrent reverts one wins,
 * and a snapshot taken meanwhile makes it a 400), and the volume's service reverts it.
 */
public final class VolumeReverts {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeReverts.class);

    private final SnapshotRepository snapshots;
    private final VolumeTransitions transitions;
    private final VolumeRpc volumeServices;

    public VolumeReverts(SnapshotRepository snapshots, VolumeTransitions transitions, VolumeRpc volumeServices) {
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.transitions = requireNonNull(transitions, "transitions");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
    }

    /** Starts reverting {@code volume} to its snapshot {@code snapshotId} (null: none named, a 400). */
    public void revert(RequestContext context, Volume volume, String snapshotId) {
        List<Snapshot> all = snapshots.forVolume(volume.id());
        if (all.isEmpty()) {
            throw BasaltException.badRequest("Volume %s doesn't have any snapshots.", volume.id());
        }
        Snapshot latest = all.getLast();
        if (!latest.id().equals(snapshotId)) {
            throw notLatest(volume, snapshotId);
        }
        if (volume.size() != latest.volumeSize()) {
            throw BasaltException.badRequest("Can't revert volume %s to its latest snapshot %s. The volume size must"
                    + " be equal to the snapshot size.", volume.id(), snapshotId);
        }
        switch (transitions.beginRevert(volume.id(), snapshotId)) {
            case DONE -> { }
            case NOT_FOUND -> throw VolumeService.notFound(volume.id());
            case STATUS -> throw BasaltException.conflict("Invalid volume: Can't revert volume %s to its latest"
                    + " snapshot %s. Volume's status must be 'available'.", volume.id(), snapshotId);
            case SNAPSHOT_STATUS -> throw BasaltException.conflict("Invalid snapshot: Can't revert volume %s to its"
                    + " latest snapshot %s. Snapshot's status must be 'available'.", volume.id(), snapshotId);
            case NOT_LATEST -> throw notLatest(volume, snapshotId);
            default -> throw new IllegalStateException("unexpected outcome of a revert");
        }
        try {
            volumeServices.revertToSnapshot(volume.backend(),
                    new RevertToSnapshot(volume.id(), snapshotId, context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask {} to revert volume {}", context.requestId(), volume.backend(), volume.id(), e);
            transitions.endRevert(volume.id(), snapshotId, VolumeStatus.AVAILABLE, null);
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "The volume service could not be reached; the volume was not reverted. Try again later.");
        }
        LOG.info("{} reverting volume {} to snapshot {}", context.requestId(), volume.id(), snapshotId);
    }

    private static BasaltException notLatest(Volume volume, String snapshotId) {
        return BasaltException.badRequest("Specified snapshot %s is None or not the latest one of volume %s.",
                snapshotId == null ? "None" : snapshotId, volume.id());
    }
}
