package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.ApiSettings;
import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.validation.RequestSchema;
import dev.basalt.api.validation.Schemas;
import dev.basalt.common.BasaltException;
import dev.basalt.db.ServiceRepository;
import dev.basalt.model.ServiceRecord;
import dev.basalt.common.LogLevels;
import dev.basalt.rpc.SchedulerRpc;
import dev.basalt.rpc.ServiceRpc;
import dev.basalt.rpc.VolumeRpc;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /os-services} (administrators): list with up/down state, enable, disable (with a
 * reason), and the log level actions {@code get-log}/{@code set-log} (3.32). The API process
 * answers for {@code cinder-api} itself; other services are asked over the bus ({@link ServiceRpc}),
 * and one that does not answer is left out.
 */
public final class ServicesResource {
    public static final String API_BINARY = "cinder-api";
    public static final String BACKUP_BINARY = "cinder-backup";
    static final List<String> LOG_BINARIES = List.of(SchedulerRpc.BINARY, VolumeRpc.BINARY, BACKUP_BINARY,
            API_BINARY);
    static final String INDEX = "volume_extension:services:index";
    static final String UPDATE = "volume_extension:services:update";
    private static final Map<String, String> REPLICATION_RULES = Map.of("freeze", "volume:freeze_host",
            "thaw", "volume:thaw_host", "failover_host", "volume:failover_host", "failover", "volume:failover_host");
    private static final Duration LOG_CALL_TIMEOUT = Duration.ofSeconds(3);
    private static final Logger LOG = LoggerFactory.getLogger(ServicesResource.class);

    private final ApiSettings settings;
    private final ServiceRepository services;
    private final Schemas schemas;
    private final LogLevels logLevels;
    private final ServiceRpc serviceRpc;
    private final Clock clock;

    public ServicesResource(ApiSettings settings, ServiceRepository services, Schemas schemas, LogLevels logLevels,
                            ServiceRpc serviceRpc, Clock clock) {
        this.settings = requireNonNull(settings, "settings");
        this.services = requireNonNull(services, "services");
        this.schemas = requireNonNull(schemas, "schemas");
        this.logLevels = requireNonNull(logLevels, "logLevels");
        this.serviceRpc = requireNonNull(serviceRpc, "serviceRpc");
        this.clock = requireNonNull(clock, "clock");
    }

    public void register(Router.Builder routes) {
        routes.get("/os-services", this::list)
                .put("/os-services/enable", r -> setDisabled(r, false, false))
                .put("/os-services/disable", r -> setDisabled(r, true, false))
                .put("/os-services/disable-log-reason", r -> setDisabled(r, true, true))
                .add("PUT", "/os-services/get-log", Microversions.LOG_LEVEL, this::getLog)
                .add("PUT", "/os-services/set-log", Microversions.LOG_LEVEL, this::setLog)
                .put("/os-services/freeze", r -> replication(r, "freeze"))
                .put("/os-services/thaw", r -> replication(r, "thaw"))
                .put("/os-services/failover_host", r -> replication(r, "failover_host"))
                .add("PUT", "/os-services/failover", Microversions.REPLICATION_CLUSTER, r -> replication(r, "failover"));
    }

    /**
     * Backend replication (freeze, thaw, failover) needs replicating drivers, which Basalt has none of
     * yet: a 501 — after Cinder's checks of a freeze's or thaw's backend, so that naming no backend
     * or one that does not exist is the 400 Cinder answers.
     */
    ApiResponse replication(ApiRequest request, String action) {
        request.authorize(REPLICATION_RULES.get(action));
        if (action.equals("freeze") || action.equals("thaw")) {
            requireKnownBackend(request);
        }
        throw new BasaltException(dev.basalt.common.Fault.NOT_IMPLEMENTED, String.format(
                "The service action %s is not implemented in Basalt yet: no backend replicates.", action));
    }

    /**
     * The backend a freeze or thaw names, as Cinder checks it: exactly one of {@code host} and
     * {@code cluster} (from 3.26; before, {@code host}), matching volume services that exist.
     */
    private void requireKnownBackend(ApiRequest request) {
        JsonNode body = request.json();
        boolean clusters = request.atLeast(Microversions.REPLICATION_CLUSTER);
        String cluster = clusters ? VolumesResource.text(body, "cluster", null) : null;
        String host = VolumesResource.text(body, "host", null);
        boolean hasCluster = cluster != null && !cluster.isEmpty();
        if (hasCluster == (host != null && !host.isEmpty())) {
            throw BasaltException.badRequest("Invalid input received: %s", clusters
                    ? "One and only one of cluster and host must be set." : "Host field is missing.");
        }
        if (hasCluster) {
            throw BasaltException.badRequest("No service found with cluster=%s", cluster); // Basalt has no clusters
        }
        if (services.list(host, VolumeRpc.BINARY).isEmpty()) {
            throw BasaltException.badRequest("No service found with host=%s", host);
        }
    }

    ApiResponse list(ApiRequest request) {
        request.authorize(INDEX);
        List<ServiceRecord> records = services.list(request.query().get("host"), request.query().get("binary"));
        Instant now = clock.instant();
        boolean cluster = request.atLeast(Microversions.CLUSTER_SUPPORT);
        boolean backendState = request.atLeast(Microversions.BACKEND_STATE_REPORT);
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("services");
            for (ServiceRecord s : records) {
                writeService(out, s, now, cluster, backendState);
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    private void writeService(JsonGenerator out, ServiceRecord s, Instant now, boolean cluster, boolean backendState)
            throws IOException {
        boolean up = s.isUp(now, settings.serviceDownTime());
        boolean volume = VolumeRpc.BINARY.equals(s.binary());
        out.writeStartObject();
        out.writeStringField("binary", s.binary());
        out.writeStringField("host", s.host());
        out.writeStringField("zone", s.availabilityZone());
        out.writeStringField("status", s.disabled() ? "disabled" : "enabled");
        out.writeStringField("state", up ? "up" : "down");
        Timestamps.write(out, "updated_at", s.updatedAt());
        if (backendState && volume) {
            out.writeStringField("backend_state", up ? "up" : "down");
        }
        if (cluster) {
            out.writeNullField("cluster");
        }
        out.writeStringField("disabled_reason", s.disabledReason());
        if (volume) {
            out.writeStringField("replication_status", "disabled");
            out.writeNullField("active_backend_id");
            out.writeBooleanField("frozen", false);
        }
        out.writeEndObject();
    }

    ApiResponse setDisabled(ApiRequest request, boolean disable, boolean withReason) {
        request.authorize(UPDATE);
        RequestSchema schema = withReason ? schemas.serviceDisableLogReason() : schemas.serviceEnable();
        JsonNode body = request.validBody(schema);
        String host = VolumesResource.text(body, "host", null);
        if (host == null || host.isEmpty()) {
            throw BasaltException.badRequest("Invalid input received: Host field is missing.");
        }
        String service = body.has("service") ? body.get("service").asText() : "";
        String binary = body.has("binary") ? body.get("binary").asText() : "";
        if (service.isEmpty() && binary.isEmpty()) {
            throw BasaltException.badRequest("Invalid input received: 'binary' (or the older 'service') is required.");
        }
        String binaryKey = binary.isEmpty() ? service : binary;
        ServiceRecord record = services.find(body.get("host").asText(), binaryKey).orElseThrow(
                () -> BasaltException.notFound("Service %s could not be found on host %s.", binaryKey, host));
        String reason = withReason ? body.get("disabled_reason").asText().strip()
                : disable ? record.disabledReason() : null;
        if (!services.setDisabled(record.host(), record.binary(), disable, reason)) {
            throw BasaltException.notFound("Service %s could not be found on host %s.", binaryKey, host);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("host", body.get("host").asText());
        answer.put("service", service);
        answer.put("binary", binary);
        answer.put("status", disable ? "disabled" : "enabled");
        answer.put("disabled", disable);
        if (withReason || !disable) {
            answer.put("disabled_reason", withReason ? reason : null);
        }
        return ApiResponse.ok(out -> out.writeObject(answer));
    }

    ApiResponse getLog(ApiRequest request) {
        request.authorize(UPDATE);
        JsonNode body = request.validBody(schemas.serviceGetLog());
        String prefix = VolumesResource.text(body, "prefix", null);
        String server = VolumesResource.text(body, "server", null);
        Targets targets = targets(body);
        List<Map<String, Object>> result = new ArrayList<>();
        if (targets.api() && (server == null || server.isEmpty() || server.equals(settings.host()))) {
            result.add(entry(settings.host(), API_BINARY, logLevels.get(prefix)));
        }
        List<ServiceRecord> remote = targets.services(services, server, clock.instant(), settings.serviceDownTime());
        try (ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Map<String, Object>>> answers = new ArrayList<>();
            for (ServiceRecord s : remote) {
                answers.add(calls.submit(() -> askLevels(s, prefix)));
            }
            for (Future<Map<String, Object>> answer : answers) {
                Map<String, Object> levels = answer.get();
                if (levels != null) {
                    result.add(levels);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking services for their log levels", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeFieldName("log_levels");
            out.writeObject(result);
            out.writeEndObject();
        });
    }

    ApiResponse setLog(ApiRequest request) {
        request.authorize(UPDATE);
        JsonNode body = request.validBody(schemas.serviceSetLog());
        String prefix = VolumesResource.text(body, "prefix", null);
        String server = VolumesResource.text(body, "server", null);
        String level = VolumesResource.text(body, "level", null);
        if (level == null) {
            throw BasaltException.badRequest("Invalid input received: %s is not a valid log level.", level);
        }
        Targets targets = targets(body);
        if (targets.api()) {
            logLevels.set(prefix, level);
        }
        for (ServiceRecord s : targets.services(services, server, clock.instant(), settings.serviceDownTime())) {
            try {
                serviceRpc.setLogLevels(s.topic(), s.host(), prefix, level);
            } catch (RuntimeException e) {
                LOG.warn("could not ask {} on {} to change its log levels: {}", s.binary(), s.host(), e.getMessage());
            }
        }
        return ApiResponse.status(202);
    }

    private Map<String, Object> askLevels(ServiceRecord s, String prefix) {
        try {
            Map<String, String> levels = serviceRpc.getLogLevels(s.topic(), s.host(), prefix, LOG_CALL_TIMEOUT);
            return entry(s.host(), s.binary(), levels == null ? Map.of() : levels);
        } catch (RuntimeException e) {
            LOG.warn("{} on {} did not report its log levels: {}", s.binary(), s.host(), e.getMessage());
            return null;
        }
    }

    private static Map<String, Object> entry(String host, String binary, Map<?, ?> levels) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("host", host);
        e.put("binary", binary);
        e.put("levels", levels);
        return e;
    }

    /** Which binaries a log request addresses: the API itself, and/or services of some binaries. */
    private record Targets(boolean api, List<String> binaries) {
        List<ServiceRecord> services(ServiceRepository repository, String server, Instant now, Duration downTime) {
            List<ServiceRecord> found = new ArrayList<>();
            for (ServiceRecord s : repository.list(null, null)) {
                boolean wanted = binaries.contains(s.binary()) && s.isUp(now, downTime)
                        && (server == null || server.isEmpty() || s.host().equals(server));
                if (wanted) {
                    found.add(s);
                }
            }
            return found;
        }
    }

    private static Targets targets(JsonNode body) {
        String binary = body.has("binary") ? body.get("binary").asText() : "";
        if (binary.isEmpty() || binary.equals("*")) {
            return new Targets(true, LOG_BINARIES.subList(0, 3));
        }
        if (binary.equals(API_BINARY)) {
            return new Targets(true, List.of());
        }
        return new Targets(false, List.of(binary));
    }
}
