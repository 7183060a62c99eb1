package dev.basalt.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Glance (Debian's {@code glance-api}) for the tests: its own glance-api.conf and paste ini
 * in a temporary directory (file store, SQLite, {@code glance-manage db_sync}), then
 * {@code glance-wsgi-api} under uwsgi on 127.0.0.1 with a small ini of its own, stopped by its PID.
 * Given a {@link KeystoneServer} it validates Keystone tokens (as Basalt's service user) and takes
 * the place of the catalog's {@code image} endpoint; without one it runs without auth (every caller
 * is an administrator).
 */
public final class GlanceServer implements AutoCloseable {
    private static final List<Path> NEEDED = List.of(Path.of("/usr/bin/glance-manage"),
            Path.of("/usr/bin/glance-wsgi-api"), Path.of("/etc/glance/glance-api-paste.ini"),
            Path.of("/usr/bin/uwsgi"), Path.of("/usr/lib/uwsgi/plugins/python3_plugin.so"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private UwsgiApp uwsgi;
    private KeystoneServer catalog;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private GlanceServer(int port, UwsgiApp uwsgi) {
        this.port = port;
        this.uwsgi = uwsgi;
    }

    /** Skips the test (or, in CI, fails it) when Glance cannot be run here. */
    public static void requireInstalled() {
        List<Path> missing = NEEDED.stream().filter(p -> !Files.exists(p)).toList();
        if (missing.isEmpty()) {
            return;
        }
        String reason = "Glance tests need Debian's glance-api, uwsgi-core and uwsgi-plugin-python3 (missing "
                + missing + "); bin/test-deps installs them";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(reason);
        }
        Assumptions.abort(reason);
    }

    /** A Glance without authentication. */
    public static GlanceServer start() throws IOException, InterruptedException {
        return start(null);
    }

    /**
     * A Glance that validates tokens at {@code keystone} (when not null) and is the catalog's
     * {@code image} endpoint there.
     */
    public static GlanceServer start(KeystoneServer keystone) throws IOException, InterruptedException {
        requireInstalled();
        Path dir = Files.createTempDirectory("basalt-glance");
        int port = UwsgiApp.freePort();
        Files.copy(Path.of("/etc/glance/glance-api-paste.ini"), dir.resolve("glance-api-paste.ini"));
        String auth = keystone == null ? "[paste_deploy]\nflavor =\n"
                : "[paste_deploy]\nflavor = keystone\n" + keystone.authtokenSection();
        Path conf = Files.writeString(dir.resolve("glance-api.conf"), """
                [DEFAULT]
                log_file =
                use_stderr = true
                enabled_backends = fs:file
                [database]
                connection = sqlite:///%1$s/glance.db
                [glance_store]
                default_backend = fs
                [fs]
                filesystem_store_datadir = %1$s/images
                [os_glance_staging_store]
                filesystem_store_datadir = %1$s/staging
                [os_glance_tasks_store]
                filesystem_store_datadir = %1$s/tasks
                %2$s
                """.formatted(dir, auth));
        Process sync = new ProcessBuilder("/usr/bin/glance-manage", "--config-file", conf.toString(), "db_sync")
                .redirectErrorStream(true).redirectOutput(dir.resolve("glance-manage.log").toFile()).start();
        if (!sync.waitFor(180, TimeUnit.SECONDS) || sync.exitValue() != 0) {
            sync.destroyForcibly();
            throw new IllegalStateException("glance-manage db_sync failed:\n"
                    + Files.readString(dir.resolve("glance-manage.log")));
        }
        UwsgiApp uwsgi = UwsgiApp.start(dir, """
                [uwsgi]
                plugins = python3
                http-socket = 127.0.0.1:%d
                wsgi-file = /usr/bin/glance-wsgi-api
                master = true
                processes = 1
                threads = 4
                enable-threads = true
                lazy-apps = true
                die-on-term = true
                no-orphans = true
                buffer-size = 65535
                http-auto-chunked = true
                http-chunked-input = true
                http-raw-body = true
                wsgi-manage-chunked-input = true
                add-header = Connection: close
                env = OS_GLANCE_CONFIG_DIR=%s
                """.formatted(port, dir), "glance");
        GlanceServer glance = new GlanceServer(port, uwsgi);
        try {
            uwsgi.awaitServing(glance.http, glance.url() + "/versions", Duration.ofSeconds(90));
            if (keystone != null) {
                keystone.pointImageAt(glance.url());
                glance.catalog = keystone;
            }
        } catch (IOException | RuntimeException e) {
            String log = uwsgi.log();
            uwsgi.stop();
            throw new IllegalStateException("Glance did not come up: " + e + " (its files are kept in " + dir
                    + ")\n--- uwsgi.log (end) ---\n" + log, e);
        }
        return glance;
    }

    /** {@code http://127.0.0.1:<port>}: what {@code glance_api_servers} names. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public long pid() {
        return uwsgi.pid();
    }

    /**
     * Registers an image ({@code POST /v2/images}) with {@code token} (null without auth) and
     * returns its id; it stays {@code queued} until {@link #upload}.
     */
    public String createImage(String token, String name, String diskFormat, String containerFormat,
                              Map<String, String> properties) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name).put("disk_format", diskFormat).put("container_format", containerFormat);
        properties.forEach(body::put);
        HttpResponse<String> r = send(token, HttpRequest.newBuilder(URI.create(url() + "/v2/images"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
        expect(r, 201, "POST /v2/images");
        return JSON.readTree(r.body()).path("id").asText();
    }

    /** Uploads the image's data ({@code PUT /v2/images/{id}/file}); the image becomes {@code active}. */
    public void upload(String token, String imageId, Path data) throws IOException, InterruptedException {
        HttpResponse<String> r = send(token, HttpRequest.newBuilder(URI.create(url() + "/v2/images/" + imageId + "/file"))
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(data)));
        expect(r, 204, "PUT /v2/images/" + imageId + "/file");
    }

    /** {@link #createImage} then {@link #upload}. */
    public String uploadImage(String token, String name, String diskFormat, Path data, Map<String, String> properties)
            throws IOException, InterruptedException {
        String id = createImage(token, name, diskFormat, "bare", properties);
        upload(token, id, data);
        return id;
    }

    /** The image's record ({@code GET /v2/images/{id}}). */
    public JsonNode image(String token, String imageId) throws IOException, InterruptedException {
        HttpResponse<String> r = send(token, HttpRequest.newBuilder(URI.create(url() + "/v2/images/" + imageId)).GET());
        expect(r, 200, "GET /v2/images/" + imageId);
        return JSON.readTree(r.body());
    }

    /** Writes the image's data ({@code GET /v2/images/{id}/file}) to {@code target}. */
    public void download(String token, String imageId, Path target) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + "/v2/images/" + imageId + "/file"))
                .timeout(Duration.ofSeconds(120)).GET();
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        HttpResponse<Path> r = http.send(request.build(), HttpResponse.BodyHandlers.ofFile(target));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /v2/images/" + imageId + "/file answered " + r.statusCode());
        }
    }

    /** The images of this name the token sees ({@code GET /v2/images?name=}), whatever their status. */
    public JsonNode imagesNamed(String token, String name) throws IOException, InterruptedException {
        HttpResponse<String> r = send(token, HttpRequest.newBuilder(URI.create(url() + "/v2/images?name="
                + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8))).GET());
        expect(r, 200, "GET /v2/images?name=" + name);
        return JSON.readTree(r.body()).path("images");
    }

    private HttpResponse<String> send(String token, HttpRequest.Builder request) throws IOException, InterruptedException {
        request.timeout(Duration.ofSeconds(120)).header("Accept", "application/json");
        if (token != null) {
            request.header("X-Auth-Token", token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
        }
    }


    /** Stops Glance (its data kept) as if it went down, whatever it is doing. */
    public void pause() {
        uwsgi.stop();
    }

    /** Starts the {@link #pause paused} Glance again on its port, with its data. */
    public void resume() throws IOException, InterruptedException {
        uwsgi = uwsgi.restart("glance");
        uwsgi.awaitServing(http, url() + "/versions", Duration.ofSeconds(90));
    }

    /** The end of uwsgi's log (Glance logs to it). */
    public String log() throws IOException {
        return uwsgi.log();
    }



    /**
     * Stops uwsgi (SIGTERM to its PID), gives Keystone's catalog its stand-in image endpoint back
     * (other tests share that Keystone) and removes the directory.
     */
    @Override
    public void close() {
        uwsgi.stop();
        if (catalog != null) {
            try {
                catalog.pointImageAtStandIn();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        uwsgi.close();
    }
}
