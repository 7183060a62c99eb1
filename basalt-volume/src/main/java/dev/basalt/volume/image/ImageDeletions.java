package dev.basalt.volume.image;

import static java.util.Objects.requireNonNull;

import dev.basalt.glance.GlanceClient;
import dev.basalt.glance.GlanceException;
import dev.basalt.rpc.ImageSource;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the image a failed upload leaves behind (as Cinder deletes an image left {@code queued}
 * or {@code saving}). When Glance cannot be reached the delete is tried again every
 * {@code retryEvery} until {@code giveUpAfter} (with the caller's token, which stays valid that
 * long), so an image service that was down for a moment is left no queued image once it is back.
 */
public final class ImageDeletions {
    private static final Logger LOG = LoggerFactory.getLogger(ImageDeletions.class);

    private final GlanceClient glance;
    private final ScheduledExecutorService retries;
    private final Duration retryEvery;
    private final Duration giveUpAfter;

    public ImageDeletions(GlanceClient glance, ScheduledExecutorService retries, Duration retryEvery,
                          Duration giveUpAfter) {
        this.glance = requireNonNull(glance, "glance");
        this.retries = requireNonNull(retries, "retries");
        this.retryEvery = requireNonNull(retryEvery, "retryEvery");
        this.giveUpAfter = requireNonNull(giveUpAfter, "giveUpAfter");
    }

    /** Deletes the image now, or later if Glance cannot be reached now. */
    public void delete(ImageSource image) {
        attempt(image, giveUpAfter.toMillis() / Math.max(1, retryEvery.toMillis()));
    }

    private void attempt(ImageSource image, long triesLeft) {
        try {
            glance.delete(URI.create(image.glanceEndpoint()), image.authToken(), image.imageId());
            LOG.info("image {} of a failed upload deleted", image.imageId());
        } catch (GlanceException e) {
            if (e.status() != 0 || triesLeft <= 0) {
                LOG.warn("image {} of a failed upload could not be deleted: {}", image.imageId(), e.getMessage());
                return;
            }
            LOG.info("image {} of a failed upload will be deleted once the Image service answers: {}",
                    image.imageId(), e.getMessage());
            try {
                retries.schedule(() -> attempt(image, triesLeft - 1), retryEvery.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                LOG.warn("image {} of a failed upload is left: the service is stopping", image.imageId());
            }
        }
    }
}
