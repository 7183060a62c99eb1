package dev.basalt.api.resources;

import dev.basalt.common.BasaltException;
import dev.basalt.db.Sort;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Sorting and keyset pagination of small collections held in memory (volume types, messages),
 * with the same rules as the database lists: the sort keys, then {@code id} as tie breaker,
 * rows strictly after the marker, then offset and limit.
 */
final class InMemoryPages {
    private InMemoryPages() {
    }

    /** One page and whether the whole (filtered) collection was larger than the page start. */
    record PageOf<T>(List<T> items, int total) {
    }

    static <T> PageOf<T> page(List<T> all, ListParams params, Map<String, Function<T, Comparable<?>>> sortKeys,
                              Function<T, String> id, Function<String, BasaltException> markerNotFound) {
        Comparator<T> order = null;
        List<Sort> sort = new ArrayList<>(params.sort());
        if (sort.stream().noneMatch(s -> s.key().equals("id"))) {
            sort.add(new Sort("id", sort.get(sort.size() - 1).ascending()));
        }
        for (Sort s : sort) {
            Function<T, Comparable<?>> key = s.key().equals("id") ? t -> id.apply(t) : sortKeys.get(s.key());
            if (key == null) {
                throw BasaltException.badRequest("Invalid input received: Invalid sort key %s; valid keys are %s, id",
                        s.key(), String.join(", ", new java.util.TreeSet<>(sortKeys.keySet())));
            }
            Comparator<T> c = Comparator.comparing(t -> comparable(key.apply(t)),
                    Comparator.nullsFirst(Comparator.naturalOrder()));
            if (!s.ascending()) {
                c = c.reversed();
            }
            order = order == null ? c : order.thenComparing(c);
        }
        List<T> sorted = new ArrayList<>(all);
        sorted.sort(order);
        int start = 0;
        if (params.marker() != null) {
            int at = -1;
            for (int i = 0; i < sorted.size(); i++) {
                if (id.apply(sorted.get(i)).equals(params.marker())) {
                    at = i;
                    break;
                }
            }
            if (at < 0) {
                throw markerNotFound.apply(params.marker());
            }
            start = at + 1;
        }
        start = (int) Math.min((long) start + params.offset(), sorted.size());
        int end = (int) Math.min((long) start + params.limit(), sorted.size());
        return new PageOf<>(List.copyOf(sorted.subList(start, end)), sorted.size());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparable<Object> comparable(Comparable<?> value) {
        return (Comparable) value;
    }
}
