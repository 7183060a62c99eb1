package dev.basalt.scheduler;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.MessageRepository;
import dev.basalt.db.ServiceRepository;
import dev.basalt.db.SnapshotRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.BackendName;
import dev.basalt.model.PoolCapacity;
import dev.basalt.model.ServiceRecord;
import dev.basalt.model.Snapshot;
import dev.basalt.model.UserMessage;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import dev.basalt.rpc.CreateVolume;
import dev.basalt.rpc.ScheduleVolume;
import dev.basalt.rpc.ApiRpc;
import dev.basalt.rpc.VolumeRpc;
import dev.basalt.rpc.VolumeSettled;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places one volume: reads its row and type, asks the registry for the best pool, records the
 * placement and hands the volume to that backend's volume service. Idempotent: a volume that is
 * no longer {@code creating}, or already placed, is left alone. A volume made from a snapshot or
 * from another volume goes where its source lives (Cinder's rule: the source's pool), if that pool
 * passes the filters (capacity included); a volume in a group goes to a pool of its group's backend,
 * as Cinder's group rule. A volume made from a backup is placed as a blank one; the
 * backup's id goes on to its volume service.
 */
final class VolumePlacer {
    private static final Logger LOG = LoggerFactory.getLogger(VolumePlacer.class);
    private static final Set<VolumeStatus> CREATING = Set.of(VolumeStatus.CREATING);

    /** What became of one request. */
    enum Outcome { PLACED, SKIPPED, FAILED }

    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;
    private final VolumeTypeRepository types;
    private final ServiceRepository services;
    private final MessageRepository messages;
    private final BackendRegistry registry;
    private final FilterScheduler scheduler;
    private final VolumeRpc volumeServices;
    private final ApiRpc api;
    private final Clock clock;
    private final Duration messageTtl;

    VolumePlacer(VolumeRepository volumes, SnapshotRepository snapshots, VolumeTypeRepository types,
                 ServiceRepository services, MessageRepository messages, BackendRegistry registry,
                 FilterScheduler scheduler, VolumeRpc volumeServices, ApiRpc api, Clock clock, Duration messageTtl) {
        this.volumes = requireNonNull(volumes, "volumes");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.types = requireNonNull(types, "types");
        this.services = requireNonNull(services, "services");
        this.messages = requireNonNull(messages, "messages");
        this.registry = requireNonNull(registry, "registry");
        this.scheduler = requireNonNull(scheduler, "scheduler");
        this.volumeServices = requireNonNull(volumeServices, "volumeServices");
        this.api = requireNonNull(api, "api");
        this.clock = requireNonNull(clock, "clock");
        this.messageTtl = requireNonNull(messageTtl, "messageTtl");
    }

    /**
     * Places again a volume whose create request may be lost (left {@code creating} and unplaced):
     * with the backup its row records. A volume to be made from an image fails instead, with a
     * message saying so: its image and the caller's token went with the lost request.
     */
    Outcome scheduleAgain(String volumeId) {
        Optional<Volume> found = volumes.find(volumeId);
        if (found.isEmpty()) {
            return Outcome.SKIPPED;
        }
        Volume volume = found.get();
        String imageId = volume.adminMetadata().get(Volume.FROM_IMAGE_ID);
        if (imageId != null) {
            fail(volume, null, imageRequestLost(imageId), false);
            return Outcome.FAILED;
        }
        return schedule(new ScheduleVolume(volume.id(), null, volume.adminMetadata().get(Volume.FROM_BACKUP_ID), null));
    }

    /** Why a volume to be made from image {@code imageId} failed when its create request was lost. */
    static String imageRequestLost(String imageId) {
        return "Image " + imageId + " was not copied into the volume: its create request was lost when a service"
                + " stopped, and with it the credentials to download the image. Delete the volume and create it again.";
    }

    Outcome schedule(ScheduleVolume request) {
        Optional<Volume> found = volumes.findRow(request.volumeId());
        if (found.isEmpty()) {
            LOG.info("volume {} is gone; nothing to schedule", request.volumeId());
            return Outcome.SKIPPED;
        }
        Volume volume = found.get();
        if (volume.status() != VolumeStatus.CREATING || volume.host() != null) {
            LOG.debug("volume {} is {} on {}; already scheduled", volume.id(), volume.status().apiName(), volume.host());
            return Outcome.SKIPPED;
        }
        RequestSpec spec;
        String sourceHost;
        try {
            spec = requestSpec(volume);
            sourceHost = sourceHost(volume);
        } catch (RuntimeException e) {
            LOG.error("cannot schedule volume {}", volume.id(), e);
            fail(volume, request.requestId(), "Scheduling failed: " + e.getMessage(), false);
            return Outcome.FAILED;
        }
        Placement placement;
        try {
            placement = sourceHost == null ? registry.claim(spec, scheduler, allowedBackends())
                    : registry.claim(spec, scheduler, allowedBackends(), atSource(sourceHost));
        } catch (NoValidBackendException e) {
            LOG.warn("no valid backend for volume {} ({} GiB, zones {}, specs {}{}): {}", volume.id(), spec.sizeGib(),
                    spec.availabilityZones(), spec.extraSpecs(), sourceHost == null ? "" : ", source on " + sourceHost,
                    e.getMessage());
            fail(volume, request.requestId(), "No valid backend was found. " + (sourceHost == null ? ""
                    : volume.groupId() != null ? "A volume in a group must be on its group's backend, " + sourceHost
                    + ". " : "A volume made from a snapshot or another volume must be on its source's pool, "
                    + sourceHost + ". ") + e.getMessage(), true);
            return Outcome.FAILED;
        }
        if (!volumes.place(volume.id(), placement.location(), placement.serviceUuid())) {
            registry.release(placement);
            LOG.debug("volume {} was placed or changed meanwhile; leaving it", volume.id());
            return Outcome.SKIPPED;
        }
        try {
            volumeServices.createVolume(placement.pool().backend(), new CreateVolume(volume.id(), request.requestId(),
                    request.backupId(), request.image()));
        } catch (RuntimeException e) {
            LOG.error("placed volume {} on {} but could not reach its volume service", volume.id(),
                    placement.location(), e);
            registry.release(placement);
            fail(volume, request.requestId(), "Scheduling failed: the volume service of "
                    + placement.pool().backend() + " could not be reached: " + e.getMessage(), false);
            return Outcome.FAILED;
        }
        LOG.info("volume {} ({} GiB) placed on {}", volume.id(), spec.sizeGib(), placement.location());
        return Outcome.PLACED;
    }

    private RequestSpec requestSpec(Volume volume) {
        Map<String, String> extraSpecs = Map.of();
        if (volume.volumeTypeId() != null) {
            VolumeType type = types.find(volume.volumeTypeId()).orElseThrow(() -> new IllegalStateException(
                    "volume type " + volume.volumeTypeId() + " does not exist"));
            extraSpecs = type.extraSpecs();
        }
        return RequestSpec.forVolume(volume.id(), volume.size(), volume.availabilityZone(), extraSpecs);
    }

    /**
     * Where the volume's group lives (its backend), else where its source (its snapshot's volume, or
     * its source volume) lives, or null when it has neither. A source that is gone or was never placed fails the scheduling.
     */
    private String sourceHost(Volume volume) {
        if (volume.groupId() != null) {
            // As Cinder: any pool of the group's backend.
            return BackendName.backendOf(volumes.groupHost(volume.groupId()).orElseThrow(() ->
                    new IllegalStateException("group " + volume.groupId() + " is gone or not placed on any backend")));
        }
        String sourceVolumeId = volume.sourceVolid();
        String what = "source volume " + sourceVolumeId;
        if (volume.snapshotId() != null) {
            Snapshot snapshot = snapshots.find(volume.snapshotId()).orElseThrow(() -> new IllegalStateException(
                    "snapshot " + volume.snapshotId() + " does not exist"));
            sourceVolumeId = snapshot.volumeId();
            what = "the volume of snapshot " + snapshot.id();
        }
        if (sourceVolumeId == null) {
            return null;
        }
        Volume source = volumes.findRow(sourceVolumeId).orElseThrow(() -> new IllegalStateException(
                volume.snapshotId() != null ? "the volume of snapshot " + volume.snapshotId() + " does not exist"
                        : "source volume " + volume.sourceVolid() + " does not exist"));
        if (source.host() == null) {
            throw new IllegalStateException(what + " is not placed on any backend");
        }
        return source.host();
    }

    /** Pools at the source's location: its pool when it names one, else any pool of its backend. */
    private static Predicate<PoolCapacity> atSource(String sourceHost) {
        String backend = BackendName.backendOf(sourceHost);
        String pool = BackendName.poolOf(sourceHost);
        return p -> p.backend().equals(backend) && (pool == null || pool.equals(p.pool()));
    }

    /** Backends whose volume service an operator has not disabled. */
    private Predicate<String> allowedBackends() {
        Set<String> disabled = services.list(null, VolumeRpc.BINARY).stream()
                .filter(ServiceRecord::disabled).map(ServiceRecord::host).collect(Collectors.toSet());
        return backend -> !disabled.contains(backend);
    }

    private void fail(Volume volume, String requestId, String reason, boolean noValidBackend) {
        if (!volumes.markError(volume.id(), CREATING, reason)) {
            return;
        }
        api.volumeSettled(new VolumeSettled(volume.id(), VolumeStatus.ERROR.apiName()));
        UserMessage message = noValidBackend
                ? ScheduleFailureMessages.noValidBackend(volume.projectId(), requestId, volume.id(), clock.instant(), messageTtl)
                : ScheduleFailureMessages.unknownError(volume.projectId(), requestId, volume.id(), clock.instant(), messageTtl);
        try {
            messages.create(message);
        } catch (RuntimeException e) {
            LOG.error("could not record the user message for volume {}", volume.id(), e);
        }
    }
}
