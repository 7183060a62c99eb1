package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.db.GroupTypeRepository;
import dev.basalt.model.GroupType;
import dev.basalt.model.PoolCapacity;
import dev.basalt.model.VolumeStatus;
import dev.basalt.model.VolumeType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generic volume groups (3.13) as Cinder serves them: the views field for field per microversion
 * and persona, creation placed on a pool every volume type passes, volumes created in a group,
 * volumes added and removed by Cinder's rules, delete with and without its volumes, the
 * administrator's status reset (3.20), the groups quota, and the 404 below 3.13.
 */
class GroupsTest {
    private static final String ADMIN = "alice:" + TestApi.PROJECT + ":admin";
    private static final String MEMBER = "bob:" + TestApi.PROJECT;
    private static final List<String> DETAIL_313 = List.of("id", "status", "availability_zone", "created_at", "name",
            "description", "group_type", "volume_types");
    static TestApi api;
    static GroupType groupType;
    static VolumeType gold;
    static VolumeType silver;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS);
        groupType = new GroupTypeRepository(api.db).create("gt", null, true, Map.of());
        gold = api.types.create("gold", null, true, Map.of());
        silver = api.types.create("silver", null, true, Map.of());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @BeforeEach
    void onePool() {
        api.pools.clear();
        api.pools.add(new PoolCapacity(TestApi.BACKEND, "pool", "file", "nova", 100, 80, 0, 20.0, 0, true, false,
                Map.of(), Instant.now()));
    }

    private static TestApi.Reply send(String token, String version, String method, String path, String body) {
        TestApi.Call call = api.call(method, TestApi.p(path)).token(token).version(version);
        return (body == null ? call : call.body(body)).send();
    }

    private static TestApi.Reply member(String version, String method, String path, String body) {
        return send(MEMBER, version, method, path, body);
    }

    private static String createGroup(String name, String... volumeTypes) {
        TestApi.Reply r = member("3.13", "POST", "/groups", "{\"group\": {\"name\": \"" + name + "\","
                + " \"description\": \" d \", \"group_type\": \"gt\", \"volume_types\": [\"" + String.join("\", \"",
                volumeTypes) + "\"]}}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(TestApi.fieldNames(r.json())).containsExactly("group");
        assertThat(TestApi.fieldNames(r.json().get("group"))).containsExactlyInAnyOrder("id", "name");
        assertThat(r.json().get("group").get("name").asText()).isEqualTo(name);
        return r.json().get("group").get("id").asText();
    }

    private static JsonNode show(String version, String id) {
        TestApi.Reply r = member(version, "GET", "/groups/" + id, null);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("group");
    }

    private static String volumeIn(String groupId, String type) {
        TestApi.Reply r = member("3.13", "POST", "/volumes", "{\"volume\": {\"size\": 1, \"volume_type\": \"" + type
                + "\", \"group_id\": \"" + groupId + "\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        String id = r.json().get("volume").get("id").asText();
        api.awaitStatus(id, VolumeStatus.AVAILABLE);
        return id;
    }

    private static String update(String id, String body, int status) {
        TestApi.Reply r = member("3.13", "PUT", "/groups/" + id, "{\"group\": " + body + "}");
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        return status == 202 ? r.text() : r.faultMessage();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void theResourceExistsFrom313On() {
        TestApi.Reply old = member("3.12", "GET", "/groups", null);
        assertThat(old.status()).isEqualTo(404);
        assertThat(old.faultName()).isEqualTo("itemNotFound");
        assertThat(member("3.12", "POST", "/groups", "{\"group\": {\"group_type\": \"gt\", \"volume_types\":"
                + " [\"gold\"]}}").status()).isEqualTo(404);
        assertThat(member("3.12", "GET", "/groups/detail", null).status()).isEqualTo(404);
        assertThat(member("3.13", "GET", "/groups", null).status()).isEqualTo(200);
    }

    @Test
    void aGroupIsShownWithCindersFieldsPerMicroversion() {
        String id = createGroup("g-view", "gold", silver.id());

        JsonNode g = show("3.13", id);
        assertThat(TestApi.fieldNames(g)).containsExactlyInAnyOrderElementsOf(DETAIL_313);
        assertThat(g.get("status").asText()).isEqualTo("available");
        assertThat(g.get("name").asText()).isEqualTo("g-view");
        assertThat(g.get("description").asText()).as("stripped, as Cinder").isEqualTo("d");
        assertThat(g.get("availability_zone").asText()).isEqualTo("nova");
        assertThat(g.get("group_type").asText()).isEqualTo(groupType.id());
        assertThat(texts(g.get("volume_types"))).containsExactlyInAnyOrder(gold.id(), silver.id());
        assertThat(g.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");

        JsonNode g314 = show("3.14", id);
        assertThat(TestApi.fieldNames(g314)).containsExactlyInAnyOrderElementsOf(
                concat(DETAIL_313, "group_snapshot_id", "source_group_id"));
        assertThat(g314.get("group_snapshot_id").isNull()).isTrue();
        assertThat(g314.get("source_group_id").isNull()).isTrue();
        assertThat(TestApi.fieldNames(show("3.25", id))).as("no list_volume")
                .containsExactlyInAnyOrderElementsOf(concat(DETAIL_313, "group_snapshot_id", "source_group_id"));
        JsonNode withVolumes = member("3.25", "GET", "/groups/" + id + "?list_volume=True", null).json().get("group");
        assertThat(texts(withVolumes.get("volumes"))).isEmpty();
        assertThat(member("3.24", "GET", "/groups/" + id + "?list_volume=True", null).json().get("group")
                .has("volumes")).isFalse();
        JsonNode g338 = show("3.38", id);
        assertThat(g338.get("replication_status").asText()).isEqualTo("disabled");
        assertThat(TestApi.fieldNames(show("3.58", id))).as("a member does not see the project")
                .doesNotContain("project_id");
        JsonNode asAdmin = send(ADMIN, "3.58", "GET", "/groups/" + id, null).json().get("group");
        assertThat(TestApi.fieldNames(asAdmin)).containsExactlyInAnyOrderElementsOf(concat(DETAIL_313,
                "group_snapshot_id", "source_group_id", "replication_status", "project_id"));
        assertThat(asAdmin.get("project_id").asText()).isEqualTo(TestApi.PROJECT);

        TestApi.Reply list = member("3.13", "GET", "/groups", null);
        assertThat(TestApi.fieldNames(list.json())).containsExactly("groups");
        JsonNode item = find(list.json().get("groups"), id);
        assertThat(TestApi.fieldNames(item)).containsExactlyInAnyOrder("id", "name");
        JsonNode detailed = find(member("3.13", "GET", "/groups/detail", null).json().get("groups"), id);
        assertThat(detailed).isEqualTo(g);
        TestApi.Reply other = api.as(TestApi.newProject(), "GET", "/groups/" + id, null);
        assertThat(other.status()).as("version header missing: 3.0").isEqualTo(404);
    }

    @Test
    void listsPageSortAndFilterByName() {
        String a = createGroup("page-a", "gold");
        String b = createGroup("page-b", "gold");
        TestApi.Reply page = member("3.13", "GET", "/groups?limit=1&sort=name:asc&name=page-a", null);
        assertThat(ids(page.json())).containsExactly(a);
        assertThat(page.json().has("group_links")).as("a full page links the next").isTrue();
        List<String> ids = ids(member("3.13", "GET", "/groups?sort=name:desc", null).json());
        assertThat(ids.indexOf(b)).isLessThan(ids.indexOf(a));
        assertFault(member("3.31", "GET", "/groups?status=available", null), 400,
                "Invalid filters status are found in query options.");
        assertThat(ids(send(ADMIN, "3.31", "GET", "/groups?status=creating", null).json()))
                .as("an administrator filters by any column").isEmpty();
        assertThat(ids(member("3.31", "GET", "/groups?all_tenants=0", null).json()))
                .as("a member's all_tenants is dropped, as cinderclient always sends it").contains(a, b);
        assertThat(ids(member("3.30", "GET", "/groups?all_tenants=0", null).json()))
                .as("before 3.31 it names no column: nothing matches").isEmpty();
    }

    @Test
    void badCreatesAreRefusedAsCinderRefusesThem() {
        assertFault(member("3.13", "POST", "/groups", "{\"group\": {\"group_type\": \"nope\","
                + " \"volume_types\": [\"gold\"]}}"), 404,
                "Group type with name nope could not be found.");
        assertFault(member("3.13", "POST", "/groups", "{\"group\": {\"group_type\": \"gt\","
                + " \"volume_types\": [\"bronze\"]}}"), 404,
                "Volume type with name bronze could not be found.");
        TestApi.Reply empty = member("3.13", "POST", "/groups", "{\"group\": {\"group_type\": \"gt\","
                + " \"volume_types\": []}}");
        assertThat(empty.status()).isEqualTo(400);
        TestApi.Reply reserved = member("3.13", "POST", "/groups", "{\"group\": {\"group_type\":"
                + " \"default_cgsnapshot_type\", \"volume_types\": [\"gold\"]}}");
        assertThat(reserved.status()).isEqualTo(400);
        assertThat(reserved.faultMessage()).endsWith("is reserved for migrating CGs to groups. Migrated group can"
                + " only be operated by CG APIs.");
        assertFault(member("3.13", "POST", "/groups", "{\"group\": {\"group_type\": \"gt\","
                + " \"volume_types\": [\"gold\"], \"availability_zone\": \"mars\"}}"), 400,
                "Availability zone 'mars' is invalid.");
    }

    @Test
    void aGroupNoPoolCanHoldIsInError() {
        api.pools.clear();
        String id = createGroup("g-nowhere", "gold");
        assertThat(show("3.13", id).get("status").asText()).isEqualTo("error");
        assertThat(member("3.13", "POST", "/groups/" + id + "/action", "{\"delete\": {}}").status())
                .as("never placed: deleted at once").isEqualTo(202);
        assertThat(member("3.13", "GET", "/groups/" + id, null).status()).isEqualTo(404);
    }

    @Test
    void volumesAreCreatedInAGroupOfTheirType() {
        String id = createGroup("g-volumes", "gold");
        String v = volumeIn(id, "gold");
        TestApi.Reply shown = member("3.13", "GET", "/volumes/" + v, null);
        assertThat(shown.json().get("volume").get("group_id").asText()).isEqualTo(id);
        assertThat(member("3.12", "GET", "/volumes/" + v, null).json().get("volume").has("group_id")).isFalse();
        assertThat(api.volumes.find(v).orElseThrow().backend()).isEqualTo(TestApi.BACKEND);
        JsonNode g = member("3.25", "GET", "/groups/" + id + "?list_volume=true", null).json().get("group");
        assertThat(texts(g.get("volumes"))).containsExactly(v);
        JsonNode listed = member("3.13", "GET", "/volumes?group_id=" + id, null).json().get("volumes");
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("id").asText()).isEqualTo(v);

        assertFault(member("3.13", "POST", "/volumes", "{\"volume\": {\"size\": 1, \"volume_type\":"
                + " \"silver\", \"group_id\": \"" + id + "\"}}"), 400,
                "Invalid input received: Invalid volume_type provided: silver"
                + " (requested type must be supported by this group).");
        assertFault(member("3.13", "POST", "/volumes", "{\"volume\": {\"size\": 1, \"group_id\": \""
                + id + "\"}}"), 400,
                "Invalid input received: volume_type must be provided when"
                + " creating a volume in a group.");
        assertFault(member("3.13", "POST", "/volumes", "{\"volume\": {\"size\": 1, \"volume_type\":"
                + " \"gold\", \"group_id\": \"c0ffee00-0000-4000-8000-000000000000\"}}"), 404,
                "Group c0ffee00-0000-4000-8000-000000000000 could not be found.");

        TestApi.Reply deleteOne = member("3.13", "DELETE", "/volumes/" + v, null);
        assertThat(deleteOne.status()).as("a volume in a group goes with its group").isEqualTo(400);
        assertThat(api.volumes.find(v).orElseThrow().status()).isEqualTo(VolumeStatus.AVAILABLE);
    }

    @Test
    void volumesAreAddedAndRemovedByCindersRules() {
        String id = createGroup("g-members", "gold");
        String a = api.availableVolume("a", 1);
        String b = api.createVolume("{\"volume\": {\"size\": 1, \"volume_type\": \"gold\"}}");
        api.awaitStatus(b, VolumeStatus.AVAILABLE);
        String s = api.createVolume("{\"volume\": {\"size\": 1, \"volume_type\": \"silver\"}}");
        api.awaitStatus(s, VolumeStatus.AVAILABLE);

        assertThat(update(id, "{\"add_volumes\": \"" + s + "\"}", 400)).isEqualTo("Invalid volume: Cannot add"
                + " volume " + s + " to group " + id + " because volume type " + silver.id() + " is not supported by"
                + " the group.");
        assertThat(update(id, "{\"add_volumes\": \"" + a + "\"}", 400)).contains("because volume type");
        assertThat(update(id, "{\"add_volumes\": \"" + b + "\", \"remove_volumes\": \"" + b + "\"}", 400))
                .isEqualTo("Invalid volume: UUIDs ['" + b + "'] are in both add and remove volume list.");
        assertThat(update(id, "{\"remove_volumes\": \"" + b + "\"}", 400)).isEqualTo("Invalid volume: Cannot"
                + " remove volume " + b + " from group " + id + " because it is not in the group.");
        assertThat(update(id, "{\"name\": \"g-members\"}", 400)).isEqualTo("Invalid Group: Cannot update group "
                + id + " because no valid name, description, add_volumes, or remove_volumes were provided.");

        update(id, "{\"add_volumes\": \"," + b + ",\", \"name\": \"renamed\"}", 202);
        JsonNode g = member("3.25", "GET", "/groups/" + id + "?list_volume=True", null).json().get("group");
        assertThat(texts(g.get("volumes"))).containsExactly(b);
        assertThat(g.get("name").asText()).isEqualTo("renamed");
        String other = createGroup("g-other", "gold");
        assertThat(update(other, "{\"add_volumes\": \"" + b + "\"}", 400)).isEqualTo("Invalid volume: Cannot add"
                + " volume " + b + " to group " + other + " because it is already in group " + id + ".");

        update(id, "{\"remove_volumes\": \"" + b + "\"}", 202);
        assertThat(api.volumes.find(b).orElseThrow().groupId()).isNull();
    }

    @Test
    void aGroupWithVolumesIsDeletedOnlyWithThem() {
        String id = createGroup("g-delete", "gold");
        String v = volumeIn(id, "gold");
        assertFault(member("3.13", "POST", "/groups/" + id + "/action", "{\"delete\": {}}"), 400,
                "Invalid Group: Group " + id + " still contains volumes. The"
                + " delete-volumes flag is required to delete it.");
        assertThat(show("3.13", id).get("status").asText()).isEqualTo("available");

        TestApi.Reply deleted = member("3.13", "POST", "/groups/" + id + "/action",
                "{\"delete\": {\"delete-volumes\": true}}");
        assertThat(deleted.status()).as(deleted.text()).isEqualTo(202);
        assertThat(member("3.13", "GET", "/groups/" + id, null).status()).isEqualTo(404);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> api.volumes.find(v).isEmpty());
    }

    @Test
    void anAdministratorResetsTheStatusFrom320On() {
        String id = createGroup("g-reset", "gold");
        String body = "{\"reset_status\": {\"status\": \"error\"}}";
        assertThat(send(ADMIN, "3.19", "POST", "/groups/" + id + "/action", body).status()).isEqualTo(404);
        assertFault(member("3.20", "POST", "/groups/" + id + "/action", body), 403,
                "Policy doesn't allow group:reset_status to be performed.");
        assertThat(send(ADMIN, "3.20", "POST", "/groups/" + id + "/action",
                "{\"reset_status\": {\"status\": \"bogus\"}}").status()).isEqualTo(400);
        assertThat(send(ADMIN, "3.20", "POST", "/groups/" + id + "/action", body).status()).isEqualTo(202);
        assertThat(show("3.13", id).get("status").asText()).isEqualTo("error");
    }

    @Test
    void replicationIsRefusedAsForAGroupThatCannotReplicate() {
        String id = createGroup("g-replication", "gold");
        String body = "{\"enable_replication\": {}}";
        assertThat(member("3.37", "POST", "/groups/" + id + "/action", body).status()).isEqualTo(404);
        assertFault(member("3.38", "POST", "/groups/" + id + "/action", body), 400,
                "Invalid group type: Group " + id + " is not a replication group type.");
        assertFault(member("3.38", "POST", "/groups/" + id + "/action", "{\"list_replication_targets\": {}}"), 400,
                "Invalid group type: Group " + id + " is not a replication group type.");
        TestApi.Reply fromSource = member("3.14", "POST", "/groups/action", "{\"create-from-src\":"
                + " {\"source_group_id\": \"" + id + "\"}}");
        assertFault(fromSource, 400, "Invalid Group: Source Group is empty. No group will be created.");
    }

    @Test
    void aGroupTypeInUseIsNotDeleted() {
        GroupType used = new GroupTypeRepository(api.db).create("gt-used", null, true, Map.of());
        TestApi.Reply r = member("3.13", "POST", "/groups", "{\"group\": {\"group_type\": \"" + used.id() + "\","
                + " \"volume_types\": [\"gold\"]}}");
        assertThat(r.status()).isEqualTo(202);
        TestApi.Reply refused = send(ADMIN, "3.13", "DELETE", "/group_types/" + used.id(), null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.faultMessage()).isEqualTo("Target group type is still in use.");
    }

    @Test
    void creatingAGroupClaimsTheGroupsQuota() {
        String project = TestApi.newProject();
        api.quotas.setProjectLimits(project, Map.of("groups", 1));
        String body = "{\"group\": {\"group_type\": \"gt\", \"volume_types\": [\"gold\"]}}";
        TestApi.Call first = api.call("POST", "/v3/" + project + "/groups").token("u:" + project).version("3.13");
        assertThat(first.body(body).send().status()).isEqualTo(202);
        TestApi.Reply second = api.call("POST", "/v3/" + project + "/groups").token("u:" + project).version("3.13")
                .body(body).send();
        assertThat(second.status()).isEqualTo(413);
        assertThat(second.faultMessage()).isEqualTo("GroupLimitExceeded: Maximum number of groups allowed (1)"
                + " exceeded");
        JsonNode usage = api.call("GET", "/v3/" + project + "/os-quota-sets/" + project + "?usage=True")
                .token("u:" + project).send().json().get("quota_set").get("groups");
        assertThat(usage.get("in_use").asInt()).isEqualTo(1);
    }

    private static void assertFault(TestApi.Reply reply, int status, String message) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(reply.faultMessage()).isEqualTo(message);
    }

    private static List<String> concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("groups").forEach(g -> ids.add(g.get("id").asText()));
        return ids;
    }

    private static JsonNode find(JsonNode groups, String id) {
        for (JsonNode g : groups) {
            if (g.get("id").asText().equals(id)) {
                return g;
            }
        }
        throw new AssertionError("group " + id + " not listed in " + groups);
    }
}
