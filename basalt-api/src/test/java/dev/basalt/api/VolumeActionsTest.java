package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.model.AttachStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code os-extend}, {@code os-set_bootable}, {@code os-update_readonly_flag}, {@code os-reset_status}, {@code os-force_delete}. */
class VolumeActionsTest {
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
    void extendGrowsAnAvailableVolumeThroughItsVolumeService() {
        String id = api.availableVolume("grow", 1);
        api.holdExtends = true;
        try {
            TestApi.Reply r = api.volumeAction(id, "{\"os-extend\": {\"new_size\": \"3\"}}");
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.text()).isEmpty();
            Volume extending = api.volume(id);
            assertThat(extending.status()).isEqualTo(VolumeStatus.EXTENDING);
            assertThat(extending.size()).isEqualTo(1);
            assertThat(extending.adminMetadata()).containsEntry(Volume.EXTEND_NEW_SIZE, "3");
            assertThat(api.get(TestApi.p("/volumes/" + id)).json().get("volume").get("metadata").has("extend_new_size"))
                    .isFalse();
            TestApi.Reply again = api.volumeAction(id, "{\"os-extend\": {\"new_size\": 4}}");
            assertThat(again.status()).isEqualTo(400);
            assertThat(again.faultMessage()).isEqualTo("Invalid volume: Volume " + id + " status must be available"
                    + " to extend, currently extending.");
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> api.extends_.stream()
                    .anyMatch(e -> e.volumeId().equals(id) && e.newSize() == 3));
        } finally {
            api.holdExtends = false;
        }
        api.volumes.finishExtend(id, 3);
        JsonNode v = api.get(TestApi.p("/volumes/" + id)).json().get("volume");
        assertThat(v.get("size").asInt()).isEqualTo(3);
        assertThat(v.get("status").asText()).isEqualTo("available");
    }

    @Test
    void extendOnlyGrows() {
        String id = api.availableVolume("shrink", 2);
        for (int size : new int[] {1, 2}) {
            TestApi.Reply r = api.volumeAction(id, "{\"os-extend\": {\"new_size\": " + size + "}}");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.faultMessage()).isEqualTo("Invalid input received: New size for extend must be greater than"
                    + " current size. (current: 2, extended: " + size + ").");
        }
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.volume(id).size()).isEqualTo(2);
        assertThat(api.extends_).noneMatch(e -> e.volumeId().equals(id));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "zero|{\"os-extend\": {\"new_size\": 0}}|new_size",
        "negative|{\"os-extend\": {\"new_size\": -1}}|new_size",
        "text|{\"os-extend\": {\"new_size\": \"big\"}}|new_size",
        "missing|{\"os-extend\": {}}|new_size",
        "extra|{\"os-extend\": {\"new_size\": 2, \"force\": true}}|force",
        "not an object|{\"os-extend\": 2}|os-extend",
        "two actions|{\"os-extend\": {\"new_size\": 2}, \"os-set_bootable\": {\"bootable\": true}}|exactly one key",
        "bad bootable|{\"os-set_bootable\": {\"bootable\": \"maybe\"}}|bootable",
        "no bootable|{\"os-set_bootable\": {}}|bootable",
        "bad readonly|{\"os-update_readonly_flag\": {\"readonly\": 3}}|readonly",
        "bad status|{\"os-reset_status\": {\"status\": \"sleeping\"}}|sleeping",
        "bad attach status|{\"os-reset_status\": {\"attach_status\": \"attaching\"}}|attaching",
        "empty reset|{\"os-reset_status\": {}}|Must specify",
        "force delete extra|{\"os-force_delete\": {}, \"x\": 1}|exactly one key",
    })
    void refusesBadActionBodiesAndChangesNothing(String what, String body, String mentioned) {
        String id = api.availableVolume("bad-" + what.replace(' ', '-'), 1);
        TestApi.Reply r = api.volumeAction(id, body);
        assertThat(r.status()).as(what + ": " + r.text()).isEqualTo(400);
        assertThat(r.faultMessage()).as(what).contains(mentioned);
        Volume after = api.volume(id);
        assertThat(after.status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(after.size()).isEqualTo(1);
        assertThat(after.bootable()).isFalse();
        assertThat(after.adminMetadata()).isEmpty();
    }

    @Test
    void extendRefusesVolumesThatAreNotAvailable() {
        String id = api.availableVolume("not-avail", 1);
        api.volumes.resetStatus(id, VolumeStatus.ERROR, null);
        TestApi.Reply r = api.volumeAction(id, "{\"os-extend\": {\"new_size\": 2}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).contains("currently error");
        api.volumes.resetStatus(id, VolumeStatus.IN_USE, null);
        assertThat(api.volumeAction(id, "{\"os-extend\": {\"new_size\": 2}}").status()).isEqualTo(400);
        assertThat(api.post(TestApi.p("/volumes/" + id + "/action"), "{\"os-extend\": {\"new_size\": 2}}", "3.42")
                .faultMessage()).contains("in-use volumes is not supported");
        assertThat(api.volume(id).size()).isEqualTo(1);
        assertThat(api.volumeAction("6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1", "{\"os-extend\": {\"new_size\": 2}}").status())
                .isEqualTo(404);
    }

    @Test
    void extendWaitsForASnapshotBeingTaken() {
        String id = api.availableVolume("snapping", 1);
        api.holdSnapshots = true;
        try {
            api.createSnapshot(id, "s");
            TestApi.Reply r = api.volumeAction(id, "{\"os-extend\": {\"new_size\": 2}}");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.faultMessage()).contains("A snapshot of volume " + id + " is being taken");
        } finally {
            api.holdSnapshots = false;
        }
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.AVAILABLE);
    }

    @Test
    void setBootable() {
        String id = api.availableVolume("boot", 1);
        TestApi.Reply r = api.volumeAction(id, "{\"os-set_bootable\": {\"bootable\": \"True\"}}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(api.get(TestApi.p("/volumes/" + id)).json().get("volume").get("bootable").asText()).isEqualTo("true");
        assertThat(api.get(TestApi.p("/volumes?bootable=true"), "3.2").json().get("volumes").toString()).contains(id);
        assertThat(api.volumeAction(id, "{\"os-set_bootable\": {\"bootable\": false}}").status()).isEqualTo(200);
        assertThat(api.volume(id).bootable()).isFalse();
        api.volumes.resetStatus(id, VolumeStatus.MAINTENANCE, null);
        assertThat(api.volumeAction(id, "{\"os-set_bootable\": {\"bootable\": true}}").faultMessage()).contains("maintenance");
    }

    @Test
    void readonlyFlagShowsInTheMetadataAndNeedsAnAvailableVolume() {
        String id = api.createVolume("{\"volume\": {\"size\": 1, \"metadata\": {\"a\": \"b\"}}}");
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        assertThat(api.volumeAction(id, "{\"os-update_readonly_flag\": {\"readonly\": true}}").status()).isEqualTo(202);
        JsonNode metadata = api.get(TestApi.p("/volumes/" + id)).json().get("volume").get("metadata");
        assertThat(metadata.get("readonly").asText()).isEqualTo("True");
        assertThat(metadata.get("a").asText()).isEqualTo("b");
        assertThat(api.get(TestApi.p("/volumes/" + id + "/metadata")).json().get("metadata").has("readonly"))
                .as("the user's metadata does not hold it").isFalse();
        assertThat(api.volumeAction(id, "{\"os-update_readonly_flag\": {\"readonly\": \"false\"}}").status()).isEqualTo(202);
        assertThat(api.get(TestApi.p("/volumes/detail")).json().get("volumes").toString())
                .contains("\"readonly\":\"False\"");
        api.volumes.resetStatus(id, VolumeStatus.ERROR, null);
        TestApi.Reply r = api.volumeAction(id, "{\"os-update_readonly_flag\": {\"readonly\": true}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.faultMessage()).isEqualTo("Invalid volume: Volume " + id + " status must be available to update"
                + " readonly flag, but current status is: error.");
        assertThat(api.volume(id).adminMetadata()).containsEntry("readonly", "False");
    }

    @Test
    void resetStatusSetsWhatTheAdministratorSays() {
        String id = api.availableVolume("reset", 1);
        assertThat(api.volumeAction(id, "{\"os-reset_status\": {\"status\": \"ERROR\"}}").status()).isEqualTo(202);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.ERROR);
        assertThat(api.volumeAction(id, "{\"os-reset_status\": {\"status\": \"available\", \"attach_status\": \"detached\","
                + " \"migration_status\": \"none\"}}").status()).isEqualTo(202);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(api.volume(id).attachStatus()).isEqualTo(AttachStatus.DETACHED);
        assertThat(api.volumeAction(id, "{\"os-reset_status\": {\"status\": \"error_extending\"}}").status()).isEqualTo(202);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.ERROR_EXTENDING);

        TestApi.Reply deleting = api.volumeAction(id, "{\"os-reset_status\": {\"status\": \"deleting\"}}");
        assertThat(deleting.status()).isEqualTo(400);
        assertThat(deleting.faultMessage()).isEqualTo("Cannot reset-state to deleting");
        TestApi.Reply inUse = api.volumeAction(id, "{\"os-reset_status\": {\"status\": \"in-use\"}}");
        assertThat(inUse.status()).isEqualTo(400);
        assertThat(inUse.faultMessage()).contains("does not have any attachments");
        assertThat(api.volumeAction(id, "{\"os-reset_status\": {\"migration_status\": \"migrating\"}}").status()).isEqualTo(202);
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.ERROR_EXTENDING);
        assertThat(api.volume(id).migrationStatus()).isEqualTo("migrating");
        assertThat(api.volumeAction(id, "{\"os-reset_status\": {\"migration_status\": \"none\"}}").status()).isEqualTo(202);
        assertThat(api.volume(id).migrationStatus()).isNull();
        assertThat(api.volumeAction("6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1", "{\"os-reset_status\": {\"status\": \"error\"}}")
                .status()).isEqualTo(404);
    }

    @Test
    void forceDeleteDeletesFromAnyStatus() {
        String id = api.availableVolume("stuck", 1);
        api.volumes.resetStatus(id, VolumeStatus.EXTENDING, null);
        assertThat(api.delete(TestApi.p("/volumes/" + id)).status()).isEqualTo(400);
        assertThat(api.volumeAction(id, "{\"os-force_delete\": {}}").status()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> api.volumes.find(id).isEmpty());
        assertThat(api.volumeAction(id, "{\"os-force_delete\": {}}").status()).isEqualTo(404);
    }

    @Test
    void actionsNotServedYetAreNotImplemented() {
        String id = api.availableVolume("later", 1);
        assertThat(api.volumeAction(id, "{\"os-reimage\": {\"image_id\": \"i1\"}}").status()).isEqualTo(501);
    }
}
