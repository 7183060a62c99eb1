package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Ids;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CreateSnapshot;
import dev.basalt.rpc.DeleteSnapshot;
import dev.basalt.rpc.VolumeRpc;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The snapshot rules, by Cinder's, for every caller. No HTTP and no policy here: callers check
 * policy before the step it guards.
 * <ul>
 *   <li>{@link #visible}: any project's snapshot for an administrator, else only the caller's
 *       project's; 404 otherwise.</li>
 *   <li>{@link #create}: the volume must be placed, not in {@code maintenance} or {@code error},
 *       and {@code available} (also {@code in-use} when the caller allows it); the row is written
 *       {@code creating} while holding the volume's row, reserving in the same transaction
 *       {@code snapshots}, {@code gigabytes} (the volume's size) and the type's
 *       {@code snapshots_<type>} and {@code gigabytes_<type>} (over quota:
 *       {@link OverQuotaException}, no row); then the volume's service takes it.</li>
 *   <li>{@link #delete}: an {@code available} or {@code error} snapshot (any status when forced)
 *       that no volume is being made from goes to {@code deleting} and its volume's service
 *       removes it.</li>
 *   <li>{@link #resetStatus}: any status, whatever the current one (an administrator's repair);
 *       {@link #updateStatus}: a snapshot {@code creating} may become {@code available},
 *       {@code error} or stay {@code creating}, one {@code deleting} may become
 *       {@code error_deleting}.</li>
 * </ul>
 */
public final class SnapshotService {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotService.class);

    /** Statuses a snapshot may be deleted from without force (Cinder's list). */
    static final Set<SnapshotStatus> DELETABLE = EnumSet.of(SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR);
    private static final Map<SnapshotStatus, Set<SnapshotStatus>> UPDATABLE = Map.of(
            SnapshotStatus.CREATING, EnumSet.of(SnapshotStatus.CREATING, SnapshotStatus.AVAILABLE, SnapshotStatus.ERROR),
            SnapshotStatus.DELETING, EnumSet.of(SnapshotStatus.DELETING, SnapshotStatus.ERROR_DELETING));

    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final VolumeService volumeService;
    private final Quotas quotas;
    private final VolumeRpc volumeServices;
    private final Clock clock;

    public SnapshotService(SnapshotRepository snapshots, VolumeRepository volumes, VolumeService volumeService,
                           Quotas quotas, VolumeRpc volumeServices, Clock clock) {
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.volumes = requireNonNull(volumes, "volumes");
        this.volumeService = requireNonNull(volumeService, "volumeService");
        this.quotas = requireNonNull(quotas, "quotas");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
        this.clock = requireNonNull(clock, "clock");
    }

    /** The snapshot the caller may see: any project's for an administrator, else only its own; 404 otherwise. */
    public Snapshot visible(RequestContext context, String id) {
        Optional<Snapshot> found = context.isAdmin() ? snapshots.find(id) : snapshots.find(id, context.projectId());
        return found.orElseThrow(() -> notFound(id));
    }

    /** Cinder's answer to a snapshot that is not there (or not the caller's to see). */
    public static BasaltException notFound(String id) {
        return BasaltException.notFound("Snapshot %s could not be found.", id);
    }

    /**
     * Starts taking a snapshot of {@code volume} for the caller's project; {@code allowInUse} lets
     * an {@code in-use} volume be snapshotted too. The new snapshot, {@code creating}.
     */
    public Snapshot create(RequestContext context, Volume volume, NewSnapshot request, boolean allowInUse) {
        Set<VolumeStatus> allowed = allowInUse ? EnumSet.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE)
                : EnumSet.of(VolumeStatus.AVAILABLE);
        checkSnapshottable(volume, allowed);

        Snapshot row = new Snapshot(Ids.newId(), volume.id(), context.projectId(), context.userId(), request.name(),
                request.description(), SnapshotStatus.CREATING, "0%", volume.size(), volume.volumeTypeId(), null,
                request.metadata(), StoredTime.now(clock), null, volume.encryptionKeyId());
        SnapshotRepository.CreateOutcome created;
        try {
            created = snapshots.create(row, allowed,
                    quotas.forSnapshot(context.projectId(), volume.size(), volume.volumeTypeId()));
        } catch (QuotaExceededException e) {
            LOG.info("{} snapshot of volume {} refused to project {}: {}", context.requestId(), volume.id(),
                    context.projectId(), e.getMessage());
            throw new OverQuotaException(e, quotas.nameOf(e.resource()));
        }
        switch (created) {
            case CREATED -> { }
            case VOLUME_NOT_FOUND -> throw VolumeService.notFound(volume.id());
            case VOLUME_STATUS -> checkSnapshottable(volumeService.visible(context, volume.id()), allowed);
        }
        try {
            volumeServices.createSnapshot(volume.backend(), new CreateSnapshot(row.id(), context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask {} to take snapshot {}", context.requestId(), volume.backend(), row.id(), e);
            snapshots.delete(row.id());
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "The volume service could not be reached; the snapshot was not created. Try again later.");
        }
        LOG.info("{} snapshot {} of volume {} requested by project {}", context.requestId(), row.id(), volume.id(),
                context.projectId());
        return row;
    }

    /** Cinder's checks of a volume to snapshot, each a 400 naming the reason. */
    static void checkSnapshottable(Volume volume, Set<VolumeStatus> allowed) {
        if (volume.host() == null) {
            throw BasaltException.badRequest("Invalid volume: The snapshot cannot be created because volume has not"
                    + " been scheduled to any host.");
        }
        if (volume.status() == VolumeStatus.MAINTENANCE) {
            throw BasaltException.badRequest("Invalid volume: The snapshot cannot be created when the volume is in"
                    + " maintenance mode.");
        }
        if (volume.status() == VolumeStatus.ERROR) {
            throw BasaltException.badRequest("Invalid volume: The snapshot cannot be created when the volume is in"
                    + " error status.");
        }
        if (!allowed.contains(volume.status())) {
            throw BasaltException.badRequest("Invalid volume: Volume %s status must be %s, but current status is: %s.",
                    volume.id(), String.join(", ", allowed.stream().map(VolumeStatus::apiName).toList()),
                    volume.status().apiName());
        }
    }

    /** Renames the snapshot as {@code changes} say; the snapshot as it is then. */
    public Snapshot update(RequestContext context, Snapshot snapshot, SnapshotChanges changes) {
        if (!snapshots.rename(snapshot.id(), changes.setName(), changes.name(), changes.setDescription(),
                changes.description())) {
            throw notFound(snapshot.id());
        }
        return visible(context, snapshot.id());
    }

    /** Moves the snapshot to {@code deleting} and asks its volume's service to remove it. */
    public void delete(RequestContext context, Snapshot snapshot, boolean force) {
        Set<SnapshotStatus> expected = force ? EnumSet.allOf(SnapshotStatus.class) : DELETABLE;
        switch (snapshots.beginDelete(snapshot.id(), expected)) {
            case STARTED -> { }
            case NOT_FOUND -> throw notFound(snapshot.id());
            case STATUS -> throw BasaltException.badRequest("Invalid snapshot: Snapshot status must be available or"
                    + " error and must not be part of a group.");
            case IN_USE -> throw BasaltException.badRequest("Invalid snapshot: Snapshot %s is in use: a volume is"
                    + " being created from it.", snapshot.id());
            case GROUP_SNAPSHOT -> throw BasaltException.badRequest(force
                    ? "Invalid snapshot: Snapshot must not be part of a group."
                    : "Invalid snapshot: Snapshot status must be available or error and must not be part of a"
                    + " group.");
        }
        Optional<Volume> volume = volumes.find(snapshot.volumeId());
        try {
            String backend = volume.map(Volume::backend).orElseThrow(() -> new IllegalStateException(
                    "volume " + snapshot.volumeId() + " of snapshot " + snapshot.id() + " is not placed"));
            volumeServices.deleteSnapshot(backend, new DeleteSnapshot(snapshot.id(), context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask the volume service to delete snapshot {}", context.requestId(), snapshot.id(), e);
            snapshots.transition(snapshot.id(), Set.of(SnapshotStatus.DELETING), snapshot.status());
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "The volume service could not be reached; the snapshot was not deleted. Try again later.");
        }
        LOG.info("{} snapshot {} is being deleted", context.requestId(), snapshot.id());
    }

    /** Sets the snapshot's status whatever it is now. */
    public void resetStatus(Snapshot snapshot, SnapshotStatus status) {
        if (!snapshots.resetStatus(snapshot.id(), status)) {
            throw notFound(snapshot.id());
        }
    }

    /**
     * Moves the snapshot to the status named {@code wanted} if its current status allows that
     * (see above), recording {@code progress} (null keeps it); a status that changed meanwhile is a 409.
     */
    public void updateStatus(Snapshot snapshot, String wanted, String progress) {
        Set<SnapshotStatus> allowed = UPDATABLE.get(snapshot.status());
        if (allowed == null) {
            throw BasaltException.badRequest("Snapshot status %s not allowed for update_snapshot_status",
                    snapshot.status().apiName());
        }
        SnapshotStatus next = SnapshotStatus.fromApiName(wanted).filter(allowed::contains)
                .filter(s -> s.apiName().equals(wanted))
                .orElseThrow(() -> BasaltException.badRequest("Provided snapshot status %s not allowed for snapshot"
                        + " with status %s.", wanted, snapshot.status().apiName()));
        if (!snapshots.updateStatus(snapshot.id(), Set.of(snapshot.status()), next, progress)) {
            throw BasaltException.conflict("Snapshot %s changed status meanwhile; try again.", snapshot.id());
        }
    }
}
