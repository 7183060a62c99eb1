package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /snapshots}: create, show, list, update, delete, and their state rules. */
class SnapshotsTest {
    static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.withoutQuotas();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static String body(String volumeId, String extra) {
        return "{\"snapshot\": {\"volume_id\": \"" + volumeId + "\"" + (extra.isEmpty() ? "" : ", " + extra) + "}}";
    }

    private static long snapshotCount() {
        return api.snapshots.list(dev.basalt.db.SnapshotQuery.allOf(null)).items().size();
    }

    @Test
    void createsASnapshotOfAnAvailableVolumeAndItsVolumeServiceTakesIt() {
        String volume = api.availableVolume("src", 2);
        TestApi.Reply r = api.post(TestApi.p("/snapshots"), body(volume, "\"name\": \" snap-001 \", \"description\":"
                + " \"Daily backup\", \"metadata\": {\"key\": \"v3\"}"), "3.65");
        assertThat(r.status()).isEqualTo(202);
        JsonNode s = r.json().get("snapshot");
        assertThat(TestApi.fieldNames(s)).containsExactlyInAnyOrder("id", "created_at", "updated_at", "name",
                "description", "volume_id", "status", "size", "metadata", "group_snapshot_id", "user_id",
                "consumes_quota");
        assertThat(s.get("name").asText()).isEqualTo("snap-001");
        assertThat(s.get("description").asText()).isEqualTo("Daily backup");
        assertThat(s.get("volume_id").asText()).isEqualTo(volume);
        assertThat(s.get("status").asText()).isEqualTo("creating");
        assertThat(s.get("size").asInt()).isEqualTo(2);
        assertThat(s.get("metadata").get("key").asText()).isEqualTo("v3");
        assertThat(s.get("group_snapshot_id").isNull()).isTrue();
        assertThat(s.get("user_id").asText()).isEqualTo(TestApi.USER);
        assertThat(s.get("consumes_quota").asBoolean()).isTrue();
        assertThat(s.get("updated_at").isNull()).isTrue();
        String id = s.get("id").asText();
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> api.snapshotCreates.stream()
                .anyMatch(c -> c.snapshotId().equals(id)));
        api.awaitSnapshotStatus(id, SnapshotStatus.AVAILABLE);
        JsonNode shown = api.get(TestApi.p("/snapshots/" + id), "3.65").json().get("snapshot");
        assertThat(shown.get("status").asText()).isEqualTo("available");
        assertThat(shown.get("os-extended-snapshot-attributes:project_id").asText()).isEqualTo(TestApi.PROJECT);
        assertThat(shown.get("os-extended-snapshot-attributes:progress").asText()).isEqualTo("100%");
        assertThat(api.get(TestApi.p("/volumes/" + volume)).json().get("volume").get("status").asText())
                .as("the volume stays available while its snapshot is taken").isEqualTo("available");
    }

    @Test
    void theViewGrowsWithTheMicroversion() {
        String volume = api.availableVolume("views", 1);
        String id = api.availableSnapshot(volume, "v");
        assertThat(TestApi.fieldNames(api.get(TestApi.p("/snapshots/" + id)).json().get("snapshot")))
                .containsExactlyInAnyOrder("id", "created_at", "updated_at", "name", "description", "volume_id",
                        "status", "size", "metadata", "os-extended-snapshot-attributes:project_id",
                        "os-extended-snapshot-attributes:progress");
        assertThat(TestApi.fieldNames(api.get(TestApi.p("/snapshots/" + id), "3.14").json().get("snapshot")))
                .contains("group_snapshot_id").doesNotContain("user_id", "consumes_quota");
        assertThat(TestApi.fieldNames(api.get(TestApi.p("/snapshots/" + id), "3.41").json().get("snapshot")))
                .contains("group_snapshot_id", "user_id").doesNotContain("consumes_quota");
        assertThat(TestApi.fieldNames(api.get(TestApi.p("/snapshots/" + id), "3.70").json().get("snapshot")))
                .contains("group_snapshot_id", "user_id", "consumes_quota");
        JsonNode summary = api.get(TestApi.p("/snapshots"), "3.70").json().get("snapshots").get(0);
        assertThat(TestApi.fieldNames(summary)).containsExactlyInAnyOrder("id", "created_at", "updated_at", "name",
                "description", "volume_id", "status", "size", "metadata");
        JsonNode detail = api.get(TestApi.p("/snapshots/detail"), "3.70").json().get("snapshots").get(0);
        assertThat(TestApi.fieldNames(detail)).contains("user_id", "consumes_quota",
                "os-extended-snapshot-attributes:progress");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no snapshot key|{\"volume_id\": \"x\"}|400|snapshot",
        "no volume id|{\"snapshot\": {\"name\": \"a\"}}|400|volume_id",
        "volume id not a uuid|{\"snapshot\": {\"volume_id\": \"vol\"}}|400|volume_id",
        "unknown field|{\"snapshot\": {\"volume_id\": \"6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1\", \"size\": 1}}|400|size",
        "bad force|{\"snapshot\": {\"volume_id\": \"6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1\", \"force\": \"maybe\"}}|400|force",
        "bad metadata key|{\"snapshot\": {\"volume_id\": \"6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1\", \"metadata\": {\"a!\": \"b\"}}}|400|a!",
        "unknown volume|{\"snapshot\": {\"volume_id\": \"6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1\"}}|404|Volume 6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1 could not be found",
        "null volume|{\"snapshot\": {\"volume_id\": null}}|404|Volume None could not be found",
        "malformed|{\"snapshot\": |400|Malformed",
    })
    void refusesBadInputWithoutLeavingARow(String what, String body, int status, String mentioned) {
        long before = snapshotCount();
        TestApi.Reply r = api.post(TestApi.p("/snapshots"), body);
        assertThat(r.status()).as(what + ": " + r.text()).isEqualTo(status);
        assertThat(r.faultMessage()).as(what).contains(mentioned);
        assertThat(snapshotCount()).as(what + " left no row").isEqualTo(before);
    }

    @Test
    void refusesTooLongNamesAndUnprintableDescriptions() {
        String volume = api.availableVolume("names", 1);
        TestApi.Reply longName = api.post(TestApi.p("/snapshots"), body(volume, "\"name\": \"" + "n".repeat(256)
                + "\""));
        assertThat(longName.status()).isEqualTo(400);
        assertThat(longName.faultMessage()).contains("name");
        TestApi.Reply control = api.post(TestApi.p("/snapshots"), body(volume, "\"description\": \"a\\u0007b\""));
        assertThat(control.status()).isEqualTo(400);
        assertThat(control.faultMessage()).contains("description");
        assertThat(api.snapshots.forVolume(volume)).isEmpty();
    }

    @Test
    void aVolumeInErrorOrBusyOrUnplacedCannotBeSnapshotted() {
        String broken = api.availableVolume("broken", 1);
        api.volumes.resetStatus(broken, VolumeStatus.ERROR, null);
        TestApi.Reply error = api.post(TestApi.p("/snapshots"), body(broken, ""));
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.faultMessage()).isEqualTo("Invalid volume: The snapshot cannot be created when the volume"
                + " is in error status.");

        String extending = api.availableVolume("extending", 1);
        api.volumes.resetStatus(extending, VolumeStatus.EXTENDING, null);
        TestApi.Reply busy = api.post(TestApi.p("/snapshots"), body(extending, ""));
        assertThat(busy.status()).isEqualTo(400);
        assertThat(busy.faultMessage()).contains("status must be available, but current status is: extending");

        String maintenance = api.availableVolume("maint", 1);
        api.volumes.resetStatus(maintenance, VolumeStatus.MAINTENANCE, null);
        assertThat(api.post(TestApi.p("/snapshots"), body(maintenance, "")).faultMessage())
                .contains("maintenance mode");

        api.holdScheduling = true;
        try {
            String unplaced = api.createVolume("unplaced", 1);
            TestApi.Reply r = api.post(TestApi.p("/snapshots"), body(unplaced, ""));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.faultMessage()).contains("has not been scheduled to any host");
        } finally {
            api.holdScheduling = false;
        }
        assertThat(api.snapshots.forVolume(broken)).isEmpty();
        assertThat(api.snapshots.forVolume(extending)).isEmpty();
    }

    @Test
    void forceLetsAnInUseVolumeBeSnapshottedBefore366AndFalseIsRefusedFrom366() {
        String volume = api.availableVolume("inuse", 1);
        api.volumes.resetStatus(volume, VolumeStatus.IN_USE, null);
        TestApi.Reply plain = api.post(TestApi.p("/snapshots"), body(volume, ""), "3.65");
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.faultMessage()).contains("status must be available, but current status is: in-use");
        assertThat(api.post(TestApi.p("/snapshots"), body(volume, "\"force\": \"True\""), "3.65").status())
                .isEqualTo(202);
        assertThat(api.post(TestApi.p("/snapshots"), body(volume, ""), "3.66").status()).isEqualTo(202);
        assertThat(api.post(TestApi.p("/snapshots"), body(volume, "\"force\": true"), "3.66").status())
                .isEqualTo(202);
        TestApi.Reply forceFalse = api.post(TestApi.p("/snapshots"), body(volume, "\"force\": false"), "3.66");
        assertThat(forceFalse.status()).isEqualTo(400);
        assertThat(forceFalse.faultMessage()).contains("Since microversion 3.66 the 'force' flag is invalid");
        String available = api.availableVolume("avail", 1);
        assertThat(api.post(TestApi.p("/snapshots"), body(available, "\"force\": false"), "3.65").status())
                .isEqualTo(202);
        assertThat(api.snapshots.forVolume(volume)).hasSize(3);
    }

    @Test
    void updatesNameAndDescription() {
        String volume = api.availableVolume("upd", 1);
        String id = api.availableSnapshot(volume, "old");
        TestApi.Reply r = api.put(TestApi.p("/snapshots/" + id), "{\"snapshot\": {\"name\": \" new \","
                + " \"description\": \"d\"}}", "3.41");
        assertThat(r.status()).isEqualTo(200);
        JsonNode s = r.json().get("snapshot");
        assertThat(s.get("name").asText()).isEqualTo("new");
        assertThat(s.get("description").asText()).isEqualTo("d");
        assertThat(s.get("updated_at").isNull()).isFalse();
        assertThat(s.has("user_id")).isTrue();
        assertThat(s.has("os-extended-snapshot-attributes:progress")).isFalse();
        TestApi.Reply legacy = api.put(TestApi.p("/snapshots/" + id), "{\"snapshot\": {\"display_name\": \"n2\","
                + " \"display_description\": null}}");
        assertThat(legacy.json().get("snapshot").get("name").asText()).isEqualTo("n2");
        assertThat(legacy.json().get("snapshot").get("description").isNull()).isTrue();
        TestApi.Reply empty = api.put(TestApi.p("/snapshots/" + id), "{\"snapshot\": {}}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.faultMessage()).contains("snapshot");
        assertThat(api.put(TestApi.p("/snapshots/" + id), "{\"snapshot\": {\"size\": 3}}").status()).isEqualTo(400);
        assertThat(api.put(TestApi.p("/snapshots/6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1"),
                "{\"snapshot\": {\"name\": \"x\"}}").status()).isEqualTo(404);
    }

    @Test
    void deletesOnlyFromAvailableOrError() {
        String volume = api.availableVolume("del", 1);
        String id = api.availableSnapshot(volume, "gone");
        api.holdSnapshots = true;
        String creating;
        try {
            assertThat(api.delete(TestApi.p("/snapshots/" + id)).status()).isEqualTo(202);
            assertThat(api.snapshots.find(id).orElseThrow().status()).isEqualTo(SnapshotStatus.DELETING);
            TestApi.Reply twice = api.delete(TestApi.p("/snapshots/" + id));
            assertThat(twice.status()).isEqualTo(400);
            assertThat(twice.faultMessage()).isEqualTo("Invalid snapshot: Snapshot status must be available or error"
                    + " and must not be part of a group.");
            creating = api.createSnapshot(volume, "busy");
            TestApi.Reply busy = api.delete(TestApi.p("/snapshots/" + creating));
            assertThat(busy.status()).isEqualTo(400);
            assertThat(api.snapshots.find(creating).orElseThrow().status()).isEqualTo(SnapshotStatus.CREATING);
        } finally {
            api.holdSnapshots = false;
        }
        api.snapshots.markFailed(creating, Set.of(SnapshotStatus.CREATING), SnapshotStatus.ERROR, "broke");
        assertThat(api.delete(TestApi.p("/snapshots/" + creating)).status()).isEqualTo(202);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> api.snapshots.find(creating).isEmpty());
        TestApi.Reply unknown = api.delete(TestApi.p("/snapshots/6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.faultMessage()).isEqualTo("Snapshot 6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1 could not be"
                + " found.");
    }

    @Test
    void listsWithFiltersSortingPaginationAndCount() {
        String volume = api.availableVolume("listing", 1);
        String other = api.availableVolume("listing2", 1);
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            made.add(api.availableSnapshot(i < 5 ? volume : other, "page-" + i));
            api.clock.advance(Duration.ofSeconds(1));
        }
        api.post(TestApi.p("/snapshots/" + made.get(0) + "/metadata"), "{\"metadata\": {\"tier\": \"gold\"}}");

        JsonNode byVolume = api.get(TestApi.p("/snapshots?volume_id=" + volume + "&with_count=true"), "3.45").json();
        assertThat(byVolume.get("count").asInt()).isEqualTo(5);
        assertThat(byVolume.get("snapshots")).hasSize(5);
        JsonNode named = api.get(TestApi.p("/snapshots?name=page-3")).json().get("snapshots");
        assertThat(named).singleElement().satisfies(s -> assertThat(s.get("id").asText()).isEqualTo(made.get(3)));
        assertThat(api.get(TestApi.p("/snapshots?name~=page-&volume_id=" + other), "3.34").json()
                .get("snapshots")).hasSize(2);
        assertThat(api.get(TestApi.p("/snapshots?metadata=%7B'tier':'gold'%7D"), "3.22").json().get("snapshots"))
                .singleElement().satisfies(s -> assertThat(s.get("id").asText()).isEqualTo(made.get(0)));
        assertThat(api.get(TestApi.p("/snapshots?metadata=%7B'tier':'gold'%7D&volume_id=" + volume), "3.21").json()
                .get("snapshots")).as("the metadata filter is ignored before 3.22").hasSize(5);
        assertThat(api.get(TestApi.p("/snapshots?status=creating&volume_id=" + volume)).json().get("snapshots"))
                .isEmpty();
        assertThat(api.get(TestApi.p("/snapshots?colour=blue")).json().get("snapshots")).isEmpty();

        List<String> seen = new ArrayList<>();
        String url = TestApi.p("/snapshots/detail?volume_id=" + volume + "&limit=2&sort=name:asc");
        while (url != null) {
            JsonNode page = api.get(url, "3.30").json();
            page.get("snapshots").forEach(s -> seen.add(s.get("name").asText()));
            JsonNode links = page.get("snapshots_links");
            url = links == null ? null : links.get(0).get("href").asText().replaceFirst("^http://[^/]+", "");
        }
        assertThat(seen).containsExactly("page-0", "page-1", "page-2", "page-3", "page-4");
        JsonNode newest = api.get(TestApi.p("/snapshots?volume_id=" + volume + "&limit=1")).json();
        assertThat(newest.get("snapshots").get(0).get("id").asText()).isEqualTo(made.get(4));
        assertThat(newest.get("snapshots_links").get(0).get("href").asText()).contains("/snapshots?")
                .contains("marker=" + made.get(4));
        TestApi.Reply badMarker = api.get(TestApi.p("/snapshots?marker=6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1"));
        assertThat(badMarker.status()).as("Cinder looks the marker up as a snapshot").isEqualTo(404);
        assertThat(badMarker.faultMessage())
                .isEqualTo("Snapshot 6c1e2a37-0fd0-4f4c-8fe6-5ef1f3a4a0a1 could not be found.");
        assertThat(api.get(TestApi.p("/snapshots?sort=colour")).status()).isEqualTo(400);
        assertThat(api.get(TestApi.p("/snapshots?limit=x")).status()).isEqualTo(400);
    }
}
