package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VolumeTypesTest {
    static TestApi api;

    @BeforeAll
    static void start() {
        api = new TestApi();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("volume_types").forEach(t -> names.add(t.get("name").asText()));
        return names;
    }

    private static String create(String body) {
        TestApi.Reply r = api.post(TestApi.p("/types"), body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("volume_type").get("id").asText();
    }

    @Test
    void createShowUpdateDelete() {
        TestApi.Reply created = api.post(TestApi.p("/types"), "{\"volume_type\": {\"name\": \"gold\", \"description\":"
                + " \"fast\", \"extra_specs\": {\"volume_backend_name\": \"file\"}}}");
        assertThat(created.status()).isEqualTo(200);
        JsonNode t = created.json().get("volume_type");
        String id = t.get("id").asText();
        assertThat(t.get("name").asText()).isEqualTo("gold");
        assertThat(t.get("is_public").asBoolean()).isTrue();
        assertThat(t.get("os-volume-type-access:is_public").asBoolean()).isTrue();
        assertThat(t.get("extra_specs").get("volume_backend_name").asText()).isEqualTo("file");
        assertThat(t.get("qos_specs_id").isNull()).isTrue();

        assertThat(api.get(TestApi.p("/types/" + id)).json().get("volume_type").get("description").asText())
                .isEqualTo("fast");
        TestApi.Reply updated = api.put(TestApi.p("/types/" + id), "{\"volume_type\": {\"name\": \"platinum\","
                + " \"is_public\": false}}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("volume_type").get("name").asText()).isEqualTo("platinum");
        assertThat(updated.json().get("volume_type").get("is_public").asBoolean()).isFalse();
        assertThat(updated.json().get("volume_type").has("os-volume-type-access:is_public")).isFalse();

        assertThat(api.delete(TestApi.p("/types/" + id)).status()).isEqualTo(202);
        TestApi.Reply gone = api.get(TestApi.p("/types/" + id));
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.faultMessage()).isEqualTo("Volume type " + id + " could not be found.");
    }

    @Test
    void listFiltersByVisibilityAndExtraSpecs() {
        create("{\"volume_type\": {\"name\": \"pub-a\", \"extra_specs\": {\"tier\": \"a\"}}}");
        create("{\"volume_type\": {\"name\": \"priv-b\", \"os-volume-type-access:is_public\": false,"
                + " \"extra_specs\": {\"tier\": \"b\"}}}");
        assertThat(names(api.get(TestApi.p("/types")).json())).contains("pub-a").doesNotContain("priv-b");
        assertThat(names(api.get(TestApi.p("/types?is_public=false")).json())).contains("priv-b").doesNotContain("pub-a");
        assertThat(names(api.get(TestApi.p("/types?is_public=None")).json())).contains("pub-a", "priv-b", "__DEFAULT__");
        assertThat(api.get(TestApi.p("/types?is_public=sometimes")).status()).isEqualTo(400);
        String specFilter = "/types?is_public=None&extra_specs=" + java.net.URLEncoder.encode("{'tier': 'b'}",
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(names(api.get(TestApi.p(specFilter), "3.52").json())).containsExactly("priv-b");
        assertThat(names(api.get(TestApi.p("/types?name=pub-a&is_public=None")).json())).containsExactly("pub-a");
        assertThat(names(api.get(TestApi.p("/types?sort=name:asc&is_public=None")).json())).isSorted();
        JsonNode page = api.get(TestApi.p("/types?limit=1&is_public=None")).json();
        assertThat(page.get("volume_types")).hasSize(1);
        assertThat(page.get("volume_type_links").get(0).get("href").asText()).contains("marker=");
    }

    @Test
    void defaultTypeEndpoint() {
        TestApi.Reply r = api.get(TestApi.p("/types/default"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("volume_type").get("name").asText()).isEqualTo("__DEFAULT__");
    }

    @Test
    void refusesBadTypeRequests() {
        create("{\"volume_type\": {\"name\": \"dup\"}}");
        TestApi.Reply dup = api.post(TestApi.p("/types"), "{\"volume_type\": {\"name\": \"dup\"}}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.faultName()).isEqualTo("conflictingRequest");
        assertThat(api.post(TestApi.p("/types"), "{\"volume_type\": {\"name\": \"   \"}}").status()).isEqualTo(400);
        assertThat(api.post(TestApi.p("/types"), "{\"volume_type\": {}}").status()).isEqualTo(400);
        assertThat(api.post(TestApi.p("/types"), "{\"volume_type\": {\"name\": \"x\", \"color\": 1}}").status())
                .isEqualTo(400);
        assertThat(api.post(TestApi.p("/types"), "{\"volume_type\": {\"name\": \"" + "t".repeat(256) + "\"}}").status())
                .isEqualTo(400);
        String id = create("{\"volume_type\": {\"name\": \"upd\"}}");
        TestApi.Reply nothing = api.put(TestApi.p("/types/" + id), "{\"volume_type\": {}}");
        assertThat(nothing.status()).isEqualTo(400);
        assertThat(nothing.faultMessage()).contains("Specify volume type name");
        assertThat(api.put(TestApi.p("/types/" + id), "{\"volume_type\": {\"name\": \"  \"}}").status()).isEqualTo(400);
        assertThat(api.put(TestApi.p("/types/nope"), "{\"volume_type\": {\"name\": \"x\"}}").status()).isEqualTo(404);
        assertThat(api.put(TestApi.p("/types/" + id), "{\"volume_type\": {\"name\": \"dup\"}}").status()).isEqualTo(409);
    }

    @Test
    void typesInUseOrDefaultCannotBeDeleted() {
        String used = create("{\"volume_type\": {\"name\": \"used\"}}");
        api.createVolume("{\"volume\": {\"size\": 1, \"volume_type\": \"used\"}}");
        TestApi.Reply inUse = api.delete(TestApi.p("/types/" + used));
        assertThat(inUse.status()).isEqualTo(400);
        assertThat(inUse.faultMessage()).isEqualTo("Target volume type is still in use.");
        String defaultId = api.types.findByName("__DEFAULT__").orElseThrow().id();
        TestApi.Reply isDefault = api.delete(TestApi.p("/types/" + defaultId));
        assertThat(isDefault.status()).isEqualTo(400);
        assertThat(isDefault.faultMessage()).contains("default volume type");
        assertThat(api.delete(TestApi.p("/types/nope")).status()).isEqualTo(404);
    }

    @Test
    void extraSpecsCrud() {
        String id = create("{\"volume_type\": {\"name\": \"specs\"}}");
        String specs = TestApi.p("/types/" + id + "/extra_specs");
        TestApi.Reply set = api.post(specs, "{\"extra_specs\": {\"a\": \"1\", \"b\": \"2\"}}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("extra_specs").get("a").asText()).isEqualTo("1");
        assertThat(TestApi.fieldNames(api.get(specs).json().get("extra_specs"))).containsExactly("a", "b");
        assertThat(api.get(specs + "/a").json().get("a").asText()).isEqualTo("1");
        TestApi.Reply one = api.put(specs + "/a", "{\"a\": \"9\"}");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("a").asText()).isEqualTo("9");
        assertThat(api.put(specs + "/a", "{\"b\": \"9\"}").status()).isEqualTo(400);
        assertThat(api.put(specs + "/a", "{\"a\": \"9\", \"b\": \"1\"}").status()).isEqualTo(400);
        assertThat(api.delete(specs + "/a").status()).isEqualTo(202);
        TestApi.Reply missing = api.get(specs + "/a");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.faultMessage()).isEqualTo("Volume Type " + id + " has no extra specs with key a.");
        assertThat(api.delete(specs + "/a").status()).isEqualTo(404);
        assertThat(api.post(specs, "{\"extra_specs\": {\"bad key\": \"1\"}}").status()).isEqualTo(400);
        assertThat(api.post(specs, "{\"extra_specs\": {\"multiattach\": \"<is> True\", \"cacheable\": \"<is> True\"}}")
                .status()).isEqualTo(400);
        assertThat(api.get(TestApi.p("/types/nope/extra_specs")).status()).isEqualTo(404);
        assertThat(api.post(TestApi.p("/types/nope/extra_specs"), "{\"extra_specs\": {\"a\": \"1\"}}").status())
                .isEqualTo(404);
        api.createVolume("{\"volume\": {\"size\": 1, \"volume_type\": \"specs\"}}");
        TestApi.Reply inUse = api.post(specs, "{\"extra_specs\": {\"c\": \"3\"}}");
        assertThat(inUse.status()).isEqualTo(400);
        assertThat(inUse.faultMessage()).isEqualTo("Volume Type is currently in use.");
    }

    @Test
    void typeNameChangesShowInVolumeViews() {
        String id = create("{\"volume_type\": {\"name\": \"before\"}}");
        String vol = api.createVolume("{\"volume\": {\"size\": 1, \"volume_type\": \"before\"}}");
        api.put(TestApi.p("/types/" + id), "{\"volume_type\": {\"name\": \"after\"}}");
        assertThat(api.get(TestApi.p("/volumes/" + vol)).json().get("volume").get("volume_type").asText())
                .isEqualTo("after");
    }

    @Test
    void defaultTypesFrom362() {
        String id = create("{\"volume_type\": {\"name\": \"project-default\"}}");
        String path = TestApi.p("/default-types/" + TestApi.PROJECT);
        assertThat(api.put(path, "{\"default_type\": {\"volume_type\": \"project-default\"}}", "3.61").status())
                .isEqualTo(404);
        TestApi.Reply set = api.put(path, "{\"default_type\": {\"volume_type\": \"project-default\"}}", "3.62");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("default_type").get("volume_type_id").asText()).isEqualTo(id);
        assertThat(set.json().get("default_type").get("project_id").asText()).isEqualTo(TestApi.PROJECT);
        assertThat(api.get(path, "3.62").json().get("default_type").get("volume_type_id").asText()).isEqualTo(id);
        assertThat(api.get(TestApi.p("/default-types"), "3.62").json().get("default_types")).hasSize(1);
        assertThat(api.get(TestApi.p("/types/default")).json().get("volume_type").get("name").asText())
                .isEqualTo("project-default");
        String vol = api.createVolume("defaulted", 1);
        assertThat(api.volumes.find(vol).orElseThrow().volumeTypeId()).isEqualTo(id);
        TestApi.Reply protectedType = api.delete(TestApi.p("/types/" + id));
        assertThat(protectedType.status()).isEqualTo(400);
        TestApi.Reply unknown = api.put(path, "{\"default_type\": {\"volume_type\": \"nope\"}}", "3.62");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.faultMessage()).contains("nope");
        assertThat(api.delete(path, "3.62").status()).isEqualTo(204);
        TestApi.Reply none = api.get(path, "3.62");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.faultMessage()).isEqualTo("Default type for project " + TestApi.PROJECT + " not found.");
        assertThat(api.get(TestApi.p("/types/default")).json().get("volume_type").get("name").asText())
                .isEqualTo("__DEFAULT__");
    }

    @Test
    void publicFlagIsAcceptedAsBooleanString() {
        TestApi.Reply r = api.post(TestApi.p("/types"), "{\"volume_type\": {\"name\": \"str\","
                + " \"os-volume-type-access:is_public\": \"False\"}}");
        assertThat(r.json().get("volume_type").get("is_public").asBoolean()).isFalse();
        assertThat(api.types.findByName("str").orElseThrow().isPublic()).isFalse();
        assertThat(api.types.findByName("str").orElseThrow().extraSpecs()).isEqualTo(Map.of());
    }
}
