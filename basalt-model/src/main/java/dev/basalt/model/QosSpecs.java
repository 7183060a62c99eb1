package dev.basalt.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A named set of quality-of-service limits (Cinder's QoS specs). {@code consumer} says who
 * applies them: the host ({@code front-end}), the storage side ({@code back-end}) or both. A spec
 * value may be null (Cinder lets a key be set to null).
 */
public record QosSpecs(String id, String name, Consumer consumer, Map<String, String> specs, Instant createdAt,
                       Instant updatedAt) {

    /** Who applies a set of QoS specs. */
    public enum Consumer {
        BACK_END("back-end"), FRONT_END("front-end"), BOTH("both");

        private final String apiName;

        Consumer(String apiName) {
            this.apiName = apiName;
        }

        /** The name the API shows and accepts. */
        public String apiName() {
            return apiName;
        }

        /** Whether the host applies the specs (they go into connection info). */
        public boolean frontEnd() {
            return this != BACK_END;
        }

        /** Whether the storage side (the target) enforces the specs. */
        public boolean backEnd() {
            return this != FRONT_END;
        }

        /** The consumer of that API name, or null when there is none. */
        public static Consumer fromApiName(String name) {
            for (Consumer c : values()) {
                if (c.apiName.equals(name)) {
                    return c;
                }
            }
            return null;
        }
    }

    public QosSpecs {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(consumer, "consumer");
        specs = Collections.unmodifiableMap(new LinkedHashMap<>(specs == null ? Map.of() : specs));
    }
}
