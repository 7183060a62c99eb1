package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a new resource asks of its project's quotas: how much of each resource ({@code deltas},
 * all positive) and the limit each must stay within ({@code -1}: unlimited, but still counted).
 * Deltas are kept sorted by resource name: every transaction locks usage rows in that order.
 */
public record QuotaReservation(String projectId, SortedMap<String, Long> deltas, Map<String, Integer> limits) {
    public QuotaReservation {
        requireNonNull(projectId, "projectId");
        SortedMap<String, Long> sorted = new TreeMap<>(QuotaClaims.ORDER);
        sorted.putAll(requireNonNull(deltas, "deltas"));
        deltas = Collections.unmodifiableSortedMap(sorted);
        limits = Map.copyOf(requireNonNull(limits, "limits"));
        for (Map.Entry<String, Long> d : deltas.entrySet()) {
            if (d.getValue() == null || d.getValue() <= 0) {
                throw new IllegalArgumentException("a reservation takes a positive amount of " + d.getKey());
            }
            if (!limits.containsKey(d.getKey())) {
                throw new IllegalArgumentException("no limit given for " + d.getKey());
            }
        }
    }

    public static QuotaReservation of(String projectId, Map<String, Long> deltas, Map<String, Integer> limits) {
        return new QuotaReservation(projectId, new TreeMap<>(deltas), limits);
    }

    /**
     * The reservations together (their deltas summed), for making a project's missing usage rows
     * before a transaction that reserves each of them runs again.
     */
    public static QuotaReservation combined(String projectId, java.util.List<QuotaReservation> reservations) {
        Map<String, Long> deltas = new TreeMap<>();
        Map<String, Integer> limits = new java.util.HashMap<>();
        for (QuotaReservation r : reservations) {
            r.deltas().forEach((k, v) -> deltas.merge(k, v, Long::sum));
            limits.putAll(r.limits());
        }
        return of(projectId, deltas, limits);
    }

    /** The limit of {@code resource}; negative means unlimited. */
    public int limit(String resource) {
        return limits.get(resource);
    }
}
