package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tenant isolation and Cinder's policy against a real Keystone: every endpoint Basalt serves, asked
 * by the volume's owner (a member of alpha), a member of another project (beta, in its own URL),
 * a reader of alpha, a cloud admin (admin project), no token and an invalid token; each gets what
 * Cinder's default rules give.
 */
@ExtendWith(KeystoneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeystonePolicyIT {
    enum Persona { OWNER, OTHER, READER, ADMIN, NONE, INVALID }

    /** Who asks: the project in the URL and the token. */
    record Caller(String project, String token) {
    }

    /**
     * One endpoint: method, path under /v3/{caller's project} (or absolute from /v3), body,
     * microversion, and the statuses for OWNER OTHER READER ADMIN NONE INVALID. Placeholders:
     * {vol} alpha's volume, {fresh} a new alpha volume per call, {bak} alpha's backup, {freshBak} a
     * new one per call, {type} a public type, {freshType} a new type per call, {msg} a message of alpha, {freshMsg} a new one per call, {alpha} alpha's
     * project id, {rand} a new name.
     */
    record Row(String method, String path, String body, String version, String expected) {
    }

    static final List<Row> MATRIX = List.of(
            new Row("GET", "/volumes", null, null, "200 200 200 200 401 401"),
            new Row("GET", "/volumes/detail", null, null, "200 200 200 200 401 401"),
            new Row("GET", "/volumes/summary", null, "3.12", "200 200 200 200 401 401"),
            new Row("GET", "/volumes/{vol}", null, null, "200 404 200 200 401 401"),
            new Row("POST", "/volumes", "{\"volume\": {\"size\": 1, \"name\": \"{rand}\"}}", null, "202 202 403 202 401 401"),
            new Row("PUT", "/volumes/{vol}", "{\"volume\": {\"description\": \"d\"}}", null, "200 404 403 200 401 401"),
            new Row("DELETE", "/volumes/{fresh}", null, null, "202 404 403 202 401 401"),
            new Row("DELETE", "/volumes/{fresh}?force=true", null, "3.23", "403 404 403 202 401 401"),
            new Row("GET", "/volumes/{vol}/metadata", null, null, "200 404 200 200 401 401"),
            new Row("GET", "/volumes/{vol}/metadata/k", null, null, "200 404 200 200 401 401"),
            new Row("POST", "/volumes/{vol}/metadata", "{\"metadata\": {\"k2\": \"v\"}}", null, "200 404 403 200 401 401"),
            new Row("PUT", "/volumes/{vol}/metadata", "{\"metadata\": {\"k\": \"v\"}}", null, "200 404 403 200 401 401"),
            new Row("PUT", "/volumes/{vol}/metadata/k", "{\"meta\": {\"k\": \"v2\"}}", null, "200 404 403 200 401 401"),
            new Row("DELETE", "/volumes/{fresh}/metadata/k", null, null, "200 404 403 200 401 401"),
            new Row("POST", "/volumes/{fresh}/action", "{\"os-extend\": {\"new_size\": 2}}", null, "202 404 403 202 401 401"),
            new Row("POST", "/volumes/{vol}/action", "{\"os-reset_status\": {\"status\": \"available\"}}", null,
                    "403 404 403 202 401 401"),
            new Row("POST", "/volumes/{fresh}/action", "{\"os-reserve\": null}", null, "202 404 403 202 401 401"),
            new Row("POST", "/attachments", "{\"attachment\": {\"volume_uuid\": \"{fresh}\"}}", "3.27",
                    "200 404 403 200 401 401"),
            new Row("GET", "/attachments", null, "3.27", "200 200 200 200 401 401"),
            new Row("GET", "/attachments/detail", null, "3.27", "200 200 200 200 401 401"),
            new Row("GET", "/snapshots", null, null, "200 200 200 200 401 401"),
            new Row("GET", "/snapshots/detail", null, null, "200 200 200 200 401 401"),
            new Row("GET", "/snapshots/{snap}", null, null, "200 404 200 200 401 401"),
            new Row("POST", "/snapshots", "{\"snapshot\": {\"volume_id\": \"{fresh}\"}}", null,
                    "202 404 403 202 401 401"),
            new Row("PUT", "/snapshots/{snap}", "{\"snapshot\": {\"description\": \"d\"}}", null,
                    "200 404 403 200 401 401"),
            new Row("DELETE", "/snapshots/{freshSnap}", null, null, "202 404 403 202 401 401"),
            new Row("GET", "/snapshots/{snap}/metadata", null, null, "200 404 200 200 401 401"),
            new Row("POST", "/snapshots/{snap}/metadata", "{\"metadata\": {\"k2\": \"v\"}}", null,
                    "200 404 403 200 401 401"),
            new Row("DELETE", "/snapshots/{freshSnap}/metadata/k", null, null, "200 404 403 200 401 401"),
            new Row("POST", "/snapshots/{snap}/action", "{\"os-reset_status\": {\"status\": \"available\"}}",
                    null, "403 404 403 202 401 401"),
            new Row("GET", "/backups", null, null, "200 200 200 200 401 401"),
            new Row("GET", "/backups/detail", null, null, "200 200 200 200 401 401"),
            new Row("GET", "/backups/{bak}", null, null, "200 404 200 200 401 401"),
            new Row("POST", "/backups", "{\"backup\": {\"volume_id\": \"{fresh}\"}}", null, "202 404 403 202 401 401"),
            new Row("PUT", "/backups/{bak}", "{\"backup\": {\"description\": \"d\"}}", "3.9",
                    "200 404 403 200 401 401"),
            new Row("DELETE", "/backups/{freshBak}", null, null, "202 404 403 202 401 401"),
            new Row("POST", "/backups/{freshBak}/restore", "{\"restore\": {\"name\": \"{rand}\"}}", null,
                    "202 404 403 202 401 401"),
            new Row("POST", "/backups/{bak}/action", "{\"os-reset_status\": {\"status\": \"available\"}}", null,
                    "403 404 403 202 401 401"),
            new Row("GET", "/backups/{bak}/export_record", null, null, "403 404 403 200 401 401"),
            new Row("GET", "/types", null, null, "200 200 200 200 401 401"),
            new Row("GET", "/types/{type}", null, null, "200 200 200 200 401 401"),
            new Row("GET", "/types/default", null, null, "200 200 200 200 401 401"),
            new Row("POST", "/types", "{\"volume_type\": {\"name\": \"{rand}\"}}", null, "403 403 403 200 401 401"),
            new Row("PUT", "/types/{freshType}", "{\"volume_type\": {\"description\": \"d\"}}", null, "403 403 403 200 401 401"),
            new Row("DELETE", "/types/{freshType}", null, null, "403 403 403 202 401 401"),
            new Row("GET", "/types/{type}/extra_specs", null, null, "200 200 200 200 401 401"),
            new Row("GET", "/types/{type}/extra_specs/multiattach", null, null, "200 200 200 200 401 401"),
            new Row("POST", "/types/{freshType}/extra_specs", "{\"extra_specs\": {\"k\": \"v\"}}", null, "403 403 403 200 401 401"),
            new Row("PUT", "/types/{freshType}/extra_specs/multiattach", "{\"multiattach\": \"<is> False\"}", null,
                    "403 403 403 200 401 401"),
            new Row("DELETE", "/types/{freshType}/extra_specs/multiattach", null, null, "403 403 403 202 401 401"),
            new Row("PUT", "/default-types/{alpha}", "{\"default_type\": {\"volume_type\": \"__DEFAULT__\"}}", "3.62",
                    "403 403 403 200 401 401"),
            new Row("GET", "/default-types/{alpha}", null, "3.62", "403 403 403 200 401 401"),
            new Row("GET", "/default-types", null, "3.62", "403 403 403 200 401 401"),
            new Row("DELETE", "/default-types/{alpha}", null, "3.62", "403 403 403 204 401 401"),
            new Row("GET", "/os-services", null, null, "403 403 403 200 401 401"),
            new Row("PUT", "/os-services/disable", "{\"host\": \"it-host@file\", \"binary\": \"cinder-volume\"}", null,
                    "403 403 403 200 401 401"),
            new Row("PUT", "/os-services/enable", "{\"host\": \"it-host@file\", \"binary\": \"cinder-volume\"}", null,
                    "403 403 403 200 401 401"),
            new Row("GET", "/os-availability-zone", null, null, "200 200 200 200 401 401"),
            new Row("GET", "/messages", null, "3.3", "200 200 200 200 401 401"),
            new Row("GET", "/messages/{msg}", null, "3.3", "200 404 200 200 401 401"),
            new Row("DELETE", "/messages/{freshMsg}", null, "3.3", "204 404 403 204 401 401"),
            new Row("GET", "/clusters", null, "3.7", "403 403 403 200 401 401"),
            new Row("GET", "/extensions", null, null, "200 200 200 200 401 401"),
            new Row("GET", "/resource_filters", null, "3.33", "200 200 200 200 401 401"),
            new Row("GET", "/os-quota-sets/{alpha}", null, null, "200 403 200 200 401 401"),
            new Row("GET", "/os-quota-sets/{alpha}?usage=True", null, null, "200 403 200 200 401 401"),
            new Row("GET", "/os-quota-sets/{alpha}/defaults", null, null, "200 403 200 200 401 401"),
            new Row("PUT", "/os-quota-sets/{alpha}", "{\"quota_set\": {\"snapshots\": 50}}", null,
                    "403 403 403 200 401 401"),
            new Row("DELETE", "/os-quota-sets/{alpha}", null, null, "403 403 403 200 401 401"),
            new Row("GET", "/os-quota-class-sets/default", null, null, "403 403 403 200 401 401"),
            new Row("PUT", "/os-quota-class-sets/default", "{\"quota_class_set\": {\"groups\": 10}}", null,
                    "403 403 403 200 401 401"),
            new Row("GET", "/limits", null, null, "200 200 200 200 401 401"),
            new Row("GET", "/v3/{alpha}/volumes", null, null, "200 400 200 400 401 401"),
            new Row("GET", "/v3/", null, null, "200 200 200 200 200 200"));

    @TempDir
    static Path temp;
    private KeystoneServer keystone;
    private BasaltProcess basalt;
    private final Map<Persona, Caller> callers = new EnumMap<>(Persona.class);
    private String volume;
    private String type;
    private String message;
    private String snapshot;
    private String backup;

    @BeforeAll
    void start(KeystoneServer keystone) throws Exception {
        this.keystone = keystone;
        // Unlimited quotas: the matrix makes many volumes, and one no backend can hold (a scheduling failure).
        basalt = new BasaltProcess(temp.resolve("state"), "keystone",
                "quota_gigabytes = -1\nquota_volumes = -1\nquota_snapshots = -1\nquota_backups = -1\n"
                + "quota_backup_gigabytes = -1\n" + keystone.authtokenSection()).start();
        String alpha = keystone.projectId("alpha");
        callers.put(Persona.OWNER, new Caller(alpha, keystone.token(KeystoneServer.ALICE)));
        callers.put(Persona.OTHER, new Caller(keystone.projectId("beta"), keystone.token(KeystoneServer.BOB)));
        callers.put(Persona.READER, new Caller(alpha, keystone.token(KeystoneServer.RITA)));
        callers.put(Persona.ADMIN, new Caller(keystone.projectId("admin"), keystone.token(KeystoneServer.ADMIN)));
        callers.put(Persona.NONE, new Caller(alpha, null));
        callers.put(Persona.INVALID, new Caller(alpha, "gAAAAABthis-is-not-a-valid-token"));
        volume = freshVolume();
        type = freshType();
        message = freshMessage();
        snapshot = freshSnapshot();
        backup = freshBackup();
    }

    @AfterAll
    void stop() throws Exception {
        if (basalt != null) {
            basalt.stop();
        }
    }

    Api api(Persona persona) {
        Caller c = callers.get(persona);
        return Api.withToken(basalt.endpoint(), c.project(), c.token());
    }

    @Test
    void everyEndpointAnswersEachPersonaAsCindersRulesDo() throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (Row row : MATRIX) {
            String[] expected = row.expected().split(" ");
            for (Persona persona : Persona.values()) {
                String path = fill(row.path());
                String body = row.body() == null ? null : fill(row.body());
                Api.Response r = path.startsWith("/v3/")
                        ? Api.withToken(basalt.endpoint().replaceFirst("/v3$", ""), "", callers.get(persona).token())
                                .send(row.method(), path.substring(1), body, row.version())
                        : api(persona).send(row.method(), path, body, row.version());
                int want = Integer.parseInt(expected[persona.ordinal()]);
                if (r.status() != want) {
                    mismatches.add(row.method() + " " + row.path() + " as " + persona + ": expected " + want + ", got "
                            + r.status() + " " + r.raw().lines().findFirst().orElse(""));
                }
                if (r.status() == 401 && r.header("WWW-Authenticate") == null) {
                    mismatches.add(row.method() + " " + row.path() + " as " + persona + ": 401 without WWW-Authenticate");
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void a401NamesKeystoneInCindersFaultFormat() throws Exception {
        Api.Response r = api(Persona.INVALID).get("/volumes");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Keystone uri=\"" + keystone.url() + "\"");
        assertThat(r.body().path("unauthorized").path("code").asInt()).isEqualTo(401);
        assertThat(r.body().path("unauthorized").path("message").asText()).isNotBlank();
    }

    @Test
    void adminsListAcrossProjectsOnlyWhenAskedAndFilterByProject() throws Exception {
        Api owner = api(Persona.OWNER);
        Api other = api(Persona.OTHER);
        String theirs = other.post("/volumes", "{\"volume\": {\"size\": 1, \"name\": \"beta-vol\"}}")
                .body().path("volume").path("id").asText();
        String alpha = keystone.projectId("alpha");

        Api admin = api(Persona.ADMIN);
        assertThat(ids(admin.get("/volumes"))).doesNotContain(volume, theirs);
        assertThat(ids(admin.get("/volumes?all_tenants=1"))).contains(volume, theirs);
        List<String> onlyAlpha = ids(admin.get("/volumes/detail?all_tenants=1&project_id=" + alpha));
        assertThat(onlyAlpha).contains(volume).doesNotContain(theirs);
        assertThat(ids(owner.get("/volumes?all_tenants=1"))).contains(volume).doesNotContain(theirs);
        assertThat(ids(other.get("/volumes/detail"))).contains(theirs).doesNotContain(volume);
        assertThat(admin.get("/volumes/" + theirs).status()).isEqualTo(200);
        assertThat(owner.get("/volumes/" + theirs).status()).isEqualTo(404);
    }

    @Test
    void adminOnlyFieldsAreHiddenFromProjectUsers() throws Exception {
        for (Persona persona : List.of(Persona.OWNER, Persona.READER)) {
            JsonNode v = api(persona).send("GET", "/volumes/" + volume, null, "3.61").body().path("volume");
            assertThat(v.has("os-vol-host-attr:host")).as(persona + " host").isFalse();
            assertThat(v.has("os-vol-mig-status-attr:migstat")).as(persona + " migstat").isFalse();
            assertThat(v.has("os-vol-mig-status-attr:name_id")).as(persona + " name_id").isFalse();
            assertThat(v.has("migration_status")).as(persona + " migration_status").isFalse();
            assertThat(v.has("provider_id")).as(persona + " provider_id").isFalse();
            assertThat(v.has("cluster_name")).as(persona + " cluster_name").isFalse();
            assertThat(v.path("os-vol-tenant-attr:tenant_id").asText()).isEqualTo(keystone.projectId("alpha"));
            JsonNode t = api(persona).get("/types/" + type).body().path("volume_type");
            assertThat(t.has("qos_specs_id")).isFalse();
            assertThat(t.path("extra_specs").has("volume_backend_name")).as("sensitive spec").isFalse();
        }
        JsonNode v = api(Persona.ADMIN).send("GET", "/volumes/" + volume, null, "3.61").body().path("volume");
        assertThat(v.path("os-vol-host-attr:host").asText()).startsWith("it-host@file");
        assertThat(v.has("os-vol-mig-status-attr:migstat")).isTrue();
        assertThat(v.has("migration_status")).isTrue();
        assertThat(v.has("provider_id")).isTrue();
        assertThat(v.has("cluster_name")).isTrue();
        assertThat(api(Persona.ADMIN).get("/types/" + type).body().path("volume_type").path("extra_specs")
                .has("volume_backend_name")).isTrue();
    }

    private static List<String> ids(Api.Response r) {
        List<String> ids = new ArrayList<>();
        r.body().path("volumes").forEach(v -> ids.add(v.path("id").asText()));
        return ids;
    }

    private String fill(String template) throws Exception {
        String s = template;
        if (s.contains("{fresh}")) {
            s = s.replace("{fresh}", freshVolume());
        }
        if (s.contains("{freshType}")) {
            s = s.replace("{freshType}", freshType());
        }
        if (s.contains("{freshSnap}")) {
            s = s.replace("{freshSnap}", freshSnapshot());
        }
        if (s.contains("{freshBak}")) {
            s = s.replace("{freshBak}", freshBackup());
        }
        if (s.contains("{freshMsg}")) {
            s = s.replace("{freshMsg}", freshMessage());
        }
        return s.replace("{vol}", volume == null ? "" : volume).replace("{type}", type == null ? "" : type)
                .replace("{msg}", message == null ? "" : message)
                .replace("{snap}", snapshot == null ? "" : snapshot).replace("{bak}", backup == null ? "" : backup)
                .replace("{alpha}", keystone.projectId("alpha"))
                .replace("{rand}", "n-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /** A new available volume of alpha, with metadata k=v. */
    private String freshVolume() throws Exception {
        Api owner = api(Persona.OWNER);
        Api.Response r = owner.post("/volumes", "{\"volume\": {\"size\": 1, \"metadata\": {\"k\": \"v\"}}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().path("volume").path("id").asText();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                () -> owner.get("/volumes/" + id).body().path("volume").path("status").asText().equals("available"));
        return id;
    }

    /** A new available snapshot of a new volume of alpha, with metadata k=v. */
    private String freshSnapshot() throws Exception {
        Api owner = api(Persona.OWNER);
        Api.Response r = owner.post("/snapshots", "{\"snapshot\": {\"volume_id\": \"" + freshVolume()
                + "\", \"metadata\": {\"k\": \"v\"}}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().path("snapshot").path("id").asText();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                () -> owner.get("/snapshots/" + id).body().path("snapshot").path("status").asText().equals("available"));
        return id;
    }

    /** A new available backup of a new volume of alpha. */
    private String freshBackup() throws Exception {
        Api owner = api(Persona.OWNER);
        Api.Response r = owner.post("/backups", "{\"backup\": {\"volume_id\": \"" + freshVolume() + "\"}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().path("backup").path("id").asText();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(
                () -> owner.get("/backups/" + id).body().path("backup").path("status").asText().equals("available"));
        return id;
    }

    /** A new public type with a sensitive and a user-visible extra spec. */
    private String freshType() throws Exception {
        Api.Response r = api(Persona.ADMIN).post("/types", "{\"volume_type\": {\"name\": \"t-"
                + UUID.randomUUID().toString().substring(0, 8) + "\", \"extra_specs\": {\"volume_backend_name\": \"file\","
                + " \"multiattach\": \"<is> False\"}}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r.body().path("volume_type").path("id").asText();
    }

    /** A new user message of alpha: a volume no backend can hold. */
    private String freshMessage() throws Exception {
        Api owner = api(Persona.OWNER);
        Api.Response r = owner.post("/volumes", "{\"volume\": {\"size\": 100000000}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        String id = r.body().path("volume").path("id").asText();
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Api.Response list = owner.send("GET", "/messages?resource_uuid=" + id, null, "3.5");
            JsonNode messages = list.body().path("messages");
            return messages.isEmpty() ? null : messages.get(0).path("id").asText();
        }, m -> m != null);
    }
}
