package dev.basalt.scheduler;

import static java.util.Objects.requireNonNull;

import dev.basalt.model.PoolCapacity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Cinder's filter scheduler as a pure function: runs the filters in order over the candidate
 * pools, weighs the survivors and ranks them best first. Holds no state.
 */
public final class FilterScheduler {
    private final List<BackendFilter> filters;
    private final List<BackendWeigher> weighers;

    public FilterScheduler(List<BackendFilter> filters, List<BackendWeigher> weighers) {
        this.filters = List.copyOf(requireNonNull(filters, "filters"));
        this.weighers = List.copyOf(requireNonNull(weighers, "weighers"));
    }

    /** A pool and its total weight. */
    public record WeighedPool(PoolCapacity pool, double weight) {
    }

    /**
     * The outcome of one ranking: the pools best first, how many were considered, and when none
     * is left, the filter that removed the last ones (null when there were none to begin with).
     */
    public record Ranking(List<WeighedPool> ranked, int considered, String emptiedBy) {
        public Ranking {
            ranked = List.copyOf(ranked);
        }

        public boolean isEmpty() {
            return ranked.isEmpty();
        }

        /** Why no pool is left, for the volume's error reason. */
        public String whyEmpty() {
            if (considered == 0) {
                return "No backend has reported its capacity recently.";
            }
            return "No pool passed the " + emptiedBy + " (" + considered + " pool" + (considered == 1 ? "" : "s")
                    + " considered).";
        }
    }

    public Ranking rank(List<PoolCapacity> candidates, RequestSpec request) {
        List<PoolCapacity> passing = List.copyOf(candidates);
        for (BackendFilter filter : filters) {
            List<PoolCapacity> next = new ArrayList<>(passing.size());
            for (PoolCapacity pool : passing) {
                if (filter.passes(pool, request)) {
                    next.add(pool);
                }
            }
            if (next.isEmpty()) {
                return new Ranking(List.of(), candidates.size(), candidates.isEmpty() ? null : filter.name());
            }
            passing = next;
        }
        if (passing.isEmpty()) {
            return new Ranking(List.of(), 0, null);
        }
        double[] total = new double[passing.size()];
        for (BackendWeigher weigher : weighers) {
            double[] normalised = normalise(weigher.weighAll(passing, request));
            for (int i = 0; i < total.length; i++) {
                total[i] += weigher.multiplier() * normalised[i];
            }
        }
        List<WeighedPool> ranked = new ArrayList<>(passing.size());
        for (int i = 0; i < total.length; i++) {
            ranked.add(new WeighedPool(passing.get(i), total[i]));
        }
        ranked.sort(Comparator.comparingDouble(WeighedPool::weight).reversed()
                .thenComparing(w -> w.pool().location()));
        return new Ranking(ranked, candidates.size(), null);
    }

    public List<String> filterNames() {
        return filters.stream().map(BackendFilter::name).toList();
    }

    public List<String> weigherNames() {
        return weighers.stream().map(BackendWeigher::name).toList();
    }

    /** Scales scores to 0..1 between their minimum and maximum; all equal scores become 0. */
    static double[] normalise(double[] scores) {
        if (scores.length == 0) {
            return scores;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        double[] out = new double[scores.length];
        if (min == max || !Double.isFinite(max - min)) {
            return out;
        }
        for (int i = 0; i < scores.length; i++) {
            out[i] = (scores[i] - min) / (max - min);
        }
        return out;
    }
}
