package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.basalt.model.VolumeStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /qos-specs} as Cinder serves it, every bad case with Cinder's code, and front-end specs in connection info. */
class QosSpecsTest {
    private static final String CONNECTOR = "{\"initiator\": \"iqn.1993-08.org.debian:01:qos\", \"host\": \"q1\"}";
    static TestApi api;

    @BeforeAll
    static void start() {
        api = TestApi.withoutQuotas();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    private static JsonNode create(String body) {
        TestApi.Reply r = api.post(TestApi.p("/qos-specs"), body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("qos_specs");
    }

    private static String type(String name) {
        TestApi.Reply r = api.post(TestApi.p("/types"), "{\"volume_type\": {\"name\": \"" + name + "\"}}");
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("volume_type").get("id").asText();
    }

    private static TestApi.Reply associate(String specsId, String typeId) {
        return api.get(TestApi.p("/qos-specs/" + specsId + "/associate?vol_type_id=" + typeId));
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("qos_specs").forEach(q -> names.add(q.get("name").asText()));
        return names;
    }

    @Test
    void createShowSetUnsetAndDeleteAsCinder() {
        TestApi.Reply created = api.post(TestApi.p("/qos-specs"), "{\"qos_specs\": {\"name\": \"  gold  \","
                + " \"consumer\": \"both\", \"total_iops_sec\": \"500\", \"read_bytes_sec\": \"1048576\"}}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(TestApi.fieldNames(created.json())).containsExactlyInAnyOrder("qos_specs", "links");
        JsonNode q = created.json().get("qos_specs");
        String id = q.get("id").asText();
        assertThat(TestApi.fieldNames(q)).containsExactlyInAnyOrder("id", "name", "consumer", "specs");
        assertThat(q.get("name").asText()).isEqualTo("gold");
        assertThat(q.get("consumer").asText()).isEqualTo("both");
        assertThat(q.get("specs")).isEqualTo(TestApi.json("{\"total_iops_sec\": \"500\", \"read_bytes_sec\": \"1048576\"}"));
        JsonNode links = created.json().get("links");
        assertThat(links.get(0).get("rel").asText()).isEqualTo("self");
        assertThat(links.get(0).get("href").asText()).endsWith("/v3/" + TestApi.PROJECT + "/qos-specs/" + id);
        assertThat(links.get(1).get("rel").asText()).isEqualTo("bookmark");

        TestApi.Reply shown = api.get(TestApi.p("/qos-specs/" + id));
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json()).isEqualTo(created.json());

        String set = "{\"qos_specs\": {\"total_iops_sec\": \"800\", \"consumer\": \"front-end\", \"cleared\": null}}";
        TestApi.Reply updated = api.put(TestApi.p("/qos-specs/" + id), set);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json()).isEqualTo(TestApi.json(set));
        q = api.get(TestApi.p("/qos-specs/" + id)).json().get("qos_specs");
        assertThat(q.get("consumer").asText()).isEqualTo("front-end");
        assertThat(q.get("specs").get("total_iops_sec").asText()).isEqualTo("800");
        assertThat(q.get("specs").get("cleared").isNull()).isTrue();

        assertThat(api.put(TestApi.p("/qos-specs/" + id + "/delete_keys"), "{\"keys\": [\"cleared\"]}").status())
                .isEqualTo(202);
        assertThat(api.get(TestApi.p("/qos-specs/" + id)).json().get("qos_specs").get("specs").has("cleared")).isFalse();

        assertThat(api.delete(TestApi.p("/qos-specs/" + id)).status()).isEqualTo(202);
        TestApi.Reply gone = api.get(TestApi.p("/qos-specs/" + id));
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.faultMessage()).isEqualTo("No such QoS spec " + id + ".");
    }

    @Test
    void consumerDefaultsToBackEnd() {
        JsonNode q = create("{\"qos_specs\": {\"name\": \"plain\", \"total_iops_sec\": \"100\"}}");
        assertThat(q.get("consumer").asText()).isEqualTo("back-end");
        assertThat(q.get("specs").has("consumer")).isFalse();
    }

    @Test
    void refusesBadCreatesWithCindersCodes() {
        create("{\"qos_specs\": {\"name\": \"dup\"}}");
        TestApi.Reply dup = api.post(TestApi.p("/qos-specs"), "{\"qos_specs\": {\"name\": \"dup\"}}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.faultMessage()).isEqualTo("QoS Specs dup already exists.");
        TestApi.Reply consumer = api.post(TestApi.p("/qos-specs"), "{\"qos_specs\": {\"name\": \"c\", \"consumer\":"
                + " \"middle\"}}");
        assertThat(consumer.status()).isEqualTo(400);
        assertThat(consumer.faultMessage()).startsWith("Invalid qos specs: Valid consumer of QoS specs are:")
                .contains("back-end, front-end, both");
        TestApi.Reply number = api.post(TestApi.p("/qos-specs"), "{\"qos_specs\": {\"name\": \"n\", \"total_iops_sec\":"
                + " 500}}");
        assertThat(number.status()).isEqualTo(400);
        assertThat(number.faultMessage()).contains("Value for key \"total_iops_sec\" is not a string");
        String tooLong = "{\"qos_specs\": {\"name\": \"l\", \"k\": \"" + "v".repeat(256) + "\"}}";
        assertThat(api.post(TestApi.p("/qos-specs"), tooLong).status()).isEqualTo(400);
        for (String bad : List.of("{}", "{\"qos_specs\": {}}", "{\"qos_specs\": {\"name\": \"   \"}}",
                "{\"qos_specs\": {\"name\": \"" + "x".repeat(256) + "\"}}", "{\"qos_specs\": {\"name\": 5}}",
                "{\"qos_specs\": {\"name\": \"a\"}, \"extra\": 1}", "not json")) {
            TestApi.Reply r = api.post(TestApi.p("/qos-specs"), bad);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.faultName()).as(bad).isEqualTo("badRequest");
        }
        assertThat(names(api.get(TestApi.p("/qos-specs")).json())).doesNotContain("c", "n", "l");
    }

    @Test
    void refusesBadUpdatesAndKeyDeletes() {
        String id = create("{\"qos_specs\": {\"name\": \"upd\", \"a\": \"1\", \"b\": \"2\", \"c\": \"3\"}}")
                .get("id").asText();
        assertThat(api.put(TestApi.p("/qos-specs/" + id), "{\"qos_specs\": {\"consumer\": \"sideways\"}}").status())
                .isEqualTo(400);
        assertThat(api.put(TestApi.p("/qos-specs/" + id), "{\"qos_specs\": {\"bad key!\": \"1\"}}").status())
                .isEqualTo(400);
        assertThat(api.put(TestApi.p("/qos-specs/" + id), "{\"qos_specs\": {\"a\": 1}}").status()).isEqualTo(400);
        assertThat(api.put(TestApi.p("/qos-specs/" + id), "{\"specs\": {}}").status()).isEqualTo(400);
        TestApi.Reply missing = api.put(TestApi.p("/qos-specs/c0ffee00-0000-0000-0000-000000000000"),
                "{\"qos_specs\": {\"a\": \"1\"}}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(api.get(TestApi.p("/qos-specs/" + id)).json().get("qos_specs").get("consumer").asText())
                .isEqualTo("back-end");

        assertThat(api.put(TestApi.p("/qos-specs/" + id + "/delete_keys"), "{\"keys\": \"a\"}").status()).isEqualTo(400);
        assertThat(api.put(TestApi.p("/qos-specs/" + id + "/delete_keys"), "{\"keys\": [\"a\", \"a\"]}").status())
                .isEqualTo(400);
        assertThat(api.put(TestApi.p("/qos-specs/" + id + "/delete_keys"), "{}").status()).isEqualTo(400);
        assertThat(api.put(TestApi.p("/qos-specs/nope/delete_keys"), "{\"keys\": [\"a\"]}").status()).isEqualTo(404);
        // As Cinder: keys go in order up to the first that is not set, which is a 404.
        TestApi.Reply partly = api.put(TestApi.p("/qos-specs/" + id + "/delete_keys"),
                "{\"keys\": [\"a\", \"zz\", \"b\"]}");
        assertThat(partly.status()).isEqualTo(404);
        assertThat(partly.faultMessage()).isEqualTo("QoS spec " + id + " has no spec with key zz.");
        assertThat(api.get(TestApi.p("/qos-specs/" + id)).json().get("qos_specs").get("specs"))
                .isEqualTo(TestApi.json("{\"b\": \"2\", \"c\": \"3\"}"));
    }

    @Test
    void associateDisassociateAndTheTypesQosSpecsId() {
        String specs = create("{\"qos_specs\": {\"name\": \"assoc\"}}").get("id").asText();
        String other = create("{\"qos_specs\": {\"name\": \"assoc-other\"}}").get("id").asText();
        String t1 = type("qos-t1");
        String t2 = type("qos-t2");
        assertThat(associate(specs, t1).status()).isEqualTo(202);
        assertThat(associate(specs, t1).status()).as("again: nothing changes").isEqualTo(202);
        assertThat(associate(specs, t2).status()).isEqualTo(202);
        assertThat(api.get(TestApi.p("/types/" + t1)).json().get("volume_type").get("qos_specs_id").asText())
                .isEqualTo(specs);

        JsonNode associations = api.get(TestApi.p("/qos-specs/" + specs + "/associations")).json();
        assertThat(TestApi.fieldNames(associations)).containsExactly("qos_associations");
        assertThat(associations.get("qos_associations")).hasSize(2);
        assertThat(associations.get("qos_associations").get(0)).isEqualTo(TestApi.json("{\"association_type\":"
                + " \"volume_type\", \"name\": \"qos-t1\", \"id\": \"" + t1 + "\"}"));

        TestApi.Reply taken = associate(other, t1);
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.faultMessage()).startsWith("Invalid volume type: Type " + t1
                + " is already associated with another qos specs: " + specs);
        TestApi.Reply noType = api.get(TestApi.p("/qos-specs/" + specs + "/associate"));
        assertThat(noType.status()).isEqualTo(400);
        assertThat(noType.faultMessage()).startsWith("Volume Type id must not be None.");
        assertThat(associate(specs, "nope").status()).isEqualTo(404);
        assertThat(associate("nope", t1).status()).isEqualTo(404);
        assertThat(api.get(TestApi.p("/qos-specs/nope/associations")).status()).isEqualTo(404);

        TestApi.Reply inUse = api.delete(TestApi.p("/qos-specs/" + specs));
        assertThat(inUse.status()).isEqualTo(400);
        assertThat(inUse.faultMessage()).isEqualTo("Qos specs still in use.");
        assertThat(api.delete(TestApi.p("/qos-specs/" + specs + "?force=maybe")).status()).isEqualTo(400);

        assertThat(api.get(TestApi.p("/qos-specs/" + specs + "/disassociate")).status()).isEqualTo(400);
        assertThat(api.get(TestApi.p("/qos-specs/" + specs + "/disassociate?vol_type_id=nope")).status())
                .isEqualTo(404);
        assertThat(api.get(TestApi.p("/qos-specs/" + specs + "/disassociate?vol_type_id=" + t2)).status())
                .isEqualTo(202);
        assertThat(api.get(TestApi.p("/types/" + t2)).json().get("volume_type").get("qos_specs_id").isNull()).isTrue();
        assertThat(api.get(TestApi.p("/qos-specs/" + other + "/disassociate?vol_type_id=" + t1)).status())
                .as("not associated with it: nothing changes").isEqualTo(202);
        assertThat(api.get(TestApi.p("/types/" + t1)).json().get("volume_type").get("qos_specs_id").asText())
                .isEqualTo(specs);

        assertThat(associate(specs, t2).status()).isEqualTo(202);
        assertThat(api.get(TestApi.p("/qos-specs/" + specs + "/disassociate_all")).status()).isEqualTo(202);
        assertThat(api.get(TestApi.p("/qos-specs/" + specs + "/associations")).json().get("qos_associations")).isEmpty();
        assertThat(api.get(TestApi.p("/qos-specs/nope/disassociate_all")).status()).isEqualTo(404);

        assertThat(associate(other, t1).status()).isEqualTo(202);
        assertThat(api.delete(TestApi.p("/qos-specs/" + other + "?force=True")).status()).isEqualTo(202);
        assertThat(api.get(TestApi.p("/types/" + t1)).json().get("volume_type").get("qos_specs_id").isNull()).isTrue();
        assertThat(api.delete(TestApi.p("/qos-specs/" + other)).status()).isEqualTo(404);
    }

    @Test
    void listsSortsPagesAndFiltersAsCinder() {
        String a = create("{\"qos_specs\": {\"name\": \"list-a\"}}").get("id").asText();
        create("{\"qos_specs\": {\"name\": \"list-b\"}}");
        JsonNode all = api.get(TestApi.p("/qos-specs")).json();
        assertThat(TestApi.fieldNames(all)).containsExactly("qos_specs");
        assertThat(TestApi.fieldNames(all.get("qos_specs").get(0)))
                .containsExactlyInAnyOrder("id", "name", "consumer", "specs");
        List<String> newestFirst = names(all);
        assertThat(newestFirst.indexOf("list-b")).isLessThan(newestFirst.indexOf("list-a"));
        assertThat(names(api.get(TestApi.p("/qos-specs?sort=value:asc")).json())).isSorted();
        TestApi.Reply badSort = api.get(TestApi.p("/qos-specs?sort=name"));
        assertThat(badSort.status()).isEqualTo(400);
        assertThat(badSort.faultMessage()).contains("Invalid sort key");

        JsonNode page = api.get(TestApi.p("/qos-specs?limit=1")).json();
        assertThat(page.get("qos_specs")).hasSize(1);
        String next = page.get("qos_specs_links").get(0).get("href").asText();
        assertThat(next).contains("/qos-specs?").contains("marker=" + page.get("qos_specs").get(0).get("id").asText());
        assertThat(api.get(TestApi.p("/qos-specs?marker=nope")).status()).isEqualTo(404);

        assertThat(names(api.get(TestApi.p("/qos-specs?id=" + a)).json())).containsExactly("list-a");
        assertThat(names(api.get(TestApi.p("/qos-specs?value=list-b")).json())).containsExactly("list-b");
        assertThat(names(api.get(TestApi.p("/qos-specs?name=list-a")).json()))
                .as("Cinder's table has no name column: nothing matches").isEmpty();
    }

    @Test
    void frontEndSpecsGoIntoConnectionInfoScaledPerGb() {
        String specs = create("{\"qos_specs\": {\"name\": \"fe\", \"consumer\": \"front-end\", \"read_iops_sec\":"
                + " \"300\", \"total_iops_sec_per_gb\": \"20\", \"total_iops_sec_per_gb_min\": \"50\","
                + " \"write_bytes_sec_per_gb\": \"1000\", \"write_bytes_sec_max\": \"1500\"}}").get("id").asText();
        type("qos-fe");
        String typeId = api.types.findByName("qos-fe").orElseThrow().id();
        assertThat(associate(specs, typeId).status()).isEqualTo(202);
        String volume = api.createVolume("{\"volume\": {\"size\": 2, \"volume_type\": \"qos-fe\"}}");
        api.awaitStatus(volume, VolumeStatus.AVAILABLE);

        TestApi.Reply init = api.volumeAction(volume, "{\"os-initialize_connection\": {\"connector\": " + CONNECTOR
                + "}}");
        assertThat(init.status()).isEqualTo(200);
        JsonNode qos = init.json().get("connection_info").get("data").get("qos_specs");
        assertThat(qos).isEqualTo(TestApi.json("{\"read_iops_sec\": \"300\", \"total_iops_sec\": 50,"
                + " \"write_bytes_sec\": 1500}"));

        TestApi.Reply attachment = api.post(TestApi.p("/attachments"), "{\"attachment\": {\"volume_uuid\": \""
                + volume + "\", \"connector\": " + CONNECTOR + "}}", "3.54");
        assertThat(attachment.status()).as(attachment.text()).isEqualTo(200);
        assertThat(attachment.json().get("attachment").get("connection_info").get("qos_specs")).isEqualTo(qos);

        String backEnd = create("{\"qos_specs\": {\"name\": \"be\", \"total_iops_sec\": \"10\"}}").get("id").asText();
        String other = type("qos-be");
        assertThat(associate(backEnd, other).status()).isEqualTo(202);
        String plain = api.createVolume("{\"volume\": {\"size\": 1, \"volume_type\": \"qos-be\"}}");
        api.awaitStatus(plain, VolumeStatus.AVAILABLE);
        JsonNode data = api.volumeAction(plain, "{\"os-initialize_connection\": {\"connector\": " + CONNECTOR + "}}")
                .json().get("connection_info").get("data");
        assertThat(data.has("qos_specs")).isTrue();
        assertThat(data.get("qos_specs").isNull()).as("back-end specs are not the host's").isTrue();
    }

    @Test
    void onlyAdministratorsManageQosSpecs() {
        try (TestApi members = new TestApi(TestApi.settings(1000), MemberPolicyTest.MEMBERS)) {
            String admin = "a:" + TestApi.PROJECT + ":admin";
            String id = members.call("POST", TestApi.p("/qos-specs")).token(admin)
                    .body("{\"qos_specs\": {\"name\": \"admin-made\"}}").send().json().get("qos_specs").get("id").asText();
            for (String[] call : List.of(new String[] {"GET", "/qos-specs"}, new String[] {"GET", "/qos-specs/" + id},
                    new String[] {"POST", "/qos-specs"}, new String[] {"PUT", "/qos-specs/" + id},
                    new String[] {"DELETE", "/qos-specs/" + id}, new String[] {"PUT", "/qos-specs/" + id + "/delete_keys"},
                    new String[] {"GET", "/qos-specs/" + id + "/associations"},
                    new String[] {"GET", "/qos-specs/" + id + "/associate?vol_type_id=x"},
                    new String[] {"GET", "/qos-specs/" + id + "/disassociate?vol_type_id=x"},
                    new String[] {"GET", "/qos-specs/" + id + "/disassociate_all"})) {
                String body = switch (call[1].endsWith("delete_keys") ? "keys" : call[0]) {
                    case "POST" -> "{\"qos_specs\": {\"name\": \"member-made\"}}";
                    case "PUT" -> "{\"qos_specs\": {\"a\": \"1\"}}";
                    case "keys" -> "{\"keys\": [\"a\"]}";
                    default -> null;
                };
                for (String role : List.of("member", "reader")) {
                    TestApi.Call c = members.call(call[0], TestApi.p(call[1]))
                            .token("bob:" + TestApi.PROJECT + ":" + role);
                    TestApi.Reply r = (body == null ? c : c.body(body)).send();
                    assertThat(r.status()).as(role + " " + call[0] + " " + call[1]).isEqualTo(403);
                }
            }
            TestApi.Reply type = members.call("POST", TestApi.p("/types")).token(admin)
                    .body("{\"volume_type\": {\"name\": \"seen\"}}").send();
            String typeId = type.json().get("volume_type").get("id").asText();
            members.call("GET", TestApi.p("/qos-specs/" + id + "/associate?vol_type_id=" + typeId))
                    .token(admin).send();
            JsonNode seen = members.call("GET", TestApi.p("/types/" + typeId)).token("bob:" + TestApi.PROJECT)
                    .send().json().get("volume_type");
            assertThat(seen.has("qos_specs_id")).as("members do not see qos_specs_id").isFalse();
            assertThat(members.call("GET", TestApi.p("/types/" + typeId)).token(admin).send().json()
                    .get("volume_type").get("qos_specs_id").asText()).isEqualTo(id);
        }
    }
}
