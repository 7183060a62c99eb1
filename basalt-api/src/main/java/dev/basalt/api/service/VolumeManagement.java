package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.ApiSettings;
import dev.basalt.api.RequestContext;
import dev.basalt.bus.BusTimeoutException;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Ids;
import dev.basalt.db.EncryptionRepository;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTransitions;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.BackendName;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.ManageExisting;
import dev.basalt.rpc.ManageableVolumes;
import dev.basalt.rpc.ManageableVolumesQuery;
import dev.basalt.rpc.UnmanageVolume;
import dev.basalt.rpc.VolumeRpc;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Managing existing storage as volumes and letting volumes go, by Cinder's rules
 * ({@code volume/api.py} {@code manage_existing}, {@code get_manageable_volumes} and
 * {@code delete(unmanage_only=True)}).
 *
 * <p>A manage names the volume service by {@code host@backend[#pool]}: it must be registered
 * (400 {@code Host '…' not found}), enabled and up (400 {@code Service is unavailable at this
 * time.}); Basalt has no clusters, so a cluster is never found. A {@code volume-<id>} reference of a
 * volume Basalt has is refused (400, already managed). The row is written {@code managing}
 * (shown as {@code creating}) with {@code volumes} reserved (over quota: 413, no row) and the
 * service asked to adopt the storage; it learns the size, reserves {@code gigabytes} within the
 * limits sent with the request and ends the volume {@code available}, or {@code error_managing}
 * (shown as {@code error}) with a user message. The placement check goes straight to the named
 * service: Cinder's scheduler only checks that the named backend passes its filters, and the
 * volume service checks the storage itself.
 *
 * <p>An unmanage is a delete's rules without {@code cascade} or {@code force} (status
 * {@code available}, {@code error}, {@code error_restoring}, {@code error_extending} or
 * {@code error_managing}; not attached, not in a group, no snapshots, no volume being made from it),
 * and an encrypted volume is refused; the volume is then {@code unmanaging} until its service lets
 * go of it and removes the row.
 */
public final class VolumeManagement {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeManagement.class);
    private static final String VOLUME_PREFIX = "volume-";

    private final ApiSettings settings;
    private final VolumeRepository volumes;
    private final VolumeTypeRepository types;
    private final DefaultTypes defaultTypes;
    private final EncryptionRepository encryption;
    private final ServiceRepository services;
    private final VolumeTransitions transitions;
    private final Quotas quotas;
    private final VolumeRpc volumeServices;
    private final Clock clock;
    private final Duration callTimeout;

    public VolumeManagement(ApiSettings settings, VolumeRepository volumes, VolumeTypeRepository types,
                            DefaultTypes defaultTypes, EncryptionRepository encryption, ServiceRepository services,
                            VolumeTransitions transitions, Quotas quotas, VolumeRpc volumeServices, Clock clock,
                            Duration callTimeout) {
        this.settings = requireNonNull(settings, "settings");
        this.volumes = requireNonNull(volumes, "volumes");
        this.types = requireNonNull(types, "types");
        this.defaultTypes = requireNonNull(defaultTypes, "defaultTypes");
        this.encryption = requireNonNull(encryption, "encryption");
        this.services = requireNonNull(services, "services");
        this.transitions = requireNonNull(transitions, "transitions");
        this.quotas = requireNonNull(quotas, "quotas");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
        this.clock = requireNonNull(clock, "clock");
        this.callTimeout = requireNonNull(callTimeout, "callTimeout");
    }

    /** Writes the {@code managing} volume and asks its service to adopt the storage; the new row. */
    public Volume manage(RequestContext context, NewManagedVolume request) {
        VolumeType type = resolveType(context, request.volumeType());
        if (request.reference() != null && request.reference().startsWith(VOLUME_PREFIX)) {
            String id = request.reference().substring(VOLUME_PREFIX.length());
            if (Ids.isUuidLike(id) && volumes.findRow(id).isPresent()) {
                throw BasaltException.badRequest("Invalid volume: Unable to manage existing volume. The volume is"
                        + " already managed");
            }
        }
        if (encryption.forType(type.id()).isPresent()) {
            throw BasaltException.badRequest("Invalid volume type: Managing to an encrypted volume type is not"
                    + " supported.");
        }
        ServiceRecord service = service(request.host(), request.cluster());
        String zone = request.availabilityZone() != null ? request.availabilityZone() : service.availabilityZone();
        String host = request.host().indexOf('#') >= 0 ? request.host() : service.host();
        boolean multiattach = "<is> True".equals(type.extraSpecs().get("multiattach"));
        Volume row = new Volume(Ids.newId(), context.projectId(), context.userId(), request.name(),
                request.description(), 0, VolumeStatus.MANAGING, AttachStatus.DETACHED, zone, host, type.id(),
                request.bootable(), multiattach, null, null, service.uuid(), null, request.metadata(),
                StoredTime.now(clock), null, null, Map.of(), null, null);
        try {
            volumes.create(row, quotas.forManagedVolume(context.projectId(), type));
        } catch (QuotaExceededException e) {
            LOG.info("{} managing {} refused to project {}: {}", context.requestId(), request.shownReference(),
                    context.projectId(), e.getMessage());
            throw new OverQuotaException(e, Quotas.nameOf(e.resource(), type));
        }
        try {
            volumeServices.manageExisting(BackendName.backendOf(host), new ManageExisting(row.id(),
                    request.reference(), context.requestId(), quotas.gigabyteLimits(context.projectId(), type)));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask {} to manage {}", context.requestId(), host, request.shownReference(), e);
            volumes.delete(row.id());
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "The volume service could not be reached; nothing was managed. Try again later.");
        }
        LOG.info("{} managing {} on {} as volume {} for project {}", context.requestId(), request.shownReference(),
                host, row.id(), context.projectId());
        return volumes.find(row.id()).orElse(row);
    }

    /** What the storage of the named service holds that could be managed, unsorted. */
    public List<ManageableVolumes.Entry> manageable(RequestContext context, String host, String cluster) {
        ServiceRecord service = service(host, cluster);
        try {
            return volumeServices.manageableVolumes(service.host(), new ManageableVolumesQuery(context.requestId()),
                    callTimeout).volumes();
        } catch (BusTimeoutException e) {
            throw new BasaltException(Fault.BAD_GATEWAY, "The volume service " + service.host()
                    + " did not answer in time; try again later.");
        }
    }

    /** Starts letting the volume go, its storage kept. */
    public void unmanage(RequestContext context, Volume volume) {
        if (volume.encryptionKeyId() != null) {
            throw BasaltException.badRequest("Unmanaging encrypted volumes is not supported.");
        }
        if (volume.groupId() != null) {
            throw BasaltException.badRequest(VolumeDeletion.NOT_DELETABLE);
        }
        if (volume.host() == null && volumes.deleteIfUnplaced(volume.id())) {
            // As Cinder: a volume no service holds has nothing to unmanage; its row goes.
            LOG.info("{} volume {} was never placed; removed it", context.requestId(), volume.id());
            return;
        }
        VolumeTransitions.DeleteResult result = transitions.beginUnmanage(volume.id(), VolumeDeletion.DELETABLE);
        switch (result.outcome()) {
            case DONE -> { }
            case NOT_FOUND -> throw VolumeService.notFound(volume.id());
            default -> throw BasaltException.badRequest(VolumeDeletion.NOT_DELETABLE);
        }
        Volume current = volumes.findRow(volume.id()).orElse(volume);
        try {
            volumeServices.unmanageVolume(current.backend(), new UnmanageVolume(volume.id(), context.requestId()));
        } catch (RuntimeException e) {
            LOG.error("{} could not ask {} to unmanage volume {}", context.requestId(), current.backend(), volume.id(), e);
            volumes.transition(volume.id(), Set.of(VolumeStatus.UNMANAGING), volume.status());
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "The volume service could not be reached; the volume was not unmanaged. Try again later.");
        }
        LOG.info("{} volume {} is being unmanaged by {}", context.requestId(), volume.id(), current.backend());
    }

    /** The enabled, running volume service of {@code host@backend}, as Cinder finds it (400 otherwise). */
    ServiceRecord service(String host, String cluster) {
        if (host == null) {
            throw BasaltException.badRequest("Cluster '%s' not found", cluster);
        }
        String backend = BackendName.backendOf(host);
        Optional<ServiceRecord> found = services.find(backend, VolumeRpc.BINARY);
        if (found.isEmpty()) {
            throw BasaltException.badRequest("Host '%s' not found", host);
        }
        ServiceRecord service = found.get();
        if (service.disabled() || !service.isUp(clock.instant(), settings.serviceDownTime())) {
            throw BasaltException.badRequest("Service is unavailable at this time.");
        }
        return service;
    }

    private VolumeType resolveType(RequestContext context, String requested) {
        if (requested != null && !requested.isEmpty()) {
            try {
                return TypeLookup.byNameOrId(types, requested);
            } catch (BasaltException e) {
                if (e.fault() != Fault.NOT_FOUND) {
                    throw e;
                }
                throw BasaltException.badRequest("Invalid volume type: Cannot find requested '%s' volume type",
                        requested);
            }
        }
        return defaultTypes.forProject(context.projectId()).orElseThrow(() -> new BasaltException(Fault.INTERNAL,
                "The request cannot be fulfilled as the default volume type " + settings.defaultVolumeType()
                        + " cannot be found."));
    }
}
