package dev.basalt.api.http;

import dev.basalt.api.ApiVersion;
import dev.basalt.api.Microversions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The API's routes under {@code /v3[/{project_id}]}. Immutable once built. */
public final class Router {
    private final List<Route> routes;
    private final Set<String> collections;

    private Router(List<Route> routes) {
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(Comparator.comparingInt(Route::specificity).reversed());
        this.routes = List.copyOf(sorted);
        Set<String> names = new TreeSet<>();
        for (Route r : routes) {
            if (!r.pattern().isEmpty() && !Route.isParameter(r.pattern().get(0))) {
                names.add(r.pattern().get(0));
            }
        }
        this.collections = Set.copyOf(names);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code segment} names a top-level collection (so it is not a project id). */
    public boolean isCollection(String segment) {
        return collections.contains(segment);
    }

    /** The outcome of matching a request against the routes. */
    public sealed interface Match permits Found, NotFound, MethodNotAllowed {
    }

    public record Found(Route route, Map<String, String> params) implements Match {
    }

    public record NotFound() implements Match {
    }

    public record MethodNotAllowed(Set<String> allowed) implements Match {
    }

    public Match match(String method, List<String> segments) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> params = new HashMap<>();
            if (!route.matches(segments, params)) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Found(route, params);
            }
            allowed.add(route.method());
        }
        return allowed.isEmpty() ? new NotFound() : new MethodNotAllowed(allowed);
    }

    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        public Builder get(String path, Handler handler) {
            return add("GET", path, Microversions.BASE, handler);
        }

        public Builder post(String path, Handler handler) {
            return add("POST", path, Microversions.BASE, handler);
        }

        public Builder put(String path, Handler handler) {
            return add("PUT", path, Microversions.BASE, handler);
        }

        public Builder delete(String path, Handler handler) {
            return add("DELETE", path, Microversions.BASE, handler);
        }

        /** A route that exists from microversion {@code since} on; older requests get a 404. */
        public Builder add(String method, String path, ApiVersion since, Handler handler) {
            List<String> pattern = Route.split(path);
            for (Route r : routes) {
                if (r.method().equals(method) && r.pattern().equals(pattern)) {
                    throw new IllegalStateException("route registered twice: " + method + " " + path);
                }
            }
            routes.add(new Route(method, pattern, since, handler));
            return this;
        }

        public Router build() {
            return new Router(routes);
        }
    }
}
