package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.DeleteVolume;
import dev.basalt.rpc.VolumeRpc;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts deleting a volume, for {@code DELETE /volumes/{id}} and the {@code os-force_delete}
 * action, by Cinder's rules: a volume no scheduler placed yet goes at once; a placed one goes to
 * {@code deleting} (from {@code available}, {@code error}, {@code error_restoring},
 * {@code error_extending} or {@code error_managing}; from any status when forced) if it is not
 * attached, no volume is being made from it, and it has no snapshots, unless {@code cascade}: then
 * its snapshots ({@code available} or {@code error}; any status when forced) go to
 * {@code deleting} with it, in one transaction, and its volume service deletes them (oldest first)
 * before the volume.
 */
public final class VolumeDeletion {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeDeletion.class);

    /** Statuses a volume may be deleted from without {@code force} (Cinder's list). */
    static final Set<VolumeStatus> DELETABLE = EnumSet.of(VolumeStatus.AVAILABLE, VolumeStatus.ERROR,
            VolumeStatus.ERROR_RESTORING, VolumeStatus.ERROR_EXTENDING, VolumeStatus.ERROR_MANAGING);
    static final String NOT_DELETABLE = "Invalid volume: Volume status must be available or error or"
            + " error_restoring or error_extending or error_managing and must not be migrating, attached, belong to"
            + " a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume"
            + " transfer.";
    static final String FORCE_NOT_DELETABLE = "Invalid volume: Volume must not be migrating, attached,"
            + " belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after"
            + " volume transfer.";

    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;
    private final VolumeTransitions transitions;
    private final VolumeRpc volumeServices;

    public VolumeDeletion(VolumeRepository volumes, SnapshotRepository snapshots, VolumeTransitions transitions,
                          VolumeRpc volumeServices) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.transitions = requireNonNull(transitions, "transitions");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
    }

    /**
     * Deletes or starts deleting the volume; a refusal is a 400 naming the reason (404 when gone).
     * A volume in a group is deleted with its group only (Cinder's rule).
     */
    void begin(RequestContext context, Volume requested, boolean force, boolean cascade) {
        if (requested.groupId() != null) {
            throw BasaltException.badRequest(force ? FORCE_NOT_DELETABLE : NOT_DELETABLE);
        }
        start(context, requested, force, cascade);
    }

    /**
     * Starts deleting a volume of a group being deleted with its volumes: from any status, as
     * Cinder's group delete; an attached volume or one with snapshots is still refused.
     */
    void beginInGroup(RequestContext context, Volume volume) {
        start(context, volume, true, false);
    }

    private void start(RequestContext context, Volume requested, boolean force, boolean cascade) {
        String id = requested.id();
        Volume volume = requested;
        if (volume.host() == null) {
            if (volumes.deleteIfUnplaced(id)) {
                LOG.info("{} volume {} was never placed; removed it", context.requestId(), id);
                return;
            }
            volume = volumes.find(id).orElseThrow(() -> VolumeService.notFound(id));
            if (volume.host() == null) {
                throw BasaltException.conflict("Volume %s changed while it was being deleted; try again.", id);
            }
        }
        if (cascade && !force && !context.isAdmin() && hasOtherProjectsSnapshots(volume)) {
            // Left behind by a transfer without snapshots: they are another project's to delete (Cinder's rule).
            throw BasaltException.badRequest(NOT_DELETABLE);
        }
        Set<VolumeStatus> expected = force ? EnumSet.allOf(VolumeStatus.class) : DELETABLE;
        VolumeTransitions.DeleteResult result = transitions.beginDelete(id, expected, cascade, force);
        switch (result.outcome()) {
            case DONE -> { }
            case NOT_FOUND -> throw VolumeService.notFound(id);
            case STATUS, ATTACHED -> throw BasaltException.badRequest(force ? FORCE_NOT_DELETABLE : NOT_DELETABLE);
            case HAS_SNAPSHOTS -> throw BasaltException.badRequest("Invalid volume: Volume %s has %d snapshot(s) (%s):"
                    + " delete them first, or delete the volume together with its snapshots (cascade).", id,
                    result.snapshots().size(), ids(result));
            case SNAPSHOTS_BUSY -> throw BasaltException.badRequest("Invalid volume: Volume %s has snapshots that"
                    + " cannot be deleted now (a snapshot must be available or error): %s.", id, statuses(result));
            case GROUP_SNAPSHOT -> throw BasaltException.badRequest("Invalid volume: Volume %s has snapshots that are"
                    + " part of a group snapshot: delete the group snapshot first.", id);
            case BUSY -> throw BasaltException.badRequest("Invalid volume: A volume is being created from volume %s or"
                    + " from one of its snapshots; delete it when that is done.", id);
            default -> throw new IllegalStateException("unexpected outcome " + result.outcome());
        }
        try {
            volumeServices.deleteVolume(volume.backend(), new DeleteVolume(id, context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask {} to delete volume {}", context.requestId(), volume.backend(), id, e);
            volumes.transition(id, Set.of(VolumeStatus.DELETING), volume.status());
            for (Snapshot s : result.snapshots()) {
                snapshots.transition(s.id(), Set.of(SnapshotStatus.DELETING), s.status());
            }
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "The volume service could not be reached; the volume was not deleted. Try again later.");
        }
        LOG.info("{} volume {} is being deleted by {}{}", context.requestId(), id, volume.backend(),
                result.snapshots().isEmpty() ? "" : " with " + result.snapshots().size() + " snapshot(s)");
    }

    private boolean hasOtherProjectsSnapshots(Volume volume) {
        return snapshots.forVolume(volume.id()).stream().anyMatch(s -> !s.projectId().equals(volume.projectId()));
    }

    private static String ids(VolumeTransitions.DeleteResult result) {
        return result.snapshots().stream().map(Snapshot::id).collect(Collectors.joining(", "));
    }

    private static String statuses(VolumeTransitions.DeleteResult result) {
        return result.snapshots().stream().map(s -> s.id() + " (" + s.status().apiName() + ")")
                .collect(Collectors.joining(", "));
    }
}
