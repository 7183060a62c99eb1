package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.bus.BusTimeoutException;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Ids;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.ManageExistingSnapshot;
import dev.basalt.rpc.ManageableSnapshots;
import dev.basalt.rpc.ManageableSnapshotsQuery;
import dev.basalt.rpc.UnmanageSnapshot;
import dev.basalt.rpc.VolumeRpc;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Managing existing snapshots and letting snapshots go, by Cinder's rules ({@code volume/api.py}
 * {@code manage_existing_snapshot}, {@code get_manageable_snapshots} and
 * {@code delete_snapshot(unmanage_only=True)}).
 *
 * <p>A manage is a snapshot create of the named volume with {@code force}: the volume's service must
 * be registered, enabled and up (400 {@code Service is unavailable at this time.}), the volume placed,
 * not in {@code maintenance} or {@code error}, and {@code available} or {@code in-use}. The row is
 * written {@code creating} with the storage's reference, reserving {@code snapshots} and the volume's
 * size in {@code gigabytes} (over quota: 413, no row), and the volume's service asked to adopt the
 * storage: it moves the {@code gigabytes} reservation to the snapshot's size within the limits sent
 * and ends the snapshot {@code available}, or {@code error} with a user message.
 *
 * <p>An unmanage is a delete's rules without {@code force} ({@code available} or {@code error}, not a
 * group snapshot's member, no volume being made from it); the snapshot is then {@code unmanaging}
 * until its service lets go of it and removes the row.
 */
public final class SnapshotManagement {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotManagement.class);
    private static final Set<VolumeStatus> SNAPSHOTTABLE = EnumSet.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE);

    private final SnapshotRepository snapshots;
    private final VolumeRepository volumes;
    private final VolumeService volumeService;
    private final VolumeManagement volumeManagement;
    private final Quotas quotas;
    private final VolumeRpc volumeServices;
    private final Clock clock;
    private final Duration callTimeout;

    public SnapshotManagement(SnapshotRepository snapshots, VolumeRepository volumes, VolumeService volumeService,
                              VolumeManagement volumeManagement, Quotas quotas, VolumeRpc volumeServices, Clock clock,
                              Duration callTimeout) {
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.volumes = requireNonNull(volumes, "volumes");
        this.volumeService = requireNonNull(volumeService, "volumeService");
        this.volumeManagement = requireNonNull(volumeManagement, "volumeManagement");
        this.quotas = requireNonNull(quotas, "quotas");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
        this.clock = requireNonNull(clock, "clock");
        this.callTimeout = requireNonNull(callTimeout, "callTimeout");
    }

    /** Writes the {@code creating} snapshot of {@code volume} and asks its service to adopt the storage. */
    public Snapshot manage(RequestContext context, Volume volume, NewManagedSnapshot request) {
        if (volume.host() == null) {
            SnapshotService.checkSnapshottable(volume, SNAPSHOTTABLE);
        }
        volumeManagement.service(volume.host(), null);
        SnapshotService.checkSnapshottable(volume, SNAPSHOTTABLE);
        Snapshot row = new Snapshot(Ids.newId(), volume.id(), context.projectId(), context.userId(), request.name(),
                request.description(), SnapshotStatus.CREATING, "0%", volume.size(), volume.volumeTypeId(), null,
                request.metadata(), StoredTime.now(clock), null, volume.encryptionKeyId());
        SnapshotRepository.CreateOutcome created;
        try {
            created = snapshots.createManaged(row, request.reference() == null ? "" : request.reference(),
                    SNAPSHOTTABLE, quotas.forSnapshot(context.projectId(), volume.size(), volume.volumeTypeId()));
        } catch (QuotaExceededException e) {
            LOG.info("{} managing snapshot {} of volume {} refused to project {}: {}", context.requestId(),
                    request.reference(), volume.id(), context.projectId(), e.getMessage());
            throw new OverQuotaException(e, quotas.nameOf(e.resource()));
        }
        switch (created) {
            case CREATED -> { }
            case VOLUME_NOT_FOUND -> throw VolumeService.notFound(volume.id());
            case VOLUME_STATUS -> SnapshotService.checkSnapshottable(volumeService.visible(context, volume.id()),
                    SNAPSHOTTABLE);
        }
        try {
            volumeServices.manageExistingSnapshot(volume.backend(), new ManageExistingSnapshot(row.id(),
                    request.reference(), context.requestId(),
                    quotas.gigabyteLimits(context.projectId(), volume.volumeTypeId())));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask {} to manage snapshot {}", context.requestId(), volume.backend(),
                    request.reference(), e);
            snapshots.delete(row.id());
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "The volume service could not be reached; nothing was managed. Try again later.");
        }
        LOG.info("{} managing {} of volume {} as snapshot {} for project {}", context.requestId(), request.reference(),
                volume.id(), row.id(), context.projectId());
        return snapshots.find(row.id()).orElse(row);
    }

    /** What snapshots the storage of the named service holds that could be managed, unsorted. */
    public List<ManageableSnapshots.Entry> manageable(RequestContext context, String host, String cluster) {
        ServiceRecord service = volumeManagement.service(host, cluster);
        try {
            return volumeServices.manageableSnapshots(service.host(), new ManageableSnapshotsQuery(context.requestId()),
                    callTimeout).snapshots();
        } catch (BusTimeoutException e) {
            throw new BasaltException(Fault.BAD_GATEWAY, "The volume service " + service.host()
                    + " did not answer in time; try again later.");
        }
    }

    /** Starts letting the snapshot go, its storage kept. */
    public void unmanage(RequestContext context, Snapshot snapshot) {
        switch (snapshots.beginUnmanage(snapshot.id(), SnapshotService.DELETABLE)) {
            case STARTED -> { }
            case NOT_FOUND -> throw SnapshotService.notFound(snapshot.id());
            case STATUS, GROUP_SNAPSHOT -> throw BasaltException.badRequest("Invalid snapshot: Snapshot status must"
                    + " be available or error and must not be part of a group.");
            case IN_USE -> throw BasaltException.badRequest("Invalid snapshot: Snapshot %s is in use: a volume is"
                    + " being created from it.", snapshot.id());
        }
        String backend = volumes.find(snapshot.volumeId()).map(Volume::backend).orElse(null);
        try {
            if (backend == null) {
                throw new IllegalStateException("volume " + snapshot.volumeId() + " of snapshot " + snapshot.id()
                        + " is not placed");
            }
            volumeServices.unmanageSnapshot(backend, new UnmanageSnapshot(snapshot.id(), context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask the volume service to unmanage snapshot {}", context.requestId(),
                    snapshot.id(), e);
            snapshots.transition(snapshot.id(), Set.of(SnapshotStatus.UNMANAGING), snapshot.status());
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "The volume service could not be reached; the snapshot was not unmanaged. Try again later.");
        }
        LOG.info("{} snapshot {} is being unmanaged by {}", context.requestId(), snapshot.id(), backend);
    }
}
