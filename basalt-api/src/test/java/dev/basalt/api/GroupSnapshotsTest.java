package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.db.GroupTypeRepository;
import dev.basalt.model.PoolCapacity;
import dev.basalt.model.Snapshot;
import dev.basalt.model.SnapshotStatus;
import dev.basalt.model.Volume;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Group snapshots (3.14) and groups made from a source as Cinder serves them: the views field for
 * field per microversion and persona, one member snapshot per volume (the snapshot view's
 * {@code group_snapshot_id}), the lists' filters and pages (3.29), the quota of every member
 * counted together, a failing member failing the group snapshot, the delete rules (of the group
 * snapshot, of a member, of its volume and group), the administrator's reset (3.19), and
 * {@code create-from-src} from a group snapshot and from a group.
 */
class GroupSnapshotsTest {
    private static final String ADMIN = "alice:" + TestApi.PROJECT + ":admin";
    private static final String MEMBER = "bob:" + TestApi.PROJECT;
    private static final List<String> DETAIL = List.of("id", "group_id", "group_type_id", "status", "created_at",
            "name", "description");
    static TestApi api;
    static String groupTypeId;
    static VolumeType gold;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS,
                new QuotaSettings(-1, -1, -1, -1, -1, -1, -1, true));
        groupTypeId = new GroupTypeRepository(api.db).create("gt", null, true, Map.of()).id();
        gold = api.types.create("gold", null, true, Map.of());
        api.pools.add(new PoolCapacity(TestApi.BACKEND, "pool", "file", "nova", 100, 80, 0, 20.0, 0, true, false,
                Map.of(), Instant.now()));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @AfterEach
    void release() {
        api.holdSnapshots = false;
        api.failSnapshots = false;
        api.holdScheduling = false;
    }

    private static TestApi.Reply send(String token, String version, String method, String path, String body) {
        TestApi.Call call = api.call(method, TestApi.p(path)).token(token).version(version);
        return (body == null ? call : call.body(body)).send();
    }

    private static TestApi.Reply member(String version, String method, String path, String body) {
        return send(MEMBER, version, method, path, body);
    }

    private static String ok(TestApi.Reply r, int status, String field) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        return r.json().get(field).get("id").asText();
    }

    /** A group of type gt for gold volumes, with {@code volumes} available volumes of 1 GiB. */
    private static String group(int volumes) {
        String id = ok(member("3.13", "POST", "/groups", "{\"group\": {\"name\": \"g\", \"group_type\": \"gt\","
                + " \"volume_types\": [\"gold\"]}}"), 202, "group");
        for (int i = 0; i < volumes; i++) {
            String v = ok(member("3.13", "POST", "/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"gold\","
                    + " \"group_id\": \"" + id + "\"}}"), 202, "volume");
            api.awaitStatus(v, VolumeStatus.AVAILABLE);
        }
        return id;
    }

    private static TestApi.Reply snap(String groupId, String name) {
        return member("3.14", "POST", "/group_snapshots", "{\"group_snapshot\": {\"group_id\": \"" + groupId
                + "\", \"name\": \"" + name + "\", \"description\": \"d\"}}");
    }

    private static JsonNode show(String token, String version, String id) {
        TestApi.Reply r = send(token, version, "GET", "/group_snapshots/" + id, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("group_snapshot");
    }

    private static String status(String id) {
        return show(MEMBER, "3.14", id).get("status").asText();
    }

    /** Waits until the group snapshot (its volume service's work is asynchronous) is no longer creating. */
    private static String settled(String id) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> !status(id).equals("creating"));
        return status(id);
    }

    private static List<Volume> volumesOf(String groupId) {
        return new dev.basalt.db.GroupRepository(api.db).volumeIds(groupId).stream()
                .map(id -> api.volumes.find(id).orElseThrow()).toList();
    }

    private static List<Snapshot> members(String groupSnapshotId) {
        return api.snapshots.forGroupSnapshot(groupSnapshotId);
    }

    private static List<String> ids(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(field).asText()));
        return out;
    }

    @Test
    void theResourceExistsFrom314On() {
        TestApi.Reply old = member("3.13", "GET", "/group_snapshots", null);
        assertThat(old.status()).isEqualTo(404);
        assertThat(old.faultName()).isEqualTo("itemNotFound");
        assertThat(member("3.13", "POST", "/groups/action", "{\"create-from-src\": {\"source_group_id\": \""
                + dev.basalt.common.Ids.newId() + "\"}}").status()).isEqualTo(404);
        assertThat(member("3.14", "GET", "/group_snapshots/detail", null).status()).isEqualTo(200);
        assertThat(member("3.14", "GET", "/group_snapshots/" + dev.basalt.common.Ids.newId(), null).faultMessage())
                .startsWith("GroupSnapshot ").endsWith(" could not be found.");
    }

    @Test
    void aGroupSnapshotHasOneAvailableSnapshotPerVolumeShownAsCinderShowsThem() {
        String groupId = group(2);
        TestApi.Reply created = snap(groupId, "gs1");
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        JsonNode summary = created.json().get("group_snapshot");
        assertThat(TestApi.fieldNames(summary)).containsExactlyInAnyOrder("id", "name", "group_type_id");
        assertThat(summary.get("group_type_id").asText()).isEqualTo(groupTypeId);
        String id = summary.get("id").asText();

        assertThat(settled(id)).isEqualTo("available");
        JsonNode detail = show(MEMBER, "3.14", id);
        assertThat(TestApi.fieldNames(detail)).containsExactlyInAnyOrderElementsOf(DETAIL);
        assertThat(detail.get("group_id").asText()).isEqualTo(groupId);
        assertThat(detail.get("name").asText()).isEqualTo("gs1");
        assertThat(detail.get("description").asText()).isEqualTo("d");
        assertThat(TestApi.fieldNames(show(MEMBER, "3.58", id))).as("project_id is the administrators'")
                .containsExactlyInAnyOrderElementsOf(DETAIL);
        assertThat(show(ADMIN, "3.58", id).get("project_id").asText()).isEqualTo(TestApi.PROJECT);

        List<Snapshot> members = members(id);
        assertThat(members).hasSize(2).allMatch(s -> s.status() == SnapshotStatus.AVAILABLE)
                .allMatch(s -> "gs1".equals(s.name()) && s.volumeSize() == 1 && gold.id().equals(s.volumeTypeId()));
        assertThat(members.stream().map(Snapshot::volumeId).toList())
                .containsExactlyInAnyOrderElementsOf(volumesOf(groupId).stream().map(Volume::id).toList());
        assertThat(api.groupSnapshotCreates).anyMatch(m -> m.groupSnapshotId().equals(id));

        JsonNode snapshot = member("3.14", "GET", "/snapshots/" + members.get(0).id(), null).json().get("snapshot");
        assertThat(snapshot.get("group_snapshot_id").asText()).isEqualTo(id);
        assertThat(member("3.13", "GET", "/snapshots/" + members.get(0).id(), null).json().get("snapshot")
                .has("group_snapshot_id")).isFalse();
        JsonNode filtered = member("3.14", "GET", "/snapshots/detail?group_snapshot_id=" + id, null).json()
                .get("snapshots");
        assertThat(ids(filtered, "id")).containsExactlyInAnyOrderElementsOf(members.stream().map(Snapshot::id)
                .toList());
    }

    @Test
    void listsAreSummariesOrDetailsFilteredAndPagedFrom329() {
        String groupId = group(1);
        String a = ok(snap(groupId, "list-a"), 202, "group_snapshot");
        String b = ok(snap(groupId, "list-b"), 202, "group_snapshot");
        settled(a);
        settled(b);

        JsonNode plain = member("3.14", "GET", "/group_snapshots", null).json();
        assertThat(TestApi.fieldNames(plain)).containsExactly("group_snapshots");
        plain.get("group_snapshots").forEach(g -> assertThat(TestApi.fieldNames(g)).containsExactlyInAnyOrder("id",
                "name"));
        assertThat(ids(plain.get("group_snapshots"), "id")).contains(a, b);
        JsonNode detail = member("3.14", "GET", "/group_snapshots/detail", null).json().get("group_snapshots");
        detail.forEach(g -> assertThat(TestApi.fieldNames(g)).containsExactlyInAnyOrderElementsOf(DETAIL));

        assertThat(ids(member("3.29", "GET", "/group_snapshots/detail?name=list-a", null).json()
                .get("group_snapshots"), "id")).containsExactly(a);
        assertThat(ids(member("3.28", "GET", "/group_snapshots?name=list-a", null).json().get("group_snapshots"),
                "id")).as("no filters before 3.29").contains(a, b);
        assertThat(send(ADMIN, "3.30", "GET", "/group_snapshots?nosuchcolumn=1", null).json().get("group_snapshots"))
                .as("a filter on no column matches nothing").isEmpty();
        TestApi.Reply refused = member("3.31", "GET", "/group_snapshots?project_id=x", null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.faultMessage()).contains("project_id");

        JsonNode page = member("3.29", "GET", "/group_snapshots?group_id=" + groupId + "&sort=name:asc&limit=1",
                null).json();
        assertThat(ids(page.get("group_snapshots"), "id")).containsExactly(a);
        assertThat(page.get("group_snapshot_links").get(0).get("href").asText()).contains("marker=" + a);
        assertThat(ids(member("3.29", "GET", "/group_snapshots?group_id=" + groupId + "&sort=name:asc&marker=" + a,
                null).json().get("group_snapshots"), "id")).containsExactly(b);
    }

    @Test
    void everyMembersQuotaCountsTogetherAndAGroupSnapshotOverQuotaWritesNothing() {
        String project = TestApi.newProject();
        TestApi.Reply limit = send(ADMIN, "3.14", "PUT", "/os-quota-sets/" + project,
                "{\"quota_set\": {\"snapshots\": 1}}");
        assertThat(limit.status()).as(limit.text()).isEqualTo(200);
        String token = "u:" + project;
        String groupId = api.call("POST", "/v3/" + project + "/groups").token(token).version("3.13")
                .body("{\"group\": {\"group_type\": \"gt\", \"volume_types\": [\"gold\"]}}").send()
                .json().get("group").get("id").asText();
        for (int i = 0; i < 2; i++) {
            String v = api.call("POST", "/v3/" + project + "/volumes").token(token).version("3.13")
                    .body("{\"volume\": {\"size\": 1, \"volume_type\": \"gold\", \"group_id\": \"" + groupId + "\"}}")
                    .send().json().get("volume").get("id").asText();
            api.awaitStatus(v, VolumeStatus.AVAILABLE);
        }
        TestApi.Reply over = api.call("POST", "/v3/" + project + "/group_snapshots").token(token).version("3.14")
                .body("{\"group_snapshot\": {\"group_id\": \"" + groupId + "\"}}").send();
        assertThat(over.status()).as(over.text()).isEqualTo(413);
        assertThat(over.faultMessage()).contains("snapshots");
        assertThat(api.call("GET", "/v3/" + project + "/group_snapshots").token(token).version("3.14").send().json()
                .get("group_snapshots")).isEmpty();
        assertThat(api.call("GET", "/v3/" + project + "/snapshots").token(token).send().json().get("snapshots"))
                .isEmpty();
    }

    @Test
    void aMemberTheDriverFailsIsInErrorAndSoIsTheGroupSnapshot() {
        String groupId = group(2);
        api.failSnapshots = true;
        String id = ok(snap(groupId, "failing"), 202, "group_snapshot");
        assertThat(settled(id)).isEqualTo("error");
        assertThat(members(id)).hasSize(2).allMatch(s -> s.status() == SnapshotStatus.ERROR);
        api.failSnapshots = false;
        assertThat(member("3.14", "DELETE", "/group_snapshots/" + id, null).status()).as("error is deletable")
                .isEqualTo(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> member("3.14", "GET", "/group_snapshots/" + id, null).status() == 404);
    }

    @Test
    void aGroupSnapshotIsTakenOfPlacedVolumesThatAreAvailableOrInUse() {
        String groupId = group(1);
        String volumeId = volumesOf(groupId).get(0).id();
        api.volumes.resetStatus(volumeId, VolumeStatus.ERROR, dev.basalt.model.AttachStatus.DETACHED);
        TestApi.Reply refused = snap(groupId, "x");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.faultMessage()).isEqualTo("Invalid volume: The snapshot cannot be created when the"
                + " volume is in error status.");
        api.volumes.resetStatus(volumeId, VolumeStatus.AVAILABLE, dev.basalt.model.AttachStatus.DETACHED);
        assertThat(member("3.14", "POST", "/group_snapshots", "{\"group_snapshot\": {\"group_id\": \""
                + dev.basalt.common.Ids.newId() + "\"}}").status()).isEqualTo(404);
        assertThat(member("3.14", "POST", "/group_snapshots", "{\"group_snapshot\": {\"name\": \"x\"}}").status())
                .isEqualTo(400);
        String empty = ok(snap(group(0), "empty"), 202, "group_snapshot");
        assertThat(status(empty)).as("a group without volumes").isEqualTo("available");
        assertThat(member("3.14", "DELETE", "/group_snapshots/" + empty, null).status()).isEqualTo(202);
        assertThat(member("3.14", "GET", "/group_snapshots/" + empty, null).status()).isEqualTo(404);
    }

    @Test
    void membersGoWithTheirGroupSnapshotOnlyAndItsGroupStaysUntilItIsGone() {
        String groupId = group(1);
        String id = ok(snap(groupId, "keep"), 202, "group_snapshot");
        assertThat(settled(id)).isEqualTo("available");
        Snapshot m = members(id).get(0);

        TestApi.Reply memberDelete = member("3.14", "DELETE", "/snapshots/" + m.id(), null);
        assertThat(memberDelete.status()).isEqualTo(400);
        assertThat(memberDelete.faultMessage()).isEqualTo("Invalid snapshot: Snapshot status must be available or"
                + " error and must not be part of a group.");
        TestApi.Reply forced = send(ADMIN, "3.14", "POST", "/snapshots/" + m.id() + "/action",
                "{\"os-force_delete\": {}}");
        assertThat(forced.status()).isEqualTo(400);
        assertThat(forced.faultMessage()).isEqualTo("Invalid snapshot: Snapshot must not be part of a group.");

        TestApi.Reply groupDelete = member("3.14", "POST", "/groups/" + groupId + "/action",
                "{\"delete\": {\"delete-volumes\": true}}");
        assertThat(groupDelete.status()).isEqualTo(400);
        assertThat(groupDelete.faultMessage()).isEqualTo("Invalid Group: Group has existing snapshots.");

        TestApi.Reply removed = member("3.14", "PUT", "/groups/" + groupId, "{\"group\": {\"remove_volumes\": \""
                + m.volumeId() + "\"}}");
        assertThat(removed.status()).as(removed.text()).isEqualTo(202);
        TestApi.Reply cascade = member("3.14", "DELETE", "/volumes/" + m.volumeId() + "?cascade=true", null);
        assertThat(cascade.status()).isEqualTo(400);
        assertThat(cascade.faultMessage()).contains("part of a group snapshot");

        api.holdSnapshots = true;
        assertThat(member("3.14", "DELETE", "/group_snapshots/" + id, null).status()).isEqualTo(202);
        assertThat(status(id)).isEqualTo("deleting");
        assertThat(members(id)).allMatch(s -> s.status() == SnapshotStatus.DELETING);
        TestApi.Reply again = member("3.14", "DELETE", "/group_snapshots/" + id, null);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.faultMessage()).isEqualTo("Invalid GroupSnapshot: GroupSnapshot status must be available"
                + " or error, and no Group can be currently using it as source for its creation.");
        api.holdSnapshots = false;
        api.snapshots.delete(m.id());
        assertThat(member("3.14", "GET", "/group_snapshots/" + id, null).status()).as("gone with its last member")
                .isEqualTo(404);
        assertThat(member("3.14", "POST", "/groups/" + groupId + "/action", "{\"delete\": {}}").status())
                .isEqualTo(202);
    }

    @Test
    void administratorsResetTheStatusFrom319() {
        String id = ok(snap(group(0), "reset"), 202, "group_snapshot");
        String body = "{\"reset_status\": {\"status\": \"error\"}}";
        assertThat(send(ADMIN, "3.18", "POST", "/group_snapshots/" + id + "/action", body).status()).isEqualTo(404);
        assertThat(member("3.19", "POST", "/group_snapshots/" + id + "/action", body).status()).isEqualTo(403);
        TestApi.Reply bad = send(ADMIN, "3.19", "POST", "/group_snapshots/" + id + "/action",
                "{\"reset_status\": {\"status\": \"in-use\"}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(send(ADMIN, "3.19", "POST", "/group_snapshots/" + id + "/action", "{\"nope\": {}}").status())
                .isEqualTo(400);
        assertThat(send(ADMIN, "3.19", "POST", "/group_snapshots/" + id + "/action", body).status()).isEqualTo(202);
        assertThat(status(id)).isEqualTo("error");
    }

    @Test
    void aGroupIsMadeFromAGroupSnapshotOrAGroupWithItsVolumesFromTheirSources() {
        String sourceGroup = group(2);
        String gs = ok(snap(sourceGroup, "src"), 202, "group_snapshot");
        assertThat(settled(gs)).isEqualTo("available");
        List<String> memberIds = members(gs).stream().map(Snapshot::id).toList();

        TestApi.Reply made = member("3.14", "POST", "/groups/action", "{\"create-from-src\": {\"name\": \" copy \","
                + " \"group_snapshot_id\": \"" + gs + "\"}}");
        String copy = ok(made, 202, "group");
        assertThat(TestApi.fieldNames(made.json().get("group"))).containsExactlyInAnyOrder("id", "name");
        assertThat(made.json().get("group").get("name").asText()).isEqualTo("copy");
        JsonNode shown = member("3.14", "GET", "/groups/" + copy, null).json().get("group");
        assertThat(shown.get("group_snapshot_id").asText()).isEqualTo(gs);
        assertThat(shown.get("source_group_id").isNull()).isTrue();
        assertThat(shown.get("group_type").asText()).isEqualTo(groupTypeId);
        assertThat(shown.get("status").asText()).isEqualTo("available");
        List<Volume> fromSnapshots = volumesOf(copy);
        assertThat(fromSnapshots).hasSize(2).allMatch(v -> gold.id().equals(v.volumeTypeId()) && v.size() == 1);
        assertThat(fromSnapshots.stream().map(Volume::snapshotId).toList())
                .containsExactlyInAnyOrderElementsOf(memberIds);
        fromSnapshots.forEach(v -> api.awaitStatus(v.id(), VolumeStatus.AVAILABLE));

        String clone = ok(member("3.14", "POST", "/groups/action", "{\"create-from-src\": {\"source_group_id\": \""
                + sourceGroup + "\"}}"), 202, "group");
        assertThat(member("3.14", "GET", "/groups/" + clone, null).json().get("group").get("source_group_id")
                .asText()).isEqualTo(sourceGroup);
        List<Volume> clones = volumesOf(clone);
        assertThat(clones.stream().map(Volume::sourceVolid).toList()).containsExactlyInAnyOrderElementsOf(
                volumesOf(sourceGroup).stream().map(Volume::id).toList());

        TestApi.Reply both = member("3.14", "POST", "/groups/action", "{\"create-from-src\": {\"source_group_id\": \""
                + sourceGroup + "\", \"group_snapshot_id\": \"" + gs + "\"}}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(member("3.14", "POST", "/groups/action", "{\"create-from-src\": {\"group_snapshot_id\": \""
                + dev.basalt.common.Ids.newId() + "\"}}").status()).isEqualTo(404);
        TestApi.Reply empty = member("3.14", "POST", "/groups/action", "{\"create-from-src\": {\"source_group_id\": \""
                + group(0) + "\"}}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.faultMessage()).isEqualTo("Invalid Group: Source Group is empty. No group will be created.");

        api.holdScheduling = true;
        String pending = ok(member("3.14", "POST", "/groups/action", "{\"create-from-src\": {\"group_snapshot_id\": \""
                + gs + "\"}}"), 202, "group");
        TestApi.Reply busy = member("3.14", "DELETE", "/group_snapshots/" + gs, null);
        assertThat(busy.status()).as("a group is being made from it").isEqualTo(400);
        assertThat(volumesOf(pending).stream().allMatch(v -> v.status() == VolumeStatus.CREATING)).isTrue();
        assertThat(status(gs)).isEqualTo("available");
        assertThat(members(gs)).allMatch(s -> s.status() == SnapshotStatus.AVAILABLE);
        assertThat(Set.copyOf(memberIds)).hasSize(2);
    }
}
