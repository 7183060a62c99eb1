package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.JsonBody;
import dev.basalt.api.http.Links;
import dev.basalt.model.QosSpecs;
import dev.basalt.model.VolumeType;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Cinder's QoS specs views: one ({@code qos_specs} with {@code links} beside it), a list
 * ({@code qos_specs} and, when there is a next page, {@code qos_specs_links}), and associations.
 */
final class QosSpecsView {
    static final String COLLECTION = "qos-specs";

    private QosSpecsView() {
    }

    static JsonBody one(ApiRequest request, QosSpecs specs) {
        return out -> {
            out.writeStartObject();
            out.writeFieldName("qos_specs");
            write(out, specs);
            Links.write(out, request, COLLECTION, specs.id());
            out.writeEndObject();
        };
    }

    static JsonBody list(ApiRequest request, List<QosSpecs> page, boolean nextLink) {
        return out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("qos_specs");
            for (QosSpecs specs : page) {
                write(out, specs);
            }
            out.writeEndArray();
            if (nextLink) {
                Links.writeNext(out, "qos_specs_links", request, COLLECTION, page.get(page.size() - 1).id());
            }
            out.writeEndObject();
        };
    }

    static JsonBody associations(List<VolumeType> types) {
        return out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("qos_associations");
            for (VolumeType type : types) {
                out.writeStartObject();
                out.writeStringField("association_type", "volume_type");
                out.writeStringField("name", type.name());
                out.writeStringField("id", type.id());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        };
    }

    private static void write(JsonGenerator out, QosSpecs specs) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", specs.id());
        out.writeStringField("name", specs.name());
        out.writeStringField("consumer", specs.consumer().apiName());
        out.writeObjectFieldStart("specs");
        for (Map.Entry<String, String> e : specs.specs().entrySet()) {
            out.writeStringField(e.getKey(), e.getValue());
        }
        out.writeEndObject();
        out.writeEndObject();
    }
}
