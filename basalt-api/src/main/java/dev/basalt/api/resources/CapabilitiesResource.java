package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.db.ServiceRepository;
import dev.basalt.model.PoolCapabilities;
import dev.basalt.model.PoolCapacity;
import dev.basalt.model.ServiceRecord;
import dev.basalt.rpc.PoolsQuery;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.VolumeRpc;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /capabilities/{host}} (administrators: policy {@code volume_extension:capabilities}):
 * what a volume backend offers volume types, in Cinder's capabilities view — its vendor, backend
 * name, driver version and protocol, and as {@code properties} Cinder's standard capabilities
 * (thin provisioning, compression, QoS, replication). {@code host} matches volume services as
 * Cinder's host filter does ({@code node1} finds {@code node1@file}); none is a 404. The backend's
 * figures are those of its latest capacity report, as a scheduler holds them; a backend with no
 * fresh report (its volume service is down) is a 502, as Cinder's timeout asking the backend.
 */
public final class CapabilitiesResource {
    static final String SHOW = "volume_extension:capabilities";
    private static final Logger LOG = LoggerFactory.getLogger(CapabilitiesResource.class);
    private static final List<Property> STANDARD = List.of(
            new Property("thin_provisioning", "Thin Provisioning", "Sets thin provisioning."),
            new Property("compression", "Compression", "Enables compression."),
            new Property("qos", "QoS", "Enables QoS."),
            new Property("replication_enabled", "Replication", "Enables replication."));

    /** One of Cinder's standard capabilities, all boolean. */
    private record Property(String key, String title, String description) {
    }

    private final ServiceRepository services;
    private final SchedulerRpc schedulers;
    private final Duration timeout;

    public CapabilitiesResource(ServiceRepository services, SchedulerRpc schedulers, Duration timeout) {
        this.services = requireNonNull(services, "services");
        this.schedulers = requireNonNull(schedulers, "schedulers");
        this.timeout = requireNonNull(timeout, "timeout");
    }

    public void register(Router.Builder routes) {
        routes.get("/capabilities/{host}", this::show);
    }

    ApiResponse show(ApiRequest request) {
        request.authorize(SHOW);
        String host = request.path("host");
        List<ServiceRecord> found = services.list(host, VolumeRpc.BINARY);
        if (found.isEmpty()) {
            throw BasaltException.notFound("Can't find service: %s", host);
        }
        String backend = found.get(0).host();
        Map<String, Object> capabilities = backendCapabilities(request, backend);
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeStringField("namespace", "OS::Storage::Capabilities::" + backend);
            writeField(out, capabilities, "vendor_name");
            writeField(out, capabilities, "volume_backend_name");
            out.writeNullField("pool_name"); // a backend-wide report names no pool, as Cinder's drivers'
            writeField(out, capabilities, "driver_version");
            writeField(out, capabilities, "storage_protocol");
            out.writeNullField("display_name");
            out.writeNullField("description");
            out.writeNullField("visibility");
            out.writeArrayFieldStart("replication_targets");
            out.writeEndArray();
            out.writeObjectFieldStart("properties");
            for (Property p : STANDARD) {
                out.writeObjectFieldStart(p.key());
                out.writeStringField("title", p.title());
                out.writeStringField("description", p.description());
                out.writeStringField("type", "boolean");
                out.writeEndObject();
            }
            out.writeEndObject();
            out.writeEndObject();
        });
    }

    /** The capabilities of the backend's first pool (those Cinder's view shows are backend-wide). */
    private Map<String, Object> backendCapabilities(ApiRequest request, String backend) {
        List<PoolCapacity> pools;
        try {
            pools = schedulers.getPools(PoolsQuery.ALL, timeout);
        } catch (RuntimeException e) {
            LOG.error("{} could not ask a scheduler for the pools of {}", request.context().requestId(), backend, e);
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "No scheduler answered with the capabilities of " + backend + ". Check that a scheduler is"
                            + " running and try again.");
        }
        return pools.stream().filter(p -> p.backend().equals(backend)).findFirst().map(PoolCapabilities::of)
                .orElseThrow(() -> new BasaltException(Fault.BAD_GATEWAY,
                        "Timeout while requesting capabilities from backend " + backend + "."));
    }

    private static void writeField(JsonGenerator out, Map<String, Object> capabilities, String key)
            throws IOException {
        Object value = capabilities.get(key);
        if (value == null) {
            out.writeNullField(key);
        } else {
            out.writeStringField(key, value.toString());
        }
    }
}
