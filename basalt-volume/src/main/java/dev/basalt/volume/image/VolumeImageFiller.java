package dev.basalt.volume.image;

import static java.util.Objects.requireNonNull;

import dev.basalt.glance.GlanceClient;
import dev.basalt.glance.GlanceException;
import dev.basalt.glance.GlanceImage;
import dev.basalt.rpc.ImageSource;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a new volume from a Glance image, as Cinder's create-from-image flow: downloads the image
 * with the caller's token into a temporary file under {@code image_conversion_dir}, probes its
 * format ({@link QemuImg#info}), refuses what {@link ImageFormats} refuses, converts it to raw
 * into the volume, and removes the temporary file whatever happened. Returns the metadata to keep
 * as the volume's {@code volume_image_metadata}. The download makes up the first half of its
 * {@link ImageProgress} (when Glance tells the image's size), the conversion the second.
 */
public final class VolumeImageFiller {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeImageFiller.class);

    private final GlanceClient glance;
    private final QemuImg qemuImg;
    private final Path conversionDir;
    private final ImageProgress progress;

    public VolumeImageFiller(GlanceClient glance, QemuImg qemuImg, Path conversionDir, ImageProgress progress) {
        this.glance = requireNonNull(glance, "glance");
        this.qemuImg = requireNonNull(qemuImg, "qemuImg");
        this.conversionDir = requireNonNull(conversionDir, "conversionDir");
        this.progress = requireNonNull(progress, "progress");
    }

    /**
     * Writes the image into {@code volumeFile} (an all-zero volume of {@code sizeGib}); throws
     * {@link ImageUnacceptableException} saying why it could not.
     */
    public Map<String, String> fill(String volumeId, ImageSource source, Path volumeFile, int sizeGib) {
        return fill(volumeId, source, describe(source), volumeFile, sizeGib);
    }

    /** The image {@code source} names, as Glance shows it now; refused unless it is {@code active}. */
    public GlanceImage describe(ImageSource source) {
        URI endpoint = URI.create(source.glanceEndpoint());
        GlanceImage image;
        try {
            image = glance.show(endpoint, source.authToken(), source.imageId())
                    .orElseThrow(() -> new ImageUnacceptableException("Image " + source.imageId()
                            + " could not be found."));
        } catch (GlanceException e) {
            throw new ImageUnacceptableException("The Image service could not be asked about image "
                    + source.imageId() + ": " + e.getMessage(), e);
        }
        if (!image.active()) {
            throw new ImageUnacceptableException("Image " + image.id() + " is not active.");
        }
        return image;
    }

    /** As {@link #fill(String, ImageSource, Path, int)}, for the image as {@link #describe} found it. */
    public Map<String, String> fill(String volumeId, ImageSource source, GlanceImage image, Path volumeFile,
                                    int sizeGib) {
        URI endpoint = URI.create(source.glanceEndpoint());
        Path download = null;
        try {
            Files.createDirectories(conversionDir);
            download = Files.createTempFile(conversionDir, "image-" + volumeId + "-", ".download");
            progress.report(volumeId, 0);
            long bytes = glance.download(endpoint, source.authToken(), image.id(), download,
                    progress.bytesStep(volumeId, 0, 50, image.size()));
            if (image.size() != null && bytes != image.size()) {
                throw new ImageUnacceptableException("The download of image " + image.id() + " ended after " + bytes
                        + " of its " + image.size() + " bytes.");
            }
            QemuImg.Info probed = qemuImg.info(download);
            ImageFormats.check(image, probed, sizeGib);
            qemuImg.convertToRaw(download, probed.format(), volumeFile, progress.step(volumeId, 50, 100));
            LOG.info("volume {} filled from image {} ({} bytes of {}, {} bytes of disk)", volumeId, image.id(), bytes,
                    probed.format(), probed.virtualSize());
        } catch (GlanceException e) {
            throw new ImageUnacceptableException("The download of image " + image.id() + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ImageUnacceptableException("Image " + image.id() + " could not be stored in "
                    + conversionDir + " for conversion: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new ImageUnacceptableException("Image " + image.id() + " could not be converted: " + e.getMessage(), e);
        } finally {
            ConversionFiles.remove(download, "downloaded image");
            progress.end(volumeId);
        }
        return metadata(image);
    }

    /** What Cinder keeps of an image: its properties, then its id, name and base attributes, as text. */
    public static Map<String, String> metadata(GlanceImage image) {
        Map<String, String> meta = new LinkedHashMap<>(image.properties());
        meta.put("image_id", image.id());
        if (image.name() != null && !image.name().isEmpty()) {
            meta.put("image_name", image.name());
        }
        putIfSet(meta, "checksum", image.checksum());
        putIfSet(meta, "container_format", image.containerFormat());
        putIfSet(meta, "disk_format", image.diskFormat());
        meta.put("min_disk", Integer.toString(image.minDisk()));
        meta.put("min_ram", Integer.toString(image.minRam()));
        putIfSet(meta, "size", image.size() == null ? null : image.size().toString());
        return meta;
    }

    private static void putIfSet(Map<String, String> meta, String key, String value) {
        if (value != null) {
            meta.put(key, value);
        }
    }
}
