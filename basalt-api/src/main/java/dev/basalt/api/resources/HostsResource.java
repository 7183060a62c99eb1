package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.db.HostUsage;
import dev.basalt.db.ServiceRepository;
import dev.basalt.model.ServiceRecord;
import dev.basalt.rpc.VolumeRpc;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /os-hosts} (administrators: policy {@code volume_extension:hosts}), Cinder's deprecated
 * host API: the list of enabled services ({@code ?zone=} narrows it) with Cinder's hyphenated
 * fields, a volume host's usage per project ({@code GET /os-hosts/{host}}, a {@code (total)} row
 * first, figures as strings), and {@code PUT /os-hosts/{host}} {@code {"status": "enable"|"disable"}},
 * which Cinder never implemented: 501, pointing to {@code os-services}.
 */
public final class HostsResource {
    static final String MANAGE = "volume_extension:hosts";

    private final ServiceRepository services;
    private final HostUsage usage;
    private final Clock clock;
    private final Duration serviceDownTime;

    public HostsResource(ServiceRepository services, HostUsage usage, Clock clock, Duration serviceDownTime) {
        this.services = requireNonNull(services, "services");
        this.usage = requireNonNull(usage, "usage");
        this.clock = requireNonNull(clock, "clock");
        this.serviceDownTime = requireNonNull(serviceDownTime, "serviceDownTime");
    }

    public void register(Router.Builder routes) {
        routes.get("/os-hosts", this::list).get("/os-hosts/{host}", this::show).put("/os-hosts/{host}", this::update);
    }

    ApiResponse list(ApiRequest request) {
        request.authorize(MANAGE);
        List<ServiceRecord> hosts = enabled(request.query().get("zone"));
        Instant now = clock.instant();
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("hosts");
            for (ServiceRecord s : hosts) {
                writeHost(out, s, now);
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    ApiResponse show(ApiRequest request) {
        request.authorize(MANAGE);
        String host = request.path("host");
        services.find(host, VolumeRpc.BINARY).filter(s -> !s.disabled()).orElseThrow(() -> BasaltException.notFound(
                "Service %s could not be found on host %s.", VolumeRpc.BINARY, host));
        List<HostUsage.ProjectUsage> projects = usage.byProject(host);
        HostUsage.ProjectUsage total = new HostUsage.ProjectUsage("(total)",
                projects.stream().mapToLong(HostUsage.ProjectUsage::volumeCount).sum(),
                projects.stream().mapToLong(HostUsage.ProjectUsage::volumeGb).sum(),
                projects.stream().mapToLong(HostUsage.ProjectUsage::snapshotCount).sum(),
                projects.stream().mapToLong(HostUsage.ProjectUsage::snapshotGb).sum());
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("host");
            writeUsage(out, host, total);
            for (HostUsage.ProjectUsage project : projects) {
                writeUsage(out, host, project);
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    /** Checks the host and the body as Cinder does, then answers 501: hosts are enabled through os-services. */
    ApiResponse update(ApiRequest request) {
        String host = request.path("host");
        if (enabled(null).stream().noneMatch(s -> s.host().equals(host))) {
            throw BasaltException.notFound("Host %s could not be found.", host);
        }
        request.authorize(MANAGE);
        JsonNode body = request.json();
        if (body == null || !body.isObject()) {
            throw BasaltException.badRequest("The request body must be an object such as {\"status\": \"enable\"}.");
        }
        for (Map.Entry<String, JsonNode> field : (Iterable<Map.Entry<String, JsonNode>>) body::fields) {
            String key = field.getKey().toLowerCase(Locale.ROOT).strip();
            if (!key.equals("status")) {
                throw BasaltException.badRequest("Invalid update setting: '%s'", field.getKey());
            }
            String value = field.getValue().isTextual() ? field.getValue().asText() : field.getValue().toString();
            if (!List.of("enable", "disable").contains(value.toLowerCase(Locale.ROOT).strip())) {
                throw BasaltException.badRequest("Invalid status: '%s'", value);
            }
        }
        throw new BasaltException(Fault.NOT_IMPLEMENTED, "Enabling or disabling a host is not implemented; enable"
                + " or disable its services with PUT /os-services/enable or /os-services/disable instead.");
    }

    private List<ServiceRecord> enabled(String zone) {
        return services.list(null, null).stream().filter(s -> !s.disabled())
                .filter(s -> zone == null || zone.isEmpty() || zone.equals(s.availabilityZone())).toList();
    }

    private void writeHost(JsonGenerator out, ServiceRecord s, Instant now) throws IOException {
        out.writeStartObject();
        out.writeStringField("host_name", s.host());
        out.writeStringField("service", s.binary());
        out.writeStringField("zone", s.availabilityZone());
        out.writeStringField("service-status", s.isUp(now, serviceDownTime) ? "available" : "unavailable");
        out.writeStringField("service-state", "enabled");
        Timestamps.write(out, "last-update", s.updatedAt());
        out.writeEndObject();
    }

    private static void writeUsage(JsonGenerator out, String host, HostUsage.ProjectUsage u) throws IOException {
        out.writeStartObject();
        out.writeObjectFieldStart("resource");
        out.writeStringField("host", host);
        out.writeStringField("project", u.projectId());
        out.writeStringField("volume_count", Long.toString(u.volumeCount()));
        out.writeStringField("total_volume_gb", Long.toString(u.volumeGb()));
        out.writeStringField("snapshot_count", Long.toString(u.snapshotCount()));
        out.writeStringField("total_snapshot_gb", Long.toString(u.snapshotGb()));
        out.writeEndObject();
        out.writeEndObject();
    }
}
