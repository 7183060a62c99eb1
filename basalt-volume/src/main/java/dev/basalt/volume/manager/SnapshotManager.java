package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.MessageRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.UserMessage;
import dev.basalt.model.Volume;
import dev.basalt.rpc.CreateSnapshot;
import dev.basalt.rpc.DeleteSnapshot;
import dev.basalt.driver.SnapshotCapable;
import dev.basalt.driver.SnapshotSpec;
import dev.basalt.driver.VolumeDriver;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot work of a volume service: take and remove the snapshots of this backend's volumes,
 * each step idempotent. A snapshot is only touched when its volume lives on this backend and the
 * snapshot is in the status the operation expects.
 */
final class SnapshotManager {
    static final String RESTARTED_WHILE_CREATING = "the volume service restarted while taking the snapshot";

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotManager.class);
    private static final Set<SnapshotStatus> CREATING = Set.of(SnapshotStatus.CREATING);
    private static final Set<SnapshotStatus> DELETING = Set.of(SnapshotStatus.DELETING);

    private final String backend;
    private final VolumeDriver driver;
    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final MessageRepository messages;
    private final Clock clock;
    private final Duration messageTtl;

    SnapshotManager(String backend, VolumeDriver driver, SnapshotRepository snapshots, VolumeRepository volumes,
                    MessageRepository messages, Clock clock, Duration messageTtl) {
        this.backend = requireNonNull(backend, "backend");
        this.driver = requireNonNull(driver, "driver");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.volumes = requireNonNull(volumes, "volumes");
        this.messages = requireNonNull(messages, "messages");
        this.clock = requireNonNull(clock, "clock");
        this.messageTtl = requireNonNull(messageTtl, "messageTtl");
    }

    /** Takes a {@code creating} snapshot of a volume of this backend, then marks it available. */
    VolumeManager.Outcome create(CreateSnapshot request) {
        Optional<Snapshot> found = snapshots.find(request.snapshotId());
        if (found.isEmpty()) {
            LOG.info("snapshot {} is gone; nothing to take", request.snapshotId());
            return VolumeManager.Outcome.SKIPPED;
        }
        Snapshot snapshot = found.get();
        if (snapshot.status() != SnapshotStatus.CREATING || !ownsVolumeOf(snapshot)) {
            LOG.info("not taking snapshot {}: it is {}", snapshot.id(), snapshot.status().apiName());
            return VolumeManager.Outcome.SKIPPED;
        }
        try {
            DriverCapabilities.require(driver, SnapshotCapable.class, "take snapshots")
                    .createSnapshot(new SnapshotSpec(snapshot.id(), snapshot.volumeId(), snapshot.volumeSize()));
        } catch (RuntimeException e) {
            LOG.error("the {} driver failed to take snapshot {} of volume {}", driver.name(), snapshot.id(),
                    snapshot.volumeId(), e);
            if (snapshots.markFailed(snapshot.id(), CREATING, SnapshotStatus.ERROR,
                    "The volume driver failed to take the snapshot: " + describe(e))) {
                leave(WorkFailureMessages.snapshotCreateFailed(snapshot.projectId(), request.requestId(),
                        snapshot.id(), clock.instant(), messageTtl));
            }
            return VolumeManager.Outcome.FAILED;
        }
        if (!snapshots.markAvailable(snapshot.id())) {
            Optional<Snapshot> now = snapshots.find(snapshot.id());
            if (now.isEmpty() || now.get().status() == SnapshotStatus.DELETING) {
                LOG.warn("snapshot {} was deleted while it was being taken; removing what was made", snapshot.id());
                removeQuietly(snapshot.id());
            } else {
                LOG.warn("snapshot {} was taken but changed status meanwhile", snapshot.id());
            }
            return VolumeManager.Outcome.SKIPPED;
        }
        LOG.info("snapshot {} of volume {} ({} GiB) taken on {}", snapshot.id(), snapshot.volumeId(),
                snapshot.volumeSize(), backend);
        return VolumeManager.Outcome.DONE;
    }

    /** Wipes and removes a {@code deleting} snapshot of a volume of this backend, then its row. */
    VolumeManager.Outcome delete(DeleteSnapshot request) {
        Optional<Snapshot> found = snapshots.find(request.snapshotId());
        if (found.isEmpty()) {
            LOG.debug("snapshot {} is already deleted", request.snapshotId());
            return VolumeManager.Outcome.SKIPPED;
        }
        return delete(found.get(), request.requestId());
    }

    /** As {@link #delete(DeleteSnapshot)}, for a snapshot already read. */
    VolumeManager.Outcome delete(Snapshot snapshot, String requestId) {
        if (snapshot.status() != SnapshotStatus.DELETING) {
            LOG.info("not deleting snapshot {}: it is {}", snapshot.id(), snapshot.status().apiName());
            return VolumeManager.Outcome.SKIPPED;
        }
        if (!ownsVolumeOf(snapshot)) {
            LOG.warn("not deleting snapshot {}: its volume does not live on {}", snapshot.id(), backend);
            return VolumeManager.Outcome.SKIPPED;
        }
        try {
            // A driver without snapshots never made one: there is nothing to wipe.
            if (driver instanceof SnapshotCapable capable) {
                capable.deleteSnapshot(snapshot.id());
            }
        } catch (RuntimeException e) {
            LOG.error("the {} driver failed to delete snapshot {}", driver.name(), snapshot.id(), e);
            if (snapshots.markFailed(snapshot.id(), DELETING, SnapshotStatus.ERROR_DELETING,
                    "The volume driver failed to delete the snapshot: " + describe(e))) {
                leave(WorkFailureMessages.snapshotDeleteFailed(snapshot.projectId(), requestId, snapshot.id(),
                        clock.instant(), messageTtl));
            }
            return VolumeManager.Outcome.FAILED;
        }
        snapshots.delete(snapshot.id());
        LOG.info("snapshot {} of volume {} deleted from {}", snapshot.id(), snapshot.volumeId(), backend);
        return VolumeManager.Outcome.DONE;
    }

    /**
     * Fails a snapshot that a service stopped taking: it goes to {@code error} after whatever was
     * made for it is removed (a snapshot taken now would not hold the volume as it was when asked).
     */
    void recoverCreating(Snapshot snapshot, String reason) {
        removeQuietly(snapshot.id());
        if (snapshots.markFailed(snapshot.id(), CREATING, SnapshotStatus.ERROR, reason)) {
            LOG.warn("snapshot {} was being taken when its service stopped; it is now in error", snapshot.id());
        }
    }

    /** Finishes deleting a snapshot that a service stopped deleting. */
    void recoverDeleting(Snapshot snapshot) {
        try {
            delete(snapshot, null);
        } catch (RuntimeException e) {
            LOG.error("cannot finish deleting snapshot {}", snapshot.id(), e);
        }
    }

    private boolean ownsVolumeOf(Snapshot snapshot) {
        Optional<Volume> volume = volumes.find(snapshot.volumeId());
        return volume.isPresent() && backend.equals(volume.get().backend());
    }

    private void removeQuietly(String snapshotId) {
        if (!(driver instanceof SnapshotCapable capable)) {
            return;
        }
        try {
            capable.deleteSnapshot(snapshotId);
        } catch (RuntimeException e) {
            LOG.warn("cannot remove what was made for snapshot {}", snapshotId, e);
        }
    }

    private void leave(UserMessage message) {
        try {
            messages.create(message);
        } catch (RuntimeException e) {
            LOG.error("could not record the user message for {}", message.resourceUuid(), e);
        }
    }

    static String describe(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
