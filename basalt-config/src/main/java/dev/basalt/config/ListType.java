package dev.basalt.config;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/** Comma-separated items, each trimmed and parsed by the item type; empty items are dropped. */
record ListType<E>(OptionType<E> item, boolean distinct) implements OptionType<List<E>> {
    ListType {
        requireNonNull(item, "item");
    }

    @Override
    public List<E> parse(String text) {
        List<E> items = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String trimmed = part.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            E value = parseItem(trimmed);
            if (distinct && items.contains(value)) {
                throw new IllegalArgumentException("item \"" + trimmed + "\" appears more than once");
            }
            items.add(value);
        }
        return List.copyOf(items);
    }

    private E parseItem(String text) {
        try {
            return item.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("item \"" + text + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public String description() {
        return "comma-separated list of " + item.description() + (distinct ? ", each at most once" : "");
    }
}
