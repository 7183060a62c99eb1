package dev.basalt.api.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The endpoints Keystone's catalog lists for a token's project ({@code GET /v3/auth/catalog}),
 * each with its service type, interface, region and URL.
 */
public record ServiceCatalog(List<Endpoint> endpoints) {
    /** One endpoint of one service. */
    public record Endpoint(String serviceType, String interfaceName, String region, URI url) {
        public Endpoint {
            requireNonNull(serviceType, "serviceType");
            requireNonNull(interfaceName, "interfaceName");
            requireNonNull(url, "url");
        }
    }

    public ServiceCatalog {
        endpoints = List.copyOf(endpoints);
    }

    /**
     * Reads Keystone's {@code catalog} array; an endpoint without a usable URL is left out.
     */
    public static ServiceCatalog parse(JsonNode catalog) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (JsonNode service : catalog) {
            String type = service.path("type").asText("");
            for (JsonNode endpoint : service.path("endpoints")) {
                String region = endpoint.hasNonNull("region_id") ? endpoint.get("region_id").asText()
                        : endpoint.path("region").asText(null);
                try {
                    URI url = URI.create(endpoint.path("url").asText(""));
                    if (url.getScheme() != null && url.getHost() != null) {
                        endpoints.add(new Endpoint(type, endpoint.path("interface").asText(""), region, url));
                    }
                } catch (IllegalArgumentException notAUrl) {
                    // an endpoint nobody could call: as if it were not listed
                }
            }
        }
        return new ServiceCatalog(endpoints);
    }

    /** The first endpoint of {@code serviceType} on {@code interfaceName}, in {@code region} when one is given. */
    public Optional<URI> find(String serviceType, String interfaceName, Optional<String> region) {
        return endpoints.stream()
                .filter(e -> e.serviceType().equals(serviceType) && e.interfaceName().equals(interfaceName))
                .filter(e -> region.isEmpty() || region.get().equals(e.region()))
                .map(Endpoint::url)
                .findFirst();
    }
}
