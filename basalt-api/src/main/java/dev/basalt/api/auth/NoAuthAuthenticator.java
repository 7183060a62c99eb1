package dev.basalt.api.auth;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.util.Set;
import java.util.function.Function;

/**
 * Cinder's {@code auth_strategy = noauth}: the token is {@code user:project} (a bare {@code user}
 * means project = user) and is trusted as it is; the caller is an administrator. Cinder answers a
 * request without a token with a made-up token; Basalt answers 401 instead, so a misconfigured
 * client fails loudly.
 */
public final class NoAuthAuthenticator implements Authenticator {
    public static final String TOKEN_HEADER = "X-Auth-Token";

    @Override
    public RequestContext authenticate(Function<String, String> headers, String requestId) {
        String token = headers.apply(TOKEN_HEADER);
        if (token == null || token.isBlank()) {
            throw new BasaltException(Fault.UNAUTHORIZED,
                    "Authentication required: send X-Auth-Token: <user>:<project> (auth_strategy = noauth).");
        }
        String trimmed = token.trim();
        int colon = trimmed.indexOf(':');
        String user = colon < 0 ? trimmed : trimmed.substring(0, colon);
        String project = colon < 0 ? "" : trimmed.substring(colon + 1);
        if (project.isEmpty()) {
            project = user;
        }
        if (user.isEmpty()) {
            throw new BasaltException(Fault.UNAUTHORIZED, "Invalid X-Auth-Token: expected <user>:<project>.");
        }
        return new RequestContext(user, project, Set.of("admin"), true, requestId);
    }
}
