package dev.basalt.api.auth;

import static java.util.Objects.requireNonNull;

import dev.basalt.api.RequestContext;
import dev.basalt.api.policy.Credentials;
import dev.basalt.api.policy.Policy;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auth_strategy = keystone}: each request's {@code X-Auth-Token} is validated against
 * Keystone's v3 API with Basalt's own service token (obtained when first needed, renewed before it
 * expires or when Keystone rejects it), and the answer cached ({@link TokenCache}). The caller's
 * context has Keystone's user, project, domains and roles; {@code is_admin} is policy's
 * {@code context_is_admin}. A missing, invalid or expired token is a 401 (with
 * {@code WWW-Authenticate: Keystone uri="…"}); Keystone out of reach is a 503. A request's
 * {@code X-Service-Token} is validated the same way, through the same cache, when a rule asks for
 * its roles ({@link #serviceRoles}).
 */
public final class KeystoneAuthenticator implements Authenticator {
    public static final String TOKEN_HEADER = "X-Auth-Token";
    static final String AUTH_REQUIRED = "The request you have made requires authentication.";
    private static final Logger LOG = LoggerFactory.getLogger(KeystoneAuthenticator.class);
    /** A service token this close to its expiry is renewed before use. */
    private static final Duration RENEW_BEFORE = Duration.ofMinutes(2);

    private final KeystoneClient keystone;
    private final ServiceCredentials credentials;
    private final TokenCache cache;
    private final Policy policy;
    private final Map<String, String> challenge;
    private final Clock clock;
    /** Validations under way, so that concurrent requests with the same new token ask Keystone once. */
    private final Map<String, CompletableFuture<TokenCache.Entry>> inFlight = new ConcurrentHashMap<>();
    private volatile KeystoneClient.IssuedToken serviceToken;

    /**
     * @param challengeUri the public Keystone endpoint named in the {@code WWW-Authenticate} header
     */
    public KeystoneAuthenticator(KeystoneClient keystone, ServiceCredentials credentials, TokenCache cache,
                                 Policy policy, String challengeUri, Clock clock) {
        this.keystone = requireNonNull(keystone, "keystone");
        this.credentials = requireNonNull(credentials, "credentials");
        this.cache = requireNonNull(cache, "cache");
        this.policy = requireNonNull(policy, "policy");
        this.challenge = Map.of("WWW-Authenticate", "Keystone uri=\"" + requireNonNull(challengeUri, "challengeUri")
                + "\"");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public RequestContext authenticate(Function<String, String> headers, String requestId) {
        String token = headers.apply(TOKEN_HEADER);
        if (token == null || token.isBlank()) {
            throw unauthorized(AUTH_REQUIRED);
        }
        token = token.trim();
        if (!printableAscii(token)) {
            throw unauthorized(AUTH_REQUIRED);
        }
        Optional<TokenCache.Entry> cached = cache.get(token);
        TokenCache.Entry entry = cached.isPresent() ? cached.get() : validateOnce(token);
        return switch (entry) {
            case TokenCache.Known known -> known.context().withRequestId(requestId);
            case TokenCache.Refused refused -> throw unauthorized(refused.reason());
        };
    }

    /**
     * {@inheritDoc} A token Keystone refuses (unknown, expired, revoked, not project-scoped) has no
     * roles; Keystone out of reach is a 503, as for the caller's own token.
     */
    @Override
    public Set<String> serviceRoles(String serviceToken) {
        if (serviceToken == null || serviceToken.isBlank() || !printableAscii(serviceToken.trim())) {
            return Set.of();
        }
        String token = serviceToken.trim();
        TokenCache.Entry entry = cache.get(token).orElseGet(() -> validateOnce(token));
        return switch (entry) {
            case TokenCache.Known known -> known.context().roles();
            case TokenCache.Refused refused -> Set.of();
        };
    }

    @Override
    public Map<String, String> challengeHeaders() {
        return challenge;
    }

    /** Gets Basalt's service token now, so a wrong password shows at start (logged), not at the first request. */
    public void probe() {
        try {
            serviceToken(false);
            LOG.info("Keystone at {} issued Basalt's service token for {}", keystone.identity(), credentials.username());
        } catch (KeystoneUnavailableException e) {
            LOG.warn("cannot get Basalt's service token yet (requests will answer 503 until it can): {}",
                    e.getMessage());
        }
    }

    /** {@link #validate}, shared by the requests that bring the same token meanwhile. */
    private TokenCache.Entry validateOnce(String token) {
        CompletableFuture<TokenCache.Entry> mine = new CompletableFuture<>();
        CompletableFuture<TokenCache.Entry> running = inFlight.putIfAbsent(token, mine);
        if (running != null) {
            try {
                return running.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "The Keystone service is temporarily unavailable.");
            }
        }
        try {
            TokenCache.Entry entry = validate(token);
            mine.complete(entry);
            return entry;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(token, mine);
        }
    }

    private TokenCache.Entry validate(String token) {
        KeystoneClient.Validation answer;
        try {
            answer = keystone.validate(serviceToken(false).token(), token);
            if (answer instanceof KeystoneClient.ServiceTokenRejected) {
                answer = keystone.validate(serviceToken(true).token(), token);
            }
        } catch (KeystoneUnavailableException e) {
            LOG.warn("cannot validate a token: {}", e.getMessage());
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "The Keystone service is temporarily unavailable.");
        }
        TokenCache.Entry entry = switch (answer) {
            case KeystoneClient.Valid valid -> new TokenCache.Known(context(valid.info()), valid.info().expiresAt());
            case KeystoneClient.Invalid invalid -> new TokenCache.Refused(invalid.reason());
            case KeystoneClient.ServiceTokenRejected rejected -> {
                LOG.warn("Keystone rejected a service token it had just issued");
                throw new BasaltException(Fault.SERVICE_UNAVAILABLE,
                        "The Keystone service is temporarily unavailable.");
            }
        };
        cache.put(token, entry);
        return entry;
    }

    private RequestContext context(TokenInfo info) {
        RequestContext plain = new RequestContext(info.userId(), info.projectId(), Set.copyOf(info.roles()), false,
                "-", info.userDomainId(), info.projectDomainId(), info.projectName(), info.isAdminProject());
        boolean admin = policy.isAdmin(Credentials.of(plain));
        return new RequestContext(info.userId(), info.projectId(), plain.roles(), admin, "-", info.userDomainId(),
                info.projectDomainId(), info.projectName(), info.isAdminProject());
    }

    private KeystoneClient.IssuedToken serviceToken(boolean renew) {
        KeystoneClient.IssuedToken current = serviceToken;
        if (!renew && current != null && current.expiresAt().isAfter(clock.instant().plus(RENEW_BEFORE))) {
            return current;
        }
        synchronized (this) {
            if (serviceToken != current && serviceToken != null) {
                return serviceToken;
            }
            serviceToken = keystone.issue(credentials);
            LOG.debug("new service token, valid until {}", serviceToken.expiresAt());
            return serviceToken;
        }
    }

    /** Keystone's tokens are printable ASCII; anything else cannot be one (nor be sent on to Keystone). */
    private static boolean printableAscii(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static BasaltException unauthorized(String message) {
        return new BasaltException(Fault.UNAUTHORIZED, message);
    }

    @Override
    public void close() {
        keystone.close();
    }
}
