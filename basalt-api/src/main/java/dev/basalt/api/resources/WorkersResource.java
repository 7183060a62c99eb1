package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.Microversions;
import dev.basalt.api.RequestContext;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.db.WorkerRepository;
import dev.basalt.model.CleanableResource;
import dev.basalt.model.Worker;
import dev.basalt.rpc.CleanedService;
import dev.basalt.rpc.CleanupRequest;
import dev.basalt.rpc.CleanupResult;
import dev.basalt.rpc.SchedulerRpc;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /workers/cleanup} (3.24, administrators: policy {@code workers:cleanup}): asks a
 * scheduler to have the work in flight of the services the body's filters match cleaned up — by
 * default the services that are down — and answers 202 with the services being cleaned up and
 * those that could not be, as Cinder's workers view shows them. A {@code resource_id} without a
 * place ({@code service_id}, {@code cluster_name}, {@code host}) is looked up in the workers table
 * to find whose work it is.
 */
public final class WorkersResource {
    static final String CLEANUP = "workers:cleanup";
    private static final Logger LOG = LoggerFactory.getLogger(WorkersResource.class);

    private final WorkerRepository workers;
    private final SchedulerRpc schedulers;
    private final Schemas schemas;
    private final Clock clock;
    private final Duration timeout;

    public WorkersResource(WorkerRepository workers, SchedulerRpc schedulers, Schemas schemas, Clock clock,
                           Duration timeout) {
        this.workers = requireNonNull(workers, "workers");
        this.schedulers = requireNonNull(schedulers, "schedulers");
        this.schemas = requireNonNull(schemas, "schemas");
        this.clock = requireNonNull(clock, "clock");
        this.timeout = requireNonNull(timeout, "timeout");
    }

    public void register(Router.Builder routes) {
        routes.add("POST", "/workers/cleanup", Microversions.WORKERS_CLEANUP, this::cleanup);
    }

    ApiResponse cleanup(ApiRequest request) {
        JsonNode body = request.validBody(schemas.workersCleanup());
        request.authorize(CLEANUP);
        CleanableResource type = resourceType(body);
        Integer serviceId = serviceId(body.get("service_id"));
        String resourceId = text(body, "resource_id");
        boolean placed = body.has("service_id") || body.has("cluster_name") || body.has("host");
        if (resourceId != null && !placed) {
            Worker worker = onlyWorkerOf(resourceId, type);
            serviceId = worker.serviceId();
            type = worker.resourceType();
        }
        CleanupRequest cleanup = new CleanupRequest(serviceId, text(body, "cluster_name"), text(body, "host"),
                text(body, "binary"), bool(body.get("is_up")), bool(body.get("disabled")), resourceId,
                type == null ? null : type.typeName(), clock.instant());
        RequestContext context = request.context();
        CleanupResult result;
        try {
            result = schedulers.workCleanup(cleanup, timeout);
        } catch (RuntimeException e) {
            LOG.error("{} could not ask a scheduler to clean up work in flight", context.requestId(), e);
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "The scheduler could not be reached; nothing was cleaned up. Try again later.");
        }
        LOG.info("{} cleanup of work in flight: {} service(s) being cleaned, {} unavailable", context.requestId(),
                result.cleaning().size(), result.unavailable().size());
        return ApiResponse.accepted(out -> {
            out.writeStartObject();
            writeServices(out, "cleaning", result.cleaning());
            writeServices(out, "unavailable", result.unavailable());
            out.writeEndObject();
        });
    }

    /** The kind named by {@code resource_type}, in any case (as Cinder title-cases it); null when not given. */
    private static CleanableResource resourceType(JsonNode body) {
        String name = text(body, "resource_type");
        if (name == null || name.isEmpty()) {
            return null;
        }
        String titled = name.substring(0, 1).toUpperCase(Locale.ROOT) + name.substring(1).toLowerCase(Locale.ROOT);
        return CleanableResource.fromTypeName(titled).orElseThrow(() -> BasaltException.badRequest(
                "Invalid input received: Resource type %s not valid, must be Volume or Snapshot", titled));
    }

    /** The one workers row of the resource, or a 400 saying there is none or more than one. */
    private Worker onlyWorkerOf(String resourceId, CleanableResource type) {
        List<Worker> found = workers.forResource(resourceId, type);
        if (found.isEmpty()) {
            throw BasaltException.badRequest("Invalid input received: There is no resource with UUID %s pending"
                    + " cleanup.", resourceId);
        }
        if (found.size() > 1) {
            throw BasaltException.badRequest("Invalid input received: There are multiple resources with UUID %s"
                    + " pending cleanup.  Please be more specific.", resourceId);
        }
        return found.get(0);
    }

    private static Integer serviceId(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        String digits = node.asText();
        if (digits.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(digits);
        } catch (NumberFormatException e) {
            throw BasaltException.badRequest("Invalid input received: service_id %s is not a service id.", digits);
        }
    }

    private static Boolean bool(JsonNode node) {
        return node == null || node.isNull() ? null : Booleans.fromJson(node, false);
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    /** Cinder's workers view of each service: id, host, binary, cluster_name. */
    private static void writeServices(JsonGenerator out, String field, List<CleanedService> services)
            throws IOException {
        out.writeArrayFieldStart(field);
        for (CleanedService s : services) {
            out.writeStartObject();
            out.writeNumberField("id", s.id());
            out.writeStringField("host", s.host());
            out.writeStringField("binary", s.binary());
            out.writeStringField("cluster_name", s.clusterName());
            out.writeEndObject();
        }
        out.writeEndArray();
    }
}
