package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.MessageRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.ExtendVolume;
import dev.basalt.driver.ExtendCapable;
import dev.basalt.driver.VolumeDriver;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grows {@code extending} volumes of this backend, idempotently. The size to grow to is the one the
 * API recorded with the volume (admin metadata {@code extend_new_size}), so a restart finishes an
 * extend that was in flight instead of failing it; the message's size is used only when none was
 * recorded.
 */
final class VolumeExtender {
    static final String SIZE_UNKNOWN = "the volume service restarted while extending the volume and the size it"
            + " was growing to is unknown";

    private static final Logger LOG = LoggerFactory.getLogger(VolumeExtender.class);
    private static final Set<VolumeStatus> EXTENDING = Set.of(VolumeStatus.EXTENDING);

    private final String backend;
    private final VolumeDriver driver;
    private final VolumeRepository volumes;
    private final MessageRepository messages;
    private final Clock clock;
    private final Duration messageTtl;

    VolumeExtender(String backend, VolumeDriver driver, VolumeRepository volumes, MessageRepository messages,
                   Clock clock, Duration messageTtl) {
        this.backend = requireNonNull(backend, "backend");
        this.driver = requireNonNull(driver, "driver");
        this.volumes = requireNonNull(volumes, "volumes");
        this.messages = requireNonNull(messages, "messages");
        this.clock = requireNonNull(clock, "clock");
        this.messageTtl = requireNonNull(messageTtl, "messageTtl");
    }

    VolumeManager.Outcome extend(ExtendVolume request) {
        Optional<Volume> found = volumes.find(request.volumeId());
        if (found.isEmpty()) {
            LOG.info("volume {} is gone; nothing to extend", request.volumeId());
            return VolumeManager.Outcome.SKIPPED;
        }
        Volume volume = found.get();
        Integer recorded = recordedSize(volume);
        return extend(volume, recorded != null ? recorded : request.newSize(), request.requestId());
    }

    private VolumeManager.Outcome extend(Volume volume, int newSize, String requestId) {
        if (volume.status() != VolumeStatus.EXTENDING || !backend.equals(volume.backend())) {
            LOG.info("not extending volume {}: it is {} on {}", volume.id(), volume.status().apiName(), volume.host());
            return VolumeManager.Outcome.SKIPPED;
        }
        try {
            DriverCapabilities.require(driver, ExtendCapable.class, "extend volumes").extendVolume(volume.id(), newSize);
        } catch (RuntimeException e) {
            LOG.error("the {} driver failed to extend volume {} from {} to {} GiB", driver.name(), volume.id(),
                    volume.size(), newSize, e);
            fail(volume, requestId, "The volume driver failed to extend the volume: " + SnapshotManager.describe(e));
            return VolumeManager.Outcome.FAILED;
        }
        if (!volumes.finishExtend(volume.id(), newSize)) {
            LOG.warn("volume {} was extended on {} but changed status meanwhile", volume.id(), backend);
            return VolumeManager.Outcome.SKIPPED;
        }
        LOG.info("volume {} extended from {} to {} GiB on {}", volume.id(), volume.size(), newSize, backend);
        return VolumeManager.Outcome.DONE;
    }

    /**
     * Finishes an extend a service stopped in the middle of, to the size recorded with the volume
     * (or fails it when that size is unknown).
     */
    void recoverExtending(String volumeId) {
        Optional<Volume> volume = volumes.find(volumeId);
        if (volume.isEmpty()) {
            return;
        }
        Integer size = recordedSize(volume.get());
        try {
            if (size == null) {
                fail(volume.get(), null, SIZE_UNKNOWN);
            } else {
                LOG.info("finishing the extend of volume {} to {} GiB left in flight", volumeId, size);
                extend(volume.get(), size, null);
            }
        } catch (RuntimeException e) {
            LOG.error("cannot finish extending volume {}", volumeId, e);
        }
    }

    private void fail(Volume volume, String requestId, String reason) {
        if (!volumes.markFailed(volume.id(), EXTENDING, VolumeStatus.ERROR_EXTENDING, reason)) {
            return;
        }
        try {
            messages.create(WorkFailureMessages.extendFailed(volume.projectId(), requestId, volume.id(),
                    clock.instant(), messageTtl));
        } catch (RuntimeException e) {
            LOG.error("could not record the user message for volume {}", volume.id(), e);
        }
    }

    private static Integer recordedSize(Volume volume) {
        String text = volume.adminMetadata().get(Volume.EXTEND_NEW_SIZE);
        if (text == null) {
            return null;
        }
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
