package dev.basalt.api.auth;

import dev.basalt.api.RequestContext;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a request's headers into the caller's {@link RequestContext}; a request it cannot
 * authenticate is a {@link dev.basalt.common.BasaltException} with {@link dev.basalt.common.Fault#UNAUTHORIZED}
 * (or {@link dev.basalt.common.Fault#SERVICE_UNAVAILABLE} when the identity service cannot be asked).
 */
public interface Authenticator extends AutoCloseable {
    RequestContext authenticate(Function<String, String> headers, String requestId);

    /** Headers every 401 answer carries, e.g. {@code WWW-Authenticate} naming where to get a token. */
    default Map<String, String> challengeHeaders() {
        return Map.of();
    }

    /** Releases connections and caches; the default holds none. */
    @Override
    default void close() {
    }
}
