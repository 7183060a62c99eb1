package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.MessageRepository;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.driver.SnapshotCapable;
import dev.basalt.driver.SnapshotManageCapable;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.model.QuotaResources;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.rpc.ManageExistingSnapshot;
import dev.basalt.rpc.ManageableSnapshots;
import dev.basalt.rpc.UnmanageSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manages and unmanages snapshots of this backend's volumes (Cinder's
 * {@code manage_existing_snapshot} and {@code delete_snapshot(unmanage_only)} in its volume
 * manager), idempotently.
 *
 * <p>A managed snapshot's row is written {@code creating} by the API with its reference, its
 * {@code snapshots} and (the volume's size in) {@code gigabytes} reserved. Here, in Cinder's order,
 * the driver says the size the snapshot has ({@link SnapshotManageCapable#manageableSnapshotSize});
 * that size is recorded and the {@code gigabytes} reservation moved to it within the limits the API
 * sent (over them: {@code error}, nothing touched on the storage); then the driver adopts the storage
 * and the snapshot becomes {@code available}, its quota committed. A bad reference, or a driver that
 * cannot manage snapshots, fails the snapshot ({@code error}, quota given back) with a user message
 * saying why; deleting such a snapshot removes nothing from the storage, which was never adopted (or
 * was let go again).
 *
 * <p>An {@code unmanaging} snapshot is let go by the driver (its bytes stay; a driver that cannot
 * manage snapshots keeps the snapshot's storage as it is, as Cinder's default
 * {@code unmanage_snapshot}) and its row goes, its quota given back; a driver failure leaves it
 * {@code error_deleting}, as Cinder.
 */
final class SnapshotAdoptions {
    static final String STOPPED_WHILE_MANAGING = "the volume service stopped while managing the snapshot, before"
            + " the storage was adopted";

    private static final Logger LOG = LoggerFactory.getLogger(SnapshotAdoptions.class);
    private static final Set<SnapshotStatus> CREATING = Set.of(SnapshotStatus.CREATING);
    private static final Set<SnapshotStatus> UNMANAGING = Set.of(SnapshotStatus.UNMANAGING);

    private final String backend;
    private final VolumeDriver driver;
    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final MessageRepository messages;
    private final Clock clock;
    private final Duration messageTtl;

    SnapshotAdoptions(String backend, VolumeDriver driver, SnapshotRepository snapshots, VolumeRepository volumes,
                      MessageRepository messages, Clock clock, Duration messageTtl) {
        this.backend = requireNonNull(backend, "backend");
        this.driver = requireNonNull(driver, "driver");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.volumes = requireNonNull(volumes, "volumes");
        this.messages = requireNonNull(messages, "messages");
        this.clock = requireNonNull(clock, "clock");
        this.messageTtl = requireNonNull(messageTtl, "messageTtl");
    }

    /** What snapshots the storage holds that could be managed; nothing when the driver cannot manage them. */
    ManageableSnapshots manageable() {
        if (!(driver instanceof SnapshotManageCapable manager)) {
            return new ManageableSnapshots(List.of());
        }
        return new ManageableSnapshots(manager.manageableSnapshots(snapshots.idsOnBackend(backend)).stream()
                .map(s -> new ManageableSnapshots.Entry(s.reference(), s.sizeGib(), s.safeToManage(),
                        s.reasonNotSafe(), s.cinderId(), s.extraInfo(), s.sourceReference()))
                .toList());
    }

    /** Whether the snapshot is one being (or once) managed from existing storage, not one Basalt took. */
    boolean isManaged(Snapshot snapshot) {
        return snapshots.manageReference(snapshot.id()).isPresent();
    }

    VolumeManager.Outcome manage(ManageExistingSnapshot request) {
        Optional<Snapshot> found = snapshots.find(request.snapshotId());
        if (found.isEmpty()) {
            LOG.info("snapshot {} is gone; nothing to manage", request.snapshotId());
            return VolumeManager.Outcome.SKIPPED;
        }
        Snapshot snapshot = found.get();
        if (snapshot.status() != SnapshotStatus.CREATING || !ownsVolumeOf(snapshot)) {
            LOG.info("not managing snapshot {}: it is {}", snapshot.id(), snapshot.status().apiName());
            return VolumeManager.Outcome.SKIPPED;
        }
        String reference = request.reference() != null ? request.reference()
                : snapshots.manageReference(snapshot.id()).filter(r -> !r.isEmpty()).orElse(null);
        if (reference == null) {
            return fail(snapshot, request.requestId(), "Manage existing snapshot failed due to invalid backend"
                    + " reference: Reference must contain source-name element.", null);
        }
        SnapshotManageCapable manager;
        try {
            manager = DriverCapabilities.require(driver, SnapshotManageCapable.class, "manage existing snapshots");
            if (manager.hasSnapshot(snapshot.id())) {
                // Adopted by an earlier delivery of this message: only finishing is left.
                return finish(snapshot, reference);
            }
        } catch (RuntimeException e) {
            return fail(snapshot, request.requestId(), "Manage existing snapshot failed: "
                    + SnapshotManager.describe(e), e);
        }
        int size;
        try {
            size = manager.manageableSnapshotSize(snapshot.volumeId(), reference);
        } catch (RuntimeException e) {
            return fail(snapshot, request.requestId(), "Manage existing snapshot failed: "
                    + SnapshotManager.describe(e), e);
        }
        try {
            int change = size - snapshot.volumeSize();
            if (!snapshots.sizeManaged(snapshot.id(), size, change > 0
                    ? reservation(snapshot, change, request.gigabyteLimits()) : null,
                    change < 0 ? gigabytes(snapshot, -change) : Map.of())) {
                LOG.info("snapshot {} stopped being managed meanwhile", snapshot.id());
                return VolumeManager.Outcome.SKIPPED;
            }
        } catch (QuotaExceededException e) {
            return fail(snapshot, request.requestId(), "Manage existing snapshot failed: its " + size + " GiB exceed"
                    + " the project's quota (" + e.getMessage() + ").", null);
        }
        try {
            manager.manageExistingSnapshot(snapshot.id(), snapshot.volumeId(), reference);
        } catch (RuntimeException e) {
            release(snapshot);
            return fail(snapshot, request.requestId(), "Manage existing snapshot failed: "
                    + SnapshotManager.describe(e), e);
        }
        return finish(snapshot, reference);
    }

    private VolumeManager.Outcome finish(Snapshot snapshot, String reference) {
        if (!snapshots.markAvailable(snapshot.id())) {
            LOG.warn("snapshot {} was managed on {} but changed status meanwhile", snapshot.id(), backend);
            return VolumeManager.Outcome.SKIPPED;
        }
        LOG.info("{} is now snapshot {} of volume {} on {}", reference, snapshot.id(), snapshot.volumeId(), backend);
        return VolumeManager.Outcome.DONE;
    }

    VolumeManager.Outcome unmanage(UnmanageSnapshot request) {
        Optional<Snapshot> found = snapshots.find(request.snapshotId());
        if (found.isEmpty()) {
            LOG.debug("snapshot {} is already gone", request.snapshotId());
            return VolumeManager.Outcome.SKIPPED;
        }
        return unmanage(found.get());
    }

    private VolumeManager.Outcome unmanage(Snapshot snapshot) {
        if (snapshot.status() != SnapshotStatus.UNMANAGING || !ownsVolumeOf(snapshot)) {
            LOG.info("not unmanaging snapshot {}: it is {}", snapshot.id(), snapshot.status().apiName());
            return VolumeManager.Outcome.SKIPPED;
        }
        try {
            if (driver instanceof SnapshotManageCapable manager) {
                manager.unmanageSnapshot(snapshot.id(), snapshot.volumeId());
            }
        } catch (RuntimeException e) {
            LOG.error("the {} driver failed to unmanage snapshot {}", driver.name(), snapshot.id(), e);
            snapshots.markFailed(snapshot.id(), UNMANAGING, SnapshotStatus.ERROR_DELETING,
                    "The volume driver failed to unmanage the snapshot: " + SnapshotManager.describe(e));
            return VolumeManager.Outcome.FAILED;
        }
        snapshots.delete(snapshot.id());
        LOG.info("snapshot {} unmanaged from {}; its storage is kept", snapshot.id(), backend);
        return VolumeManager.Outcome.DONE;
    }

    /**
     * Ends a snapshot manage a service stopped in the middle of: when the driver adopted the storage
     * already the snapshot is finished at its recorded size, else it fails ({@code error}).
     */
    void recoverManaging(Snapshot snapshot) {
        try {
            if (driver instanceof SnapshotCapable capable && capable.hasSnapshot(snapshot.id())) {
                if (snapshots.markAvailable(snapshot.id())) {
                    LOG.info("finished managing snapshot {}, adopted before the service stopped", snapshot.id());
                }
                return;
            }
            if (snapshots.markFailed(snapshot.id(), CREATING, SnapshotStatus.ERROR, STOPPED_WHILE_MANAGING)) {
                leaveMessage(snapshot, null, STOPPED_WHILE_MANAGING);
            }
        } catch (RuntimeException e) {
            LOG.error("cannot finish managing snapshot {}", snapshot.id(), e);
        }
    }

    /**
     * Lets go of what a failed manage may have adopted already (a snapshot failed while its service
     * was down, or a driver that failed half way), so that deleting the failed snapshot never wipes
     * the storage it was to adopt.
     */
    void release(Snapshot snapshot) {
        if (!(driver instanceof SnapshotManageCapable manager)) {
            return;
        }
        try {
            if (manager.hasSnapshot(snapshot.id())) {
                manager.unmanageSnapshot(snapshot.id(), snapshot.volumeId());
                LOG.warn("snapshot {} failed to be managed; the storage it had adopted is kept, unmanaged",
                        snapshot.id());
            }
        } catch (RuntimeException e) {
            LOG.error("cannot let go of the storage adopted for snapshot {}", snapshot.id(), e);
        }
    }

    /** Finishes an unmanage a service stopped in the middle of (unmanaging is idempotent). */
    void recoverUnmanaging(Snapshot snapshot) {
        try {
            unmanage(snapshot);
        } catch (RuntimeException e) {
            LOG.error("cannot finish unmanaging snapshot {}", snapshot.id(), e);
        }
    }

    private boolean ownsVolumeOf(Snapshot snapshot) {
        Optional<Volume> volume = volumes.find(snapshot.volumeId());
        return volume.isPresent() && backend.equals(volume.get().backend());
    }

    private VolumeManager.Outcome fail(Snapshot snapshot, String requestId, String reason, RuntimeException cause) {
        if (cause != null) {
            LOG.warn("snapshot {} could not be managed on {}: {}", snapshot.id(), backend, reason, cause);
        } else {
            LOG.warn("snapshot {} could not be managed on {}: {}", snapshot.id(), backend, reason);
        }
        if (snapshots.markFailed(snapshot.id(), CREATING, SnapshotStatus.ERROR, reason)) {
            leaveMessage(snapshot, requestId, reason);
        }
        return VolumeManager.Outcome.FAILED;
    }

    private void leaveMessage(Snapshot snapshot, String requestId, String reason) {
        try {
            messages.create(WorkFailureMessages.snapshotManageFailed(snapshot.projectId(), requestId, snapshot.id(),
                    reason, clock.instant(), messageTtl));
        } catch (RuntimeException e) {
            LOG.error("could not record the user message for snapshot {}", snapshot.id(), e);
        }
    }

    /** The snapshot's {@code gigabytes} and per-type {@code gigabytes}, {@code amount} of each. */
    private static Map<String, Long> gigabytes(Snapshot snapshot, int amount) {
        Map<String, Long> deltas = new LinkedHashMap<>();
        deltas.put(QuotaResources.GIGABYTES, (long) amount);
        if (snapshot.volumeTypeId() != null) {
            deltas.put(QuotaResources.keyOfType(QuotaResources.GIGABYTES, snapshot.volumeTypeId()), (long) amount);
        }
        return deltas;
    }

    /**
     * {@code more} GiB of the snapshot's {@code gigabytes} and per-type {@code gigabytes} on top of
     * what the API reserved, within the limits the API sent.
     */
    private static QuotaReservation reservation(Snapshot snapshot, int more, Map<String, Integer> limits) {
        Map<String, Long> deltas = gigabytes(snapshot, more);
        Map<String, Integer> applied = deltas.keySet().stream()
                .collect(Collectors.toMap(k -> k, k -> limits.getOrDefault(k, -1)));
        return QuotaReservation.of(snapshot.projectId(), deltas, applied);
    }
}
