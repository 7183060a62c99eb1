package dev.basalt.api.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;

/**
 * Builds the {@code links} of resources and the {@code next} link of pages the way Cinder does:
 * {@code self} is {@code <base>/v3[/<project>]/<collection>/<id>}, {@code bookmark} the same
 * without {@code /v3}. The project appears only when the request URL had it.
 */
public final class Links {
    private Links() {
    }

    public static String self(ApiRequest request, String collection, String id) {
        return request.baseUrl() + "/v3" + project(request) + "/" + collection + "/" + id;
    }

    public static String bookmark(ApiRequest request, String collection, String id) {
        return request.baseUrl() + project(request) + "/" + collection + "/" + id;
    }

    /** {@code next} for a page: the same query with {@code marker} set to the last item's id. */
    public static String next(ApiRequest request, String collectionPath, String markerId) {
        return request.baseUrl() + "/v3" + project(request) + "/" + collectionPath + "?"
                + request.query().encodeReplacing("marker", markerId);
    }

    /** Writes {@code "links": [self, bookmark]}. */
    public static void write(JsonGenerator out, ApiRequest request, String collection, String id) throws IOException {
        forCollection(request, collection).write(out, id);
    }

    /** The link prefixes of one collection for one request, worked out once for a whole list. */
    public static Collection forCollection(ApiRequest request, String collection) {
        return new Collection(request.baseUrl() + "/v3" + project(request) + "/" + collection + "/",
                request.baseUrl() + project(request) + "/" + collection + "/");
    }

    private static final SerializableString LINKS = new SerializedString("links");
    private static final SerializableString HREF = new SerializedString("href");
    private static final SerializableString REL = new SerializedString("rel");
    private static final SerializableString SELF = new SerializedString("self");
    private static final SerializableString BOOKMARK = new SerializedString("bookmark");

    /** Writes the links of items of one collection. */
    public record Collection(String selfPrefix, String bookmarkPrefix) {
        public void write(JsonGenerator out, String id) throws IOException {
            out.writeFieldName(LINKS);
            out.writeStartArray();
            out.writeStartObject();
            out.writeFieldName(HREF);
            out.writeString(selfPrefix + id);
            out.writeFieldName(REL);
            out.writeString(SELF);
            out.writeEndObject();
            out.writeStartObject();
            out.writeFieldName(HREF);
            out.writeString(bookmarkPrefix + id);
            out.writeFieldName(REL);
            out.writeString(BOOKMARK);
            out.writeEndObject();
            out.writeEndArray();
        }
    }

    /** Writes {@code "<field>": [{"href": next, "rel": "next"}]}. */
    public static void writeNext(JsonGenerator out, String field, ApiRequest request, String collectionPath,
                                 String markerId) throws IOException {
        out.writeArrayFieldStart(field);
        out.writeStartObject();
        out.writeStringField("href", next(request, collectionPath, markerId));
        out.writeStringField("rel", "next");
        out.writeEndObject();
        out.writeEndArray();
    }

    private static String project(ApiRequest request) {
        return request.projectInUrl() == null ? "" : "/" + request.projectInUrl();
    }
}
