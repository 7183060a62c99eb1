package dev.basalt.api.resources;

import dev.basalt.api.Microversions;
import dev.basalt.api.http.JsonBody;

/**
 * The versions document ({@code GET /} answers it with 300, {@code GET /v3/} with 200): one
 * version, v3.0, CURRENT, with the microversion range Basalt serves.
 */
public final class VersionsResource {
    /** The document for an API reached at {@code baseUrl} (scheme, host and path prefix). */
    public JsonBody document(String baseUrl) {
        return out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("versions");
            out.writeStartObject();
            out.writeStringField("id", "v3.0");
            out.writeStringField("status", "CURRENT");
            out.writeStringField("version", Microversions.MAX.toString());
            out.writeStringField("min_version", Microversions.MIN.toString());
            out.writeStringField("updated", Microversions.UPDATED);
            out.writeArrayFieldStart("links");
            out.writeStartObject();
            out.writeStringField("rel", "describedby");
            out.writeStringField("type", "text/html");
            out.writeStringField("href", "https://docs.openstack.org/");
            out.writeEndObject();
            out.writeStartObject();
            out.writeStringField("rel", "self");
            out.writeStringField("href", baseUrl + "/v3/");
            out.writeEndObject();
            out.writeEndArray();
            out.writeArrayFieldStart("media-types");
            out.writeStartObject();
            out.writeStringField("base", "application/json");
            out.writeStringField("type", "application/vnd.openstack.volume+json;version=3");
            out.writeEndObject();
            out.writeEndArray();
            out.writeEndObject();
            out.writeEndArray();
            out.writeEndObject();
        };
    }
}
