package dev.basalt.backup.posix;

import dev.basalt.backup.ProgressListener;
import java.util.concurrent.atomic.AtomicLong;

/** Adds up processed bytes from worker threads and tells the listener at most every 200 ms, and at the end. */
final class ProgressMeter {
    private static final long INTERVAL_NANOS = 200_000_000L;

    private final ProgressListener listener;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong lastReport = new AtomicLong(System.nanoTime());

    ProgressMeter(ProgressListener listener, long total) {
        this.listener = listener;
        this.total = total;
    }

    void add(long bytes) {
        long now = done.addAndGet(bytes);
        long last = lastReport.get();
        long time = System.nanoTime();
        if (time - last >= INTERVAL_NANOS && lastReport.compareAndSet(last, time)) {
            report(now);
        }
    }

    void finish() {
        report(total);
    }

    private void report(long now) {
        try {
            listener.progress(Math.min(now, total), total);
        } catch (RuntimeException e) {
            // a listener's failure must not fail the backup
        }
    }
}
