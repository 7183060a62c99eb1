package dev.basalt.api.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.Json;
import java.io.IOException;

/** A response body that writes itself as JSON, straight into the output (no intermediate tree). */
@FunctionalInterface
public interface JsonBody {
    /** What {@link #sizeHint()} says unless a body says otherwise. */
    int DEFAULT_SIZE_HINT = 16 * 1024;

    void writeTo(JsonGenerator out) throws IOException;

    /** About how many bytes this body writes, so that its buffer is sized once: a guess, never a limit. */
    default int sizeHint() {
        return DEFAULT_SIZE_HINT;
    }

    /** {@code body}, saying it writes about {@code bytes} bytes. */
    static JsonBody sized(int bytes, JsonBody body) {
        return new Sized(bytes, body);
    }

    /** A body with its own size hint. */
    record Sized(int sizeHint, JsonBody body) implements JsonBody {
        @Override
        public void writeTo(JsonGenerator out) throws IOException {
            body.writeTo(out);
        }
    }

    /** An object with one field, {@code name}, whose value {@code value} writes: {@code {"<name>": …}}. */
    static JsonBody under(String name, JsonBody value) {
        return out -> {
            out.writeStartObject();
            out.writeFieldName(name);
            value.writeTo(out);
            out.writeEndObject();
        };
    }

    /** A body from a tree that is already built. */
    static JsonBody of(JsonNode tree) {
        return out -> Json.mapper().writeTree(out, tree);
    }
}
