package dev.basalt.volume.image;

import static java.util.Objects.requireNonNull;

import dev.basalt.glance.GlanceClient;
import dev.basalt.glance.GlanceException;
import dev.basalt.rpc.ImageSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a volume's bytes into a queued Glance image, as Cinder's upload: a {@code raw} image is
 * the volume file itself, streamed; any other format is first converted from the volume with
 * {@code qemu-img convert} into a temporary file under {@code image_conversion_dir} (removed
 * whatever happens), which is then streamed. Nothing is held in memory. On failure the image is
 * deleted (through {@link ImageDeletions}, which retries while Glance cannot be reached) and
 * {@link ImageUnacceptableException} says why. Its {@link ImageProgress}: the conversion, if any, makes
 * up the first half, the transfer the rest.
 */
public final class VolumeImageUploader {
    /** The disk formats a volume can be uploaded as (Cinder's schema), each with qemu-img's name for it. */
    public static final Map<String, String> QEMU_FORMATS = Map.of("raw", "raw", "qcow2", "qcow2", "vmdk", "vmdk",
            "vdi", "vdi", "vhd", "vpc", "vhdx", "vhdx", "ploop", "parallels");
    private static final Logger LOG = LoggerFactory.getLogger(VolumeImageUploader.class);
    private static final Set<String> DIRECT = Set.of("raw");

    private final GlanceClient glance;
    private final QemuImg qemuImg;
    private final Path conversionDir;
    private final ImageDeletions deletions;
    private final Duration uploadGuard;
    private final ImageProgress progress;

    public VolumeImageUploader(GlanceClient glance, QemuImg qemuImg, Path conversionDir, ImageDeletions deletions,
                               Duration uploadGuard, ImageProgress progress) {
        this.glance = requireNonNull(glance, "glance");
        this.qemuImg = requireNonNull(qemuImg, "qemuImg");
        this.conversionDir = requireNonNull(conversionDir, "conversionDir");
        this.deletions = requireNonNull(deletions, "deletions");
        this.uploadGuard = requireNonNull(uploadGuard, "uploadGuard");
        this.progress = requireNonNull(progress, "progress");
    }

    /** Uploads {@code volumeFile} (raw) as {@code diskFormat} into the queued {@code image}. */
    public void upload(String volumeId, Path volumeFile, ImageSource image, String diskFormat) {
        String qemuFormat = QEMU_FORMATS.get(diskFormat);
        URI endpoint = URI.create(image.glanceEndpoint());
        Path converted = null;
        try {
            if (qemuFormat == null) {
                throw new ImageUnacceptableException("Basalt cannot upload a volume as disk format " + diskFormat
                        + "; use one of " + String.join(", ", QEMU_FORMATS.keySet()) + ".");
            }
            Path data = volumeFile;
            double uploadFrom = 0;
            progress.report(volumeId, 0);
            if (!DIRECT.contains(diskFormat)) {
                Files.createDirectories(conversionDir);
                converted = Files.createTempFile(conversionDir, "upload-" + volumeId + "-", "." + diskFormat);
                qemuImg.convertFromRaw(volumeFile, qemuFormat, converted, progress.step(volumeId, 0, 50));
                data = converted;
                uploadFrom = 50;
            }
            glance.upload(endpoint, image.authToken(), image.imageId(), data, uploadGuard,
                    progress.bytesStep(volumeId, uploadFrom, 100, Files.size(data)));
            LOG.info("volume {} uploaded as {} image {} ({} bytes)", volumeId, diskFormat, image.imageId(),
                    Files.size(data));
        } catch (GlanceException e) {
            deletions.delete(image);
            throw new ImageUnacceptableException("The Image service did not take the volume's data for image "
                    + image.imageId() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            deletions.delete(image);
            throw new ImageUnacceptableException("The volume could not be prepared in " + conversionDir
                    + " for upload to image " + image.imageId() + ": " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            deletions.delete(image);
            throw new ImageUnacceptableException("The volume could not be converted to " + diskFormat + " for image "
                    + image.imageId() + ": " + e.getMessage(), e);
        } catch (ImageUnacceptableException e) {
            deletions.delete(image);
            throw e;
        } finally {
            ConversionFiles.remove(converted, "converted volume");
            progress.end(volumeId);
        }
    }
}
