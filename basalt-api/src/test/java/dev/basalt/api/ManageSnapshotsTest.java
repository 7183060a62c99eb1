package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.db.QuotaUsage;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.ManageableSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Managing existing snapshots ({@code /os-snapshot-manage}, 3.8 {@code /manageable_snapshots}) and
 * the snapshot {@code os-unmanage}: Cinder's rules, codes, messages and views.
 */
class ManageSnapshotsTest {
    private static final String ADMIN = TestApi.USER + ":" + TestApi.PROJECT + ":admin";
    private static final String MEMBER = "bob:" + TestApi.PROJECT;
    /** Cinder's v2 view of a snapshot, as the manage answers it. */
    private static final Set<String> MANAGED_FIELDS = Set.of("id", "created_at", "updated_at", "name", "description",
            "volume_id", "status", "size", "metadata");
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void release() {
        api.holdManages = false;
        api.manageableSnapshots.clear();
    }

    private static TestApi.Reply send(String token, String version, String method, String path, String body) {
        TestApi.Call call = api.call(method, TestApi.p(path)).token(token).version(version);
        return (body == null ? call : call.body(body)).send();
    }

    private static TestApi.Reply admin(String version, String method, String path, String body) {
        return send(ADMIN, version, method, path, body);
    }

    private static TestApi.Reply manage(String version, String snapshot) {
        return admin(version, "POST", "/os-snapshot-manage", "{\"snapshot\": " + snapshot + "}");
    }

    private static void assertFault(TestApi.Reply reply, int status, String message) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.faultMessage()).isEqualTo(message);
    }

    private static ManageableSnapshots.Entry entry(String volumeId, String name, int size) {
        return new ManageableSnapshots.Entry("volume-" + volumeId + "." + name, size, true, null, null, null,
                "volume-" + volumeId);
    }

    @Test
    void managesASnapshotOfAVolumeThatCountsAgainstQuotaAndUnmanagesIt() {
        String volume = api.availableVolume("origin", 1);
        api.manageableSnapshots.add(entry(volume, "old", 2));
        api.holdManages = true;
        Map<String, QuotaUsage> before = api.quotas.usages(TestApi.PROJECT);

        TestApi.Reply r = manage("3.0", "{\"volume_id\": \"" + volume + "\", \"ref\": {\"source-name\": \"volume-"
                + volume + ".old\"}, \"name\": \"kept\", \"description\": \"adopted\", \"metadata\": {\"k\": \"v\"}}");

        assertThat(r.status()).as(r.text()).isEqualTo(202);
        JsonNode snapshot = r.json().get("snapshot");
        assertThat(TestApi.fieldNames(snapshot)).isEqualTo(MANAGED_FIELDS);
        assertThat(snapshot.get("status").asText()).isEqualTo("creating");
        assertThat(snapshot.get("size").asInt()).as("the volume's size until the storage is looked at").isEqualTo(1);
        assertThat(snapshot.get("name").asText()).isEqualTo("kept");
        assertThat(snapshot.get("volume_id").asText()).isEqualTo(volume);
        assertThat(snapshot.get("metadata").get("k").asText()).isEqualTo("v");
        String id = snapshot.get("id").asText();
        org.awaitility.Awaitility.await().until(() -> api.snapshotManages.stream().anyMatch(m ->
                m.snapshotId().equals(id) && ("volume-" + volume + ".old").equals(m.reference())
                        && m.gigabyteLimits().containsKey("gigabytes")));
        Map<String, QuotaUsage> reserved = api.quotas.usages(TestApi.PROJECT);
        assertThat(reserved.get("snapshots").reserved())
                .isEqualTo(before.getOrDefault("snapshots", QuotaUsage.NONE).reserved() + 1);
        assertThat(reserved.get("gigabytes").reserved())
                .isEqualTo(before.getOrDefault("gigabytes", QuotaUsage.NONE).reserved() + 1);

        api.holdManages = false;
        api.snapshotManages.stream().filter(m -> m.snapshotId().equals(id)).findFirst().ifPresent(m ->
                new dev.basalt.rpc.VolumeRpc(api.bus).manageExistingSnapshot(TestApi.BACKEND, m));
        api.awaitSnapshotStatus(id, SnapshotStatus.AVAILABLE);
        assertThat(api.snapshots.find(id).orElseThrow().volumeSize()).isEqualTo(2);
        Map<String, QuotaUsage> after = api.quotas.usages(TestApi.PROJECT);
        assertThat(after.get("gigabytes").inUse())
                .isEqualTo(before.getOrDefault("gigabytes", QuotaUsage.NONE).inUse() + 2);

        assertThat(send(MEMBER, "3.0", "POST", "/snapshots/" + id + "/action", "{\"os-unmanage\": null}").status())
                .as("administrators only").isEqualTo(403);
        api.holdManages = true;
        assertThat(admin("3.0", "POST", "/snapshots/" + id + "/action", "{\"os-unmanage\": null}").status())
                .isEqualTo(202);
        assertThat(api.snapshots.find(id).orElseThrow().status()).isEqualTo(SnapshotStatus.UNMANAGING);
        assertThat(admin("3.0", "POST", "/snapshots/" + id + "/action", "{\"os-unmanage\": null}").status())
                .as("already unmanaging").isEqualTo(400);
        api.holdManages = false;
        api.snapshotUnmanages.stream().filter(u -> u.snapshotId().equals(id)).findFirst().ifPresent(u ->
                new dev.basalt.rpc.VolumeRpc(api.bus).unmanageSnapshot(TestApi.BACKEND, u));
        org.awaitility.Awaitility.await().until(() -> api.snapshots.find(id).isEmpty());
        assertThat(api.quotas.usages(TestApi.PROJECT).get("gigabytes").inUse())
                .isEqualTo(before.getOrDefault("gigabytes", QuotaUsage.NONE).inUse());
        assertThat(api.snapshotDeletes).as("nothing deleted").noneMatch(d -> d.snapshotId().equals(id));
    }

    @Test
    void aManageTheServiceCannotDoEndsInErrorAndOverQuotaWritesNothing() {
        String volume = api.availableVolume("origin-bad", 1);
        TestApi.Reply r = admin("3.8", "POST", "/manageable_snapshots",
                "{\"snapshot\": {\"volume_id\": \"" + volume + "\", \"ref\": \"nothing\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        String id = r.json().get("snapshot").get("id").asText();
        api.awaitSnapshotStatus(id, SnapshotStatus.ERROR);

        String project = TestApi.newProject();
        String small = api.createVolumeIn(project, 1);
        api.awaitStatus(small, VolumeStatus.AVAILABLE);
        api.quotas.setProjectLimits(project, Map.of("snapshots", 0));
        TestApi.Reply over = api.call("POST", "/v3/" + project + "/os-snapshot-manage").token("admin:" + project
                + ":admin").body("{\"snapshot\": {\"volume_id\": \"" + small + "\", \"ref\": \"x\"}}").send();
        assertThat(over.status()).as(over.text()).isEqualTo(413);
        assertThat(over.faultMessage()).isEqualTo("SnapshotLimitExceeded: Maximum number of snapshots allowed (0) exceeded");
        assertThat(api.snapshots.forVolume(small)).as("no row written").isEmpty();
    }

    @Test
    void badManageRequestsAreRefusedWithCindersMessages() {
        String volume = api.availableVolume("origin-rules", 1);
        assertThat(manage("3.0", "{\"volume_id\": \"" + volume + "\"}").status()).as("no ref").isEqualTo(400);
        assertThat(manage("3.0", "{\"ref\": \"a\"}").status()).as("no volume").isEqualTo(400);
        assertThat(manage("3.0", "{\"volume_id\": \"nope\", \"ref\": \"a\"}").status()).isEqualTo(400);
        assertThat(manage("3.0", "{\"volume_id\": \"" + volume + "\", \"ref\": 5}").status()).isEqualTo(400);
        assertThat(manage("3.0", "{\"volume_id\": \"" + volume + "\", \"ref\": \"a\", \"size\": 1}").status())
                .isEqualTo(400);
        assertFault(manage("3.0", "{\"volume_id\": \"4b1c9a58-2b4e-4a8e-9d44-0d5c0a7c1f00\", \"ref\": \"a\"}"), 404,
                "Volume 4b1c9a58-2b4e-4a8e-9d44-0d5c0a7c1f00 could not be found.");
        assertThat(send(MEMBER, "3.0", "POST", "/os-snapshot-manage", "{\"snapshot\": {\"volume_id\": \"" + volume
                + "\", \"ref\": \"a\"}}").status()).as("administrators only").isEqualTo(403);
        assertFault(admin("3.7", "POST", "/manageable_snapshots", "{\"snapshot\": {\"volume_id\": \"" + volume
                + "\", \"ref\": \"a\"}}"), 400, "API version 3.7 is not supported on this method.");

        String broken = api.availableVolume("broken", 1);
        api.volumes.transition(broken, Set.of(VolumeStatus.AVAILABLE), VolumeStatus.ERROR);
        assertFault(manage("3.0", "{\"volume_id\": \"" + broken + "\", \"ref\": \"a\"}"), 400,
                "Invalid volume: The snapshot cannot be created when the volume is in error status.");
        String busy = api.availableVolume("busy", 1);
        api.volumes.transition(busy, Set.of(VolumeStatus.AVAILABLE), VolumeStatus.EXTENDING);
        assertFault(manage("3.0", "{\"volume_id\": \"" + busy + "\", \"ref\": \"a\"}"), 400,
                "Invalid volume: Volume " + busy + " status must be available, in-use, but current status is:"
                        + " extending.");
        api.services.setDisabled(TestApi.BACKEND, "cinder-volume", true, "maintenance");
        try {
            assertFault(manage("3.0", "{\"volume_id\": \"" + volume + "\", \"ref\": \"a\"}"), 400,
                    "Service is unavailable at this time.");
        } finally {
            api.services.setDisabled(TestApi.BACKEND, "cinder-volume", false, null);
        }
        assertThat(api.snapshots.forVolume(volume)).as("nothing written").isEmpty();
    }

    @Test
    void listsWhatCouldBeManagedSortedAndPagedAsCinder() {
        String v = "0d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5";
        api.manageableSnapshots.addAll(List.of(entry(v, "a", 3), entry(v, "b", 1),
                new ManageableSnapshots.Entry("snapshot-9f", 2, false, "already managed", "9f", null, "volume-" + v)));
        JsonNode detail = admin("3.8", "GET", "/manageable_snapshots/detail?host=test@file", null).json();
        List<String> references = new ArrayList<>();
        detail.get("manageable-snapshots").forEach(e -> references.add(e.get("reference").get("source-name").asText()));
        assertThat(references).as("reference, descending").containsExactly("volume-" + v + ".b", "volume-" + v + ".a",
                "snapshot-9f");
        JsonNode managed = detail.get("manageable-snapshots").get(2);
        assertThat(TestApi.fieldNames(managed)).isEqualTo(Set.of("reference", "size", "safe_to_manage",
                "reason_not_safe", "extra_info", "cinder_id", "source_reference"));
        assertThat(managed.get("cinder_id").asText()).isEqualTo("9f");
        assertThat(managed.get("reason_not_safe").asText()).isEqualTo("already managed");
        assertThat(managed.get("extra_info").isNull()).isTrue();
        assertThat(managed.get("source_reference").get("source-name").asText()).isEqualTo("volume-" + v);

        JsonNode summary = admin("3.0", "GET", "/os-snapshot-manage?host=test@file&sort=size:asc&limit=2", null)
                .json().get("manageable-snapshots");
        assertThat(summary).hasSize(2);
        assertThat(TestApi.fieldNames(summary.get(0))).isEqualTo(Set.of("reference", "size", "safe_to_manage",
                "source_reference"));
        assertThat(summary.get(0).get("size").asInt()).isEqualTo(1);
        JsonNode next = admin("3.8", "GET", "/manageable_snapshots?host=test@file&sort=size:asc&marker="
                + "%7B%22source-name%22%3A%20%22snapshot-9f%22%7D", null).json().get("manageable-snapshots");
        assertThat(next).singleElement().satisfies(e -> assertThat(e.get("size").asInt()).isEqualTo(3));
        assertThat(admin("3.0", "GET", "/os-snapshot-manage/detail?host=test@file&offset=2", null).json()
                .get("manageable-snapshots")).hasSize(1);

        assertFault(admin("3.8", "GET", "/manageable_snapshots?host=test@file&sort=name", null), 400,
                "Invalid sort keys passed: name");
        assertFault(admin("3.8", "GET", "/manageable_snapshots", null), 400,
                "Invalid input received: Host field is missing.");
        assertFault(admin("3.8", "GET", "/manageable_snapshots?host=nowhere@file", null), 400,
                "Host 'nowhere@file' not found");
        assertThat(admin("3.7", "GET", "/manageable_snapshots?host=test@file", null).status()).isEqualTo(400);
        assertThat(send(MEMBER, "3.8", "GET", "/manageable_snapshots?host=test@file", null).status()).isEqualTo(403);
    }

    @Test
    void unmanageFollowsTheRulesOfADelete() {
        String volume = api.availableVolume("unmanaged-origin", 1);
        String creating = api.creatingSnapshot(volume, "creating");
        assertFault(admin("3.0", "POST", "/snapshots/" + creating + "/action", "{\"os-unmanage\": null}"), 400,
                "Invalid snapshot: Snapshot status must be available or error and must not be part of a group.");
        assertThat(admin("3.0", "POST", "/snapshots/4b1c9a58-2b4e-4a8e-9d44-0d5c0a7c1f00/action",
                "{\"os-unmanage\": null}").status()).isEqualTo(404);
    }
}
