package dev.basalt.glance;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The few calls of Glance's v2 API Basalt makes, each with the caller's token (as Cinder's image
 * service does): an image's record, the images of a name, an image's data into a file; and for a
 * volume uploaded as an image: a new queued image, its data streamed from a file, its removal.
 */
public final class GlanceClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ANSWER = Duration.ofSeconds(60);
    private static final int COPY_BUFFER = 1 << 20;

    private final HttpClient http;

    public GlanceClient(HttpClient http) {
        this.http = requireNonNull(http, "http");
    }

    /** A client on HTTP/1.1 (uwsgi, which Glance usually runs under, speaks no HTTP/2). */
    public static GlanceClient create(Duration connectTimeout) {
        return new GlanceClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL).build());
    }

    /** The image {@code id} at {@code endpoint}, or empty when Glance does not show it to this token. */
    public Optional<GlanceImage> show(URI endpoint, String token, String id) {
        HttpResponse<InputStream> r = send(endpoint, token, "/v2/images/" + encode(id));
        if (r.statusCode() == 404 || r.statusCode() == 403) {
            drain(r);
            return Optional.empty();
        }
        return Optional.of(GlanceImage.fromJson(json(r)));
    }

    /** The images called {@code name} that this token sees (at most two: enough to know it is ambiguous). */
    public List<GlanceImage> named(URI endpoint, String token, String name) {
        JsonNode images = json(send(endpoint, token, "/v2/images?limit=2&name=" + encode(name))).path("images");
        List<GlanceImage> found = new ArrayList<>();
        images.forEach(image -> found.add(GlanceImage.fromJson(image)));
        return found;
    }

    /** Writes the image's data to {@code target} (replaced), returning the bytes written. */
    public long download(URI endpoint, String token, String id, Path target) {
        return download(endpoint, token, id, target, bytes -> { });
    }

    /**
     * Writes the image's data to {@code target} (replaced), returning the bytes written;
     * {@code received} hears the bytes written so far as they arrive.
     */
    public long download(URI endpoint, String token, String id, Path target, LongConsumer received) {
        HttpResponse<InputStream> r = send(endpoint, token, "/v2/images/" + encode(id) + "/file");
        if (r.statusCode() != 200) {
            throw refused(r);
        }
        try (InputStream data = r.body(); OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[COPY_BUFFER];
            long total = 0;
            for (int n; (n = data.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                total += n;
                received.accept(total);
            }
            return total;
        } catch (IOException e) {
            throw new GlanceException("the download of image " + id + " from " + endpoint + " broke off: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Creates a {@code queued} image with {@code fields} (name, disk_format, container_format,
     * visibility, protected and extra properties, as Glance's image schema takes them) and answers
     * Glance's record of it, as JSON.
     */
    public JsonNode create(URI endpoint, String token, Map<String, Object> fields) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(fields);
        } catch (IOException e) {
            throw new IllegalArgumentException("image fields cannot be written as JSON", e);
        }
        HttpResponse<InputStream> r = send(endpoint, token, "/v2/images", "POST",
                HttpRequest.BodyPublishers.ofByteArray(body), "application/json", ANSWER);
        if (r.statusCode() != 201) {
            throw refused(r);
        }
        try (InputStream in = r.body()) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new GlanceException("the Image service's answer to " + r.uri() + " could not be read: " + e, e);
        }
    }

    /**
     * Streams {@code file} as the data of the queued image {@code id} (never held in memory);
     * {@code guard} bounds the whole transfer.
     */
    public void upload(URI endpoint, String token, String id, Path file, Duration guard) {
        upload(endpoint, token, id, file, guard, bytes -> { });
    }

    /** As {@link #upload(URI, String, String, Path, Duration)}; {@code sent} hears the bytes sent so far. */
    public void upload(URI endpoint, String token, String id, Path file, Duration guard, LongConsumer sent) {
        HttpRequest.BodyPublisher data;
        try {
            data = new CountingPublisher(HttpRequest.BodyPublishers.ofFile(file), sent);
        } catch (IOException e) {
            throw new GlanceException("the data for image " + id + " cannot be read from " + file + ": " + e, e);
        }
        HttpResponse<InputStream> r = send(endpoint, token, "/v2/images/" + encode(id) + "/file", "PUT", data,
                "application/octet-stream", guard);
        if (r.statusCode() != 204 && r.statusCode() != 200) {
            throw refused(r);
        }
        drain(r);
    }

    /** Deletes the image {@code id}; one already gone is fine. */
    public void delete(URI endpoint, String token, String id) {
        HttpResponse<InputStream> r = send(endpoint, token, "/v2/images/" + encode(id), "DELETE",
                HttpRequest.BodyPublishers.noBody(), null, ANSWER);
        if (r.statusCode() != 204 && r.statusCode() != 200 && r.statusCode() != 404) {
            throw refused(r);
        }
        drain(r);
    }

    private HttpResponse<InputStream> send(URI endpoint, String token, String path) {
        return send(endpoint, token, path, "GET", HttpRequest.BodyPublishers.noBody(), null, ANSWER);
    }

    private HttpResponse<InputStream> send(URI endpoint, String token, String path, String method,
                                           HttpRequest.BodyPublisher body, String contentType, Duration timeout) {
        String base = endpoint.toString().replaceAll("/+$", "");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "application/json, application/octet-stream");
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return http.send(request.method(method, body).build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new GlanceException("the Image service at " + endpoint + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GlanceException("interrupted while asking the Image service at " + endpoint, e);
        }
    }

    private static JsonNode json(HttpResponse<InputStream> r) {
        if (r.statusCode() != 200) {
            throw refused(r);
        }
        try (InputStream body = r.body()) {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new GlanceException("the Image service's answer to " + r.uri() + " could not be read: " + e, e);
        }
    }

    private static GlanceException refused(HttpResponse<InputStream> r) {
        String body;
        try (InputStream in = r.body()) {
            body = new String(in.readNBytes(2000), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            body = "";
        }
        return new GlanceException(r.statusCode(), "the Image service answered " + r.statusCode() + " to "
                + r.uri().getPath() + (body.isEmpty() ? "" : ": " + body));
    }

    private static void drain(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the connection is closed either way
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
