package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.ProgressListener;
import dev.basalt.backup.service.BackupMeters.Operation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress of one backup's create or restore each time it passes another tenth: the
 * backup's id, the operation, the percent done and the average rate since it started in MB/s
 * (10^6 bytes of the volume a second, holes included). Never throws.
 */
final class ProgressLog implements ProgressListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

    private final String backupId;
    private final Operation operation;
    private final Clock clock;
    private final Instant started;
    private int lastTenth;

    ProgressLog(String backupId, Operation operation, Clock clock) {
        this.backupId = requireNonNull(backupId, "backupId");
        this.operation = requireNonNull(operation, "operation");
        this.clock = requireNonNull(clock, "clock");
        this.started = clock.instant();
    }

    @Override
    public void progress(long done, long total) {
        String line = next(done, total);
        if (line != null) {
            LOG.info(line);
        }
    }

    /** The line to log for this report, or null when it does not pass another tenth. */
    synchronized String next(long done, long total) {
        int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
        int tenth = percent / 10;
        if (tenth <= lastTenth) {
            return null;
        }
        lastTenth = tenth;
        long millis = Math.max(1, Duration.between(started, clock.instant()).toMillis());
        double megabytesPerSecond = done / 1e6 / (millis / 1000.0);
        return String.format(Locale.ROOT, "backup %s: %s %d%% done (%.1f MB/s)", backupId, operation.tag, percent,
                megabytesPerSecond);
    }
}
