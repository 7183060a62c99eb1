package dev.basalt.api.resources;

import dev.basalt.common.BasaltException;
import java.util.Locale;
import java.util.Set;

/** The boolean spellings Cinder's API accepts (oslo's {@code bool_from_string}). */
final class Booleans {
    private static final Set<String> TRUE = Set.of("1", "t", "true", "on", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "f", "false", "off", "n", "no");

    private Booleans() {
    }

    static boolean isValid(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return TRUE.contains(t) || FALSE.contains(t);
    }

    /** Strict parsing: anything but a known spelling is null. */
    static Boolean parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (TRUE.contains(t)) {
            return Boolean.TRUE;
        }
        return FALSE.contains(t) ? Boolean.FALSE : null;
    }

    /** A boolean query parameter, or {@code fallback} when absent; a bad spelling is a 400. */
    static boolean param(String name, String value, boolean fallback) {
        if (value == null) {
            return fallback;
        }
        Boolean b = parseOrNull(value);
        if (b == null) {
            throw BasaltException.badRequest("Value '%s' for '%s' is not a boolean.", value, name);
        }
        return b;
    }

    /** A boolean from a JSON body that the schema has already limited to boolean spellings. */
    static boolean fromJson(com.fasterxml.jackson.databind.JsonNode node, boolean fallback) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return fallback;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        Boolean b = parseOrNull(node.asText());
        return b != null ? b : fallback;
    }
}
