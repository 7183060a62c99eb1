package dev.basalt.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.basalt.common.Json;
import dev.basalt.testkit.JsonExchanges;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Keystone's two token calls, for what the real one cannot be made to do on cue
 * (revoke Basalt's own token, go away). The real Keystone is exercised by basalt-it.
 */
final class StubKeystone implements AutoCloseable {
    static final String SERVICE_USER = "basalt";
    static final String SERVICE_PASSWORD = "basalt-pw";

    record Token(String userId, String projectId, List<String> roles, Instant expiresAt) {
    }

    final Map<String, Token> tokens = new ConcurrentHashMap<>();
    final Set<String> serviceTokens = ConcurrentHashMap.newKeySet();
    final AtomicInteger issued = new AtomicInteger();
    final AtomicInteger validations = new AtomicInteger();
    private final HttpServer server;

    StubKeystone() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v3/auth/tokens", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v3";
    }

    /** A user token for {@code project} with {@code roles}, valid for an hour. */
    String token(String user, String project, String... roles) {
        String id = "tok-" + UUID.randomUUID();
        tokens.put(id, new Token(user, project, List.of(roles), Instant.now().plus(Duration.ofHours(1))));
        return id;
    }

    void revokeServiceTokens() {
        serviceTokens.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestMethod().equals("POST")) {
                JsonNode body = Json.mapper().readTree(exchange.getRequestBody());
                JsonNode user = body.path("auth").path("identity").path("password").path("user");
                if (!user.path("name").asText().equals(SERVICE_USER)
                        || !user.path("password").asText().equals(SERVICE_PASSWORD)) {
                    JsonExchanges.send(exchange, 401, "{}");
                    return;
                }
                String id = "svc-" + issued.incrementAndGet();
                serviceTokens.add(id);
                exchange.getResponseHeaders().add("X-Subject-Token", id);
                JsonExchanges.send(exchange, 201, "{\"token\": {\"expires_at\": \""
                        + Instant.now().plus(Duration.ofHours(1)) + "\"}}");
                return;
            }
            validations.incrementAndGet();
            String service = exchange.getRequestHeaders().getFirst("X-Auth-Token");
            if (service == null || !serviceTokens.contains(service)) {
                JsonExchanges.send(exchange, 401, "{}");
                return;
            }
            Token t = tokens.get(exchange.getRequestHeaders().getFirst("X-Subject-Token"));
            if (t == null || !exchange.getRequestURI().getRawQuery().contains("nocatalog")) {
                JsonExchanges.send(exchange, 404, "{}");
                return;
            }
            ObjectNode token = Json.mapper().createObjectNode();
            ObjectNode user = token.putObject("user");
            user.put("id", t.userId()).put("name", t.userId()).putObject("domain").put("id", "default");
            ObjectNode project = token.putObject("project");
            project.put("id", t.projectId()).put("name", "name-" + t.projectId()).putObject("domain").put("id", "default");
            ArrayNode roles = token.putArray("roles");
            t.roles().forEach(r -> roles.addObject().put("id", "id-" + r).put("name", r));
            token.put("expires_at", t.expiresAt().toString());
            ObjectNode root = Json.mapper().createObjectNode();
            root.set("token", token);
            JsonExchanges.send(exchange, 200, root.toString());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
