package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Private volume types: {@code is_public} on create/update/list, the access list and its actions
 * (administrators), and what a project member with and without access sees and may use.
 */
class VolumeTypeAccessTest {
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** As an administrator of the test project. */
    private static TestApi.Call admin(String method, String path) {
        return api.call(method, TestApi.p(path)).token(TestApi.USER + ":" + TestApi.PROJECT + ":admin");
    }

    /** As a member (not an administrator) of {@code project}. */
    private static TestApi.Call member(String project, String method, String path) {
        return api.call(method, "/v3/" + project + path).token("m:" + project);
    }

    private static String createType(String name, boolean isPublic) {
        TestApi.Reply r = admin("POST", "/types").body("{\"volume_type\": {\"name\": \"" + name
                + "\", \"os-volume-type-access:is_public\": " + isPublic + "}}").send();
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode type = r.json().get("volume_type");
        assertThat(type.get("is_public").asBoolean()).isEqualTo(isPublic);
        assertThat(type.get("os-volume-type-access:is_public").asBoolean()).isEqualTo(isPublic);
        return type.get("id").asText();
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("volume_types").forEach(t -> names.add(t.get("name").asText()));
        return names;
    }

    private static TestApi.Reply addAccess(String typeId, String project) {
        return admin("POST", "/types/" + typeId + "/action")
                .body("{\"addProjectAccess\": {\"project\": \"" + project + "\"}}").send();
    }

    @Test
    void accessIsListedAddedAndRemovedForPrivateTypes() {
        String typeId = createType("private-a", false);
        JsonNode empty = admin("GET", "/types/" + typeId + "/os-volume-type-access").send().json();
        assertThat(empty.get("volume_type_access")).isEmpty();

        assertThat(addAccess(typeId, "proj1").status()).isEqualTo(202);
        assertThat(addAccess(typeId, "proj2").status()).isEqualTo(202);
        TestApi.Reply again = addAccess(typeId, "proj1");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.faultMessage()).isEqualTo("Volume type access for " + typeId
                + " / proj1 combination already exists.");

        JsonNode list = admin("GET", "/types/" + typeId + "/os-volume-type-access").send().json();
        assertThat(list.get("volume_type_access").toString()).isEqualTo("[{\"volume_type_id\":\"" + typeId
                + "\",\"project_id\":\"proj1\"},{\"volume_type_id\":\"" + typeId + "\",\"project_id\":\"proj2\"}]");

        TestApi.Reply removed = admin("POST", "/types/" + typeId + "/action")
                .body("{\"removeProjectAccess\": {\"project\": \"proj1\"}}").send();
        assertThat(removed.status()).isEqualTo(202);
        assertThat(removed.text()).isEmpty();
        TestApi.Reply missing = admin("POST", "/types/" + typeId + "/action")
                .body("{\"removeProjectAccess\": {\"project\": \"proj1\"}}").send();
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.faultMessage()).isEqualTo("Volume type access not found for " + typeId
                + " / proj1 combination.");
    }

    @Test
    void publicTypesHaveNoAccessList() {
        String typeId = createType("public-b", true);
        TestApi.Reply list = admin("GET", "/types/" + typeId + "/os-volume-type-access").send();
        assertThat(list.status()).isEqualTo(404);
        assertThat(list.faultMessage()).isEqualTo("Access list not available for public volume types.");
        TestApi.Reply add = addAccess(typeId, "proj1");
        assertThat(add.status()).isEqualTo(400);
        assertThat(add.faultMessage()).isEqualTo("Invalid volume type: Type access modification is not applicable"
                + " to public volume type.");
    }

    @Test
    void badRequestsAndUnknownTypes() {
        String typeId = createType("private-c", false);
        String unknown = "0b0c0d0e-0000-4000-8000-000000000000";
        assertThat(admin("GET", "/types/" + unknown + "/os-volume-type-access").send().faultMessage())
                .isEqualTo("Volume type " + unknown + " could not be found.");
        assertThat(addAccess(unknown, "proj1").status()).isEqualTo(404);
        TestApi.Reply noProject = admin("POST", "/types/" + typeId + "/action").body("{\"addProjectAccess\": {}}")
                .send();
        assertThat(noProject.status()).isEqualTo(400);
        assertThat(noProject.faultMessage()).isEqualTo("Invalid input for field/attribute addProjectAccess. Value: {}."
                + " 'project' is a required property");
        TestApi.Reply empty = admin("POST", "/types/" + typeId + "/action")
                .body("{\"removeProjectAccess\": {\"project\": \"\"}}").send();
        assertThat(empty.status()).isEqualTo(400);
        TestApi.Reply unknownAction = admin("POST", "/types/" + typeId + "/action").body("{\"os-nothing\": {}}")
                .send();
        assertThat(unknownAction.status()).isEqualTo(400);
        assertThat(unknownAction.faultMessage()).startsWith("There is no such action: os-nothing.");
    }

    @Test
    void onlyAdministratorsManageAccess() {
        String typeId = createType("private-d", false);
        String project = TestApi.newProject();
        TestApi.Reply list = member(project, "GET", "/types/" + typeId + "/os-volume-type-access").send();
        assertThat(list.status()).isEqualTo(403);
        assertThat(list.faultMessage()).isEqualTo("Policy doesn't allow"
                + " volume_extension:volume_type_access:get_all_for_type to be performed.");
        assertThat(member(project, "POST", "/types/" + typeId + "/action")
                .body("{\"addProjectAccess\": {\"project\": \"" + project + "\"}}").send().status()).isEqualTo(403);
        assertThat(member(project, "POST", "/types/" + typeId + "/action")
                .body("{\"removeProjectAccess\": {\"project\": \"" + project + "\"}}").send().status()).isEqualTo(403);
    }

    @Test
    void aProjectSeesAndUsesAPrivateTypeOnlyOnceGivenAccess() {
        String name = "private-e";
        String typeId = createType(name, false);
        String project = TestApi.newProject();

        assertThat(names(member(project, "GET", "/types").send().json())).doesNotContain(name);
        TestApi.Reply hidden = member(project, "GET", "/types/" + typeId).send();
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.faultMessage()).isEqualTo("Volume type " + typeId + " could not be found.");
        assertThat(member(project, "GET", "/types/" + typeId + "/extra_specs").send().status()).isEqualTo(404);
        TestApi.Reply byName = member(project, "POST", "/volumes")
                .body("{\"volume\": {\"size\": 1, \"volume_type\": \"" + name + "\"}}").send();
        assertThat(byName.status()).isEqualTo(404);
        assertThat(byName.faultMessage()).isEqualTo("Volume type with name " + name + " could not be found.");
        TestApi.Reply byId = member(project, "POST", "/volumes")
                .body("{\"volume\": {\"size\": 1, \"volume_type\": \"" + typeId + "\"}}").send();
        assertThat(byId.status()).isEqualTo(404);
        assertThat(byId.faultMessage()).isEqualTo("Volume type " + typeId + " could not be found.");

        assertThat(addAccess(typeId, project).status()).isEqualTo(202);
        assertThat(names(member(project, "GET", "/types").send().json())).contains(name, "__DEFAULT__");
        assertThat(member(project, "GET", "/types/" + typeId).send().status()).isEqualTo(200);
        TestApi.Reply created = member(project, "POST", "/volumes")
                .body("{\"volume\": {\"size\": 1, \"volume_type\": \"" + name + "\"}}").send();
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        assertThat(created.json().get("volume").get("volume_type").asText()).isEqualTo(name);

        String stranger = TestApi.newProject();
        assertThat(names(member(stranger, "GET", "/types").send().json())).doesNotContain(name);
    }

    @Test
    void administratorsListByIsPublic() {
        createType("private-f", false);
        createType("public-g", true);
        List<String> byDefault = names(admin("GET", "/types").send().json());
        assertThat(byDefault).contains("public-g", "__DEFAULT__").doesNotContain("private-f");
        List<String> all = names(admin("GET", "/types?is_public=None").send().json());
        assertThat(all).contains("public-g", "private-f", "__DEFAULT__");
        List<String> privateOnly = names(admin("GET", "/types?is_public=false").send().json());
        assertThat(privateOnly).contains("private-f").doesNotContain("public-g", "__DEFAULT__");

        String granted = createType("private-h", false);
        addAccess(granted, TestApi.PROJECT);
        assertThat(names(admin("GET", "/types").send().json())).as("public ones and those the project was given")
                .contains("private-h").doesNotContain("private-f");
    }

    @Test
    void updateMakesATypePrivateOrPublic() {
        String typeId = createType("flip-i", true);
        TestApi.Reply r = admin("PUT", "/types/" + typeId).body("{\"volume_type\": {\"is_public\": false}}").send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("volume_type").get("is_public").asBoolean()).isFalse();
        String project = TestApi.newProject();
        assertThat(member(project, "GET", "/types/" + typeId).send().status()).isEqualTo(404);
        assertThat(admin("GET", "/types/" + typeId + "/os-volume-type-access").send().status()).isEqualTo(200);
        admin("PUT", "/types/" + typeId).body("{\"volume_type\": {\"is_public\": true}}").send();
        assertThat(member(project, "GET", "/types/" + typeId).send().status()).isEqualTo(200);
        assertThat(api.types.findByName("flip-i")).get().extracting(t -> t.extraSpecs()).isEqualTo(Map.of());
    }
}
