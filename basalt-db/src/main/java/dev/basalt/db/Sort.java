package dev.basalt.db;

/** One sort key of a list query, by its API name ({@code created_at}, {@code name}, ...). */
public record Sort(String key, boolean ascending) {
    public static Sort desc(String key) {
        return new Sort(key, false);
    }

    public static Sort asc(String key) {
        return new Sort(key, true);
    }
}
