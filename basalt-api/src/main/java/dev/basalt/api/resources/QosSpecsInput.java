package dev.basalt.api.resources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.BasaltException;
import dev.basalt.model.QosSpecs;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The specs and consumer of a QoS specs request body, checked as Cinder checks them: keys of 1 to
 * 255 characters, values strings (or null) of at most 255, a consumer Cinder knows.
 */
final class QosSpecsInput {
    private static final int MAX = 255;

    private QosSpecsInput() {
    }

    /** The body's fields as specs, without {@code skip} (null: none); values kept as given, nulls included. */
    static Map<String, String> specs(JsonNode body, String skip) {
        Map<String, String> specs = new LinkedHashMap<>();
        body.properties().forEach(e -> {
            String key = e.getKey();
            if (key.equals(skip)) {
                return;
            }
            if (key.isEmpty() || key.length() > MAX) {
                throw BasaltException.badRequest("Invalid input received: Key \"%s\" must be 1 to %d characters long.",
                        key, MAX);
            }
            JsonNode value = e.getValue();
            if (value.isNull()) {
                specs.put(key, null);
                return;
            }
            if (!value.isTextual()) {
                throw BasaltException.badRequest("Invalid input received: Value for key \"%s\" is not a string or"
                        + " unicode; give it as a string (\"%s\").", key, value.asText());
            }
            if (value.textValue().length() > MAX) {
                throw BasaltException.badRequest("Invalid input received: Value for key \"%s\" is longer than %d"
                        + " characters.", key, MAX);
            }
            specs.put(key, value.textValue());
        });
        return specs;
    }

    /** The consumer named in a request (null: Cinder's default, {@code back-end}); 400 for any other name. */
    static QosSpecs.Consumer consumer(String name) {
        if (name == null) {
            return QosSpecs.Consumer.BACK_END;
        }
        QosSpecs.Consumer consumer = QosSpecs.Consumer.fromApiName(name);
        if (consumer == null) {
            throw BasaltException.badRequest("Invalid qos specs: Valid consumer of QoS specs are: %s (not '%s').",
                    Arrays.stream(QosSpecs.Consumer.values()).map(QosSpecs.Consumer::apiName)
                            .collect(Collectors.joining(", ")), name);
        }
        return consumer;
    }
}
