package dev.basalt.volume.manager;

import static java.util.Objects.requireNonNull;

import dev.basalt.db.VolumeProgress;
import dev.basalt.volume.image.ImageProgress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The progress of image work as the api shows it in the volume's detail: stored (as a whole percent) when
 * it has moved by a percent and {@code interval} has passed since the last write, or when it reaches 100;
 * logged each time it passes another tenth; removed when the work ends. A failed write is logged and the
 * work goes on: progress is a view, never a reason to fail.
 */
final class StoredImageProgress implements ImageProgress {
    private static final Logger LOG = LoggerFactory.getLogger(StoredImageProgress.class);

    private final VolumeProgress store;
    private final Clock clock;
    private final Duration interval;
    private final Map<String, Written> written = new ConcurrentHashMap<>();

    /** What was last stored of one volume's work. */
    private record Written(int percent, Instant at) {
    }

    StoredImageProgress(VolumeProgress store, Clock clock, Duration interval) {
        this.store = requireNonNull(store, "store");
        this.clock = requireNonNull(clock, "clock");
        this.interval = requireNonNull(interval, "interval");
    }

    @Override
    public void report(String volumeId, double percent) {
        int whole = (int) Math.max(0, Math.min(100, Math.floor(percent)));
        Instant now = clock.instant();
        Written last = written.get(volumeId);
        if (last != null && (whole <= last.percent()
                || whole < 100 && Duration.between(last.at(), now).compareTo(interval) < 0)) {
            return;
        }
        written.put(volumeId, new Written(whole, now));
        if (last == null || whole / 10 > last.percent() / 10) {
            LOG.info("image work on volume {}: {}%", volumeId, whole);
        }
        try {
            store.report(volumeId, whole);
        } catch (RuntimeException e) {
            LOG.warn("the progress of volume {} could not be stored: {}", volumeId, e.toString());
        }
    }

    @Override
    public void end(String volumeId) {
        written.remove(volumeId);
        try {
            store.clear(volumeId);
        } catch (RuntimeException e) {
            LOG.warn("the progress of volume {} could not be cleared: {}", volumeId, e.toString());
        }
    }
}
