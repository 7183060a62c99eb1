package dev.basalt.scheduler;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.MessageRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.VolumeMoves;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.BackendName;
import dev.basalt.model.PoolCapacity;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.UserMessage;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.MigrateVolume;
import dev.basalt.rpc.RetypeVolume;
import dev.basalt.rpc.VolumeRpc;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's part of a retype and a migration (Cinder's {@code find_retype_backend} and
 * {@code backend_passes_filters}).
 *
 * <p>Retype: the volume's own pool is checked against the new type (its extra specs, and the zones the
 * type allows, else the volume's zone) without counting the volume's size again, as it is already
 * there; if it passes, the volume service retypes in place. Otherwise, with {@code on-demand}, the best
 * other pool that passes for the volume's size gets it (the volume service migrates it); with
 * {@code never} (the default), or when no pool passes, the volume goes back to its status and a user
 * message says no backend was found (Cinder's asynchronous failure).
 *
 * <p>Migration: the named destination ({@code host@backend}, any pool of it, or {@code host@backend#pool})
 * must pass the filters for the volume as it is; otherwise the migration ends in {@code error}.
 *
 * <p>Each handler leaves a volume that is no longer {@code retyping} (or migrating) alone, so a
 * message delivered twice does nothing more.
 */
final class VolumeMover {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeMover.class);

    private final VolumeRepository volumes;
    private final VolumeMoves moves;
    private final VolumeTypeRepository types;
    private final ServiceRepository services;
    private final MessageRepository messages;
    private final BackendRegistry registry;
    private final FilterScheduler scheduler;
    private final VolumeRpc volumeServices;
    private final Clock clock;
    private final Duration messageTtl;

    VolumeMover(VolumeRepository volumes, VolumeTypeRepository types, ServiceRepository services,
                MessageRepository messages, BackendRegistry registry, FilterScheduler scheduler,
                VolumeRpc volumeServices, Clock clock, Duration messageTtl) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.moves = new VolumeMoves(volumes);
        this.types = requireNonNull(types, "types");
        this.services = requireNonNull(services, "services");
        this.messages = requireNonNull(messages, "messages");
        this.registry = requireNonNull(registry, "registry");
        this.scheduler = requireNonNull(scheduler, "scheduler");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
        this.clock = requireNonNull(clock, "clock");
        this.messageTtl = requireNonNull(messageTtl, "messageTtl");
    }

    void retype(RetypeVolume request) {
        Optional<Volume> found = volumes.findRow(request.volumeId());
        if (found.isEmpty() || found.get().status() != VolumeStatus.RETYPING || found.get().host() == null) {
            LOG.info("volume {} is not retyping; nothing to schedule", request.volumeId());
            return;
        }
        Volume volume = found.get();
        Optional<VolumeType> type = types.find(request.newTypeId());
        if (type.isEmpty()) {
            failRetype(volume, request, "volume type " + request.newTypeId() + " is gone");
            return;
        }
        List<String> zones = zonesFor(volume, type.get());
        RequestSpec here = new RequestSpec(volume.id(), 0, zones, type.get().extraSpecs());
        List<PoolCapacity> current = fresh(pool -> pool.location().equals(volume.host()));
        if (!scheduler.rank(current, here).isEmpty()) {
            LOG.info("volume {} stays on {} as type {}", volume.id(), volume.host(), request.newTypeId());
            send(volume, request.to(volume.host()));
            return;
        }
        if (!request.mayMigrate()) {
            failRetype(volume, request, "Current backend not valid for volume " + volume.id() + " with type "
                    + request.newTypeId() + ", migration not allowed");
            return;
        }
        RequestSpec elsewhere = new RequestSpec(volume.id(), volume.size(), zones, type.get().extraSpecs());
        try {
            Placement placement = registry.claim(elsewhere, scheduler, allowedBackends(),
                    pool -> !pool.location().equals(volume.host()));
            LOG.info("volume {} moves from {} to {} to become type {}", volume.id(), volume.host(),
                    placement.location(), request.newTypeId());
            send(volume, request.to(placement.location()));
        } catch (NoValidBackendException e) {
            failRetype(volume, request, "No valid backends for volume " + volume.id() + " with type "
                    + request.newTypeId() + ": " + e.getMessage());
        }
    }

    void migrate(MigrateVolume request) {
        Optional<Volume> found = volumes.findRow(request.volumeId());
        if (found.isEmpty() || !VolumeMoves.STARTING.equals(found.get().migrationStatus())) {
            LOG.info("volume {} is not starting a migration; nothing to schedule", request.volumeId());
            return;
        }
        Volume volume = found.get();
        Map<String, String> specs = volume.volumeTypeId() == null ? Map.of()
                : types.find(volume.volumeTypeId()).map(VolumeType::extraSpecs).orElse(Map.of());
        RequestSpec spec = RequestSpec.forVolume(volume.id(), volume.size(), volume.availabilityZone(), specs);
        String backend = BackendName.backendOf(request.host());
        String pool = BackendName.poolOf(request.host());
        try {
            Placement placement = registry.claim(spec, scheduler, allowedBackends(),
                    p -> p.backend().equals(backend) && (pool == null || pool.equals(p.pool())));
            LOG.info("volume {} migrates from {} to {}", volume.id(), volume.host(), placement.location());
            volumeServices.migrateVolume(volume.backend(), new MigrateVolume(volume.id(), placement.location(),
                    request.forceHostCopy(), request.requestId()));
        } catch (NoValidBackendException e) {
            LOG.warn("volume {} cannot migrate to {}: {}", volume.id(), request.host(), e.getMessage());
            if (moves.finish(volume.id(), VolumeMoves.Ending.failed(VolumeMoves.ERROR))) {
                leave(ScheduleFailureMessages.noBackendFor(ScheduleFailureMessages.ACTION_MIGRATE_VOLUME,
                        volume.projectId(), request.requestId(), volume.id(), clock.instant(), messageTtl));
            }
        } catch (RuntimeException e) {
            LOG.error("could not send the migration of volume {} to {}", volume.id(), volume.backend(), e);
            moves.finish(volume.id(), VolumeMoves.Ending.failed(VolumeMoves.ERROR));
        }
    }

    /** The zones the type allows ({@code RESKEY:availability_zones}), else the volume's own. */
    private static List<String> zonesFor(Volume volume, VolumeType type) {
        String allowed = type.extraSpecs().get(RequestSpec.TYPE_AVAILABILITY_ZONES);
        List<String> zones = new ArrayList<>();
        if (allowed != null) {
            for (String zone : allowed.split(",")) {
                if (!zone.isBlank()) {
                    zones.add(zone.strip());
                }
            }
        }
        if (zones.isEmpty() && volume.availabilityZone() != null) {
            zones.add(volume.availabilityZone());
        }
        return zones;
    }

    private List<PoolCapacity> fresh(Predicate<PoolCapacity> which) {
        Predicate<String> allowed = allowedBackends();
        return registry.pools().stream().filter(p -> allowed.test(p.backend())).filter(which).toList();
    }

    private void send(Volume volume, RetypeVolume request) {
        try {
            volumeServices.retype(volume.backend(), request);
        } catch (RuntimeException e) {
            LOG.error("could not send the retype of volume {} to {}", volume.id(), volume.backend(), e);
            moves.finish(volume.id(), VolumeMoves.Ending.failed(null));
        }
    }

    private void failRetype(Volume volume, RetypeVolume request, String why) {
        LOG.warn("volume {} cannot be retyped to {}: {}", volume.id(), request.newTypeId(), why);
        if (moves.finish(volume.id(), VolumeMoves.Ending.failed(null))) {
            leave(ScheduleFailureMessages.noBackendFor(ScheduleFailureMessages.ACTION_RETYPE_VOLUME,
                    volume.projectId(), request.requestId(), volume.id(), clock.instant(), messageTtl));
        }
    }

    private void leave(UserMessage message) {
        try {
            messages.create(message);
        } catch (RuntimeException e) {
            LOG.error("could not record the user message for volume {}", message.resourceUuid(), e);
        }
    }

    /** Backends whose volume service an operator has not disabled. */
    private Predicate<String> allowedBackends() {
        Set<String> disabled = services.list(null, VolumeRpc.BINARY).stream()
                .filter(ServiceRecord::disabled).map(ServiceRecord::host).collect(Collectors.toSet());
        return backend -> !disabled.contains(backend);
    }
}
