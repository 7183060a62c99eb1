package dev.basalt.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import dev.basalt.common.Json;
import java.util.HashMap;
import java.util.Map;

/**
 * The methods a server answers on the bus, each bound to its handler. A message of a version the
 * server cannot handle fails (see {@link RpcMethod#accepts}). Handlers must be idempotent: a
 * message may be delivered more than once.
 */
public final class Endpoint {
    private record Route<A>(RpcMethod<A, ?> method, Handler<A, ?> handler) {
        Object invoke(ObjectMapper mapper, JsonNode args) throws Exception {
            A value = method.argType() == Void.class ? null : mapper.treeToValue(args, method.argType());
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

    /** Runs the handler of the envelope's method; the result is the reply as JSON (null node for none). */
    public JsonNode dispatch(Envelope envelope) throws Exception {
        Route<?> route = routes.get(envelope.method());
        if (route == null) {
            throw new UnknownMethodException(envelope.method());
        }
        if (!route.method().accepts(envelope.version())) {
            throw new BasaltException(Fault.INTERNAL, "bus method " + envelope.method() + " sent as version "
                    + envelope.version() + " cannot be handled by this server (it serves " + route.method().version()
                    + "): upgrade the services so they speak the same major version");
        }
        ObjectMapper mapper = Json.mapper();
        return mapper.valueToTree(route.invoke(mapper, envelope.args()));
    }

    public static final class Builder {
        private final Map<String, Route<?>> routes = new HashMap<>();

        /** Answers a call method with the handler's result. */
        public <A, R> Builder onCall(RpcMethod<A, R> method, Handler<A, R> handler) {
            return add(new Route<>(method, handler));
        }

        /** Handles a cast or fanout method. */
        public <A> Builder onCast(RpcMethod<A, Void> method, CastHandler<A> handler) {
            return add(new Route<>(method, args -> {
                handler.handle(args);
                return null;
            }));
        }

        private Builder add(Route<?> route) {
            if (routes.putIfAbsent(route.method().name(), route) != null) {
                throw new IllegalStateException("method registered twice: " + route.method().name());
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
