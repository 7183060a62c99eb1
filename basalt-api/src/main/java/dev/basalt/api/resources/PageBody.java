package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.http.Links;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/**
 * A page of a list as Cinder answers it: {@code {"<field>": [items], "<field>_links": [next]}},
 * the next link (marker: the last item's id) only when the page was full.
 */
final class PageBody {
    /** Writes one item of the page. */
    @FunctionalInterface
    interface ItemWriter<T> {
        void write(JsonGenerator out, T item) throws IOException;
    }

    private PageBody() {
    }

    /**
     * @param field          the list's field ({@code group_types})
     * @param linksField     the next link's field ({@code group_type_links})
     * @param collectionPath the path the next link points at ({@code group_types})
     */
    static <T> JsonBody of(ApiRequest request, String field, String linksField, String collectionPath,
                           List<T> items, Function<T, String> id, boolean next, ItemWriter<T> writer) {
        return out -> {
            out.writeStartObject();
            out.writeArrayFieldStart(field);
            for (T item : items) {
                writer.write(out, item);
            }
            out.writeEndArray();
            if (next) {
                Links.writeNext(out, linksField, request, collectionPath, id.apply(items.get(items.size() - 1)));
            }
            out.writeEndObject();
        };
    }
}
