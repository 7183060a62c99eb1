package dev.basalt.db;

import java.util.List;

/** One page of a list query; {@code total} counts every match (without limit) when asked for. */
public record Page<T>(List<T> items, Long total) {
    public Page {
        items = List.copyOf(items);
    }
}
