package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.db.QuotaUsage;
import dev.basalt.model.VolumeStatus;
import dev.basalt.rpc.ManageableVolumes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Managing existing storage ({@code /os-volume-manage}, 3.8 {@code /manageable_volumes}) and
 * {@code os-unmanage}: Cinder's rules, codes, messages and views.
 */
class ManageVolumesTest {
    private static final String ADMIN = TestApi.USER + ":" + TestApi.PROJECT + ":admin";
    private static final String MEMBER = "bob:" + TestApi.PROJECT;
    /** Cinder's v2 detail of a volume, as the manage answer shows it to an administrator. */
    private static final Set<String> MANAGED_FIELDS = Set.of("id", "status", "size", "availability_zone",
            "created_at", "updated_at", "name", "description", "volume_type", "snapshot_id", "source_volid",
            "metadata", "links", "user_id", "bootable", "encrypted", "replication_status", "consistencygroup_id",
            "multiattach", "attachments", "migration_status");
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @BeforeEach
    void storage() {
        api.manageable.clear();
        api.manageable.addAll(List.of(new ManageableVolumes.Entry("legacy.img", 3, true, null, null, null),
                new ManageableVolumes.Entry("big.img", 40, true, null, null, null),
                new ManageableVolumes.Entry("volume-0d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5", 1, false, "already managed",
                        "0d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5", null)));
    }

    @AfterEach
    void release() {
        api.holdManages = false;
    }

    private static TestApi.Reply send(String token, String version, String method, String path, String body) {
        TestApi.Call call = api.call(method, TestApi.p(path)).token(token).version(version);
        return (body == null ? call : call.body(body)).send();
    }

    private static TestApi.Reply admin(String version, String method, String path, String body) {
        return send(ADMIN, version, method, path, body);
    }

    private static TestApi.Reply manage(String version, String volume) {
        return admin(version, "POST", "/os-volume-manage", "{\"volume\": " + volume + "}");
    }

    private static void assertFault(TestApi.Reply reply, int status, String message) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.faultMessage()).isEqualTo(message);
    }

    @Test
    void managesStorageAsAVolumeThatCountsAgainstQuota() {
        api.holdManages = true;
        Map<String, QuotaUsage> before = api.quotas.usages(TestApi.PROJECT);

        TestApi.Reply r = manage("3.0", "{\"host\": \"test@file\", \"ref\": {\"source-name\": \"legacy.img\"},"
                + " \"name\": \" old \", \"description\": \"adopted\", \"metadata\": {\"k\": \"v\"}, \"bootable\": \"yes\"}");

        assertThat(r.status()).as(r.text()).isEqualTo(202);
        JsonNode volume = r.json().get("volume");
        assertThat(TestApi.fieldNames(volume)).isEqualTo(MANAGED_FIELDS);
        assertThat(volume.get("status").asText()).as("managing shows as creating").isEqualTo("creating");
        assertThat(volume.get("name").asText()).isEqualTo("old");
        assertThat(volume.get("bootable").asText()).isEqualTo("true");
        assertThat(volume.get("availability_zone").asText()).as("the service's zone").isEqualTo("nova");
        assertThat(volume.get("metadata").get("k").asText()).isEqualTo("v");
        String id = volume.get("id").asText();
        assertThat(api.volume(id).status()).isEqualTo(VolumeStatus.MANAGING);
        assertThat(api.volume(id).host()).isEqualTo("test@file");
        org.awaitility.Awaitility.await().until(() -> api.manages.stream().anyMatch(m -> m.volumeId().equals(id)
                && "legacy.img".equals(m.reference()) && m.gigabyteLimits().containsKey("per_volume_gigabytes")));
        assertThat(api.quotas.usages(TestApi.PROJECT).get("volumes").reserved())
                .isEqualTo(before.getOrDefault("volumes", QuotaUsage.NONE).reserved() + 1);

        api.holdManages = false;
        api.manages.stream().filter(m -> m.volumeId().equals(id)).findFirst().ifPresent(m ->
                new dev.basalt.rpc.VolumeRpc(api.bus).manageExisting(TestApi.BACKEND, m));
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        assertThat(api.volume(id).size()).isEqualTo(3);
        assertThat(api.volume(id).host()).isEqualTo("test@file#pool");
        Map<String, QuotaUsage> after = api.quotas.usages(TestApi.PROJECT);
        assertThat(after.get("gigabytes").inUse())
                .isEqualTo(before.getOrDefault("gigabytes", QuotaUsage.NONE).inUse() + 3);
        assertThat(after.get("volumes").inUse()).isEqualTo(before.getOrDefault("volumes", QuotaUsage.NONE).inUse() + 1);

        TestApi.Reply unmanage = admin("3.0", "POST", "/volumes/" + id + "/action", "{\"os-unmanage\": null}");
        assertThat(unmanage.status()).as(unmanage.text()).isEqualTo(202);
        org.awaitility.Awaitility.await().until(() -> api.volumes.find(id).isEmpty());
        assertThat(api.unmanages).anyMatch(u -> u.volumeId().equals(id));
        assertThat(api.quotas.usages(TestApi.PROJECT).get("gigabytes").inUse())
                .isEqualTo(before.getOrDefault("gigabytes", QuotaUsage.NONE).inUse());
    }

    @Test
    void aManageTheServiceCannotDoEndsInErrorAndOverQuotaToo() {
        TestApi.Reply r = admin("3.8", "POST", "/manageable_volumes",
                "{\"volume\": {\"host\": \"test@file#pool\", \"ref\": \"nothing.img\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        String id = r.json().get("volume").get("id").asText();
        api.awaitStatus(id, VolumeStatus.ERROR_MANAGING);
        assertThat(admin("3.8", "GET", "/volumes/" + id, null).json().get("volume").get("status").asText())
                .isEqualTo("error");
        TestApi.Reply deleted = admin("3.8", "DELETE", "/volumes/" + id, null);
        assertThat(deleted.status()).as("an error_managing volume is deleted").isEqualTo(202);

        String project = TestApi.newProject();
        api.quotas.setProjectLimits(project, Map.of("gigabytes", 10));
        TestApi.Reply big = api.call("POST", "/v3/" + project + "/os-volume-manage").token("a:" + project + ":admin")
                .body("{\"volume\": {\"host\": \"test@file\", \"ref\": {\"source-name\": \"big.img\"}}}").send();
        assertThat(big.status()).as(big.text()).isEqualTo(202);
        String bigId = big.json().get("volume").get("id").asText();
        api.awaitStatus(bigId, VolumeStatus.ERROR_MANAGING);
        assertThat(api.quotas.usages(project).getOrDefault("gigabytes", QuotaUsage.NONE).consumed()).isZero();
        assertThat(api.quotas.usages(project).get("volumes").consumed()).as("a failed manage gives its volume back")
                .isZero();

        api.quotas.setProjectLimits(project, Map.of("volumes", 0));
        TestApi.Reply over = api.call("POST", "/v3/" + project + "/os-volume-manage").token("a:" + project + ":admin")
                .body("{\"volume\": {\"host\": \"test@file\", \"ref\": {\"source-name\": \"legacy.img\"}}}").send();
        assertThat(over.status()).as(over.text()).isEqualTo(413);
        assertThat(over.faultMessage()).contains("Maximum number of volumes allowed (0) exceeded for quota 'volumes'");
        assertThat(api.volumes.summary(project).count()).as("no row written").isEqualTo(1);
    }

    @Test
    void badManageRequestsAreRefusedWithCindersMessages() {
        assertThat(manage("3.0", "{\"host\": \"test@file\"}").status()).as("no ref").isEqualTo(400);
        assertThat(manage("3.0", "{\"host\": \"test@file\", \"ref\": 5}").status()).isEqualTo(400);
        assertThat(manage("3.0", "{\"host\": \"test@file\", \"ref\": \"a\", \"size\": 1}").status()).isEqualTo(400);
        assertThat(manage("3.0", "{\"host\": \"test@file\", \"ref\": \"a\", \"cluster\": \"c\"}").status())
                .as("cluster before 3.16").isEqualTo(400);
        assertFault(manage("3.0", "{\"ref\": \"a\"}"), 400, "Invalid input received: Host field is missing.");
        assertFault(manage("3.16", "{\"host\": \"test@file\", \"cluster\": \"c\", \"ref\": \"a\"}"), 400,
                "Invalid input received: One and only one of cluster and host must be set.");
        assertFault(manage("3.16", "{\"cluster\": \"c\", \"ref\": \"a\"}"), 400, "Cluster 'c' not found");
        assertFault(manage("3.0", "{\"host\": \"elsewhere@file\", \"ref\": \"a\"}"), 400,
                "Host 'elsewhere@file' not found");
        assertFault(manage("3.0", "{\"host\": \"test@file\", \"ref\": \"a\", \"volume_type\": \"nope\"}"), 400,
                "Invalid volume type: Cannot find requested 'nope' volume type");
        assertThat(manage("3.0", "{\"host\": \"test@file\", \"ref\": \"a\", \"bootable\": \"maybe\"}").status())
                .isEqualTo(400);
        String existing = api.availableVolume("existing", 1);
        assertFault(manage("3.0", "{\"host\": \"test@file\", \"ref\": {\"source-name\": \"volume-" + existing
                + "\"}}"), 400, "Invalid volume: Unable to manage existing volume. The volume is already managed");
        assertFault(admin("3.7", "POST", "/manageable_volumes", "{\"volume\": {\"host\": \"test@file\","
                + " \"ref\": \"a\"}}"), 400, "API version 3.7 is not supported on this method.");
        assertThat(send(MEMBER, "3.8", "POST", "/manageable_volumes", "{\"volume\": {\"host\": \"test@file\","
                + " \"ref\": \"a\"}}").status()).as("administrators only").isEqualTo(403);
        api.services.setDisabled(TestApi.BACKEND, "cinder-volume", true, "maintenance");
        try {
            assertFault(manage("3.0", "{\"host\": \"test@file\", \"ref\": \"a\"}"), 400,
                    "Service is unavailable at this time.");
        } finally {
            api.services.setDisabled(TestApi.BACKEND, "cinder-volume", false, null);
        }
        assertThat(api.manages).noneMatch(m -> "a".equals(m.reference()));
    }

    @Test
    void listsWhatCouldBeManagedSortedAndPagedAsCinder() {
        JsonNode detail = admin("3.8", "GET", "/manageable_volumes/detail?host=test@file", null).json();
        List<JsonNode> entries = new ArrayList<>();
        detail.get("manageable-volumes").forEach(entries::add);
        assertThat(entries).extracting(e -> e.get("reference").get("source-name").asText())
                .as("by reference, descending").containsExactly("volume-0d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5",
                        "legacy.img", "big.img");
        assertThat(TestApi.fieldNames(entries.get(0))).containsExactlyInAnyOrder("reference", "size", "safe_to_manage",
                "reason_not_safe", "cinder_id", "extra_info");
        assertThat(entries.get(0).get("safe_to_manage").asBoolean()).isFalse();
        assertThat(entries.get(0).get("reason_not_safe").asText()).isEqualTo("already managed");
        assertThat(entries.get(0).get("cinder_id").asText()).isEqualTo("0d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5");
        assertThat(entries.get(1).get("reason_not_safe").isNull()).isTrue();

        JsonNode summary = admin("3.0", "GET", "/os-volume-manage?host=test@file&sort=size:asc&limit=2", null).json();
        assertThat(summary.get("manageable-volumes")).hasSize(2);
        assertThat(TestApi.fieldNames(summary.get("manageable-volumes").get(0)))
                .containsExactlyInAnyOrder("reference", "size", "safe_to_manage");
        assertThat(summary.get("manageable-volumes").get(1).get("size").asInt()).isEqualTo(3);
        JsonNode next = admin("3.8", "GET", "/manageable_volumes?host=test@file&sort=size:asc&marker="
                + "%7B%22source-name%22%3A%20%22legacy.img%22%7D", null).json();
        assertThat(next.get("manageable-volumes")).hasSize(1);
        assertThat(next.get("manageable-volumes").get(0).get("size").asInt()).isEqualTo(40);
        assertThat(admin("3.8", "GET", "/manageable_volumes?host=test@file&offset=2", null).json()
                .get("manageable-volumes")).hasSize(1);

        assertFault(admin("3.8", "GET", "/manageable_volumes?host=test@file&sort=name", null), 400,
                "Invalid sort keys passed: name");
        assertFault(admin("3.8", "GET", "/manageable_volumes?host=test@file&sort=size:up", null), 400,
                "Invalid sort dirs passed: up");
        assertFault(admin("3.8", "GET", "/manageable_volumes?host=test@file&marker=legacy", null), 400,
                "Invalid input received: marker legacy can not be analysed, please use json like format");
        assertFault(admin("3.8", "GET", "/manageable_volumes?host=test@file&marker=%7B%22source-name%22%3A%22x%22%7D",
                null), 400, "Invalid input received: marker not found: {\"source-name\":\"x\"}");
        assertFault(admin("3.8", "GET", "/manageable_volumes", null), 400,
                "Invalid input received: Host field is missing.");
        assertFault(admin("3.17", "GET", "/manageable_volumes?cluster=c", null), 400, "Cluster 'c' not found");
        assertFault(admin("3.17", "GET", "/manageable_volumes?cluster=c&host=test@file", null), 400,
                "Invalid input received: One and only one of cluster and host must be set.");
        assertFault(admin("3.8", "GET", "/manageable_volumes?host=nowhere@file", null), 400,
                "Host 'nowhere@file' not found");
        assertThat(admin("3.7", "GET", "/manageable_volumes?host=test@file", null).status()).isEqualTo(400);
        assertThat(send(MEMBER, "3.8", "GET", "/manageable_volumes?host=test@file", null).status()).isEqualTo(403);
    }

    @Test
    void unmanageFollowsTheRulesOfADelete() {
        String withSnapshot = api.availableVolume("snapped", 1);
        api.availableSnapshot(withSnapshot, "s");
        assertFault(admin("3.0", "POST", "/volumes/" + withSnapshot + "/action", "{\"os-unmanage\": {}}"), 400,
                "Invalid volume: Volume status must be available or error or error_restoring or error_extending or"
                        + " error_managing and must not be migrating, attached, belong to a group, have snapshots,"
                        + " awaiting a transfer, or be disassociated from snapshots after volume transfer.");
        String busy = api.availableVolume("busy", 1);
        api.volumes.transition(busy, Set.of(VolumeStatus.AVAILABLE), VolumeStatus.EXTENDING);
        assertThat(admin("3.0", "POST", "/volumes/" + busy + "/action", "{\"os-unmanage\": null}").status())
                .isEqualTo(400);
        String mine = api.availableVolume("mine", 1);
        assertThat(send(MEMBER, "3.0", "POST", "/volumes/" + mine + "/action", "{\"os-unmanage\": null}").status())
                .as("administrators only").isEqualTo(403);
        assertThat(admin("3.0", "POST", "/volumes/4b1c9a58-2b4e-4a8e-9d44-0d5c0a7c1f00/action",
                "{\"os-unmanage\": null}").status()).isEqualTo(404);

        api.holdManages = true;
        assertThat(admin("3.0", "POST", "/volumes/" + mine + "/action", "{\"os-unmanage\": null}").status())
                .isEqualTo(202);
        assertThat(api.volume(mine).status()).isEqualTo(VolumeStatus.UNMANAGING);
        assertThat(admin("3.0", "GET", "/volumes/" + mine, null).json().get("volume").get("status").asText())
                .isEqualTo("unmanaging");
        assertThat(admin("3.0", "POST", "/volumes/" + mine + "/action", "{\"os-unmanage\": null}").status())
                .as("already unmanaging").isEqualTo(400);
        assertThat(api.deletes).noneMatch(d -> d.volumeId().equals(mine));
    }
}
