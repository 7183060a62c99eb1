package dev.basalt.api.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.glance.GlanceClient;
import dev.basalt.glance.GlanceException;
import dev.basalt.glance.GlanceImage;
import dev.basalt.rpc.ImageSource;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the image a new volume is to be made from and checks it as Cinder does before anything is
 * written: the reference is an image id (or a URL ending in one) or else a unique image name the
 * caller can see (none: 400, several: 409); the image must be {@code active}, its data and its
 * virtual disk must fit the volume, and the volume must be at least its {@code min_disk}.
 */
public final class VolumeImages {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeImages.class);
    private static final long GIB = 1L << 30;
    private static final Pattern UUID_LIKE = Pattern.compile(
            "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    private final GlanceClient glance;
    private final ImageEndpoints endpoints;

    public VolumeImages(GlanceClient glance, ImageEndpoints endpoints) {
        this.glance = requireNonNull(glance, "glance");
        this.endpoints = requireNonNull(endpoints, "endpoints");
    }

    /** The checked image for a volume of {@code sizeGib}, and where the volume service fetches it. */
    ImageSource choose(ImageRef ref, int sizeGib) {
        URI endpoint = endpoints.locate(ref.authToken());
        GlanceImage image = find(endpoint, ref);
        check(image, sizeGib);
        return new ImageSource(image.id(), endpoint.toString(), ref.authToken());
    }

    private GlanceImage find(URI endpoint, ImageRef ref) {
        String last = ref.ref().substring(ref.ref().lastIndexOf('/') + 1);
        if (UUID_LIKE.matcher(last).matches()) {
            try {
                Optional<GlanceImage> byId = glance.show(endpoint, ref.authToken(), last);
                if (byId.isPresent()) {
                    return byId.get();
                }
            } catch (GlanceException e) {
                LOG.warn("image {} could not be read from {}: {}", last, endpoint, e.getMessage());
            }
        }
        List<GlanceImage> named;
        try {
            named = glance.named(endpoint, ref.authToken(), ref.ref());
        } catch (GlanceException e) {
            LOG.warn("images named {} could not be listed at {}: {}", ref.ref(), endpoint, e.getMessage());
            named = List.of();
        }
        if (named.size() > 1) {
            throw new BasaltException(Fault.CONFLICT, "Multiple matches found for '" + ref.ref()
                    + "', use an ID to be more specific.");
        }
        if (named.isEmpty()) {
            throw BasaltException.badRequest("Invalid image identifier or unable to access requested image.");
        }
        return named.get(0);
    }

    /** Cinder's checks of an image's metadata against the volume's size. */
    static void check(GlanceImage image, int sizeGib) {
        if (!image.active()) {
            throw BasaltException.badRequest("Invalid input received: Image %s is not active.", image.id());
        }
        long imageGib = image.size() == null ? 0 : (image.size() + GIB - 1) / GIB;
        if (imageGib > sizeGib) {
            throw BasaltException.badRequest("Invalid input received: Size of specified image %dGB is larger than"
                    + " volume size %dGB.", imageGib, sizeGib);
        }
        if (sizeGib < image.minDisk()) {
            throw BasaltException.badRequest("Invalid input received: Volume size %dGB cannot be smaller than the"
                    + " image minDisk size %dGB.", sizeGib, image.minDisk());
        }
        if (image.virtualSize() != null) {
            long virtualGib = (image.virtualSize() + GIB - 1) / GIB;
            if (virtualGib > sizeGib) {
                throw BasaltException.badRequest("Image %s is unacceptable: Image virtual size is %dGB and doesn't fit"
                        + " in a volume of size %dGB.", image.id(), virtualGib, sizeGib);
            }
        }
    }
}
