package dev.basalt.api.validation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import dev.basalt.common.BasaltException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One compiled request schema. A body that violates it is a 400 whose message names the field,
 * the value and the rule: {@code Invalid input for field/attribute size. Value: abc. 'abc' does
 * not match '^[0-9]+$'}.
 */
public final class RequestSchema {
    private static final int MAX_VALUE_SHOWN = 300;
    private static final int SHORT_VALUE = 60;

    private final String name;
    private final JsonSchema schema;

    RequestSchema(String name, JsonSchema schema) {
        this.name = requireNonNull(name, "name");
        this.schema = requireNonNull(schema, "schema");
    }

    public String name() {
        return name;
    }

    /** Checks {@code body}; throws a 400 describing the first (most specific) violation. */
    public void validate(JsonNode body) {
        Set<ValidationMessage> errors = schema.validate(body);
        if (errors.isEmpty()) {
            return;
        }
        ValidationMessage worst = null;
        for (ValidationMessage m : errors) {
            if (worst == null || depth(m) > depth(worst)) {
                worst = m;
            }
        }
        throw BasaltException.badRequest("%s", describe(worst));
    }

    private static int depth(ValidationMessage m) {
        JsonNodePath at = m.getInstanceLocation();
        return at == null ? 0 : at.getNameCount();
    }

    static String describe(ValidationMessage m) {
        JsonNodePath at = m.getInstanceLocation();
        String field = at == null || at.getNameCount() == 0 ? null : String.valueOf(at.getElement(at.getNameCount() - 1));
        JsonNode value = m.getInstanceNode();
        String reason = reason(m, value);
        if (field == null) {
            return reason;
        }
        return "Invalid input for field/attribute " + field + ". Value: " + shown(value) + ". " + reason;
    }

    private static String reason(ValidationMessage m, JsonNode value) {
        Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
        String arg0 = args.length > 0 ? String.valueOf(args[0]) : "";
        String shown = shown(value);
        String it = shown.length() <= SHORT_VALUE ? (value != null && value.isTextual() ? "'" + shown + "'" : shown) : "It";
        return switch (m.getType()) {
            case "type" -> it + " is not of type " + expectedTypes(args);
            case "minimum" -> it + " is less than the minimum of " + arg0;
            case "maximum" -> it + " is greater than the maximum of " + arg0;
            case "pattern" -> it + " does not match '" + arg0 + "'";
            case "maxLength" -> it + " is too long (at most " + arg0 + " characters)";
            case "minLength" -> it + " is too short (at least " + arg0 + " characters)";
            case "enum" -> it + " is not one of " + (args.length > 0 ? arg0 : "the accepted values");
            case "format" -> it + " " + CinderFormats.explain(arg0);
            case "required" -> "'" + arg0 + "' is a required property";
            case "additionalProperties" -> "Additional properties are not allowed ('" + arg0 + "' was unexpected)";
            case "minProperties" -> "1".equals(arg0) ? "It must not be empty" : "It must have at least " + arg0
                    + " properties";
            case "maxProperties" -> "It must have at most " + arg0 + (arg0.equals("1") ? " property" : " properties");
            default -> m.getError();
        };
    }

    private static String expectedTypes(Object[] args) {
        if (args.length < 2) {
            return "the expected type";
        }
        String expected = String.valueOf(args[1]).replace("[", "").replace("]", "");
        return Arrays.stream(expected.split(",")).map(String::trim).map(t -> "'" + t + "'")
                .collect(Collectors.joining(", "));
    }

    private static String shown(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "";
        }
        String text = value.isTextual() ? value.textValue() : value.toString();
        return text.length() > MAX_VALUE_SHOWN ? text.substring(0, MAX_VALUE_SHOWN) + "..." : text;
    }
}
