package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.AvailabilityZones;
import java.util.Map;

/** {@code GET /os-availability-zone}: the zones of the volume services, each available while one is enabled. */
public final class AvailabilityZonesResource {
    private final AvailabilityZones zones;

    public AvailabilityZonesResource(AvailabilityZones zones) {
        this.zones = requireNonNull(zones, "zones");
    }

    public void register(Router.Builder routes) {
        routes.get("/os-availability-zone", this::list);
    }

    ApiResponse list(ApiRequest request) {
        Map<String, Boolean> listed = zones.listed();
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("availabilityZoneInfo");
            for (Map.Entry<String, Boolean> z : listed.entrySet()) {
                out.writeStartObject();
                out.writeStringField("zoneName", z.getKey());
                out.writeObjectFieldStart("zoneState");
                out.writeBooleanField("available", z.getValue());
                out.writeEndObject();
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }
}
