package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.db.AttachmentRepository;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.VolumeMoves;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.ExtendVolume;
import dev.basalt.rpc.VolumeRpc;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The volume rules, by Cinder's (as its {@code cinder/volume/api.py}), for every caller: the
 * volumes API, its actions and whatever else makes or changes volumes (restoring a backup, a
 * transfer). No HTTP here and no policy: callers check policy where the request's policy context
 * is, before the step it guards. Refusals are {@link BasaltException}s (404, 400, 409, 503) and
 * {@link OverQuotaException}.
 * <ul>
 *   <li>{@link #visible}: a caller sees any project's volume if an administrator, else only its
 *       project's; 404 otherwise.</li>
 *   <li>Create, in two steps so a caller can check {@code volume:multiattach} between them:
 *       {@link #plan} checks and resolves a {@link NewVolume} (source, size, type, zone), then
 *       {@link #create} writes the row {@code creating} with its quota reserved and asks the
 *       scheduler to place it (see {@link VolumeCreation}).</li>
 *   <li>{@link #update}: name, description and metadata of any volume not in {@code maintenance}.</li>
 *   <li>{@link #delete}: see {@link VolumeDeletion}.</li>
 *   <li>{@link #extend}: the new size must be larger; the volume must be {@code available} (not
 *       {@code in-use}, which Basalt does not extend yet) with no snapshot being taken and no volume
 *       being made from it; it goes to {@code extending}, reserving the increase of
 *       {@code gigabytes} and {@code gigabytes_<type>} (a new size over {@code per_volume_gigabytes}
 *       or over quota: {@link OverQuotaException}, nothing changes), and its volume service grows
 *       it.</li>
 *   <li>{@link #setBootable}: any volume not in {@code maintenance}; {@link #updateReadonly}: an
 *       {@code available} volume, kept as the admin metadata {@code readonly}.</li>
 *   <li>{@link #resetStatus}: any status but {@code deleting} ({@code in-use} only for a volume
 *       with attachments), {@code migration_status} only {@code none}.</li>
 *   <li>{@link #transition}: the conditional move between statuses that a longer operation (a
 *       backup: {@code available} → {@code backing-up} and back) builds on.</li>
 * </ul>
 */
public final class VolumeService {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeService.class);

    private final VolumeRepository volumes;
    private final VolumeTransitions transitions;
    private final AttachmentRepository attachments;
    private final VolumeCreation creation;
    private final VolumeDeletion deletion;
    private final Quotas quotas;
    private final VolumeRpc volumeServices;

    public VolumeService(VolumeRepository volumes, VolumeTransitions transitions, AttachmentRepository attachments,
                         VolumeCreation creation, VolumeDeletion deletion, Quotas quotas, VolumeRpc volumeServices) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.transitions = requireNonNull(transitions, "transitions");
        this.attachments = requireNonNull(attachments, "attachments");
        this.creation = requireNonNull(creation, "creation");
        this.deletion = requireNonNull(deletion, "deletion");
        this.quotas = requireNonNull(quotas, "quotas");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
    }

    /** The volume the caller may see: any project's for an administrator, else only its own; 404 otherwise. */
    public Volume visible(RequestContext context, String id) {
        Optional<Volume> found = context.isAdmin() ? volumes.find(id) : volumes.find(id, context.projectId());
        return found.orElseThrow(() -> notFound(id));
    }

    /** Checks and resolves a new volume for the caller's project; writes and reserves nothing. */
    public VolumePlan plan(RequestContext context, NewVolume request) {
        return creation.plan(context, request);
    }

    /**
     * Writes the planned row {@code creating} with its quota reserved and asks the scheduler to
     * place it; the volume as it is when the answer is due (still {@code creating}, unless it
     * settled within the configured wait).
     */
    public Volume create(RequestContext context, VolumePlan plan) {
        return creation.create(context, plan);
    }

    /**
     * Writes the planned row {@code creating} with its quota reserved and asks the scheduler to
     * place it and its volume service to have {@code backupId} restored into it; the volume,
     * {@code creating} (answered at once: it stays so until the restore ends).
     */
    public Volume createFromBackup(RequestContext context, VolumePlan plan, String backupId) {
        return creation.createFromBackup(context, plan, backupId);
    }

    /** Applies {@code changes} to a volume not in {@code maintenance}; the volume as it is then. */
    public Volume update(RequestContext context, Volume volume, VolumeChanges changes) {
        refuseInMaintenance(volume);
        if (!volumes.rename(volume.id(), changes.name(), changes.description())) {
            throw notFound(volume.id());
        }
        changes.metadata().ifPresent(metadata -> volumes.replaceMetadata(volume.id(), metadata));
        return visible(context, volume.id());
    }

    /**
     * Deletes the volume or starts deleting it (see {@link VolumeDeletion}); {@code force} deletes
     * from any status, {@code cascade} takes its snapshots with it.
     */
    public void delete(RequestContext context, Volume volume, boolean force, boolean cascade) {
        deletion.begin(context, volume, force, cascade);
    }

    /**
     * Starts growing the volume to {@code newSize} GiB. {@code inUseAsked} is whether the caller
     * speaks a version that may extend {@code in-use} volumes (which Basalt refuses, saying so).
     */
    public void extend(RequestContext context, Volume volume, int newSize, boolean inUseAsked) {
        if (newSize <= volume.size()) {
            throw notLarger(volume.size(), newSize);
        }
        if (volume.status() == VolumeStatus.IN_USE && inUseAsked) {
            throw BasaltException.badRequest("Invalid volume: Extending in-use volumes is not supported by Basalt yet.");
        }
        VolumeTransitions.SizedResult result;
        try {
            result = transitions.beginExtend(volume.id(), newSize,
                    quotas.forExtend(volume.projectId(), newSize, volume.volumeTypeId()));
        } catch (QuotaExceededException e) {
            LOG.info("{} extend of volume {} to {} GiB refused to project {}: {}", context.requestId(), volume.id(),
                    newSize, volume.projectId(), e.getMessage());
            throw new OverQuotaException(e, quotas.nameOf(e.resource()));
        }
        switch (result.outcome()) {
            case DONE -> { }
            case NOT_FOUND -> throw notFound(volume.id());
            case SIZE -> throw notLarger(result.size(), newSize);
            case STATUS -> throw BasaltException.badRequest("Invalid volume: Volume %s status must be available to"
                    + " extend, currently %s.", volume.id(), currentStatus(volume));
            case BUSY -> throw BasaltException.badRequest("Invalid volume: A snapshot of volume %s is being taken or"
                    + " a volume is being created from it; extend it when that is done.", volume.id());
            default -> throw new IllegalStateException("unexpected outcome " + result.outcome());
        }
        try {
            volumeServices.extendVolume(volume.backend(), new ExtendVolume(volume.id(), newSize, context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask {} to extend volume {}", context.requestId(), volume.backend(), volume.id(), e);
            volumes.cancelExtend(volume.id());
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "The volume service could not be reached; the volume was not extended. Try again later.");
        }
        LOG.info("{} volume {} is being extended from {} to {} GiB", context.requestId(), volume.id(), volume.size(),
                newSize);
    }

    /** Marks a volume not in {@code maintenance} bootable or not. */
    public void setBootable(Volume volume, boolean bootable) {
        refuseInMaintenance(volume);
        if (!volumes.setBootable(volume.id(), bootable)) {
            throw notFound(volume.id());
        }
    }

    /** Makes an {@code available} volume read-only or read-write for its next attachments. */
    public void updateReadonly(Volume volume, boolean readonly) {
        if (volume.status() != VolumeStatus.AVAILABLE || !volumes.setAdminMetadata(volume.id(),
                Set.of(VolumeStatus.AVAILABLE), Volume.READONLY, readonly ? "True" : "False")) {
            throw BasaltException.badRequest("Invalid volume: Volume %s status must be available to update readonly"
                    + " flag, but current status is: %s.", volume.id(), currentStatus(volume));
        }
    }

    /**
     * Sets status and attach status whatever they are now (an administrator's repair); a null
     * {@code status} keeps the status, a null {@code attachStatus} the attach status. Both are API
     * names, lower case; a {@code migrationStatus} (Cinder's values, {@code none} for none) is set too.
     */
    public void resetStatus(RequestContext context, Volume volume, String status, String attachStatus,
                            String migrationStatus) {
        if (VolumeStatus.DELETING.apiName().equals(status)) {
            throw BasaltException.badRequest("Cannot reset-state to %s", status);
        }
        if (VolumeStatus.IN_USE.apiName().equals(status) && attachments.ofVolume(volume.id()).isEmpty()) {
            throw BasaltException.badRequest("Cannot reset-state to in-use because volume does not have any"
                    + " attachments.");
        }
        VolumeStatus next = status == null ? volume.status() : VolumeStatus.fromApiName(status).orElseThrow();
        AttachStatus attach = attachStatus == null ? null : AttachStatus.fromApiName(attachStatus);
        if (status != null || attach != null) {
            if (!volumes.resetStatus(volume.id(), next, attach)) {
                throw notFound(volume.id());
            }
        }
        if (migrationStatus != null && !new VolumeMoves(volumes).resetMigrationStatus(volume.id(),
                migrationStatus.equals("none") ? null : migrationStatus)) {
            throw notFound(volume.id());
        }
        LOG.info("{} volume {} reset to status {}{}", context.requestId(), volume.id(), next.apiName(),
                attach == null ? "" : ", attach status " + attach.apiName());
    }

    /**
     * Moves the volume to {@code next} if its status is one of {@code expected}, in one conditional
     * update; false when it is not (or the volume is gone), and nothing changed.
     */
    public boolean transition(String id, Set<VolumeStatus> expected, VolumeStatus next) {
        return volumes.transition(id, expected, next);
    }

    /**
     * Ends a {@code backing-up} no backup service will finish: the volume goes back to
     * {@code in-use} when it is attached (a forced backup of an attached volume), else to
     * {@code available}; false when it is not {@code backing-up} (or is gone).
     */
    public boolean endBackingUp(String id) {
        return volumes.find(id).map(volume -> volumes.transition(id, Set.of(VolumeStatus.BACKING_UP),
                volume.attachStatus() == AttachStatus.ATTACHED ? VolumeStatus.IN_USE : VolumeStatus.AVAILABLE))
                .orElse(false);
    }

    /** Cinder's answer to a volume that is not there (or not the caller's to see). */
    public static BasaltException notFound(String id) {
        return BasaltException.notFound("Volume %s could not be found.", id);
    }

    private String currentStatus(Volume volume) {
        return volumes.find(volume.id()).map(v -> v.status().apiName()).orElse(volume.status().apiName());
    }

    private static void refuseInMaintenance(Volume volume) {
        if (volume.status() == VolumeStatus.MAINTENANCE) {
            throw BasaltException.badRequest("Invalid volume: The volume cannot be updated during maintenance.");
        }
    }

    private static BasaltException notLarger(int size, int newSize) {
        return BasaltException.badRequest("Invalid input received: New size for extend must be greater than current"
                + " size. (current: %d, extended: %d).", size, newSize);
    }
}
