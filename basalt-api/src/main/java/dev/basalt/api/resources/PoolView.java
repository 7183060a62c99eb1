package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.common.Json;
import dev.basalt.model.PoolCapabilities;
import dev.basalt.model.PoolCapacity;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * A pool as Cinder's scheduler-stats view shows it: {@code name} ({@code host@backend#pool}) and,
 * in detail, its {@code capabilities} ({@link PoolCapabilities}) with values as Cinder's drivers
 * report them: an unbounded capacity as {@code "infinite"}, {@code max_over_subscription_ratio} as
 * the configured text ({@code "20.0"}), the report's {@code timestamp} as Cinder writes times.
 */
final class PoolView {
    private static final String RATIO = "max_over_subscription_ratio";

    private PoolView() {
    }

    static void write(JsonGenerator out, PoolCapacity pool, boolean detail) throws IOException {
        out.writeStartObject();
        out.writeStringField("name", pool.location());
        if (detail) {
            out.writeFieldName("capabilities");
            writeCapabilities(out, PoolCapabilities.of(pool));
        }
        out.writeEndObject();
    }

    /** The capabilities as a JSON object, each value as Cinder sends it. */
    static void writeCapabilities(JsonGenerator out, Map<String, Object> capabilities) throws IOException {
        out.writeStartObject();
        for (Map.Entry<String, Object> c : capabilities.entrySet()) {
            out.writeFieldName(c.getKey());
            writeValue(out, c.getKey(), c.getValue());
        }
        out.writeEndObject();
    }

    private static void writeValue(JsonGenerator out, String key, Object value) throws IOException {
        if (value instanceof Double d && RATIO.equals(key)) {
            out.writeString(d.toString());
        } else if (value instanceof Instant at) {
            out.writeString(Timestamps.format(at));
        } else if (value instanceof Double d && d.isNaN()) {
            out.writeString("unknown");
        } else if (value instanceof Double d && d.isInfinite()) {
            out.writeString("infinite");
        } else {
            Json.mapper().writeValue(out, value);
        }
    }
}
