package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.api.policy.Policy;
import dev.basalt.db.GroupTypeRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /group_types} and their {@code group_specs} (3.11) as Cinder serves them: codes, texts and
 * the exact fields for an administrator and a project member, at 3.10 and 3.11, with bad bodies,
 * duplicate names, spec key mismatches, the configured default type and a policy override.
 */
class GroupTypesTest {
    private static final String V = "3.11";
    private static final String ADMIN = "alice:" + TestApi.PROJECT + ":admin";
    private static final String MEMBER = "bob:" + TestApi.PROJECT;
    private static final String SEEDED = "default_cgsnapshot_type";
    static TestApi api;
    static GroupTypeRepository groupTypes;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000).withDefaultGroupType(SEEDED), MemberPolicyTest.MEMBERS);
        groupTypes = new GroupTypeRepository(api.db);
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static TestApi.Reply send(String token, String method, String path, String body) {
        TestApi.Call call = api.call(method, TestApi.p(path)).token(token).version(V);
        return (body == null ? call : call.body(body)).send();
    }

    private static TestApi.Reply admin(String method, String path, String body) {
        return send(ADMIN, method, path, body);
    }

    private static TestApi.Reply member(String method, String path, String body) {
        return send(MEMBER, method, path, body);
    }

    private static JsonNode create(String name, String extra) {
        TestApi.Reply r = admin("POST", "/group_types", "{\"group_type\": {\"name\": \"" + name + "\"" + extra + "}}");
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json().get("group_type");
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("group_types").forEach(t -> names.add(t.get("name").asText()));
        return names;
    }

    @Test
    void theResourceExistsFrom311On() {
        TestApi.Reply old = api.call("GET", TestApi.p("/group_types")).token(ADMIN).version("3.10").send();
        assertThat(old.status()).isEqualTo(404);
        assertThat(old.faultName()).isEqualTo("itemNotFound");
        assertThat(api.call("POST", TestApi.p("/group_types")).token(ADMIN).version("3.10")
                .body("{\"group_type\": {\"name\": \"old\"}}").send().status()).isEqualTo(404);
        assertThat(api.call("GET", TestApi.p("/group_types/default/group_specs")).token(ADMIN).version("3.10")
                .send().status()).isEqualTo(404);
        assertThat(api.call("GET", TestApi.p("/group_types")).token(ADMIN).send().status())
                .as("no header: 3.0").isEqualTo(404);
        assertThat(admin("GET", "/group_types", null).status()).isEqualTo(200);
    }

    @Test
    void anAdministratorCreatesShowsUpdatesAndDeletesWithCindersFields() {
        TestApi.Reply created = admin("POST", "/group_types", "{\"group_type\": {\"name\": \"gt-crud\","
                + " \"description\": \"consistent ones\", \"is_public\": \"false\","
                + " \"group_specs\": {\"consistent_group_snapshot_enabled\": \"<is> True\", \"a b/c\": \"1\"}}}");
        assertThat(created.status()).as(created.text()).isEqualTo(202);
        assertThat(TestApi.fieldNames(created.json())).containsExactly("group_type");
        JsonNode t = created.json().get("group_type");
        String id = t.get("id").asText();
        assertThat(TestApi.fieldNames(t)).containsExactlyInAnyOrder("id", "name", "description", "is_public",
                "group_specs");
        assertThat(t.get("name").asText()).isEqualTo("gt-crud");
        assertThat(t.get("description").asText()).isEqualTo("consistent ones");
        assertThat(t.get("is_public").asBoolean()).isFalse();
        assertThat(t.get("group_specs")).isEqualTo(TestApi.json("{\"a b/c\": \"1\","
                + " \"consistent_group_snapshot_enabled\": \"<is> True\"}"));

        TestApi.Reply shown = admin("GET", "/group_types/" + id, null);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json()).isEqualTo(created.json());

        TestApi.Reply updated = admin("PUT", "/group_types/" + id, "{\"group_type\": {\"name\": \"gt-crud2\","
                + " \"is_public\": true}}");
        assertThat(updated.status()).as(updated.text()).isEqualTo(200);
        JsonNode u = updated.json().get("group_type");
        assertThat(TestApi.fieldNames(u)).containsExactlyInAnyOrder("id", "name", "description", "is_public",
                "group_specs");
        assertThat(u.get("name").asText()).isEqualTo("gt-crud2");
        assertThat(u.get("description").asText()).as("unchanged").isEqualTo("consistent ones");
        assertThat(u.get("is_public").asBoolean()).isTrue();
        TestApi.Reply described = admin("PUT", "/group_types/" + id, "{\"group_type\": {\"description\": \"\"}}");
        assertThat(described.json().get("group_type").get("description").asText()).isEmpty();

        assertThat(admin("DELETE", "/group_types/" + id, null).status()).isEqualTo(202);
        TestApi.Reply gone = admin("GET", "/group_types/" + id, null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.faultMessage()).isEqualTo("Group type " + id + " could not be found.");
        TestApi.Reply again = admin("DELETE", "/group_types/" + id, null);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.faultMessage()).isEqualTo("Group type " + id + " could not be found.");
        TestApi.Reply updateGone = admin("PUT", "/group_types/" + id, "{\"group_type\": {\"description\": \"x\"}}");
        assertThat(updateGone.status()).isEqualTo(404);
    }

    @Test
    void cindersDefaultCgsnapshotTypeIsThereAndIsTheConfiguredDefault() {
        TestApi.Reply list = admin("GET", "/group_types", null);
        assertThat(names(list.json())).contains(SEEDED);
        TestApi.Reply def = member("GET", "/group_types/default", null);
        assertThat(def.status()).as(def.text()).isEqualTo(200);
        JsonNode t = def.json().get("group_type");
        assertThat(t.get("name").asText()).isEqualTo(SEEDED);
        assertThat(TestApi.fieldNames(t)).as("a member sees no specs")
                .containsExactlyInAnyOrder("id", "name", "description", "is_public");
        assertThat(admin("GET", "/group_types/default", null).json().get("group_type").get("group_specs"))
                .isEqualTo(TestApi.json("{\"consistent_group_snapshot_enabled\": \"<is> True\"}"));
    }

    @Test
    void withoutADefaultGroupTypeDefaultIsNotFound() {
        for (String configured : new String[] {null, "no-such-group-type"}) {
            try (TestApi other = new TestApi(TestApi.settings(1000).withDefaultGroupType(configured))) {
                TestApi.Reply r = other.get(TestApi.p("/group_types/default"), V);
                assertThat(r.status()).isEqualTo(404);
                assertThat(r.faultMessage()).isEqualTo("Default group type can not be found.");
            }
        }
    }

    @Test
    void aMemberSeesPublicAndGrantedTypesWithoutSpecsAndChangesNothing() {
        String pub = create("gt-member-public", ", \"group_specs\": {\"k\": \"v\"}").get("id").asText();
        String priv = create("gt-member-private", ", \"is_public\": false").get("id").asText();
        String granted = create("gt-member-granted", ", \"is_public\": false").get("id").asText();
        groupTypes.addProject(granted, TestApi.PROJECT);

        TestApi.Reply list = member("GET", "/group_types", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(TestApi.fieldNames(list.json())).containsExactly("group_types");
        assertThat(names(list.json())).contains("gt-member-public", "gt-member-granted")
                .doesNotContain("gt-member-private");
        list.json().get("group_types").forEach(t -> assertThat(TestApi.fieldNames(t))
                .containsExactlyInAnyOrder("id", "name", "description", "is_public"));
        assertThat(member("GET", "/group_types/" + pub, null).status()).isEqualTo(200);
        assertThat(member("GET", "/group_types/" + granted, null).status()).isEqualTo(200);
        TestApi.Reply hidden = member("GET", "/group_types/" + priv, null);
        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.faultMessage()).isEqualTo("Group type " + priv + " could not be found.");
        assertThat(member("GET", "/group_types?is_public=false", null).json().get("group_types").size())
                .as("a member's is_public filter is ignored").isEqualTo(list.json().get("group_types").size());

        TestApi.Reply create = member("POST", "/group_types", "{\"group_type\": {\"name\": \"mine\"}}");
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.faultMessage()).isEqualTo("Policy doesn't allow group:group_types:create to be performed.");
        assertThat(member("PUT", "/group_types/" + pub, "{\"group_type\": {\"name\": \"x\"}}").status()).isEqualTo(403);
        assertThat(member("DELETE", "/group_types/" + pub, null).status()).isEqualTo(403);
        assertThat(member("GET", "/group_types/" + pub + "/group_specs", null).status()).isEqualTo(403);
        assertThat(member("GET", "/group_types/" + pub + "/group_specs/k", null).status()).isEqualTo(403);
        assertThat(member("POST", "/group_types/" + pub + "/group_specs", "{\"group_specs\": {\"k\": \"w\"}}")
                .status()).isEqualTo(403);
        assertThat(member("PUT", "/group_types/" + pub + "/group_specs/k", "{\"k\": \"w\"}").status()).isEqualTo(403);
        assertThat(member("DELETE", "/group_types/" + pub + "/group_specs/k", null).status()).isEqualTo(403);
        assertThat(groupTypes.find(pub).orElseThrow().groupSpecs()).containsExactly(Map.entry("k", "v"));
    }

    @Test
    void anAdministratorFiltersOnIsPublic() {
        create("gt-filter-public", "");
        create("gt-filter-private", ", \"is_public\": false");
        assertThat(names(admin("GET", "/group_types", null).json())).as("public only by default")
                .contains("gt-filter-public").doesNotContain("gt-filter-private");
        assertThat(names(admin("GET", "/group_types?is_public=false", null).json()))
                .contains("gt-filter-private").doesNotContain("gt-filter-public");
        assertThat(names(admin("GET", "/group_types?is_public=None", null).json()))
                .contains("gt-filter-private", "gt-filter-public");
        TestApi.Reply bad = admin("GET", "/group_types?is_public=maybe", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.faultMessage()).isEqualTo("Invalid is_public filter [maybe]");
    }

    @Test
    void listsPageAndSortWithNextLinks() {
        create("gt-page-a", "");
        create("gt-page-b", "");
        TestApi.Reply sorted = admin("GET", "/group_types?sort=name:asc", null);
        List<String> all = names(sorted.json());
        assertThat(all).isSorted();
        assertThat(sorted.json().has("group_type_links")).isFalse();

        TestApi.Reply first = admin("GET", "/group_types?sort=name:asc&limit=1", null);
        assertThat(names(first.json())).containsExactly(all.get(0));
        JsonNode next = first.json().get("group_type_links").get(0);
        assertThat(next.get("rel").asText()).isEqualTo("next");
        String marker = first.json().get("group_types").get(0).get("id").asText();
        assertThat(next.get("href").asText()).contains("/v3/" + TestApi.PROJECT + "/group_types?")
                .contains("marker=" + marker);
        TestApi.Reply second = admin("GET", "/group_types?sort=name:asc&limit=1&marker=" + marker, null);
        assertThat(names(second.json())).containsExactly(all.get(1));
        assertThat(names(admin("GET", "/group_types?sort=name:asc&offset=1", null).json()))
                .isEqualTo(all.subList(1, all.size()));

        TestApi.Reply noMarker = admin("GET", "/group_types?marker=no-such-type", null);
        assertThat(noMarker.status()).isEqualTo(404);
        assertThat(noMarker.faultMessage()).isEqualTo("Group type no-such-type could not be found.");
        assertThat(admin("GET", "/group_types?sort=colour", null).status()).isEqualTo(400);
        assertThat(admin("GET", "/group_types?limit=x", null).status()).isEqualTo(400);
    }

    @Test
    void badBodiesAre400AndNothingIsWritten() {
        String[] bad = {
            "{}",
            "{\"group_type\": {}}",
            "{\"group_type\": {\"name\": \"\"}}",
            "{\"group_type\": {\"name\": \"   \"}}",
            "{\"group_type\": {\"name\": \"" + "n".repeat(256) + "\"}}",
            "{\"group_type\": {\"name\": \"gt-bad\", \"description\": \"" + "d".repeat(256) + "\"}}",
            "{\"group_type\": {\"name\": \"gt-bad\", \"is_public\": \"maybe\"}}",
            "{\"group_type\": {\"name\": \"gt-bad\", \"group_specs\": {\"bad!key\": \"v\"}}}",
            "{\"group_type\": {\"name\": \"gt-bad\", \"group_specs\": {\"k\": null}}}",
            "{\"group_type\": {\"name\": \"gt-bad\", \"group_specs\": {\"k\": 1}}}",
            "{\"group_type\": {\"name\": \"gt-bad\", \"colour\": \"red\"}}",
            "{\"group_type\": {\"name\": \"gt-bad\"}, \"extra\": 1}",
        };
        for (String body : bad) {
            TestApi.Reply r = admin("POST", "/group_types", body);
            assertThat(r.status()).as(body + " -> " + r.text()).isEqualTo(400);
            assertThat(r.faultName()).isEqualTo("badRequest");
        }
        assertThat(groupTypes.findByName("gt-bad")).isEmpty();
        JsonNode nullSpecs = create("gt-null-specs", ", \"group_specs\": null, \"is_public\": \"True\"");
        assertThat(nullSpecs.get("group_specs")).isEqualTo(TestApi.json("{}"));
        assertThat(nullSpecs.get("is_public").asBoolean()).isTrue();
    }

    @Test
    void badUpdatesSayWhatIsWrong() {
        String id = create("gt-update", ", \"description\": \"d\"").get("id").asText();
        create("gt-update-taken", "");

        TestApi.Reply nothing = admin("PUT", "/group_types/" + id, "{\"group_type\": {}}");
        assertThat(nothing.status()).isEqualTo(400);
        assertThat(nothing.faultMessage()).isEqualTo("Specify group type name, description or a combination thereof.");
        TestApi.Reply allNull = admin("PUT", "/group_types/" + id,
                "{\"group_type\": {\"name\": null, \"description\": null, \"is_public\": null}}");
        assertThat(allNull.status()).isEqualTo(400);
        TestApi.Reply blank = admin("PUT", "/group_types/" + id, "{\"group_type\": {\"name\": \"  \"}}");
        assertThat(blank.status()).isEqualTo(400);
        assertThat(blank.faultMessage()).isEqualTo("Group type name can not be empty.");
        TestApi.Reply empty = admin("PUT", "/group_types/" + id, "{\"group_type\": {\"name\": \"\"}}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(admin("PUT", "/group_types/" + id, "{\"group_type\": {\"is_public\": \"perhaps\"}}").status())
                .isEqualTo(400);
        assertThat(admin("PUT", "/group_types/" + id, "{\"group_type\": {\"group_specs\": {}}}").status())
                .isEqualTo(400);
        assertThat(admin("PUT", "/group_types/" + id, "{\"name\": \"x\"}").status()).isEqualTo(400);

        TestApi.Reply taken = admin("PUT", "/group_types/" + id, "{\"group_type\": {\"name\": \"gt-update-taken\"}}");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.faultMessage()).isEqualTo("Group Type gt-update-taken already exists.");
        assertThat(groupTypes.find(id).orElseThrow().name()).isEqualTo("gt-update");
    }

    @Test
    void aDuplicateNameIs409() {
        create("gt-dup", "");
        TestApi.Reply dup = admin("POST", "/group_types", "{\"group_type\": {\"name\": \"gt-dup\","
                + " \"group_specs\": {\"k\": \"v\"}}}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.faultName()).isEqualTo("conflictingRequest");
        assertThat(dup.faultMessage()).isEqualTo("Group Type gt-dup already exists.");
        assertThat(groupTypes.findByName("gt-dup").orElseThrow().groupSpecs()).isEmpty();
    }

    @Test
    void groupSpecsAreListedSetShownUpdatedAndDeletedAsCinder() {
        String id = create("gt-specs", ", \"group_specs\": {\"a\": \"1\"}").get("id").asText();
        String specs = "/group_types/" + id + "/group_specs";

        TestApi.Reply index = admin("GET", specs, null);
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.json()).isEqualTo(TestApi.json("{\"group_specs\": {\"a\": \"1\"}}"));

        String set = "{\"group_specs\": {\"b\": \"2\", \"a\": \"one\", \"gone\": null}}";
        TestApi.Reply created = admin("POST", specs, set);
        assertThat(created.status()).isEqualTo(202);
        assertThat(created.json()).isEqualTo(TestApi.json(set));
        assertThat(admin("GET", specs, null).json())
                .isEqualTo(TestApi.json("{\"group_specs\": {\"a\": \"one\", \"b\": \"2\", \"gone\": null}}"));
        assertThat(admin("GET", specs + "/gone", null).json()).isEqualTo(TestApi.json("{\"gone\": null}"));

        TestApi.Reply updated = admin("PUT", specs + "/b", "{\"b\": \"3\"}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json()).isEqualTo(TestApi.json("{\"b\": \"3\"}"));
        TestApi.Reply shown = admin("GET", specs + "/b", null);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json()).isEqualTo(TestApi.json("{\"b\": \"3\"}"));
        assertThat(admin("GET", "/group_types/" + id, null).json().get("group_type").get("group_specs"))
                .isEqualTo(TestApi.json("{\"a\": \"one\", \"b\": \"3\", \"gone\": null}"));

        assertThat(admin("DELETE", specs + "/gone", null).status()).isEqualTo(202);
        TestApi.Reply noKey = admin("GET", specs + "/gone", null);
        assertThat(noKey.status()).isEqualTo(404);
        assertThat(noKey.faultMessage()).isEqualTo("Group Type " + id + " has no extra spec with key gone.");
        TestApi.Reply deleteAgain = admin("DELETE", specs + "/gone", null);
        assertThat(deleteAgain.status()).isEqualTo(404);
        assertThat(deleteAgain.faultMessage()).isEqualTo("Group Type " + id + " has no specs with key gone.");
    }

    @Test
    void badSpecRequestsAre4xxWithCindersTexts() {
        String id = create("gt-bad-specs", "").get("id").asText();
        String specs = "/group_types/" + id + "/group_specs";

        TestApi.Reply mismatch = admin("PUT", specs + "/a", "{\"b\": \"1\"}");
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.faultMessage()).isEqualTo("Request body and URI mismatch");
        assertThat(admin("PUT", specs + "/a", "{\"a\": \"1\", \"b\": \"2\"}").status()).isEqualTo(400);
        assertThat(admin("PUT", specs + "/a", "{}").status()).isEqualTo(400);
        assertThat(admin("POST", specs, "{\"group_specs\": {\"with space\": \"1\"}}").status()).isEqualTo(400);
        assertThat(admin("POST", specs, "{\"group_specs\": {\"k\": \"" + "v".repeat(256) + "\"}}").status())
                .isEqualTo(400);
        assertThat(admin("POST", specs, "{\"specs\": {\"k\": \"v\"}}").status()).isEqualTo(400);
        assertThat(groupTypes.find(id).orElseThrow().groupSpecs()).isEmpty();

        String missing = "5b0b5a4e-0000-4000-8000-000000000000";
        for (TestApi.Reply r : List.of(admin("GET", "/group_types/" + missing + "/group_specs", null),
                admin("POST", "/group_types/" + missing + "/group_specs", "{\"group_specs\": {\"k\": \"v\"}}"),
                admin("PUT", "/group_types/" + missing + "/group_specs/k", "{\"k\": \"v\"}"),
                admin("GET", "/group_types/" + missing + "/group_specs/k", null),
                admin("DELETE", "/group_types/" + missing + "/group_specs/k", null))) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.faultMessage()).isEqualTo("Group type " + missing + " could not be found.");
        }
    }

    @Test
    void anOperatorsPolicyOverridesApply() {
        Policy policy = Policy.withOverrides(Map.of("group:group_types:create", "role:member",
                "group:access_group_types_specs", "@"), "policy.yaml");
        try (TestApi other = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS, QuotaSettings.defaults(),
                policy)) {
            TestApi.Reply created = other.call("POST", TestApi.p("/group_types")).token(MEMBER).version(V)
                    .body("{\"group_type\": {\"name\": \"by-member\", \"group_specs\": {\"k\": \"v\"}}}").send();
            assertThat(created.status()).as(created.text()).isEqualTo(202);
            JsonNode t = created.json().get("group_type");
            assertThat(t.has("group_specs")).isTrue();
            assertThat(t.get("group_specs").isNull()).as("only an administrator reads the specs themselves").isTrue();
            assertThat(other.call("DELETE", TestApi.p("/group_types/" + t.get("id").asText())).token(MEMBER)
                    .version(V).send().status()).as("not overridden").isEqualTo(403);
        }
    }
}
