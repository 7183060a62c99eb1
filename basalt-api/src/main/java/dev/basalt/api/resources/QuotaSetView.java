package dev.basalt.api.resources;

import dev.basalt.api.http.JsonBody;
import dev.basalt.db.QuotaUsage;
import java.util.Map;

/** Cinder's quota set bodies: {@code {"quota_set": {"volumes": 10, …, "id": "<project>"}}}, with or without usage. */
final class QuotaSetView {
    private QuotaSetView() {
    }

    /** Limits by resource under {@code wrapper}, then {@code "id": id} unless {@code id} is null. */
    static JsonBody limits(String wrapper, String id, Map<String, Integer> limits) {
        return out -> {
            out.writeStartObject();
            out.writeObjectFieldStart(wrapper);
            for (Map.Entry<String, Integer> e : limits.entrySet()) {
                out.writeNumberField(e.getKey(), e.getValue());
            }
            if (id != null) {
                out.writeStringField("id", id);
            }
            out.writeEndObject();
            out.writeEndObject();
        };
    }

    /** {@code {"quota_set": {"volumes": {"limit": 10, "in_use": 1, "reserved": 0}, …, "id": id}}}. */
    static JsonBody withUsage(String id, Map<String, Integer> limits, Map<String, QuotaUsage> usages) {
        return out -> {
            out.writeStartObject();
            out.writeObjectFieldStart("quota_set");
            for (Map.Entry<String, Integer> e : limits.entrySet()) {
                QuotaUsage usage = usages.getOrDefault(e.getKey(), QuotaUsage.NONE);
                out.writeObjectFieldStart(e.getKey());
                out.writeNumberField("limit", e.getValue());
                out.writeNumberField("in_use", usage.inUse());
                out.writeNumberField("reserved", usage.reserved());
                out.writeEndObject();
            }
            out.writeStringField("id", id);
            out.writeEndObject();
            out.writeEndObject();
        };
    }
}
