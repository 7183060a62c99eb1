package dev.basalt.api.resources;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.http.JsonBody;
import dev.basalt.common.Json;
import dev.basalt.model.VolumeAttachment;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Attachments as the attachments API shows them: the summary ({@code id}, {@code status},
 * {@code instance}, {@code volume_id}) and the detail, which adds the times, the mode and the
 * connection info. A time not set yet is an empty string, as Cinder writes it.
 */
final class AttachmentView {
    private AttachmentView() {
    }

    /** {@code {"attachment": {...}}} in the detailed form. */
    static JsonBody one(VolumeAttachment attachment) {
        return out -> {
            out.writeStartObject();
            out.writeFieldName("attachment");
            writeDetail(out, attachment);
            out.writeEndObject();
        };
    }

    /** {@code {"attachments": [...]}}. */
    static JsonBody list(List<VolumeAttachment> attachments, boolean detailed) {
        return out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("attachments");
            for (VolumeAttachment a : attachments) {
                if (detailed) {
                    writeDetail(out, a);
                } else {
                    out.writeStartObject();
                    writeSummaryFields(out, a);
                    out.writeEndObject();
                }
            }
            out.writeEndArray();
            out.writeEndObject();
        };
    }

    private static void writeSummaryFields(JsonGenerator out, VolumeAttachment a) throws IOException {
        out.writeStringField("id", a.id());
        out.writeStringField("status", a.status().apiName());
        out.writeStringField("instance", a.instanceUuid());
        out.writeStringField("volume_id", a.volumeId());
    }

    private static void writeDetail(JsonGenerator out, VolumeAttachment a) throws IOException {
        out.writeStartObject();
        writeSummaryFields(out, a);
        time(out, "attached_at", a.attachTime());
        time(out, "detached_at", a.detachTime());
        out.writeStringField("attach_mode", a.attachMode());
        out.writeFieldName("connection_info");
        Json.mapper().writeValue(out, a.connectionInfo());
        out.writeEndObject();
    }

    private static void time(JsonGenerator out, String field, Instant instant) throws IOException {
        if (instant == null) {
            out.writeStringField(field, "");
        } else {
            Timestamps.write(out, field, instant);
        }
    }
}
