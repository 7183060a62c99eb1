package dev.basalt.api.compute;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Nova's {@code GET /servers/{server_id}/os-volume_attachments/{volume_id}} at microversion 2.89
 * (the first that names the attachment id), with the caller's token: 200 is the instance's
 * attachment of the volume, 404 no such instance or no such volume on it.
 */
public final class NovaVolumeAttachments implements AutoCloseable {
    /** The microversion that answers {@code attachment_id}. */
    static final String MICROVERSION = "2.89";

    private final Duration timeout;
    private final HttpClient http;

    public NovaVolumeAttachments(Duration timeout) {
        this.timeout = requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /**
     * Asks the compute endpoint {@code endpoint} (as the catalog lists it, e.g.
     * {@code http://nova:8774/v2.1}).
     */
    public ServerVolume get(URI endpoint, String userToken, String serverId, String volumeId) {
        String base = endpoint.toString().replaceAll("/+$", "");
        URI uri = URI.create(base + "/servers/" + encode(serverId) + "/os-volume_attachments/" + encode(volumeId));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .header("X-Auth-Token", userToken)
                .header("OpenStack-API-Version", "compute " + MICROVERSION)
                .header("X-OpenStack-Nova-API-Version", MICROVERSION)
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ComputeUnavailableException("the compute service at " + base + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ComputeUnavailableException("interrupted while asking the compute service", e);
        }
        return switch (response.statusCode()) {
            case 200 -> attached(response.body(), base);
            case 404 -> new ServerVolume.NotAttached();
            default -> throw new ComputeUnavailableException("the compute service at " + base + " answered "
                    + response.statusCode() + " when asked whether instance " + serverId + " has volume " + volumeId);
        };
    }

    private static ServerVolume attached(String body, String base) {
        try {
            JsonNode attachment = Json.mapper().readTree(body).path("volumeAttachment");
            if (!attachment.isObject()) {
                throw new ComputeUnavailableException("the compute service at " + base
                        + " answered without a volumeAttachment");
            }
            JsonNode id = attachment.get("attachment_id");
            return new ServerVolume.Attached(id == null || id.isNull() ? null : id.asText());
        } catch (IOException e) {
            throw new ComputeUnavailableException("the compute service at " + base + " answered what is not JSON", e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        http.close();
    }
}
