package dev.basalt.rpc;

import static java.util.Objects.requireNonNull;

import dev.basalt.bus.Address;
import dev.basalt.bus.Bus;
import dev.basalt.bus.Endpoint;
import dev.basalt.bus.RpcMethod;
import dev.basalt.common.LogLevels;
import java.time.Duration;
import java.util.Map;

/**
 * What every service (scheduler, volume, backup) answers besides its own contract: its log levels,
 * read and changed at run time ({@code cinder service-get-log} / {@code service-set-log}), as
 * Cinder's managers do. Addressed to one service: its topic and its host.
 */
public final class ServiceRpc {
    @SuppressWarnings({"unchecked", "rawtypes"})
    static final RpcMethod<LogLevelRequest, Map<String, String>> GET_LOG_LEVELS =
            RpcMethod.call("get_log_levels", "1.0", LogLevelRequest.class, (Class) Map.class);
    static final RpcMethod<LogLevelRequest, Void> SET_LOG_LEVELS =
            RpcMethod.cast("set_log_levels", "1.0", LogLevelRequest.class);

    private final Bus bus;

    public ServiceRpc(Bus bus) {
        this.bus = requireNonNull(bus, "bus");
    }

    /** The levels of the loggers of the service {@code host} of {@code topic} whose names start with {@code prefix}. */
    public Map<String, String> getLogLevels(String topic, String host, String prefix, Duration timeout) {
        return bus.call(Address.of(topic, host), GET_LOG_LEVELS, new LogLevelRequest(prefix, null), timeout);
    }

    /** Sets {@code level} on the loggers of that service whose names start with {@code prefix}. */
    public void setLogLevels(String topic, String host, String prefix, String level) {
        bus.cast(Address.of(topic, host), SET_LOG_LEVELS, new LogLevelRequest(prefix, level));
    }

    /** Adds the log-level methods, answered from this process's {@code levels}, to a service's endpoint. */
    static Endpoint.Builder servedBy(LogLevels levels, Endpoint.Builder endpoint) {
        return endpoint
                .onCall(GET_LOG_LEVELS, request -> levels.get(request.prefix()))
                .onCast(SET_LOG_LEVELS, request -> levels.set(request.prefix(), request.level()));
    }
}
