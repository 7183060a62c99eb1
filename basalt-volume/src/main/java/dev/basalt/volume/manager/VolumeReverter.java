package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.MessageRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.driver.RevertCapable;
import dev.basalt.driver.SnapshotSpec;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.RevertToSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reverts {@code reverting} volumes of this backend to their {@code restoring} snapshot (Cinder's
 * {@code revert_to_snapshot}): the driver makes the volume's data the snapshot's in place, then both
 * are {@code available} again; when the driver fails the volume is {@code error} (its data may be
 * either), the snapshot {@code available}, and the user gets a message. A revert is idempotent, so a
 * restart redoes one that was in flight.
 */
final class VolumeReverter {
    static final String REVERT_FAILED = "The volume driver failed to revert the volume to its snapshot: ";
    static final String SNAPSHOT_UNKNOWN = "the volume service restarted while reverting the volume and the snapshot"
            + " it was reverting to is no longer restoring";

    private static final Logger LOG = LoggerFactory.getLogger(VolumeReverter.class);

    private final String backend;
    private final VolumeDriver driver;
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;
    private final VolumeTransitions transitions;
    private final MessageRepository messages;
    private final Clock clock;
    private final Duration messageTtl;

    VolumeReverter(String backend, VolumeDriver driver, VolumeRepository volumes, SnapshotRepository snapshots,
                   VolumeTransitions transitions, MessageRepository messages, Clock clock, Duration messageTtl) {
        this.backend = requireNonNull(backend, "backend");
        this.driver = requireNonNull(driver, "driver");
        this.volumes = requireNonNull(volumes, "volumes");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.transitions = requireNonNull(transitions, "transitions");
        this.messages = requireNonNull(messages, "messages");
        this.clock = requireNonNull(clock, "clock");
        this.messageTtl = requireNonNull(messageTtl, "messageTtl");
    }

    VolumeManager.Outcome revert(RevertToSnapshot request) {
        Optional<Volume> volume = volumes.find(request.volumeId());
        Optional<Snapshot> snapshot = snapshots.find(request.snapshotId());
        if (volume.isEmpty() || snapshot.isEmpty()) {
            LOG.info("volume {} or snapshot {} is gone; nothing to revert", request.volumeId(), request.snapshotId());
            return VolumeManager.Outcome.SKIPPED;
        }
        return revert(volume.get(), snapshot.get(), request.requestId());
    }

    /** Redoes the revert a stopped service left in flight, to the volume's {@code restoring} snapshot. */
    void recoverReverting(String volumeId) {
        Optional<Volume> volume = volumes.find(volumeId);
        if (volume.isEmpty()) {
            return;
        }
        Optional<Snapshot> restoring = snapshots.forVolume(volumeId).stream()
                .filter(s -> s.status() == SnapshotStatus.RESTORING).reduce((first, second) -> second);
        try {
            if (restoring.isEmpty()) {
                volumes.markError(volumeId, Set.of(VolumeStatus.REVERTING), SNAPSHOT_UNKNOWN);
                return;
            }
            LOG.info("finishing the revert of volume {} to snapshot {} left in flight", volumeId, restoring.get().id());
            revert(volume.get(), restoring.get(), null);
        } catch (RuntimeException e) {
            LOG.error("cannot finish reverting volume {}", volumeId, e);
        }
    }

    private VolumeManager.Outcome revert(Volume volume, Snapshot snapshot, String requestId) {
        if (volume.status() != VolumeStatus.REVERTING || !backend.equals(volume.backend())
                || snapshot.status() != SnapshotStatus.RESTORING || !snapshot.volumeId().equals(volume.id())) {
            LOG.info("not reverting volume {} ({} on {}) to snapshot {} ({})", volume.id(), volume.status().apiName(),
                    volume.host(), snapshot.id(), snapshot.status().apiName());
            return VolumeManager.Outcome.SKIPPED;
        }
        try {
            DriverCapabilities.require(driver, RevertCapable.class, "revert volumes to snapshots")
                    .revertToSnapshot(new SnapshotSpec(snapshot.id(), volume.id(), snapshot.volumeSize()));
        } catch (RuntimeException e) {
            LOG.error("the {} driver failed to revert volume {} to snapshot {}", driver.name(), volume.id(),
                    snapshot.id(), e);
            if (transitions.endRevert(volume.id(), snapshot.id(), VolumeStatus.ERROR,
                    REVERT_FAILED + SnapshotManager.describe(e))) {
                leaveMessage(volume, requestId);
            }
            return VolumeManager.Outcome.FAILED;
        }
        if (!transitions.endRevert(volume.id(), snapshot.id(), VolumeStatus.AVAILABLE, null)) {
            LOG.warn("volume {} was reverted on {} but changed status meanwhile", volume.id(), backend);
            return VolumeManager.Outcome.SKIPPED;
        }
        LOG.info("volume {} reverted to snapshot {} on {}", volume.id(), snapshot.id(), backend);
        return VolumeManager.Outcome.DONE;
    }

    private void leaveMessage(Volume volume, String requestId) {
        try {
            messages.create(WorkFailureMessages.revertFailed(volume.projectId(), requestId, volume.id(),
                    clock.instant(), messageTtl));
        } catch (RuntimeException e) {
            LOG.error("could not record the user message for volume {}", volume.id(), e);
        }
    }
}
