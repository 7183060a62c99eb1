package dev.basalt.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A raw HTTP client for the Block Storage API (noauth headers or a Keystone token), for what the CLIs don't cover. */
public final class Api {
    /** A response: status, the parsed body (null when empty or not JSON), the text, the headers. */
    public record Response(int status, JsonNode body, String raw, java.util.Map<String, java.util.List<String>> headers) {
        /** A header's first value, or null. */
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;
    private final String serviceToken;

    public Api(String endpoint, String user, String project) {
        this.base = endpoint + "/" + project;
        this.token = user + ":" + project;
        this.serviceToken = null;
    }

    /** To {@code base} (endpoint and project) exactly, with these tokens. */
    private Api(String base, String token, String serviceToken, boolean keystone) {
        this.base = base;
        this.token = token;
        this.serviceToken = serviceToken;
    }

    /** Requests to {@code endpoint/project} with {@code token} as X-Auth-Token (none when null). */
    public static Api withToken(String endpoint, String project, String token) {
        return new Api(endpoint + "/" + project, token, null, true);
    }

    /** The same caller, each request also carrying {@code serviceToken} as X-Service-Token (as a service acting for it). */
    public Api withServiceToken(String serviceToken) {
        return new Api(base, token, serviceToken, true);
    }

    public Response get(String path) throws IOException, InterruptedException {
        return send("GET", path, null, null);
    }

    public Response delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, null, null);
    }

    public Response post(String path, String body) throws IOException, InterruptedException {
        return send("POST", path, body, null);
    }

    public Response send(String method, String path, String body, String microversion)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        if (serviceToken != null) {
            request.header("X-Service-Token", serviceToken);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (microversion != null) {
            request.header("OpenStack-API-Version", "volume " + microversion);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode parsed = null;
        if (!response.body().isBlank()) {
            try {
                parsed = JSON.readTree(response.body());
            } catch (IOException notJson) {
                parsed = null;
            }
        }
        return new Response(response.statusCode(), parsed, response.body(), response.headers().map());
    }
}
