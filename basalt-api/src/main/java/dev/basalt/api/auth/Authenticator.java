package dev.basalt.api.auth;

import dev.basalt.api.RequestContext;
import java.util.function.Function;

/**
 * Turns a request's headers into the caller's {@link RequestContext}; a request it cannot
 * authenticate is a {@link dev.basalt.common.BasaltException} with {@link dev.basalt.common.Fault#UNAUTHORIZED}.
 */
public interface Authenticator {
    RequestContext authenticate(Function<String, String> headers, String requestId);
}
