package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.model.SnapshotStatus;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /snapshots/{id}/metadata} and {@code /snapshots/{id}/action}. */
class SnapshotActionsAndMetadataTest {
    static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.withoutQuotas();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static String snapshot(String name) {
        return api.availableSnapshot(api.availableVolume("vol-" + name, 1), name);
    }

    private static TestApi.Reply act(String snapshot, String body) {
        return api.post(TestApi.p("/snapshots/" + snapshot + "/action"), body);
    }

    private static SnapshotStatus status(String id) {
        return api.snapshots.find(id).orElseThrow().status();
    }

    @Test
    void metadataListMergeReplaceShowSetAndDelete() {
        String id = snapshot("meta");
        String base = TestApi.p("/snapshots/" + id + "/metadata");
        assertThat(api.get(base).json().get("metadata").size()).isZero();
        TestApi.Reply merged = api.post(base, "{\"metadata\": {\"key\": \"v3\", \"other\": \"x\"}}");
        assertThat(merged.status()).isEqualTo(200);
        assertThat(merged.json().get("metadata").get("key").asText()).isEqualTo("v3");
        TestApi.Reply replaced = api.put(base, "{\"metadata\": {\"only\": \"1\"}}");
        assertThat(TestApi.fieldNames(replaced.json().get("metadata"))).containsExactly("only");
        TestApi.Reply set = api.put(base + "/key", "{\"meta\": {\"key\": \"new_value\"}}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("meta").get("key").asText()).isEqualTo("new_value");
        assertThat(api.get(base + "/key").json().get("meta").get("key").asText()).isEqualTo("new_value");
        assertThat(api.get(TestApi.p("/snapshots/" + id)).json().get("snapshot").get("metadata").size()).isEqualTo(2);
        assertThat(api.delete(base + "/key").status()).isEqualTo(200);
        TestApi.Reply gone = api.get(base + "/key");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.faultMessage()).isEqualTo("Snapshot " + id + " has no metadata with key key.");
        assertThat(api.delete(base + "/key").status()).isEqualTo(404);

        TestApi.Reply mismatch = api.put(base + "/a", "{\"meta\": {\"b\": \"1\"}}");
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.faultMessage()).isEqualTo("Request body and URI mismatch");
        assertThat(api.put(base + "/a", "{\"meta\": {\"a\": \"1\", \"b\": \"2\"}}").status()).isEqualTo(400);
        assertThat(api.post(base, "{\"metadata\": {\"with/slash\": \"1\"}}").status()).isEqualTo(400);
        assertThat(api.post(base, "{\"metadata\": {\"k\": 1}}").status()).isEqualTo(400);
        assertThat(api.post(base, "{\"meta\": {}}").status()).isEqualTo(400);
        assertThat(TestApi.fieldNames(api.get(base).json().get("metadata"))).containsExactly("only");
        assertThat(api.get(TestApi.p("/snapshots/6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1/metadata")).status())
                .isEqualTo(404);
    }

    @Test
    void resetStatusSetsAnyKnownStatus() {
        String id = snapshot("reset");
        assertThat(act(id, "{\"os-reset_status\": {\"status\": \"error\"}}").status()).isEqualTo(202);
        assertThat(status(id)).isEqualTo(SnapshotStatus.ERROR);
        assertThat(act(id, "{\"os-reset_status\": {\"status\": \"AVAILABLE\"}}").status()).isEqualTo(202);
        assertThat(status(id)).isEqualTo(SnapshotStatus.AVAILABLE);
        TestApi.Reply bad = act(id, "{\"os-reset_status\": {\"status\": \"frozen\"}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.faultMessage()).contains("frozen").contains("valid statuses are");
        assertThat(act(id, "{\"os-reset_status\": {}}").status()).isEqualTo(400);
        assertThat(status(id)).isEqualTo(SnapshotStatus.AVAILABLE);
        assertThat(act("6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1", "{\"os-reset_status\": {\"status\": \"error\"}}")
                .status()).isEqualTo(404);
    }

    @Test
    void forceDeleteDeletesFromAnyStatus() {
        String volume = api.availableVolume("force", 1);
        String creating = api.creatingSnapshot(volume, "stuck");
        assertThat(api.delete(TestApi.p("/snapshots/" + creating)).status()).isEqualTo(400);
        assertThat(act(creating, "{\"os-force_delete\": {}}").status()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> api.snapshots.find(creating).isEmpty());
        assertThat(act(creating, "{\"os-force_delete\": {}}").status()).isEqualTo(404);
    }

    @Test
    void updateSnapshotStatusFollowsCindersTransitions() {
        String volume = api.availableVolume("upd-status", 1);
        String id = api.creatingSnapshot(volume, "progress");
        assertThat(act(id, "{\"os-update_snapshot_status\": {\"status\": \"creating\", \"progress\": \"50%\"}}")
                .status()).isEqualTo(202);
        JsonNode shown = api.get(TestApi.p("/snapshots/" + id)).json().get("snapshot");
        assertThat(shown.get("os-extended-snapshot-attributes:progress").asText()).isEqualTo("50%");
        TestApi.Reply badProgress = act(id, "{\"os-update_snapshot_status\": {\"status\": \"creating\","
                + " \"progress\": \"150%\"}}");
        assertThat(badProgress.status()).isEqualTo(400);
        assertThat(badProgress.faultMessage()).contains("progress");
        TestApi.Reply wrong = act(id, "{\"os-update_snapshot_status\": {\"status\": \"error_deleting\"}}");
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.faultMessage()).isEqualTo("Provided snapshot status error_deleting not allowed for snapshot"
                + " with status creating.");
        assertThat(act(id, "{\"os-update_snapshot_status\": {\"status\": \"available\"}}").status()).isEqualTo(202);
        assertThat(status(id)).isEqualTo(SnapshotStatus.AVAILABLE);
        TestApi.Reply fromAvailable = act(id, "{\"os-update_snapshot_status\": {\"status\": \"error\"}}");
        assertThat(fromAvailable.status()).isEqualTo(400);
        assertThat(fromAvailable.faultMessage()).isEqualTo("Snapshot status available not allowed for"
                + " update_snapshot_status");
    }

    @Test
    void unknownActions() {
        String id = snapshot("acts");
        assertThat(act(id, "{\"os-fly\": {}}").status()).isEqualTo(400);
        assertThat(act(id, "{}").status()).isEqualTo(400);
    }
}
