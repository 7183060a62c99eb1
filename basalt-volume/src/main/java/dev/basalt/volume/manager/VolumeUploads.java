package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.MessageRepository;
import dev.basalt.db.VolumeRepository;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.CopyVolumeToImage;
import dev.basalt.driver.ExportCapable;
import dev.basalt.driver.VolumeDriver;
import dev.basalt.volume.image.VolumeImageUploader;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads {@code uploading} volumes of this backend into their queued Glance images (Cinder's
 * {@code copy_volume_to_image}): the driver must be {@link ExportCapable} (the volume's bytes are a
 * file here); whatever happens the volume goes back to {@code available} or {@code in-use}; a
 * failure leaves the user message Cinder leaves (the image is deleted by the uploader).
 */
final class VolumeUploads {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeUploads.class);

    private final String backend;
    private final VolumeDriver driver;
    private final VolumeRepository volumes;
    private final VolumeImageUploader uploader;
    private final MessageRepository messages;
    private final Clock clock;
    private final Duration messageTtl;

    VolumeUploads(String backend, VolumeDriver driver, VolumeRepository volumes, VolumeImageUploader uploader,
                  MessageRepository messages, Clock clock, Duration messageTtl) {
        this.backend = requireNonNull(backend, "backend");
        this.driver = requireNonNull(driver, "driver");
        this.volumes = requireNonNull(volumes, "volumes");
        this.uploader = requireNonNull(uploader, "uploader");
        this.messages = requireNonNull(messages, "messages");
        this.clock = requireNonNull(clock, "clock");
        this.messageTtl = requireNonNull(messageTtl, "messageTtl");
    }

    VolumeManager.Outcome upload(CopyVolumeToImage request) {
        Optional<Volume> found = volumes.find(request.volumeId());
        if (found.isEmpty() || found.get().status() != VolumeStatus.UPLOADING
                || !backend.equals(found.get().backend())) {
            LOG.info("not uploading volume {}: it is gone, not uploading or not on {}", request.volumeId(), backend);
            return VolumeManager.Outcome.SKIPPED;
        }
        Volume volume = found.get();
        try {
            ExportCapable local = DriverCapabilities.require(driver, ExportCapable.class, "upload volumes to images");
            uploader.upload(volume.id(), local.exportPath(volume.id()), request.image(), request.diskFormat());
            return VolumeManager.Outcome.DONE;
        } catch (RuntimeException e) {
            LOG.error("volume {} could not be uploaded to image {}: {}", volume.id(), request.image().imageId(),
                    e.getMessage());
            leaveMessage(volume, request.requestId());
            return VolumeManager.Outcome.FAILED;
        } finally {
            if (!volumes.endUpload(volume.id())) {
                LOG.warn("volume {} was no longer uploading when its upload ended", volume.id());
            }
        }
    }

    /** Ends an upload a service stopped in the middle of: the volume goes back as Cinder's cleanup does. */
    void recoverUploading(String volumeId) {
        if (volumes.endUpload(volumeId)) {
            LOG.info("volume {} was left uploading; it is back to its attach status's status", volumeId);
        }
    }

    private void leaveMessage(Volume volume, String requestId) {
        try {
            messages.create(WorkFailureMessages.uploadFailed(volume.projectId(), requestId, volume.id(),
                    clock.instant(), messageTtl));
        } catch (RuntimeException e) {
            LOG.error("could not record the user message for volume {}", volume.id(), e);
        }
    }
}
