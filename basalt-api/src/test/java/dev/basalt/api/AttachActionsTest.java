package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.VolumeStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The legacy attach actions: os-reserve … os-detach, in the order a compute host sends them. */
class AttachActionsTest {
    private static final String SERVER = "9d3a1c57-8e2b-4f10-a6c4-2b7e9f0d1a33";
    private static final String CONNECTOR = "{\"initiator\": \"iqn.1993-08.org.debian:01:abc\", \"host\": \"c1\"}";
    static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.withoutQuotas();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void theWholeLegacyAttachAndDetach() {
        String id = api.availableVolume("legacy", 1);
        assertThat(api.volumeAction(id, "{\"os-reserve\": null}").status()).isEqualTo(202);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.ATTACHING);

        TestApi.Reply init = api.volumeAction(id, "{\"os-initialize_connection\": {\"connector\": " + CONNECTOR + "}}");
        assertThat(init.status()).isEqualTo(200);
        JsonNode info = init.json().get("connection_info");
        assertThat(info.get("driver_volume_type").asText()).isEqualTo("iscsi");
        assertThat(info.get("data").get("target_iqn").asText()).endsWith("volume-" + id);
        assertThat(info.get("data").get("auth_username").asText()).isNotEmpty();
        assertThat(info.get("data").get("access_mode").asText()).isEqualTo("rw");

        assertThat(api.volumeAction(id, "{\"os-attach\": {\"instance_uuid\": \"" + SERVER + "\", \"mountpoint\": \"/dev/vdb\","
                + " \"mode\": \"rw\"}}").status()).isEqualTo(202);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.IN_USE);
        assertThat(api.volume(id).attachStatus()).isEqualTo(AttachStatus.ATTACHED);
        JsonNode attachments = api.get(TestApi.p("/volumes/" + id)).json().get("volume").get("attachments");
        assertThat(attachments).hasSize(1);
        assertThat(attachments.get(0).get("device").asText()).isEqualTo("/dev/vdb");

        assertThat(api.volumeAction(id, "{\"os-begin_detaching\": null}").status()).isEqualTo(202);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.DETACHING);
        assertThat(api.volumeAction(id, "{\"os-roll_detaching\": null}").status()).isEqualTo(202);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.IN_USE);
        assertThat(api.volumeAction(id, "{\"os-begin_detaching\": null}").status()).isEqualTo(202);
        assertThat(api.volumeAction(id, "{\"os-terminate_connection\": {\"connector\": " + CONNECTOR + "}}").status())
                .isEqualTo(202);
        assertThat(api.disconnects).anyMatch(d -> d.volumeId().equals(id));
        String attachment = attachments.get(0).get("attachment_id").asText();
        assertThat(api.volumeAction(id, "{\"os-detach\": {\"attachment_id\": \"" + attachment + "\"}}").status()).isEqualTo(202);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.volume(id).attachStatus()).isEqualTo(AttachStatus.DETACHED);
        assertThat(api.attachments(id)).isEmpty();
    }

    @Test
    void reserveNeedsAnAvailableVolumeAndUnreserveGivesItBack() {
        String id = api.availableVolume("reserve", 1);
        assertThat(api.volumeAction(id, "{\"os-reserve\": null}").status()).isEqualTo(202);
        TestApi.Reply again = api.volumeAction(id, "{\"os-reserve\": null}");
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.faultMessage()).isEqualTo("Invalid volume: Volume status must be available to reserve, but"
                + " the status is attaching.");
        assertThat(api.volumeAction(id, "{\"os-unreserve\": null}").status()).isEqualTo(202);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.AVAILABLE);
    }

    @Test
    void aSecondAttachOfANonMultiattachVolumeIsRefused() {
        String id = api.availableVolume("once", 1);
        assertThat(api.volumeAction(id, "{\"os-attach\": {\"instance_uuid\": \"" + SERVER + "\", \"mountpoint\": \"/dev/vdb\"}}")
                .status()).isEqualTo(202);
        TestApi.Reply second = api.volumeAction(id, "{\"os-attach\": {\"host_name\": \"other\", \"mountpoint\": \"/dev/vdc\"}}");
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.faultMessage()).contains("multiple attachments are not enabled");
        assertThat(api.attachments(id)).hasSize(1);
    }

    @Test
    void malformedBodiesAreRefused() {
        String id = api.availableVolume("malformed", 1);
        assertThat(api.volumeAction(id, "{\"os-attach\": {\"mountpoint\": \"/dev/vdb\"}}").status()).isEqualTo(400);
        assertThat(api.volumeAction(id, "{\"os-attach\": {\"instance_uuid\": \"x\", \"mountpoint\": \"/dev/vdb\"}}").status())
                .isEqualTo(400);
        assertThat(api.volumeAction(id, "{\"os-initialize_connection\": {}}").status()).isEqualTo(400);
        assertThat(api.volumeAction(id, "{\"os-initialize_connection\": {\"connector\": \"not json\"}}").status()).isEqualTo(400);
        assertThat(api.volumeAction(id, "{\"os-initialize_connection\": {\"connector\": {\"host\": \"h\"}}}").status())
                .isEqualTo(400);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.attachments(id)).isEmpty();
    }
}
