package dev.basalt.api.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the Image service (Glance) is, as Cinder finds it: one of {@code glance_api_servers} when
 * the operator lists them, else the public {@code image} endpoint of the caller's Keystone catalog
 * ({@code GET /v3/auth/catalog} with the caller's token, Cinder's {@code glance_catalog_info}
 * default {@code image:glance:publicURL}).
 */
public final class ImageEndpoints {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> servers;
    private final URI identity;
    private final HttpClient http;

    private ImageEndpoints(List<URI> servers, URI identity) {
        this.servers = List.copyOf(servers);
        this.identity = identity;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** No Image service: creating a volume from an image answers 503. */
    public static ImageEndpoints none() {
        return new ImageEndpoints(List.of(), null);
    }

    /**
     * The operator's {@code glance_api_servers} ({@code [http://]host:port}, one chosen at random
     * per request), else the catalog of Keystone at {@code identity} (its {@code /v3} appended when missing; null
     * without Keystone).
     */
    public static ImageEndpoints of(List<String> glanceApiServers, URI identity) {
        URI v3 = identity == null || identity.getPath().replaceAll("/+$", "").endsWith("/v3") ? identity
                : URI.create(identity.toString().replaceAll("/+$", "") + "/v3");
        return new ImageEndpoints(glanceApiServers.stream().map(ImageEndpoints::serverUri).toList(), v3);
    }

    static URI serverUri(String server) {
        String url = server.contains("://") ? server : "http://" + server;
        try {
            return URI.create(url.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[DEFAULT] glance_api_servers: " + server + " is not a URL", e);
        }
    }

    /** The Image service's endpoint for a caller holding {@code token}. */
    public URI locate(String token) {
        if (!servers.isEmpty()) {
            return servers.get(ThreadLocalRandom.current().nextInt(servers.size()));
        }
        if (identity == null || token == null) {
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "No Image service is configured: set [DEFAULT]"
                    + " glance_api_servers, or use Keystone with an image endpoint in its catalog.");
        }
        return fromCatalog(token);
    }

    private URI fromCatalog(String token) {
        JsonNode catalog;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(identity.toString()
                            .replaceAll("/+$", "") + "/auth/catalog")).timeout(Duration.ofSeconds(30))
                    .header("X-Auth-Token", token).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "Keystone answered " + r.statusCode()
                        + " when asked for the Image service's endpoint.");
            }
            catalog = JSON.readTree(r.body()).path("catalog");
        } catch (IOException e) {
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "Keystone could not be asked for the Image service's"
                    + " endpoint: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "Interrupted while asking Keystone for the Image"
                    + " service's endpoint.");
        }
        for (JsonNode service : catalog) {
            if ("image".equals(service.path("type").asText())) {
                for (JsonNode endpoint : service.path("endpoints")) {
                    if ("public".equals(endpoint.path("interface").asText())) {
                        return URI.create(endpoint.path("url").asText().replaceAll("/+$", ""));
                    }
                }
            }
        }
        throw new BasaltException(Fault.SERVICE_UNAVAILABLE, "The Keystone catalog has no public image endpoint;"
                + " register Glance there or set [DEFAULT] glance_api_servers.");
    }
}
