package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.http.RawJson;
import dev.basalt.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON of list items as last written, by item id, reused while the item's {@code source} (a
 * value holding everything its JSON is written from, compared with {@code equals}) is the same: a
 * list of unchanged items then costs a comparison and a copy per item instead of writing every
 * field again. Any change to the source writes the item anew. Keeps at most {@code capacity}
 * items; when full it starts over.
 *
 * @param <S> what an item's JSON is written from
 */
final class RenderedItems<S> {
    /** Writes one item's JSON from its source. */
    @FunctionalInterface
    interface ItemWriter<S> {
        void write(JsonGenerator out, S source) throws IOException;
    }

    private record Rendered<S>(S source, RawJson json) {
    }

    private final ConcurrentHashMap<String, Rendered<S>> byId = new ConcurrentHashMap<>();
    private final int capacity;
    private final ItemWriter<S> writer;

    RenderedItems(int capacity, ItemWriter<S> writer) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.writer = writer;
    }

    /** Writes the item's JSON as the next value of {@code out}: the kept copy if its source is equal, else anew. */
    void write(JsonGenerator out, String id, S source) throws IOException {
        Rendered<S> kept = byId.get(id);
        if (kept == null || !kept.source().equals(source)) {
            kept = new Rendered<>(source, render(source));
            if (byId.size() >= capacity) {
                byId.clear();
            }
            byId.put(id, kept);
        }
        out.writeRawValue(kept.json());
    }

    /** How many items are kept now. */
    int size() {
        return byId.size();
    }

    private RawJson render(S source) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
        try (JsonGenerator item = Json.mapper().createGenerator(bytes)) {
            writer.write(item, source);
        }
        return new RawJson(bytes.toByteArray());
    }
}
