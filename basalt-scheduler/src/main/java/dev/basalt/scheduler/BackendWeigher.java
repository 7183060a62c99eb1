package dev.basalt.scheduler;

import dev.basalt.model.PoolCapacity;
import java.util.List;

/**
 * Scores the pools that passed the filters. Each weigher's raw scores are normalised to 0..1 over
 * the candidates (all equal: all 0), multiplied by the weigher's multiplier and summed; the highest
 * total wins.
 */
public interface BackendWeigher {

    /** The name operators list in {@code scheduler_default_weighers} (Cinder's class name). */
    default String name() {
        return getClass().getSimpleName();
    }

    /** How much this weigher counts; a negative multiplier favours the lowest raw score. */
    double multiplier();

    /** The raw score of one pool. */
    double weigh(PoolCapacity pool, RequestSpec request);

    /** The raw scores of all candidates, in order; override to score relative to the others. */
    default double[] weighAll(List<PoolCapacity> pools, RequestSpec request) {
        double[] scores = new double[pools.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = weigh(pools.get(i), request);
        }
        return scores;
    }
}
