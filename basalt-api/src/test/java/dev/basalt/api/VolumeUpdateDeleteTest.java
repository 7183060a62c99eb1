package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.model.VolumeStatus;
import java.time.Duration;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VolumeUpdateDeleteTest {
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void updatesNameDescriptionAndReplacesMetadata() {
        String id = api.createVolume("{\"volume\": {\"size\": 1, \"name\": \"a\", \"metadata\": {\"old\": \"1\"}}}");
        TestApi.Reply r = api.put(TestApi.p("/volumes/" + id),
                "{\"volume\": {\"name\": \" b \", \"description\": \"desc\", \"metadata\": {\"new\": \"2\"}}}");
        assertThat(r.status()).isEqualTo(200);
        JsonNode v = r.json().get("volume");
        assertThat(v.get("name").asText()).isEqualTo("b");
        assertThat(v.get("description").asText()).isEqualTo("desc");
        assertThat(TestApi.fieldNames(v.get("metadata"))).containsExactly("new");
        assertThat(v.get("updated_at").isNull()).isFalse();
        TestApi.Reply legacy = api.put(TestApi.p("/volumes/" + id), "{\"volume\": {\"display_name\": \"c\"}}");
        assertThat(legacy.json().get("volume").get("name").asText()).isEqualTo("c");
    }

    @Test
    void emptyUpdateIsRefusedFrom353() {
        String id = api.createVolume("u353", 1);
        assertThat(api.put(TestApi.p("/volumes/" + id), "{\"volume\": {}}", "3.52").status()).isEqualTo(200);
        TestApi.Reply strict = api.put(TestApi.p("/volumes/" + id), "{\"volume\": {}}", "3.53");
        assertThat(strict.status()).isEqualTo(400);
        assertThat(strict.faultMessage()).contains("volume");
        TestApi.Reply unknown = api.put(TestApi.p("/volumes/" + id), "{\"volume\": {\"size\": 5}}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.faultMessage()).contains("size");
        assertThat(api.put(TestApi.p("/volumes/nope"), "{\"volume\": {\"name\": \"x\"}}").status()).isEqualTo(404);
    }

    @Test
    void deletingAnUnplacedVolumeRemovesItAtOnce() {
        api.holdScheduling = true;
        try {
            String id = api.createVolume("unplaced", 1);
            TestApi.Reply r = api.delete(TestApi.p("/volumes/" + id));
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.text()).isEmpty();
            assertThat(api.volumes.find(id)).isEmpty();
            TestApi.Reply again = api.delete(TestApi.p("/volumes/" + id));
            assertThat(again.status()).isEqualTo(404);
            assertThat(again.faultMessage()).isEqualTo("Volume " + id + " could not be found.");
        } finally {
            api.holdScheduling = false;
        }
    }

    @Test
    void deletingAPlacedVolumeAsksItsVolumeService() {
        String id = api.createVolume("placed", 1);
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        api.holdDeletes = true;
        try {
            TestApi.Reply r = api.delete(TestApi.p("/volumes/" + id));
            assertThat(r.status()).isEqualTo(202);
            assertThat(api.volumes.find(id).orElseThrow().status()).isEqualTo(VolumeStatus.DELETING);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> api.deletes.stream()
                    .anyMatch(d -> d.volumeId().equals(id)));
            TestApi.Reply twice = api.delete(TestApi.p("/volumes/" + id));
            assertThat(twice.status()).isEqualTo(400);
            assertThat(twice.faultMessage()).contains("status must be available or error");
            assertThat(api.get(TestApi.p("/volumes/" + id)).json().get("volume").get("status").asText())
                    .isEqualTo("deleting");
        } finally {
            api.holdDeletes = false;
        }
    }

    @Test
    void deleteCompletesThroughTheVolumeService() {
        String id = api.createVolume("gone", 1);
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        assertThat(api.delete(TestApi.p("/volumes/" + id)).status()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> api.volumes.find(id).isEmpty());
        assertThat(api.delete(TestApi.p("/volumes/" + id)).status()).isEqualTo(404);
    }

    @Test
    void volumesInTransitionalStatusesCannotBeDeletedWithoutForce() {
        String id = api.createVolume("busy", 1);
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        api.volumes.transition(id, Set.of(VolumeStatus.AVAILABLE), VolumeStatus.EXTENDING);
        assertThat(api.delete(TestApi.p("/volumes/" + id)).status()).isEqualTo(400);
        assertThat(api.delete(TestApi.p("/volumes/" + id + "?force=true"), "3.22").status()).isEqualTo(400);
        api.holdDeletes = true;
        try {
            assertThat(api.delete(TestApi.p("/volumes/" + id + "?force=true"), "3.23").status()).isEqualTo(202);
            assertThat(api.volumes.find(id).orElseThrow().status()).isEqualTo(VolumeStatus.DELETING);
        } finally {
            api.holdDeletes = false;
        }
        assertThat(api.delete(TestApi.p("/volumes/" + id + "?force=perhaps"), "3.23").status()).isEqualTo(400);
    }

    @Test
    void erroredVolumesCanBeDeleted() {
        String id = api.createVolume("broken", 1);
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        api.volumes.markError(id, Set.of(VolumeStatus.AVAILABLE), "disk on fire");
        assertThat(api.delete(TestApi.p("/volumes/" + id)).status()).isEqualTo(202);
    }

    @Test
    void unknownIdsAreNotFound() {
        for (String path : new String[] {"/volumes/nope", "/volumes/6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1"}) {
            TestApi.Reply r = api.get(TestApi.p(path));
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.faultName()).isEqualTo("itemNotFound");
            assertThat(r.faultMessage()).contains("could not be found");
            assertThat(api.delete(TestApi.p(path)).status()).isEqualTo(404);
        }
    }

    @Test
    void volumeActionsNotServedYetAre501() {
        String id = api.createVolume("acts", 1);
        TestApi.Reply reimage = api.post(TestApi.p("/volumes/" + id + "/action"), "{\"os-reimage\": {\"image_id\": \"i1\"}}");
        assertThat(reimage.status()).isEqualTo(501);
        assertThat(reimage.faultName()).isEqualTo("notImplemented");
        assertThat(reimage.faultMessage()).contains("os-reimage");
        assertThat(api.post(TestApi.p("/volumes/" + id + "/action"), "{\"os-fly\": {}}").status()).isEqualTo(400);
        assertThat(api.post(TestApi.p("/volumes/nope/action"), "{\"os-retype\": {}}").status()).isEqualTo(404);
    }
}
