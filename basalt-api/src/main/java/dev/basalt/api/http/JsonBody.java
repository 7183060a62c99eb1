package dev.basalt.api.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.Json;
import java.io.IOException;

/** A response body that writes itself as JSON, straight into the output (no intermediate tree). */
@FunctionalInterface
public interface JsonBody {
    void writeTo(JsonGenerator out) throws IOException;

    /** A body from a tree that is already built. */
    static JsonBody of(JsonNode tree) {
        return out -> Json.mapper().writeTree(out, tree);
    }
}
