package dev.basalt.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basalt.common.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * The methods a server answers on the bus, each with the type its JSON arguments map to.
 * Handlers must be idempotent: a message may be delivered more than once.
 */
public final class Endpoint {
    private record Route<A>(Class<A> argType, Handler<A> handler) {
        Object invoke(ObjectMapper mapper, JsonNode args) throws Exception {
            A value = argType == Void.class ? null : mapper.treeToValue(args, argType);
            return handler.handle(value);
        }
    }

    private final Map<String, Route<?>> routes;

    private Endpoint(Map<String, Route<?>> routes) {
        this.routes = Map.copyOf(routes);
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean answers(String method) {
        return routes.containsKey(method);
    }

    /** Runs the handler of {@code method}; the result is the reply as JSON (null node for none). */
    public JsonNode dispatch(String method, JsonNode args) throws Exception {
        Route<?> route = routes.get(method);
        if (route == null) {
            throw new UnknownMethodException(method);
        }
        ObjectMapper mapper = Json.mapper();
        return mapper.valueToTree(route.invoke(mapper, args));
    }

    public static final class Builder {
        private final Map<String, Route<?>> routes = new HashMap<>();

        public <A> Builder on(String method, Class<A> argType, Handler<A> handler) {
            if (routes.putIfAbsent(method, new Route<>(argType, handler)) != null) {
                throw new IllegalStateException("method registered twice: " + method);
            }
            return this;
        }

        public Endpoint build() {
            return new Endpoint(routes);
        }
    }

    /** A message named a method this endpoint does not answer. */
    public static final class UnknownMethodException extends Exception {
        public UnknownMethodException(String method) {
            super("no handler for bus method " + method);
        }
    }
}
