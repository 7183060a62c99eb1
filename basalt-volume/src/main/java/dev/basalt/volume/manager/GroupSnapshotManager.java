package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.MessageRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.driver.SnapshotCapable;
import dev.basalt.driver.SnapshotSpec;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.UserMessage;
import dev.basalt.model.Volume;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group snapshot work of a volume service (Cinder's generic group snapshot path, done in one
 * pass): its members, ordinary snapshots of this backend's volumes, are taken one right after the
 * other with nothing in between (no database write, no message), so they hold the group's volumes
 * as they were within one short window; only then are they settled, each {@code available} or, if
 * the driver failed it, {@code error} with a user message (as Cinder, the members taken stay
 * {@code available} and the group snapshot is {@code error}). The group snapshot settles with its
 * last member ({@link dev.basalt.db.GroupSnapshotRepository}). A delete wipes and removes every
 * {@code deleting} member; one the driver cannot remove is {@code error}, and so is the group
 * snapshot. Each step is idempotent: members no longer in the status the step expects are left.
 */
final class GroupSnapshotManager {
    private static final Logger LOG = LoggerFactory.getLogger(GroupSnapshotManager.class);
    private static final Set<SnapshotStatus> CREATING = Set.of(SnapshotStatus.CREATING);
    private static final Set<SnapshotStatus> DELETING = Set.of(SnapshotStatus.DELETING);

    private final String backend;
    private final VolumeDriver driver;
    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final MessageRepository messages;
    private final Clock clock;
    private final Duration messageTtl;

    GroupSnapshotManager(String backend, VolumeDriver driver, SnapshotRepository snapshots, VolumeRepository volumes,
                         MessageRepository messages, Clock clock, Duration messageTtl) {
        this.backend = requireNonNull(backend, "backend");
        this.driver = requireNonNull(driver, "driver");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.volumes = requireNonNull(volumes, "volumes");
        this.messages = requireNonNull(messages, "messages");
        this.clock = requireNonNull(clock, "clock");
        this.messageTtl = requireNonNull(messageTtl, "messageTtl");
    }

    /** The group snapshot the snapshot is a member of, if any. */
    Optional<String> groupOf(String snapshotId) {
        return snapshots.find(snapshotId).map(Snapshot::groupSnapshotId);
    }

    /** The members of the group snapshot in {@code status} whose volumes live on this backend. */
    List<Snapshot> members(String groupSnapshotId, SnapshotStatus status) {
        List<Snapshot> mine = new ArrayList<>();
        for (Snapshot s : snapshots.forGroupSnapshot(groupSnapshotId)) {
            if (s.status() == status && volumes.find(s.volumeId()).map(Volume::backend).filter(backend::equals)
                    .isPresent()) {
                mine.add(s);
            }
        }
        return mine;
    }

    /** Takes the {@code creating} members together, then settles each (see the class). */
    VolumeManager.Outcome create(String groupSnapshotId, List<Snapshot> members, String requestId) {
        if (members.isEmpty()) {
            LOG.info("group snapshot {} has no member to take here", groupSnapshotId);
            return VolumeManager.Outcome.SKIPPED;
        }
        Map<String, RuntimeException> failed = new LinkedHashMap<>();
        SnapshotCapable capable = null;
        try {
            capable = DriverCapabilities.require(driver, SnapshotCapable.class, "take snapshots");
        } catch (RuntimeException e) {
            members.forEach(s -> failed.put(s.id(), e));
        }
        if (capable != null) {
            for (Snapshot s : members) {
                try {
                    capable.createSnapshot(new SnapshotSpec(s.id(), s.volumeId(), s.volumeSize()));
                } catch (RuntimeException e) {
                    failed.put(s.id(), e);
                }
            }
        }
        for (Snapshot s : members) {
            RuntimeException e = failed.get(s.id());
            if (e != null) {
                LOG.error("the {} driver failed to take snapshot {} of volume {} (group snapshot {})", driver.name(),
                        s.id(), s.volumeId(), groupSnapshotId, e);
                if (snapshots.markFailed(s.id(), CREATING, SnapshotStatus.ERROR,
                        "The volume driver failed to take the snapshot: " + SnapshotManager.describe(e))) {
                    leave(WorkFailureMessages.snapshotCreateFailed(s.projectId(), requestId, s.id(), clock.instant(),
                            messageTtl));
                }
            } else if (!snapshots.markAvailable(s.id())) {
                LOG.warn("snapshot {} of group snapshot {} was taken but changed status meanwhile; removing it",
                        s.id(), groupSnapshotId);
                if (snapshots.find(s.id()).isEmpty()) {
                    removeQuietly(s.id());
                }
            }
        }
        LOG.info("group snapshot {}: {} of {} snapshot(s) taken together on {}", groupSnapshotId,
                members.size() - failed.size(), members.size(), backend);
        return failed.isEmpty() ? VolumeManager.Outcome.DONE : VolumeManager.Outcome.FAILED;
    }

    /** Wipes and removes the {@code deleting} members (see the class). */
    VolumeManager.Outcome delete(String groupSnapshotId, List<Snapshot> members, String requestId) {
        if (members.isEmpty()) {
            LOG.info("group snapshot {} has no member to delete here", groupSnapshotId);
            return VolumeManager.Outcome.SKIPPED;
        }
        int failures = 0;
        for (Snapshot s : members) {
            try {
                if (driver instanceof SnapshotCapable capable) {
                    capable.deleteSnapshot(s.id());
                }
                snapshots.delete(s.id());
            } catch (RuntimeException e) {
                failures++;
                LOG.error("the {} driver failed to delete snapshot {} (group snapshot {})", driver.name(), s.id(),
                        groupSnapshotId, e);
                if (snapshots.markFailed(s.id(), DELETING, SnapshotStatus.ERROR,
                        "The volume driver failed to delete the snapshot: " + SnapshotManager.describe(e))) {
                    leave(WorkFailureMessages.snapshotDeleteFailed(s.projectId(), requestId, s.id(), clock.instant(),
                            messageTtl));
                }
            }
        }
        LOG.info("group snapshot {}: {} of {} snapshot(s) deleted from {}", groupSnapshotId,
                members.size() - failures, members.size(), backend);
        return failures == 0 ? VolumeManager.Outcome.DONE : VolumeManager.Outcome.FAILED;
    }

    private void removeQuietly(String snapshotId) {
        if (driver instanceof SnapshotCapable capable) {
            try {
                capable.deleteSnapshot(snapshotId);
            } catch (RuntimeException e) {
                LOG.warn("cannot remove what was made for snapshot {}", snapshotId, e);
            }
        }
    }

    private void leave(UserMessage message) {
        try {
            messages.create(message);
        } catch (RuntimeException e) {
            LOG.error("could not record the user message for {}", message.resourceUuid(), e);
        }
    }
}
