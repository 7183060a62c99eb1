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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Keystone (Debian's {@code keystone} package) for the tests: its own keystone.conf with an
 * SQLite database in a temporary directory, {@code keystone-manage db_sync}, {@code fernet_setup},
 * {@code credential_setup} and {@code bootstrap} (the database in WAL mode), then {@code keystone-wsgi-public} under uwsgi on
 * 127.0.0.1 with a small ini of its own (Debian's loads an AppArmor profile, which fails here;
 * one single-threaded worker: SQLite connections may not cross threads, and two writers lock;
 * {@code Connection: close}, as uwsgi's http-socket does not keep connections alive).
 * Provisioned through its API: projects alpha, beta and service; users alice (member of alpha),
 * rita (reader of alpha), bob (member of beta), basalt (service role in service: Basalt's own
 * user), nova (service role in service: the compute service's user) and the bootstrap admin (admin of admin); block-storage catalog entries that
 * {@link #pointCatalogAt} aims at the Basalt under test (and an image entry that only answers version
 * discovery, which {@code openstack volume create} needs). Stopped by its PID.
 */
public final class KeystoneServer implements AutoCloseable {
    public static final String REGION = "RegionOne";
    public static final String DOMAIN = "Default";

    /** A Keystone user, its password and the project its tokens are scoped to. */
    public record User(String name, String password, String project) {
    }

    public static final User ADMIN = new User("admin", "admin-secret", "admin");
    public static final User ALICE = new User("alice", "alice-secret", "alpha");
    public static final User RITA = new User("rita", "rita-secret", "alpha");
    public static final User BOB = new User("bob", "bob-secret", "beta");
    public static final User BASALT = new User("basalt", "basalt-secret", "service");
    /** The compute service's user: its tokens are the X-Service-Token Nova sends. */
    public static final User NOVA = new User("nova", "nova-secret", "service");

    private static final List<Path> NEEDED = List.of(Path.of("/usr/bin/keystone-manage"),
            Path.of("/usr/bin/keystone-wsgi-public"), Path.of("/usr/bin/uwsgi"),
            Path.of("/usr/lib/uwsgi/plugins/python3_plugin.so"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final UwsgiApp uwsgi;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, String> projectIds = new LinkedHashMap<>();
    private final ImageVersions imageVersions;
    private final List<String> blockStorageEndpoints = new ArrayList<>();
    private String imageEndpointId;
    private String adminToken;
    private String computeServiceId;

    private KeystoneServer(int port, UwsgiApp uwsgi) throws IOException {
        this.port = port;
        this.uwsgi = uwsgi;
        this.imageVersions = new ImageVersions();
    }

    /** Whether Debian's keystone, uwsgi and its python3 plugin are installed. */
    public static boolean installed() {
        return NEEDED.stream().allMatch(Files::exists);
    }

    /** Skips the test (or, in CI, fails it) when Keystone cannot be run here. */
    public static void requireInstalled() {
        List<Path> missing = NEEDED.stream().filter(p -> !Files.exists(p)).toList();
        if (missing.isEmpty()) {
            return;
        }
        String reason = "Keystone tests need Debian's keystone, uwsgi-core and uwsgi-plugin-python3 (missing "
                + missing + "); .ci/run installs them";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(reason);
        }
        Assumptions.abort(reason);
    }

    /** Sets up and starts a fresh Keystone, then creates the projects, users, roles and catalog. */
    public static KeystoneServer start() throws IOException, InterruptedException {
        requireInstalled();
        Path dir = Files.createTempDirectory("basalt-keystone");
        int port = UwsgiApp.freePort();
        String url = "http://127.0.0.1:" + port + "/v3";
        Path conf = Files.writeString(dir.resolve("keystone.conf"), """
                [DEFAULT]
                log_file =
                use_stderr = true
                [database]
                connection = sqlite:///%1$s/keystone.db
                [fernet_tokens]
                key_repository = %1$s/fernet-keys
                [fernet_receipts]
                key_repository = %1$s/fernet-receipts
                [credential]
                key_repository = %1$s/credential-keys
                [token]
                provider = fernet
                expiration = 7200
                [identity]
                password_hash_rounds = 4
                [cache]
                enabled = false
                """.formatted(dir));
        String user = System.getProperty("user.name");
        manage(dir, conf, "db_sync");
        walJournal(dir.resolve("keystone.db"));
        manage(dir, conf, "fernet_setup", "--keystone-user", user, "--keystone-group", group(user));
        manage(dir, conf, "credential_setup", "--keystone-user", user, "--keystone-group", group(user));
        manage(dir, conf, "bootstrap", "--bootstrap-password", ADMIN.password(),
                "--bootstrap-username", ADMIN.name(), "--bootstrap-project-name", ADMIN.project(),
                "--bootstrap-admin-url", url, "--bootstrap-internal-url", url, "--bootstrap-public-url", url,
                "--bootstrap-region-id", REGION);
        UwsgiApp uwsgi = UwsgiApp.start(dir, """
                [uwsgi]
                plugins = python3
                http-socket = 127.0.0.1:%d
                wsgi-file = /usr/bin/keystone-wsgi-public
                master = true
                processes = 1
                lazy-apps = true
                die-on-term = true
                no-orphans = true
                buffer-size = 65535
                add-header = Connection: close
                env = OS_KEYSTONE_CONFIG_FILES=%s
                """.formatted(port, conf), "keystone");
        KeystoneServer keystone = new KeystoneServer(port, uwsgi);
        try {
            uwsgi.awaitServing(keystone.http, keystone.url(), Duration.ofSeconds(60));
            keystone.provision();
        } catch (IOException | RuntimeException e) {
            String log = uwsgi.log();
            uwsgi.stop();
            throw new IllegalStateException("Keystone did not come up: " + e + " (its files are kept in " + dir
                    + ")\n--- uwsgi.log (end) ---\n" + log, e);
        } catch (InterruptedException | Error e) {
            keystone.close();
            throw e;
        }
        return keystone;
    }

    /** {@code http://127.0.0.1:<port>/v3}. */
    public String url() {
        return "http://127.0.0.1:" + port + "/v3";
    }

    public long pid() {
        return uwsgi.pid();
    }

    public String projectId(String name) {
        String id = projectIds.get(name);
        if (id == null) {
            throw new IllegalArgumentException("no project " + name);
        }
        return id;
    }

    /** A new project-scoped token of {@code user}. */
    public String token(User user) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode auth = body.putObject("auth");
        ObjectNode identity = auth.putObject("identity");
        identity.putArray("methods").add("password");
        ObjectNode u = identity.putObject("password").putObject("user");
        u.put("name", user.name()).put("password", user.password()).putObject("domain").put("name", DOMAIN);
        auth.putObject("scope").putObject("project").put("name", user.project()).putObject("domain").put("name", DOMAIN);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/auth/tokens"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("Keystone refused a token for " + user.name() + ": " + r.statusCode() + " "
                    + r.body());
        }
        return r.headers().firstValue("X-Subject-Token").orElseThrow();
    }

    /** The [keystone_authtoken] section for a Basalt that validates tokens here. */
    public String authtokenSection() {
        return """
                [keystone_authtoken]
                www_authenticate_uri = %1$s
                auth_url = %1$s
                auth_type = password
                username = %2$s
                password = %3$s
                project_name = %4$s
                user_domain_name = %5$s
                project_domain_name = %5$s
                """.formatted(url(), BASALT.name(), BASALT.password(), BASALT.project(), DOMAIN);
    }

    /** Points the catalog's block-storage endpoints at {@code basaltEndpoint} ({@code http://host:port/v3}). */
    public void pointCatalogAt(String basaltEndpoint) throws IOException, InterruptedException {
        for (String id : blockStorageEndpoints) {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("endpoint").put("url", basaltEndpoint + "/%(project_id)s");
            call("PATCH", "/endpoints/" + id, body, 200);
        }
    }

    /**
     * Lists a compute service (type {@code compute}) at {@code url} in the catalog (public, in
     * {@link #REGION}); answers the endpoint's id, for {@link #removeEndpoint}.
     */
    public String addComputeEndpoint(String url) throws IOException, InterruptedException {
        if (computeServiceId == null) {
            ObjectNode service = JSON.createObjectNode();
            service.putObject("service").put("type", "compute").put("name", "nova");
            computeServiceId = call("POST", "/services", service, 201).path("service").path("id").asText();
        }
        ObjectNode endpoint = JSON.createObjectNode();
        endpoint.putObject("endpoint").put("service_id", computeServiceId).put("interface", "public")
                .put("region_id", REGION).put("url", url);
        return call("POST", "/endpoints", endpoint, 201).path("endpoint").path("id").asText();
    }

    /** Takes an endpoint out of the catalog. */
    public void removeEndpoint(String id) throws IOException, InterruptedException {
        call("DELETE", "/endpoints/" + id, null, 204);
    }

    /** Points the catalog's {@code image} endpoint at a real Glance ({@code http://host:port}). */
    public void pointImageAt(String glanceEndpoint) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("endpoint").put("url", glanceEndpoint);
        call("PATCH", "/endpoints/" + imageEndpointId, body, 200);
    }

    /** Points the catalog's {@code image} endpoint back at the stand-in that only answers version discovery. */
    public void pointImageAtStandIn() throws IOException, InterruptedException {
        pointImageAt(imageVersions.url());
    }

    /** The environment of Debian's clients logging in as {@code user} (OS_AUTH_URL, OS_USERNAME, …). */
    public Map<String, String> clientEnvironment(User user) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OS_AUTH_URL", url());
        env.put("OS_AUTH_TYPE", "password");
        env.put("OS_USERNAME", user.name());
        env.put("OS_PASSWORD", user.password());
        env.put("OS_PROJECT_NAME", user.project());
        env.put("OS_USER_DOMAIN_NAME", DOMAIN);
        env.put("OS_PROJECT_DOMAIN_NAME", DOMAIN);
        env.put("OS_IDENTITY_API_VERSION", "3");
        env.put("OS_REGION_NAME", REGION);
        env.put("OS_INTERFACE", "public");
        return env;
    }

    private void provision() throws IOException, InterruptedException {
        adminToken = token(ADMIN);
        projectIds.put(ADMIN.project(), find("/projects?name=" + ADMIN.project(), "projects"));
        for (String project : List.of("service", "alpha", "beta")) {
            ObjectNode body = JSON.createObjectNode();
            body.putObject("project").put("name", project).put("domain_id", "default");
            projectIds.put(project, call("POST", "/projects", body, 201).path("project").path("id").asText());
        }
        ObjectNode serviceRole = JSON.createObjectNode();
        serviceRole.putObject("role").put("name", "service");
        call("POST", "/roles", serviceRole, 201);
        grant(ALICE, "member");
        grant(RITA, "reader");
        grant(BOB, "member");
        grant(BASALT, "service");
        grant(NOVA, "service");
        // openstack volume create builds an image client (every real cloud has Glance): it only discovers versions.
        ObjectNode image = JSON.createObjectNode();
        image.putObject("service").put("type", "image").put("name", "glance");
        String imageId = call("POST", "/services", image, 201).path("service").path("id").asText();
        ObjectNode imageEndpoint = JSON.createObjectNode();
        imageEndpoint.putObject("endpoint").put("service_id", imageId).put("interface", "public")
                .put("region_id", REGION).put("url", imageVersions.url());
        this.imageEndpointId = call("POST", "/endpoints", imageEndpoint, 201).path("endpoint").path("id").asText();
        for (String type : List.of("block-storage", "volumev3")) {
            ObjectNode service = JSON.createObjectNode();
            service.putObject("service").put("type", type).put("name", type.equals("volumev3") ? "cinderv3" : "basalt");
            String serviceId = call("POST", "/services", service, 201).path("service").path("id").asText();
            ObjectNode endpoint = JSON.createObjectNode();
            endpoint.putObject("endpoint").put("service_id", serviceId).put("interface", "public")
                    .put("region_id", REGION).put("url", "http://127.0.0.1:9/v3/%(project_id)s");
            blockStorageEndpoints.add(call("POST", "/endpoints", endpoint, 201).path("endpoint").path("id").asText());
        }
    }

    private void grant(User user, String role) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("user").put("name", user.name()).put("password", user.password()).put("domain_id", "default")
                .put("default_project_id", projectId(user.project()));
        String userId = call("POST", "/users", body, 201).path("user").path("id").asText();
        String roleId = find("/roles?name=" + role, "roles");
        call("PUT", "/projects/" + projectId(user.project()) + "/users/" + userId + "/roles/" + roleId, null, 204);
    }

    private String find(String path, String collection) throws IOException, InterruptedException {
        JsonNode items = call("GET", path, null, 200).path(collection);
        if (items.size() != 1) {
            throw new IllegalStateException("expected one result for " + path + ": " + items);
        }
        return items.get(0).path("id").asText();
    }

    private JsonNode call(String method, String path, JsonNode body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30))
                .header("X-Auth-Token", adminToken).header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }


    public String log() throws IOException {
        return uwsgi.log();
    }

    private static void manage(Path dir, Path conf, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/keystone-manage", "--config-file", conf.toString()));
        command.addAll(List.of(args));
        Path log = dir.resolve("keystone-manage.log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("keystone-manage " + args[0] + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("keystone-manage " + args[0] + " failed (" + p.exitValue() + "):\n"
                    + Files.readString(log));
        }
    }

    /**
     * Switches the SQLite database to write-ahead logging, so that a connection Keystone leaves
     * reading does not lock out its next write ("database is locked").
     */
    private static void walJournal(Path db) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode=WAL'); c.close()",
                db.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("could not switch " + db + " to WAL: " + out);
        }
    }

    private static String group(String user) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("id", "-gn", user).start();
        String group = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return group.isEmpty() ? user : group;
    }



    /** Stops uwsgi (SIGTERM to its PID; it stops its workers) and removes the directory. */
    @Override
    public void close() {
        uwsgi.close();
        imageVersions.close();
    }
}
