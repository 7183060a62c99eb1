package dev.basalt.volume.image;

import java.util.function.DoubleConsumer;
import java.util.function.LongConsumer;

/**
 * Where the image work on a volume (an image downloaded and converted into it, the volume uploaded as an
 * image) tells how far it got, as often as it likes; whoever listens decides what to keep.
 */
public interface ImageProgress {
    /** Listens to nothing. */
    ImageProgress NONE = new ImageProgress() {
        @Override
        public void report(String volumeId, double percent) {
        }

        @Override
        public void end(String volumeId) {
        }
    };

    /** The work on the volume has got {@code percent} (0 to 100) of the way. */
    void report(String volumeId, double percent);

    /** The work on the volume ended, done or failed. */
    void end(String volumeId);

    /** One step of the volume's work that makes up {@code from} to {@code to} percent of the whole, as it hears its own percent. */
    default DoubleConsumer step(String volumeId, double from, double to) {
        return percent -> report(volumeId, from + (to - from) * Math.max(0, Math.min(100, percent)) / 100);
    }

    /** As {@link #step}, for a step that hears bytes done of {@code total} (nothing when the total is unknown). */
    default LongConsumer bytesStep(String volumeId, double from, double to, Long total) {
        DoubleConsumer step = step(volumeId, from, to);
        return done -> {
            if (total != null && total > 0) {
                step.accept(100.0 * done / total);
            }
        };
    }
}
