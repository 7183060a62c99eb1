package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.ApiSettings;
import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Ids;
import dev.basalt.db.EncryptionRepository;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Group;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.ImageSource;
import dev.basalt.rpc.ScheduleVolume;
import dev.basalt.rpc.SchedulerRpc;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates volumes, in two steps. {@link #plan} checks the request: its source (see
 * {@link VolumeSources}) or image (see {@link VolumeImages}), its size (a blank volume or one
 * made from an image needs one), its type (the named one, which the
 * project must be allowed to use, else the source's, else the project's default) and its
 * availability zone (see {@link AvailabilityZones#choose}). {@link #create} writes the row
 * {@code creating}, reserving {@code volumes}, {@code gigabytes} and the type's per-type resources
 * in the same transaction (over quota: {@link OverQuotaException}, no row), asks the scheduler to
 * place it (unreachable: the row goes, 503) and waits briefly for it to settle
 * ({@link CreateSettling}); {@link #createFromBackup} answers at once, as Cinder does.
 */
public final class VolumeCreation {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeCreation.class);

    private final ApiSettings settings;
    private final VolumeRepository volumes;
    private final VolumeTypeRepository types;
    private final DefaultTypes defaultTypes;
    private final TypeAccess access;
    private final AvailabilityZones zones;
    private final VolumeSources sources;
    private final VolumeImages images;
    private final VolumeEncryption encryption;
    private final GroupMembership groups;
    private final Quotas quotas;
    private final SchedulerRpc schedulers;
    private final CreateSettling createSettling;
    private final Clock clock;

    public VolumeCreation(ApiSettings settings, VolumeRepository volumes, VolumeTypeRepository types,
                   DefaultTypes defaultTypes, TypeAccess access, AvailabilityZones zones, VolumeSources sources,
                   Quotas quotas, SchedulerRpc schedulers, CreateSettling createSettling, Clock clock,
                   VolumeImages images, EncryptionRepository encryption, EncryptionKeys keys,
                   GroupMembership groups) {
        this.images = requireNonNull(images, "images");
        this.encryption = new VolumeEncryption(encryption, keys);
        this.groups = requireNonNull(groups, "groups");
        this.settings = requireNonNull(settings, "settings");
        this.volumes = requireNonNull(volumes, "volumes");
        this.types = requireNonNull(types, "types");
        this.defaultTypes = requireNonNull(defaultTypes, "defaultTypes");
        this.access = requireNonNull(access, "access");
        this.zones = requireNonNull(zones, "zones");
        this.sources = requireNonNull(sources, "sources");
        this.quotas = requireNonNull(quotas, "quotas");
        this.schedulers = requireNonNull(schedulers, "schedulers");
        this.createSettling = requireNonNull(createSettling, "createSettling");
        this.clock = requireNonNull(clock, "clock");
    }

    VolumePlan plan(RequestContext context, NewVolume request) {
        Optional<VolumeSources.Source> source = sources.resolve(context, request);
        int size = source.isPresent() ? VolumeSources.size(source.get(), request.size()) : blankSize(request.size());

        String requestedType = request.volumeType();
        VolumeType type = source.isPresent() && (requestedType == null || requestedType.isEmpty())
                && source.get().volumeTypeId() != null
                ? TypeLookup.byId(types, source.get().volumeTypeId()) : resolveType(context, requestedType);
        String groupId = request.groupId() == null || request.groupId().isEmpty() ? null : request.groupId();
        Group group = groupId == null ? null : groups.forNewVolume(context, groupId,
                requestedType == null || requestedType.isEmpty() ? null : type);
        String requestedZone = request.availabilityZone();
        if (group != null && requestedZone == null) {
            // As Cinder: a volume in a group lives in the group's zone unless it names one.
            requestedZone = group.availabilityZone();
        }
        String zone = zones.choose(source.isPresent() ? VolumeSources.zone(source.get(), requestedZone)
                : requestedZone, type);
        boolean multiattach = "<is> True".equals(type.extraSpecs().get("multiattach"));
        boolean bootable = source.map(s -> s.volume().bootable()).orElse(false);
        encryption.checkSourceType(type, source);
        String encryptionKeyId = encryption.keyIdFor(type, source, multiattach, request.image() != null);
        ImageSource image = request.image() == null ? null : images.choose(request.image(), size);

        Volume row = new Volume(Ids.newId(), context.projectId(), context.userId(), request.name(),
                request.description(), size, VolumeStatus.CREATING, AttachStatus.DETACHED, zone, null, type.id(),
                bootable, multiattach, source.map(VolumeSources.Source::snapshotId).orElse(null),
                source.map(VolumeSources.Source::sourceVolid).orElse(null), null, null, request.metadata(),
                StoredTime.now(clock), null, null, Map.of(), groupId, encryptionKeyId);
        return new VolumePlan(row, type, source, image);
    }

    /**
     * Writes the planned row {@code creating} and asks the scheduler to place it. A volume made from
     * an image records the image's id with it, so that a create sent again without the image (and
     * the caller's token) fails the volume instead of leaving it blank.
     */
    Volume create(RequestContext context, VolumePlan plan) {
        Volume row = plan.row();
        if (plan.image() != null) {
            Map<String, String> adminMetadata = new HashMap<>(row.adminMetadata());
            adminMetadata.put(Volume.FROM_IMAGE_ID, plan.image().imageId());
            row = row.withAdminMetadata(adminMetadata);
        }
        return create(context, row, plan, null);
    }

    /**
     * Writes the planned row {@code creating}, recording {@code backupId} with it (so a create sent
     * again still restores the backup), and asks the scheduler to place it with the backup's id;
     * answers at once, the volume {@code creating} until its backup service has restored it.
     */
    Volume createFromBackup(RequestContext context, VolumePlan plan, String backupId) {
        Map<String, String> adminMetadata = new HashMap<>(plan.row().adminMetadata());
        adminMetadata.put(Volume.FROM_BACKUP_ID, backupId);
        return create(context, plan.row().withAdminMetadata(adminMetadata), plan, backupId);
    }

    private Volume create(RequestContext context, Volume row, VolumePlan plan, String backupId) {
        int size = row.size();
        try {
            QuotaReservation reservation = quotas.forNewVolume(context.projectId(), size, plan.type());
            if (plan.source().isPresent()) {
                sources.create(plan.source().get(), row, reservation);
            } else {
                volumes.create(row, reservation);
            }
        } catch (QuotaExceededException e) {
            LOG.info("{} volume of {} GiB refused to project {}: {}", context.requestId(), size,
                    context.projectId(), e.getMessage());
            throw new OverQuotaException(e, Quotas.nameOf(e.resource(), plan.type()));
        }
        LOG.info("{} volume {} of {} GiB requested by project {}{}", context.requestId(), row.id(), size,
                context.projectId(), backupId == null ? "" : " from backup " + backupId);
        try (CreateSettling.Waiter settling = createSettling.expect(row.id())) {
            try {
                schedulers.createVolume(new ScheduleVolume(row.id(), context.requestId(), backupId, plan.image()));
            } catch (RuntimeException e) {
                LOG.error("{} could not ask the scheduler to place volume {}", context.requestId(), row.id(), e);
                volumes.deleteIfUnplaced(row.id());
                throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                        "The scheduler could not be reached; the volume was not created. Try again later.");
            }
            if (backupId == null && settling.awaitSettled()) {
                row = volumes.find(row.id()).orElse(row);
            }
        }
        return row;
    }

    private static int blankSize(Integer size) {
        if (size == null) {
            throw BasaltException.badRequest("Invalid input received: Volume size 'None' must be an integer and"
                    + " greater than 0");
        }
        return size;
    }

    private VolumeType resolveType(RequestContext context, String requested) {
        if (requested != null && !requested.isEmpty()) {
            return TypeLookup.byNameOrId(types, requested, t -> access.canUse(context, t));
        }
        return defaultTypes.forProject(context.projectId()).orElseThrow(() -> new BasaltException(Fault.INTERNAL,
                "The request cannot be fulfilled as the default volume type " + settings.defaultVolumeType()
                        + " cannot be found."));
    }
}
