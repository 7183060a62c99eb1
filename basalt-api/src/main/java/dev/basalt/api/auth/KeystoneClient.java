package dev.basalt.api.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basalt.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Keystone v3 calls Basalt makes: {@code POST /v3/auth/tokens} (Basalt's own token, password
 * method, project scope), {@code GET /v3/auth/tokens?nocatalog} with {@code X-Auth-Token}
 * (Basalt's token) and {@code X-Subject-Token} (the caller's), and {@code GET /v3/auth/catalog}
 * (a caller's catalog, to find the compute service). A request that
 * gets no answer is tried again up to {@code retries} times, after a short pause that doubles.
 */
public final class KeystoneClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeystoneClient.class);

    /** A token Keystone issued and when it expires. */
    public record IssuedToken(String token, Instant expiresAt) {
        public IssuedToken {
            requireNonNull(token, "token");
            requireNonNull(expiresAt, "expiresAt");
        }

        @Override
        public String toString() {
            return "IssuedToken[expiresAt=" + expiresAt + "]";
        }
    }

    /** What Keystone answered about a caller's token. */
    public sealed interface Validation permits Valid, Invalid, ServiceTokenRejected {
    }

    /** The token is valid. */
    public record Valid(TokenInfo info) implements Validation {
    }

    /** The token is unknown, expired, revoked, or not project-scoped (the reason says which). */
    public record Invalid(String reason) implements Validation {
    }

    /** Keystone did not accept Basalt's own token (expired or revoked): get a new one and ask again. */
    public record ServiceTokenRejected() implements Validation {
    }

    private final URI identity;
    private final Duration timeout;
    private final int retries;
    private final HttpClient http;

    /**
     * @param identity the Identity v3 endpoint ({@code http://host:5000/v3}; {@code /v3} is added when missing)
     */
    public KeystoneClient(URI identity, Duration timeout, int retries) {
        this.identity = v3(requireNonNull(identity, "identity"));
        this.timeout = requireNonNull(timeout, "timeout");
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative: " + retries);
        }
        this.retries = retries;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    static URI v3(URI uri) {
        String text = uri.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        return URI.create(text.endsWith("/v3") ? text : text + "/v3");
    }

    public URI identity() {
        return identity;
    }

    /** Basalt's own token. */
    public IssuedToken issue(ServiceCredentials credentials) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(identity + "/auth/tokens"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(passwordAuth(credentials)))
                .build();
        HttpResponse<String> response = send(request, "get Basalt's service token");
        if (response.statusCode() == 401 || response.statusCode() == 403 || response.statusCode() == 404) {
            throw new KeystoneUnavailableException("Keystone refused Basalt's service user " + credentials.username()
                    + " (HTTP " + response.statusCode() + "): check [keystone_authtoken] username, password,"
                    + " project_name and the domains");
        }
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new KeystoneUnavailableException("Keystone answered " + response.statusCode()
                    + " when Basalt asked for its service token");
        }
        String token = response.headers().firstValue("X-Subject-Token").orElseThrow(
                () -> new KeystoneUnavailableException("Keystone issued a token without X-Subject-Token"));
        try {
            JsonNode body = Json.mapper().readTree(response.body());
            return new IssuedToken(token, Instant.parse(body.path("token").path("expires_at").asText()));
        } catch (IOException | DateTimeParseException e) {
            throw new KeystoneUnavailableException("Keystone's token answer could not be read: " + e.getMessage(), e);
        }
    }

    /** Asks Keystone about {@code subjectToken}, authenticating with {@code serviceToken}. */
    public Validation validate(String serviceToken, String subjectToken) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(identity + "/auth/tokens?nocatalog"))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("X-Auth-Token", serviceToken)
                .header("X-Subject-Token", subjectToken)
                .GET()
                .build();
        HttpResponse<String> response = send(request, "validate a token");
        int status = response.statusCode();
        if (status == 404) {
            return new Invalid("The request you have made requires authentication.");
        }
        if (status == 401) {
            return new ServiceTokenRejected();
        }
        if (status == 403) {
            throw new KeystoneUnavailableException("Keystone does not let Basalt's service user validate tokens"
                    + " (HTTP 403): give it the service role (or admin) in its project");
        }
        if (status != 200) {
            throw new KeystoneUnavailableException("Keystone answered " + status + " to a token validation");
        }
        try {
            return parse(Json.mapper().readTree(response.body()).path("token"));
        } catch (IOException | DateTimeParseException e) {
            throw new KeystoneUnavailableException("Keystone's validation answer could not be read: " + e.getMessage(),
                    e);
        }
    }

    /**
     * The catalog of {@code token}'s project ({@code GET /v3/auth/catalog}, authenticated by that
     * token itself).
     *
     * @throws KeystoneUnavailableException when Keystone cannot be asked or does not answer with a catalog
     */
    public ServiceCatalog catalog(String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(identity + "/auth/catalog"))
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("X-Auth-Token", token)
                .GET()
                .build();
        HttpResponse<String> response = send(request, "read the service catalog");
        if (response.statusCode() != 200) {
            throw new KeystoneUnavailableException("Keystone answered " + response.statusCode()
                    + " when Basalt asked for the service catalog");
        }
        try {
            return ServiceCatalog.parse(Json.mapper().readTree(response.body()).path("catalog"));
        } catch (IOException e) {
            throw new KeystoneUnavailableException("Keystone's catalog could not be read: " + e.getMessage(), e);
        }
    }

    static Validation parse(JsonNode token) {
        JsonNode project = token.path("project");
        if (project.isMissingNode() || project.path("id").asText("").isEmpty()) {
            return new Invalid("Basalt accepts project-scoped tokens only; get a token scoped to a project.");
        }
        JsonNode user = token.path("user");
        List<String> roles = new ArrayList<>();
        for (JsonNode role : token.path("roles")) {
            roles.add(role.path("name").asText());
        }
        JsonNode isAdminProject = token.get("is_admin_project");
        return new Valid(new TokenInfo(
                user.path("id").asText(),
                user.path("name").asText(null),
                user.path("domain").path("id").asText("default"),
                project.path("id").asText(),
                project.path("name").asText(null),
                project.path("domain").path("id").asText("default"),
                roles,
                Instant.parse(token.path("expires_at").asText()),
                isAdminProject == null || isAdminProject.asBoolean(true)));
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        IOException last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
                LOG.debug("attempt {} to {} at {} failed: {}", attempt + 1, what, identity, e.toString());
                if (attempt < retries) {
                    pause(attempt);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KeystoneUnavailableException("interrupted while trying to " + what, e);
            }
        }
        throw new KeystoneUnavailableException("Keystone at " + identity + " could not be reached to " + what + ": "
                + last, last);
    }

    /** 100 ms, 200 ms, 400 ms, …: long enough for a restarting Keystone worker, short for a caller. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(100L << Math.min(attempt, 4));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeystoneUnavailableException("interrupted while waiting to ask Keystone again", e);
        }
    }

    private static String passwordAuth(ServiceCredentials c) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode auth = root.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode user = identity.putObject("password").putObject("user");
        user.put("name", c.username());
        user.put("password", c.password());
        domain(user.putObject("domain"), c.userDomainId(), c.userDomainName());
        ObjectNode project = auth.putObject("scope").putObject("project");
        project.put("name", c.projectName());
        domain(project.putObject("domain"), c.projectDomainId(), c.projectDomainName());
        return root.toString();
    }

    private static void domain(ObjectNode domain, String id, String name) {
        if (id != null) {
            domain.put("id", id);
        } else {
            domain.put("name", name);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
