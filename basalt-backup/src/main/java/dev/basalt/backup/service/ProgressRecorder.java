package dev.basalt.backup.service;

import static java.util.Objects.requireNonNull;

import dev.basalt.backup.ProgressListener;
import dev.basalt.db.BackupRecords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a backup's {@code progress} (percent done of the create or restore under way) in its row,
 * writing at most once per interval (a second) and only when the percentage changed; the end is
 * left to the operation's final update. Never throws: a progress that cannot be written is logged.
 */
final class ProgressRecorder implements ProgressListener {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(ProgressRecorder.class);

    private final BackupRecords backups;
    private final String backupId;
    private final Clock clock;
    private Instant lastWrite = Instant.MIN;
    private int lastPercent = -1;

    ProgressRecorder(BackupRecords backups, String backupId, Clock clock) {
        this.backups = requireNonNull(backups, "backups");
        this.backupId = requireNonNull(backupId, "backupId");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public synchronized void progress(long done, long total) {
        int percent = total <= 0 ? 100 : (int) Math.min(100, done * 100 / total);
        Instant now = clock.instant();
        if (percent >= 100 || percent == lastPercent || now.isBefore(lastWrite.plus(INTERVAL))) {
            return;
        }
        lastWrite = now;
        lastPercent = percent;
        try {
            backups.updateProgress(backupId, percent);
        } catch (RuntimeException e) {
            LOG.warn("cannot record the progress of backup {}", backupId, e);
        }
    }
}
