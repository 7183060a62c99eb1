package dev.basalt.api.resources;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.Microversions;
import dev.basalt.api.http.ApiRequest;
import dev.basalt.api.http.ApiResponse;
import dev.basalt.api.http.Router;
import dev.basalt.api.service.TypeLookup;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.db.VolumeTypeRepository;
import dev.basalt.model.PoolCapacity;
import dev.basalt.rpc.PoolsQuery;
import dev.basalt.rpc.SchedulerRpc;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /scheduler-stats/get_pools[?detail=true]} (administrators: policy
 * {@code scheduler_extension:scheduler_stats:get_pools}): the pools a scheduler knows, as Cinder's
 * api asks its scheduler for them. Every query parameter but {@code detail} filters (from 3.28):
 * {@code name} the pool, {@code volume_type} (from 3.35) the pools that type could be placed on,
 * anything else a capability; from 3.31 a filter other than {@code name} and {@code volume_type}
 * is a 400, before 3.28 filters are ignored.
 */
public final class SchedulerStatsResource {
    static final String GET_POOLS = "scheduler_extension:scheduler_stats:get_pools";
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerStatsResource.class);

    private final SchedulerRpc schedulers;
    private final VolumeTypeRepository types;
    private final Duration timeout;

    public SchedulerStatsResource(SchedulerRpc schedulers, VolumeTypeRepository types, Duration timeout) {
        this.schedulers = requireNonNull(schedulers, "schedulers");
        this.types = requireNonNull(types, "types");
        this.timeout = requireNonNull(timeout, "timeout");
    }

    public void register(Router.Builder routes) {
        routes.get("/scheduler-stats/get_pools", this::getPools);
    }

    ApiResponse getPools(ApiRequest request) {
        request.authorize(GET_POOLS);
        boolean detail = Booleans.param("detail", request.query().get("detail"), false);
        PoolsQuery query = query(request);
        List<PoolCapacity> pools = pools(request, query);
        return ApiResponse.ok(out -> {
            out.writeStartObject();
            out.writeArrayFieldStart("pools");
            for (PoolCapacity pool : pools) {
                PoolView.write(out, pool, detail);
            }
            out.writeEndArray();
            out.writeEndObject();
        });
    }

    /** The filters as Cinder takes them from the query at the request's microversion. */
    private PoolsQuery query(ApiRequest request) {
        Map<String, String> filters = new java.util.LinkedHashMap<>(request.query().lastValues());
        filters.remove("detail");
        if (request.atLeast(Microversions.RESOURCE_FILTER)) {
            rejectInvalid(filters);
        } else if (!request.atLeast(Microversions.POOL_FILTER)) {
            filters.clear();
        }
        if (!request.atLeast(Microversions.POOL_TYPE_FILTER)) {
            filters.remove("volume_type");
        }
        String name = emptyToNull(filters.remove("name"));
        String type = emptyToNull(filters.remove("volume_type"));
        Map<String, String> specs = type == null ? null : TypeLookup.byNameOrId(types, type).extraSpecs();
        return new PoolsQuery(name, filters, specs);
    }

    /** From 3.31 only the pool filters of {@code GET /resource_filters} are allowed ({@code all_tenants} is dropped). */
    private static void rejectInvalid(Map<String, String> filters) {
        List<String> allowed = ResourceFiltersResource.FILTERS.get("pool");
        List<String> invalid = new ArrayList<>();
        for (String key : filters.keySet()) {
            if (!StandardCharsets.US_ASCII.newEncoder().canEncode(key)) {
                throw BasaltException.badRequest("Filter keys can only contain ASCII characters.");
            }
            if (!allowed.contains(key)) {
                invalid.add(key);
            }
        }
        if (invalid.remove("all_tenants")) {
            filters.remove("all_tenants");
        }
        if (!invalid.isEmpty()) {
            throw BasaltException.badRequest("Invalid filters %s are found in query options.", String.join(",", invalid));
        }
    }

    private List<PoolCapacity> pools(ApiRequest request, PoolsQuery query) {
        try {
            return schedulers.getPools(query, timeout);
        } catch (RuntimeException e) {
            LOG.error("{} could not ask a scheduler for its pools", request.context().requestId(), e);
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                    "No scheduler answered with the pools it knows. Check that a scheduler is running and try again.");
        }
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }
}
