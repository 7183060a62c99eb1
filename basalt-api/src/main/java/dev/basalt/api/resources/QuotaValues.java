package dev.basalt.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.BasaltException;
import java.math.BigInteger;
import java.util.regex.Pattern;

/** A quota limit from a request body, checked the way Cinder checks it: an integer from -1 to 2^31-1. */
final class QuotaValues {
    static final int MAX = Integer.MAX_VALUE;
    /** What Python's {@code int(str(value))} accepts: blanks and a sign around digits, single underscores between. */
    private static final Pattern INTEGER = Pattern.compile("\\s*[+-]?\\d+(_\\d+)*\\s*");

    private QuotaValues() {
    }

    /** The value of {@code key} as a limit; a 400 with Cinder's message when it is not one. */
    static int limit(String key, JsonNode value) {
        BigInteger number = integerOrNull(value);
        if (number == null) {
            throw BasaltException.badRequest("%s must be an integer", key);
        }
        if (number.compareTo(BigInteger.valueOf(-1)) < 0) {
            throw BasaltException.badRequest("%s must be >= -1", key);
        }
        if (number.compareTo(BigInteger.valueOf(MAX)) > 0) {
            throw BasaltException.badRequest("%s must be <= %d", key, MAX);
        }
        return number.intValueExact();
    }

    private static BigInteger integerOrNull(JsonNode value) {
        if (value == null || value.isNull() || value.isBoolean()) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue();
        }
        if (value.isTextual() && INTEGER.matcher(value.textValue()).matches()) {
            return new BigInteger(value.textValue().strip().replace("_", ""));
        }
        return null;
    }
}
