package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.VolumeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attachments API (3.27+) as a project member, against the real database and a stand-in volume
 * service that answers connection requests (the real export is tested end to end in basalt-it).
 */
class AttachmentsTest {
    private static final String V = "3.54";
    private static final String SERVER = "3b8b6631-1cf7-4fd7-9afb-c01e541a0a0c";
    private static final String CONNECTOR = "{\"initiator\": \"iqn.1993-08.org.debian:01:cad181614cec\","
            + " \"ip\": \"127.0.0.1\", \"host\": \"compute-1\", \"platform\": \"x86_64\", \"os_type\": \"linux\","
            + " \"multipath\": false}";
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS,
                new QuotaSettings(-1, -1, -1, -1, -1, -1, -1, true));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static TestApi.Reply create(String volume, String connector, String mode) {
        String body = "{\"attachment\": {\"volume_uuid\": \"" + volume + "\", \"instance_uuid\": \"" + SERVER + "\""
                + (connector == null ? "" : ", \"connector\": " + connector)
                + (mode == null ? "" : ", \"mode\": \"" + mode + "\"") + "}}";
        return api.post(TestApi.p("/attachments"), body, V);
    }

    @Test
    void reserveConnectCompleteAndDeleteWalkTheVolumeThroughItsStatuses() {
        String id = api.availableVolume("walk", 1);
        TestApi.Reply reserved = create(id, null, null);
        assertThat(reserved.status()).isEqualTo(200);
        JsonNode a = reserved.json().get("attachment");
        String attachment = a.get("id").asText();
        assertThat(a.get("status").asText()).isEqualTo("reserved");
        assertThat(a.get("instance").asText()).isEqualTo(SERVER);
        assertThat(a.get("volume_id").asText()).isEqualTo(id);
        assertThat(a.get("attach_mode").asText()).isEqualTo("null");
        assertThat(a.get("connection_info")).isEmpty();
        assertThat(a.get("attached_at").asText()).isEmpty();
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.RESERVED);

        TestApi.Reply updated = api.put(TestApi.p("/attachments/" + attachment),
                "{\"attachment\": {\"connector\": " + CONNECTOR + "}}", V);
        assertThat(updated.status()).isEqualTo(200);
        JsonNode info = updated.json().get("attachment").get("connection_info");
        assertThat(updated.json().get("attachment").get("status").asText()).isEqualTo("attaching");
        assertThat(updated.json().get("attachment").get("attach_mode").asText()).isEqualTo("rw");
        assertThat(info.get("driver_volume_type").asText()).isEqualTo("iscsi");
        assertThat(info.get("target_iqn").asText()).isEqualTo("iqn.2010-10.org.openstack:volume-" + id);
        assertThat(info.get("target_portal").asText()).isEqualTo("127.0.0.1:3260");
        assertThat(info.get("target_lun").asInt()).isZero();
        assertThat(info.get("auth_method").asText()).isEqualTo("CHAP");
        assertThat(info.get("auth_password").asText()).isEqualTo("secret-of-the-test");
        assertThat(info.get("access_mode").asText()).isEqualTo("rw");
        assertThat(info.get("attachment_id").asText()).isEqualTo(attachment);
        assertThat(info.get("volume_id").asText()).isEqualTo(id);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.ATTACHING);
        assertThat(api.volume(id).attachStatus()).isEqualTo(AttachStatus.ATTACHING);
        assertThat(api.connects).anyMatch(c -> c.volumeId().equals(id) && "compute-1".equals(c.connector().get("host")));

        assertThat(api.post(TestApi.p("/attachments/" + attachment + "/action"), "{\"os-complete\": {}}", V).status())
                .isEqualTo(204);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.IN_USE);
        assertThat(api.volume(id).attachStatus()).isEqualTo(AttachStatus.ATTACHED);
        JsonNode shown = api.get(TestApi.p("/volumes/" + id), V).json().get("volume");
        assertThat(shown.get("status").asText()).isEqualTo("in-use");
        assertThat(shown.get("attachments")).hasSize(1);
        JsonNode listed = shown.get("attachments").get(0);
        assertThat(listed.get("attachment_id").asText()).isEqualTo(attachment);
        assertThat(listed.get("server_id").asText()).isEqualTo(SERVER);
        assertThat(listed.get("host_name").isNull()).as("members do not see the host").isTrue();
        JsonNode asAdmin = api.call("GET", TestApi.p("/volumes/" + id)).token("root:" + TestApi.PROJECT + ":admin")
                .version(V).send().json().get("volume").get("attachments").get(0);
        assertThat(asAdmin.get("host_name").asText()).isEqualTo("compute-1");
        assertThat(listed.get("attached_at").asText()).isNotEmpty();
        assertThat(shown.get("metadata").get("attached_mode").asText()).isEqualTo("rw");

        TestApi.Reply refused = api.delete(TestApi.p("/volumes/" + id));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.IN_USE);

        TestApi.Reply deleted = api.delete(TestApi.p("/attachments/" + attachment), V);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("attachments")).isEmpty();
        assertThat(api.disconnects).anyMatch(d -> d.volumeId().equals(id) && attachment.equals(d.attachmentId()));
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.volume(id).attachStatus()).isEqualTo(AttachStatus.DETACHED);
        assertThat(api.get(TestApi.p("/volumes/" + id), V).json().get("volume").get("metadata").has("attached_mode"))
                .isFalse();
        assertThat(api.get(TestApi.p("/attachments/" + attachment), V).status()).isEqualTo(404);
    }

    @Test
    void createWithAConnectorConnectsAtOnceAndHonoursTheMode() {
        String id = api.availableVolume("connected", 1);
        TestApi.Reply r = create(id, CONNECTOR, "ro");
        assertThat(r.status()).isEqualTo(200);
        JsonNode a = r.json().get("attachment");
        assertThat(a.get("status").asText()).isEqualTo("attaching");
        assertThat(a.get("attach_mode").asText()).isEqualTo("ro");
        assertThat(a.get("connection_info").get("access_mode").asText()).isEqualTo("ro");
        assertThat(a.get("attached_at").asText()).isNotEmpty();
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.ATTACHING);
    }

    @Test
    void aSecondAttachmentOfANonMultiattachVolumeIsRefused() {
        String id = api.availableVolume("single", 1);
        assertThat(create(id, CONNECTOR, null).status()).isEqualTo(200);
        String other = "{\"attachment\": {\"volume_uuid\": \"" + id + "\", \"instance_uuid\":"
                + " \"5f3c1b1e-8e0a-4d57-9d5e-1f3b7c8a9d01\"}}";
        TestApi.Reply second = api.post(TestApi.p("/attachments"), other, V);
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.faultMessage()).isEqualTo("Invalid volume: Volume " + id + " status must be available or"
                + " downloading to reserve, but the current status is attaching.");
        assertThat(api.attachments(id)).hasSize(1);
    }

    @Test
    void listsShowSummaryAndDetailFilteredByVolume() {
        String id = api.availableVolume("listed", 1);
        String attachment = create(id, null, null).json().get("attachment").get("id").asText();
        JsonNode summary = api.get(TestApi.p("/attachments?volume_id=" + id), V).json().get("attachments");
        assertThat(summary).hasSize(1);
        assertThat(summary.get(0).get("id").asText()).isEqualTo(attachment);
        assertThat(summary.get(0).has("connection_info")).isFalse();
        JsonNode detail = api.get(TestApi.p("/attachments/detail?volume_id=" + id), V).json().get("attachments");
        assertThat(detail.get(0).has("connection_info")).isTrue();
        assertThat(detail.get(0).get("attach_mode").asText()).isEqualTo("null");
        assertThat(api.get(TestApi.p("/attachments?bogus=1"), V).status()).isEqualTo(400);
    }

    @Test
    void badInputIsAClearClientErrorAndChangesNothing() {
        String id = api.availableVolume("bad", 1);
        assertThat(api.post(TestApi.p("/attachments"), "{\"attachment\": {}}", V).status()).isEqualTo(400);
        assertThat(api.post(TestApi.p("/attachments"), "{\"attachment\": {\"volume_uuid\": \"nope\"}}", V).status())
                .isEqualTo(400);
        TestApi.Reply missing = api.post(TestApi.p("/attachments"),
                "{\"attachment\": {\"volume_uuid\": \"0c9e1b6a-3f7d-4b8e-9a2c-5d6e7f8a9b0c\"}}", V);
        assertThat(missing.status()).isEqualTo(404);
        TestApi.Reply noInitiator = create(id, "{\"host\": \"compute-1\"}", null);
        assertThat(noInitiator.status()).isEqualTo(400);
        assertThat(noInitiator.faultMessage()).contains("initiator");
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.attachments(id)).isEmpty();
        TestApi.Reply modeTooEarly = api.post(TestApi.p("/attachments"), "{\"attachment\": {\"volume_uuid\": \"" + id
                + "\", \"mode\": \"ro\"}}", "3.27");
        assertThat(modeTooEarly.status()).isEqualTo(400);
        assertThat(api.get(TestApi.p("/attachments"), "3.26").status()).isEqualTo(404);
        assertThat(api.post(TestApi.p("/attachments/" + id + "/action"), "{\"os-complete\": {}}", "3.43").status())
                .isEqualTo(404);
    }

    @Test
    void anotherProjectSeesNoAttachment() {
        String id = api.availableVolume("private", 1);
        String attachment = create(id, null, null).json().get("attachment").get("id").asText();
        String stranger = TestApi.newProject();
        TestApi.Reply r = api.call("GET", "/v3/" + stranger + "/attachments/" + attachment).token("u:" + stranger)
                .version(V).send();
        assertThat(r.status()).isEqualTo(404);
    }
}
