package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.http.JsonBody;
import java.io.IOException;
import java.util.Map;

/**
 * The bodies of a type's specs resources, shared by volume types' extra specs and group types'
 * group specs: all of them under one field ({@code {"extra_specs": {...}}}) or one of them
 * ({@code {"key": "value"}}). A null value is written as JSON null.
 */
final class SpecsBodies {
    private SpecsBodies() {
    }

    /** {@code {"<field>": {specs}}}. */
    static JsonBody all(String field, Map<String, String> specs) {
        return out -> {
            out.writeStartObject();
            writeField(out, field, specs);
            out.writeEndObject();
        };
    }

    /** {@code {"<key>": value}}. */
    static JsonBody one(String key, String value) {
        return out -> {
            out.writeStartObject();
            out.writeStringField(key, value);
            out.writeEndObject();
        };
    }

    /** Writes {@code "<field>": {specs}} into an open object. */
    static void writeField(JsonGenerator out, String field, Map<String, String> specs) throws IOException {
        out.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : specs.entrySet()) {
            out.writeStringField(e.getKey(), e.getValue());
        }
        out.writeEndObject();
    }
}
