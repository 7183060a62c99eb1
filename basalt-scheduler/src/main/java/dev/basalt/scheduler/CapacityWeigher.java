package dev.basalt.scheduler;

import dev.basalt.model.PoolCapacity;
import java.util.List;

/**
 * Scores a pool by its virtual free capacity: for a thin volume on a thin pool, the unreserved
 * total times the over-subscription ratio less what is provisioned; otherwise the free space left
 * after the reserved part. With the default multiplier ({@code capacity_weight_multiplier = 1.0})
 * volumes spread to the emptiest pool; a negative multiplier stacks them.
 *
 * <p>A pool that cannot tell its capacity (infinite or unknown) gets the worst score: -1 when
 * spreading, and when stacking a score just above every known one (as Cinder does), to discourage
 * drivers from reporting it.
 */
public final class CapacityWeigher implements BackendWeigher {
    private static final double OFFSET_MIN = 10_000;
    private static final double OFFSET_MULT = 100;

    private final double multiplier;

    public CapacityWeigher(double multiplier) {
        this.multiplier = multiplier;
    }

    @Override
    public double multiplier() {
        return multiplier;
    }

    @Override
    public double weigh(PoolCapacity pool, RequestSpec request) {
        if (!CapacityFactors.isKnown(pool.freeCapacityGb()) || !CapacityFactors.isKnown(pool.totalCapacityGb())) {
            return multiplier > 0 ? -1 : Double.POSITIVE_INFINITY;
        }
        return CapacityFactors.of(pool, request).virtualFree();
    }

    @Override
    public double[] weighAll(List<PoolCapacity> pools, RequestSpec request) {
        double[] scores = BackendWeigher.super.weighAll(pools, request);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean anyInfinite = false;
        for (double s : scores) {
            if (Double.isInfinite(s)) {
                anyInfinite = true;
            } else {
                min = Math.min(min, s);
                max = Math.max(max, s);
            }
        }
        if (!anyInfinite) {
            return scores;
        }
        if (min > max) {
            // Every pool is of unknown size: they all score the same.
            return new double[scores.length];
        }
        double offset = (max - min) * OFFSET_MULT;
        double replacement = max + (offset == 0 ? OFFSET_MIN : offset);
        for (int i = 0; i < scores.length; i++) {
            if (Double.isInfinite(scores[i])) {
                scores[i] = replacement;
            }
        }
        return scores;
    }
}
