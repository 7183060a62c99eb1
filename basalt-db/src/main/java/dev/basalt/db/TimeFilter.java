package dev.basalt.db;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A time comparison on a timestamp field ({@code created_at}, {@code updated_at}): Cinder's
 * {@code created_at=gt:2026-01-01T00:00:00} list filters. A row whose field is null never matches.
 */
public record TimeFilter(String key, Comparison comparison, Instant value) {
    public TimeFilter {
        requireNonNull(key, "key");
        requireNonNull(comparison, "comparison");
        requireNonNull(value, "value");
    }

    /** The operators Cinder accepts, by their API names. */
    public enum Comparison {
        GT("gt", ">"), GTE("gte", ">="), EQ("eq", "="), NEQ("neq", "<>"), LT("lt", "<"), LTE("lte", "<=");

        private final String apiName;
        private final String sql;

        Comparison(String apiName, String sql) {
            this.apiName = apiName;
            this.sql = sql;
        }

        public String apiName() {
            return apiName;
        }

        String sql() {
            return sql;
        }

        /** The operator named {@code name} ({@code gt}, {@code lte}, ...), or null when there is none. */
        public static Comparison fromApiName(String name) {
            for (Comparison c : values()) {
                if (c.apiName.equals(name)) {
                    return c;
                }
            }
            return null;
        }
    }
}
