package dev.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.testkit.FreePorts;
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
 * Detach safety (OSSA-2023-003) against a real Keystone and real initiators: an attachment made
 * for an instance and connected to its host goes only when the compute service asks for it (its
 * X-Service-Token with the {@code service} role) or says the instance no longer has the volume.
 * A member who tries behind its back gets 409 and the host keeps reading the volume; an
 * administrator keeps {@code os-force_detach}; attachments without an instance are the member's
 * to remove; {@code allow_attachment_delete_without_compute} lets users remove them where no
 * compute service can be asked. Nova cannot run here: the "compute service" is
 * {@link ComputeStandIn}, listed in Keystone's catalog as {@code compute}.
 */
@ExtendWith(KeystoneExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeystoneDetachSafetyIT {
    private static final String INITIATOR = "iqn.2024-01.dev.basalt:it-compute";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String REFUSAL = "using the Compute API";

    /** Who asks: the member (alice) alone or with a service token, the admin, a reader, another project. */
    enum Persona { OWNER, OWNER_WITH_NOVA, OWNER_WITH_MEMBER_SERVICE_TOKEN, OWNER_WITH_INVALID_SERVICE_TOKEN, ADMIN,
        READER, OTHER }

    /**
     * One way to remove an attachment, on an attachment with an instance (or without), and the
     * statuses for OWNER, OWNER_WITH_NOVA, OWNER_WITH_MEMBER_SERVICE_TOKEN,
     * OWNER_WITH_INVALID_SERVICE_TOKEN, ADMIN, READER, OTHER. Placeholders: {vol}, {att}.
     */
    record Row(String method, String path, String body, String version, boolean instance, String expected) {
    }

    static final List<Row> MATRIX = List.of(
            new Row("DELETE", "/attachments/{att}", null, "3.27", true, "409 200 409 409 409 403 404"),
            new Row("POST", "/volumes/{vol}/action", "{\"os-detach\": {\"attachment_id\": \"{att}\"}}", null, true,
                    "409 202 409 409 409 403 404"),
            new Row("POST", "/volumes/{vol}/action", "{\"os-terminate_connection\": {\"connector\": {\"initiator\": \""
                    + INITIATOR + "\", \"host\": \"it-compute\"}}}", null, true, "409 202 409 409 409 403 404"),
            new Row("POST", "/volumes/{vol}/action", "{\"os-force_detach\": {\"attachment_id\": \"{att}\"}}", null,
                    true, "403 403 403 403 202 403 404"),
            new Row("DELETE", "/attachments/{att}", null, "3.27", false, "200 200 200 200 200 403 404"),
            new Row("POST", "/volumes/{vol}/action", "{\"os-detach\": {\"attachment_id\": \"{att}\"}}", null, false,
                    "202 202 202 202 202 403 404"));

    /** A volume, its attachment, and the connection info its host was given. */
    record Attached(String volume, String attachment, String server, JsonNode connection) {
        String url() {
            return Initiators.url(connection.path("target_portal").asText(), connection.path("target_iqn").asText(),
                    connection.path("target_lun").asText(), connection.path("auth_username").asText(),
                    connection.path("auth_password").asText());
        }
    }

    @TempDir
    static Path temp;
    private KeystoneServer keystone;
    private BasaltProcess basalt;
    private BasaltProcess lenient;
    private final Map<Persona, Api> callers = new EnumMap<>(Persona.class);
    private String aliceToken;
    private String novaToken;

    @BeforeAll
    void start(KeystoneServer keystone) throws Exception {
        Cli.requireClients();
        Initiators.require();
        this.keystone = keystone;
        // Unlimited volumes and gigabytes: the matrix makes a volume for each attachment it removes.
        String quotas = "quota_volumes = -1\nquota_gigabytes = -1\n";
        basalt = new BasaltProcess(temp.resolve("state"), "keystone", quotas + keystone.authtokenSection()).start();
        lenient = new BasaltProcess(temp.resolve("lenient"), "keystone",
                "allow_attachment_delete_without_compute = true\n" + quotas + keystone.authtokenSection()).start();
        keystone.pointCatalogAt(basalt.endpoint());
        String alpha = keystone.projectId("alpha");
        aliceToken = keystone.token(KeystoneServer.ALICE);
        novaToken = keystone.token(KeystoneServer.NOVA);
        Api owner = Api.withToken(basalt.endpoint(), alpha, aliceToken);
        callers.put(Persona.OWNER, owner);
        callers.put(Persona.OWNER_WITH_NOVA, owner.withServiceToken(novaToken));
        callers.put(Persona.OWNER_WITH_MEMBER_SERVICE_TOKEN, owner.withServiceToken(
                keystone.token(KeystoneServer.BOB)));
        callers.put(Persona.OWNER_WITH_INVALID_SERVICE_TOKEN, owner.withServiceToken("gAAAAABnot-a-valid-token"));
        callers.put(Persona.ADMIN, Api.withToken(basalt.endpoint(), keystone.projectId("admin"),
                keystone.token(KeystoneServer.ADMIN)));
        callers.put(Persona.READER, Api.withToken(basalt.endpoint(), alpha, keystone.token(KeystoneServer.RITA)));
        callers.put(Persona.OTHER, Api.withToken(basalt.endpoint(), keystone.projectId("beta"),
                keystone.token(KeystoneServer.BOB)));
    }

    @AfterAll
    void stop() throws Exception {
        if (basalt != null) {
            basalt.stop();
        }
        if (lenient != null) {
            lenient.stop();
        }
    }

    @Test
    void aMemberCannotRemoveAnInstancesAttachmentBehindTheComputeServicesBack() throws Exception {
        Attached a = attach(callers.get(Persona.OWNER), true);
        assertThat(ok(Initiators.qemuIo(a.url(), "write -P 0x6b 0 1M"))).contains("wrote 1048576/1048576");

        KeystoneCli alice = new KeystoneCli(keystone, KeystoneServer.ALICE);
        Cli.Result refused = alice.cinder("--os-volume-api-version", "3.44", "attachment-delete", a.attachment());
        assertThat(refused.exitCode()).as(refused.stdout()).isNotZero();
        assertThat(refused.stderr()).contains("Detach volume from instance " + a.server() + " " + REFUSAL)
                .contains("409");
        assertThat(status(a.volume())).isEqualTo("in-use");
        assertThat(ok(Initiators.run("iscsi-inq", a.url()))).as("the host still has its disk").isNotBlank();
        assertThat(ok(Initiators.qemuIo(a.url(), "read -P 0x6b 0 1M"))).contains("read 1048576/1048576");

        Api.Response fromNova = callers.get(Persona.OWNER_WITH_NOVA).send("DELETE", "/attachments/" + a.attachment(),
                null, "3.27");
        assertThat(fromNova.status()).as(fromNova.raw()).isEqualTo(200);
        assertThat(status(a.volume())).isEqualTo("available");
        assertThat(Initiators.run("iscsi-inq", a.url()).exitCode()).as("the export is gone").isNotZero();
    }

    @Test
    void anAdministratorsForceDetachRemovesTheAttachmentAndTheExport() throws Exception {
        Attached a = attach(callers.get(Persona.OWNER), true);
        ok(Initiators.run("iscsi-inq", a.url()));
        Api.Response r = callers.get(Persona.ADMIN).post("/volumes/" + a.volume() + "/action",
                "{\"os-force_detach\": {\"attachment_id\": \"" + a.attachment() + "\", \"connector\": null}}");
        assertThat(r.status()).as(r.raw()).isEqualTo(202);
        assertThat(status(a.volume())).isEqualTo("available");
        assertThat(Initiators.run("iscsi-inq", a.url()).exitCode()).as("the export is gone").isNotZero();

        Api.Response unknown = callers.get(Persona.ADMIN).post("/volumes/" + a.volume() + "/action",
                "{\"os-force_detach\": {\"attachment_id\": \"" + UUID.randomUUID() + "\"}}");
        assertThat(unknown.status()).as(unknown.raw()).isEqualTo(400);
        assertThat(unknown.body().path("badRequest").path("message").asText())
                .contains("Error force detaching volume - VolumeAttachmentNotFound");
    }

    @Test
    void everyWayToRemoveAnAttachmentAnswersEachPersonaAsTheRuleSays() throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (Row row : MATRIX) {
            String[] expected = row.expected().split(" ");
            Attached a = attach(callers.get(Persona.OWNER), row.instance());
            for (Persona persona : Persona.values()) {
                String body = row.body() == null ? null : fill(row.body(), a);
                Api.Response r = callers.get(persona).send(row.method(), fill(row.path(), a), body, row.version());
                int want = Integer.parseInt(expected[persona.ordinal()]);
                String where = row.method() + " " + row.path() + " " + (row.body() == null ? "" : row.body())
                        + (row.instance() ? " (instance)" : " (no instance)") + " as " + persona;
                if (r.status() != want) {
                    mismatches.add(where + ": expected " + want + ", got " + r.status() + " " + r.raw());
                }
                if (r.status() == 409 && !r.raw().contains(REFUSAL)) {
                    mismatches.add(where + ": a 409 that does not say to use the Compute API: " + r.raw());
                }
                if (r.status() >= 200 && r.status() < 300) {
                    a = attach(callers.get(Persona.OWNER), row.instance());
                } else if (!attachmentExists(a)) {
                    mismatches.add(where + ": refused with " + r.status() + " but the attachment is gone");
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void theComputeServiceInTheCatalogIsAskedWithTheCallersToken() throws Exception {
        try (ComputeStandIn nova = new ComputeStandIn()) {
            String endpoint = keystone.addComputeEndpoint(nova.url());
            try {
                Attached a = attach(callers.get(Persona.OWNER), true);
                nova.attach(a.server(), a.volume(), a.attachment());
                Api.Response refused = callers.get(Persona.OWNER).send("DELETE", "/attachments/" + a.attachment(),
                        null, "3.27");
                assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
                assertThat(refused.body().path("conflictingRequest").path("message").asText())
                        .isEqualTo("Detach volume from instance " + a.server() + " " + REFUSAL);
                assertThat(nova.questions()).singleElement().satisfies(q -> {
                    assertThat(q.token()).isEqualTo(aliceToken);
                    assertThat(q.microversion()).isEqualTo("compute 2.89");
                    assertThat(q.path()).endsWith("/servers/" + a.server() + "/os-volume_attachments/" + a.volume());
                });
                assertThat(ok(Initiators.run("iscsi-inq", a.url()))).isNotBlank();

                nova.detach(a.server(), a.volume());
                Api.Response allowed = callers.get(Persona.OWNER).send("DELETE", "/attachments/" + a.attachment(),
                        null, "3.27");
                assertThat(allowed.status()).as(allowed.raw()).isEqualTo(200);
                assertThat(status(a.volume())).isEqualTo("available");
                assertThat(Initiators.run("iscsi-inq", a.url()).exitCode()).as("the export is gone").isNotZero();
            } finally {
                keystone.removeEndpoint(endpoint);
            }
        }
    }

    @Test
    void aComputeServiceOutOfReachIsAServiceUnavailableAndNothingIsDetached() throws Exception {
        String endpoint = keystone.addComputeEndpoint("http://127.0.0.1:" + FreePorts.next() + "/v2.1");
        try {
            Attached a = attach(callers.get(Persona.OWNER), true);
            Api.Response r = callers.get(Persona.OWNER).send("DELETE", "/attachments/" + a.attachment(), null, "3.27");
            assertThat(r.status()).as(r.raw()).isEqualTo(503);
            assertThat(r.body().path("serviceUnavailable").path("message").asText()).contains("nothing was detached");
            assertThat(status(a.volume())).isEqualTo("in-use");
        } finally {
            keystone.removeEndpoint(endpoint);
        }
    }

    @Test
    void withTheOptionAMemberRemovesAnInstancesAttachmentWhereNoComputeServiceCanBeAsked() throws Exception {
        Api owner = Api.withToken(lenient.endpoint(), keystone.projectId("alpha"), aliceToken);
        Attached a = attach(owner, true);
        ok(Initiators.run("iscsi-inq", a.url()));
        Api.Response r = owner.send("DELETE", "/attachments/" + a.attachment(), null, "3.27");
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        assertThat(Initiators.run("iscsi-inq", a.url()).exitCode()).as("the export is gone").isNotZero();
    }

    private static String fill(String template, Attached a) {
        return template.replace("{vol}", a.volume()).replace("{att}", a.attachment());
    }

    /**
     * A new volume of alpha attached as a compute host attaches it (for a new instance, or for none):
     * an attachment created with the host's connector, then completed.
     */
    private Attached attach(Api owner, boolean forInstance) throws Exception {
        Api.Response created = owner.post("/volumes", "{\"volume\": {\"size\": 1}}");
        assertThat(created.status()).as(created.raw()).isEqualTo(202);
        String volume = created.body().path("volume").path("id").asText();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> owner.get("/volumes/" + volume)
                .body().path("volume").path("status").asText().equals("available"));
        String server = forInstance ? UUID.randomUUID().toString() : null;
        String body = "{\"attachment\": {\"volume_uuid\": \"" + volume + "\""
                + (server == null ? "" : ", \"instance_uuid\": \"" + server + "\"")
                + ", \"connector\": {\"initiator\": \"" + INITIATOR + "\", \"ip\": \"127.0.0.1\","
                + " \"host\": \"it-compute\", \"mountpoint\": \"/dev/vdb\"}}}";
        Api.Response attachment = owner.send("POST", "/attachments", body, "3.54");
        assertThat(attachment.status()).as(attachment.raw()).isEqualTo(200);
        String id = attachment.body().path("attachment").path("id").asText();
        Api.Response completed = owner.send("POST", "/attachments/" + id + "/action", "{\"os-complete\": null}",
                "3.44");
        assertThat(completed.status()).as(completed.raw()).isEqualTo(204);
        return new Attached(volume, id, server, attachment.body().path("attachment").path("connection_info"));
    }

    private String status(String volume) throws Exception {
        return callers.get(Persona.OWNER).get("/volumes/" + volume).body().path("volume").path("status").asText();
    }

    private boolean attachmentExists(Attached a) throws Exception {
        return callers.get(Persona.ADMIN).send("GET", "/attachments/" + a.attachment(), null, "3.27").status() == 200;
    }

    private static String ok(dev.basalt.iscsi.ExternalTools.Run run) {
        assertThat(run.exitCode()).as(run.output()).isZero();
        return run.stdout();
    }
}
