package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.MessageRepository;
import dev.basalt.db.QuotaExceededException;
import dev.basalt.db.QuotaReservation;
import dev.basalt.db.VolumeRepository;
import dev.basalt.driver.ExtendCapable;
import dev.basalt.driver.ManageCapable;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.model.QuotaResources;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.ManageExisting;
import dev.basalt.rpc.ManageableVolumes;
import dev.basalt.rpc.UnmanageVolume;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Manages and unmanages volumes of this backend (Cinder's {@code manage_existing} and
 * {@code delete_volume(unmanage_only)} in its volume manager), idempotently.
 *
 * <p>A {@code managing} volume is made in Cinder's order: the driver says the size the storage
 * would have ({@link ManageCapable#manageableSize}); that size and the volume's pool are recorded and
 * its {@code gigabytes} reserved within the limits the API sent (over them, or over
 * {@code per_volume_gigabytes}: {@code error_managing}, nothing touched on the storage); then the
 * driver adopts the storage and the volume becomes {@code available}, its quota committed. A bad
 * reference or a driver that cannot manage fails the volume ({@code error_managing}) with a user
 * message saying why; deleting such a volume removes nothing from the storage, which was never
 * adopted.
 *
 * <p>An {@code unmanaging} volume loses its export, the driver lets go of it (its bytes stay; a driver
 * that cannot manage storage keeps the volume's storage as it is, as Cinder's default
 * {@code unmanage}), and its row goes, its quota given back; a driver failure leaves it
 * {@code error_unmanaging}.
 */
final class VolumeAdoptions {
    static final String STOPPED_WHILE_MANAGING = "the volume service stopped while managing the volume, before the"
            + " storage was adopted";

    private static final Logger LOG = LoggerFactory.getLogger(VolumeAdoptions.class);
    private static final Set<VolumeStatus> MANAGING = Set.of(VolumeStatus.MANAGING);
    private static final Set<VolumeStatus> UNMANAGING = Set.of(VolumeStatus.UNMANAGING);

    private final String backend;
    private final VolumeDriver driver;
    private final VolumeRepository volumes;
    private final VolumeExporter exporter;
    private final Supplier<String> pool;
    private final MessageRepository messages;
    private final Clock clock;
    private final Duration messageTtl;

    /** {@code pool}: the name of the backend's pool, asked when a volume is managed without one. */
    VolumeAdoptions(String backend, VolumeDriver driver, VolumeRepository volumes, VolumeExporter exporter,
                    Supplier<String> pool, MessageRepository messages, Clock clock, Duration messageTtl) {
        this.backend = requireNonNull(backend, "backend");
        this.driver = requireNonNull(driver, "driver");
        this.volumes = requireNonNull(volumes, "volumes");
        this.exporter = requireNonNull(exporter, "exporter");
        this.pool = requireNonNull(pool, "pool");
        this.messages = requireNonNull(messages, "messages");
        this.clock = requireNonNull(clock, "clock");
        this.messageTtl = requireNonNull(messageTtl, "messageTtl");
    }

    /** What the storage holds that could be managed; nothing when the driver cannot manage storage. */
    ManageableVolumes manageable() {
        if (!(driver instanceof ManageCapable manager)) {
            return new ManageableVolumes(List.of());
        }
        Set<String> mine = volumes.idsOnBackend(backend);
        return new ManageableVolumes(manager.manageableVolumes(mine).stream()
                .map(v -> new ManageableVolumes.Entry(v.reference(), v.sizeGib(), v.safeToManage(), v.reasonNotSafe(),
                        v.cinderId(), v.extraInfo()))
                .toList());
    }

    VolumeManager.Outcome manage(ManageExisting request) {
        Optional<Volume> found = volumes.findRow(request.volumeId());
        if (found.isEmpty()) {
            LOG.info("volume {} is gone; nothing to manage", request.volumeId());
            return VolumeManager.Outcome.SKIPPED;
        }
        Volume volume = found.get();
        if (volume.status() != VolumeStatus.MANAGING || !backend.equals(volume.backend())) {
            LOG.info("not managing volume {}: it is {} on {}", volume.id(), volume.status().apiName(), volume.host());
            return VolumeManager.Outcome.SKIPPED;
        }
        if (volume.size() > 0) {
            // Sized and reserved by an earlier delivery of this message: only the adoption may be left.
            return adopt(volume, request, volume.size());
        }
        if (request.reference() == null) {
            return fail(volume, request.requestId(), "Manage existing volume failed due to invalid backend reference:"
                    + " Reference must contain source-name element.", null);
        }
        ManageCapable manager;
        int size;
        String placed;
        try {
            manager = DriverCapabilities.require(driver, ManageCapable.class, "manage existing storage");
            placed = withPool(volume.host());
            size = manager.manageableSize(request.reference());
        } catch (RuntimeException e) {
            return fail(volume, request.requestId(), "Manage existing volume failed: " + SnapshotManager.describe(e), e);
        }
        Integer perVolume = request.gigabyteLimits().get(QuotaResources.PER_VOLUME_GIGABYTES);
        if (perVolume != null && perVolume >= 0 && size > perVolume) {
            return fail(volume, request.requestId(), "Manage existing volume failed: the volume's size (" + size
                    + " GiB) is over the largest volume the project may have (per_volume_gigabytes: " + perVolume
                    + " GiB).", null);
        }
        try {
            if (!volumes.sizeManaged(volume.id(), size, placed,
                    reservation(volume, size, request.gigabyteLimits()))) {
                LOG.info("volume {} stopped managing meanwhile", volume.id());
                return VolumeManager.Outcome.SKIPPED;
            }
        } catch (QuotaExceededException e) {
            return fail(volume, request.requestId(), "Manage existing volume failed: its " + size + " GiB exceed the"
                    + " project's quota (" + e.getMessage() + ").", null);
        }
        return adopt(volume, request, size);
    }

    /** The driver adopts the storage as the sized volume, which becomes {@code available}. */
    private VolumeManager.Outcome adopt(Volume volume, ManageExisting request, int size) {
        try {
            DriverCapabilities.require(driver, ManageCapable.class, "manage existing storage")
                    .manageExisting(volume.id(), request.reference());
        } catch (RuntimeException e) {
            release(volume);
            return fail(volume, request.requestId(), "Manage existing volume failed: " + SnapshotManager.describe(e), e);
        }
        if (!volumes.finishManage(volume.id())) {
            LOG.warn("volume {} was managed on {} but changed status meanwhile", volume.id(), backend);
            return VolumeManager.Outcome.SKIPPED;
        }
        LOG.info("{} is now volume {} ({} GiB) on {}", request.reference(), volume.id(), size, backend);
        return VolumeManager.Outcome.DONE;
    }

    VolumeManager.Outcome unmanage(UnmanageVolume request) {
        Optional<Volume> found = volumes.findRow(request.volumeId());
        if (found.isEmpty()) {
            LOG.debug("volume {} is already gone", request.volumeId());
            return VolumeManager.Outcome.SKIPPED;
        }
        return unmanage(found.get());
    }

    private VolumeManager.Outcome unmanage(Volume volume) {
        if (volume.status() != VolumeStatus.UNMANAGING || volume.host() != null && !backend.equals(volume.backend())) {
            LOG.info("not unmanaging volume {}: it is {} on {}", volume.id(), volume.status().apiName(), volume.host());
            return VolumeManager.Outcome.SKIPPED;
        }
        try {
            exporter.removeExport(volume.id());
            if (driver instanceof ManageCapable manager) {
                manager.unmanage(volume.id());
            }
        } catch (RuntimeException e) {
            LOG.error("the {} driver failed to unmanage volume {}", driver.name(), volume.id(), e);
            volumes.markFailed(volume.id(), UNMANAGING, VolumeStatus.ERROR_UNMANAGING,
                    "The volume driver failed to unmanage the volume: " + SnapshotManager.describe(e));
            return VolumeManager.Outcome.FAILED;
        }
        volumes.delete(volume.id());
        LOG.info("volume {} unmanaged from {}; its storage is kept", volume.id(), backend);
        return VolumeManager.Outcome.DONE;
    }

    /**
     * Ends a manage a service stopped in the middle of: when the storage was adopted already (the
     * driver has the volume) the volume is finished at its recorded size, else it fails
     * ({@code error_managing}; the reference went with the lost message).
     */
    void recoverManaging(Volume volume) {
        try {
            if (volume.size() > 0 && driver.hasVolume(volume.id())) {
                if (driver instanceof ExtendCapable extender) {
                    extender.extendVolume(volume.id(), volume.size());
                }
                if (volumes.finishManage(volume.id())) {
                    LOG.info("finished managing volume {}, adopted before the service stopped", volume.id());
                }
                return;
            }
            if (volumes.markFailed(volume.id(), MANAGING, VolumeStatus.ERROR_MANAGING, STOPPED_WHILE_MANAGING)) {
                leaveMessage(volume, null, STOPPED_WHILE_MANAGING);
            }
        } catch (RuntimeException e) {
            LOG.error("cannot finish managing volume {}", volume.id(), e);
        }
    }

    /**
     * Lets go of what a failed manage may have adopted already (a volume that ended
     * {@code error_managing} while its service was down, or a driver that failed half way), so that
     * deleting the failed volume never removes the storage it was to adopt: the bytes go back under a
     * name the driver does not count as a volume ({@link ManageCapable#unmanage}).
     */
    void release(Volume volume) {
        if (!(driver instanceof ManageCapable manager)) {
            return;
        }
        try {
            if (driver.hasVolume(volume.id())) {
                manager.unmanage(volume.id());
                LOG.warn("volume {} failed to be managed; the storage it had adopted is kept, unmanaged", volume.id());
            }
        } catch (RuntimeException e) {
            LOG.error("cannot let go of the storage adopted for volume {}", volume.id(), e);
        }
    }

    /** Finishes an unmanage a service stopped in the middle of (unmanaging is idempotent). */
    void recoverUnmanaging(Volume volume) {
        try {
            unmanage(volume);
        } catch (RuntimeException e) {
            LOG.error("cannot finish unmanaging volume {}", volume.id(), e);
        }
    }

    private VolumeManager.Outcome fail(Volume volume, String requestId, String reason, RuntimeException cause) {
        if (cause != null) {
            LOG.warn("volume {} could not be managed on {}: {}", volume.id(), backend, reason, cause);
        } else {
            LOG.warn("volume {} could not be managed on {}: {}", volume.id(), backend, reason);
        }
        if (volumes.markFailed(volume.id(), MANAGING, VolumeStatus.ERROR_MANAGING, reason)) {
            leaveMessage(volume, requestId, reason);
        }
        return VolumeManager.Outcome.FAILED;
    }

    private void leaveMessage(Volume volume, String requestId, String reason) {
        try {
            messages.create(WorkFailureMessages.manageFailed(volume.projectId(), requestId, volume.id(), reason,
                    clock.instant(), messageTtl));
        } catch (RuntimeException e) {
            LOG.error("could not record the user message for volume {}", volume.id(), e);
        }
    }

    /**
     * The volume's host with this backend's pool when the request named none ({@code host@backend});
     * a pool the backend does not have is refused (as Cinder's scheduler finds no valid backend).
     */
    private String withPool(String host) {
        String mine = pool.get();
        int hash = host.indexOf('#');
        if (hash >= 0 && !host.substring(hash + 1).equals(mine)) {
            throw new IllegalArgumentException("the backend " + backend + " has no pool " + host.substring(hash + 1)
                    + " (its pool is " + mine + ")");
        }
        return hash >= 0 ? host : host + "#" + mine;
    }

    /** The volume's {@code gigabytes} and per-type {@code gigabytes}, within the limits the API sent. */
    private static QuotaReservation reservation(Volume volume, int size, Map<String, Integer> limits) {
        Map<String, Long> deltas = new LinkedHashMap<>();
        deltas.put(QuotaResources.GIGABYTES, (long) size);
        if (volume.volumeTypeId() != null) {
            deltas.put(QuotaResources.keyOfType(QuotaResources.GIGABYTES, volume.volumeTypeId()), (long) size);
        }
        Map<String, Integer> applied = deltas.keySet().stream()
                .collect(Collectors.toMap(k -> k, k -> limits.getOrDefault(k, -1)));
        return QuotaReservation.of(volume.projectId(), deltas, applied);
    }
}
