package dev.basalt.db;

import dev.basalt.common.BasaltException;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * A field of a resource that a list query may filter or sort by: its API name, its SQL column, the
 * expression it sorts by, its value type, and the value a row has for that sort expression (what
 * the rows after a marker row are compared with).
 */
record ListColumn<T>(String apiName, String column, String sortExpression, Kind kind, Function<T, Object> sortValue) {
    enum Kind { TEXT, INTEGER, BOOLEAN, TIMESTAMP }

    /** A column that sorts by its own value. */
    static <T> ListColumn<T> of(String apiName, String column, Kind kind, Function<T, Object> value) {
        return new ListColumn<>(apiName, column, column, kind, value);
    }

    /** A text column that may be null and sorts as the empty string then. */
    static <T> ListColumn<T> nullableText(String apiName, String column, Function<T, String> value) {
        return new ListColumn<>(apiName, column, "COALESCE(" + column + ", '')", Kind.TEXT,
                row -> Objects.requireNonNullElse(value.apply(row), ""));
    }

    static <T> ListColumn<T> createdAt(Function<T, Instant> createdAt) {
        return of("created_at", "created_at", Kind.TIMESTAMP, row -> Rows.timestamp(createdAt.apply(row)));
    }

    /** {@code updated_at}, which sorts as {@code created_at} while the row was never updated. */
    static <T> ListColumn<T> updatedAt(Function<T, Instant> updatedAt, Function<T, Instant> createdAt) {
        return new ListColumn<>("updated_at", "updated_at", "COALESCE(updated_at, created_at)", Kind.TIMESTAMP,
                row -> Rows.timestamp(updatedAt.apply(row) != null ? updatedAt.apply(row) : createdAt.apply(row)));
    }

    /** The value as the column's SQL type, or a 400 naming the field. */
    Object convert(String value) {
        return switch (kind) {
            case TEXT -> value;
            case INTEGER -> {
                try {
                    yield Integer.parseInt(value.trim());
                } catch (NumberFormatException e) {
                    throw BasaltException.badRequest("Invalid value '%s' for %s: expected an integer", value, apiName);
                }
            }
            case BOOLEAN -> switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes", "y", "on", "t" -> Boolean.TRUE;
                case "false", "0", "no", "n", "off", "f" -> Boolean.FALSE;
                default -> throw BasaltException.badRequest(
                        "Invalid value '%s' for %s: expected true or false", value, apiName);
            };
            case TIMESTAMP -> throw BasaltException.badRequest("%s cannot be used as an equality filter", apiName);
        };
    }
}
