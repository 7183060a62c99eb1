package dev.basalt.api.auth;

import dev.basalt.api.RequestContext;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a request's headers into the caller's {@link RequestContext}; a request it cannot
 * authenticate is a {@link dev.basalt.common.BasaltException} with {@link dev.basalt.common.Fault#UNAUTHORIZED}
 * (or {@link dev.basalt.common.Fault#SERVICE_UNAVAILABLE} when the identity service cannot be asked).
 */
public interface Authenticator extends AutoCloseable {
    RequestContext authenticate(Function<String, String> headers, String requestId);

    /**
     * The roles of a request's {@code X-Service-Token}, validated (and cached) as user tokens are;
     * empty when there is none, or it is invalid or expired (it then counts as none), and always
     * empty where there are no service tokens (noauth).
     */
    default Set<String> serviceRoles(String serviceToken) {
        return Set.of();
    }

    /** Headers every 401 answer carries, e.g. {@code WWW-Authenticate} naming where to get a token. */
    default Map<String, String> challengeHeaders() {
        return Map.of();
    }

    /** Releases connections and caches; the default holds none. */
    @Override
    default void close() {
    }
}
