package dev.basalt.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.api.auth.Authenticator;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a project member who is not an administrator sees, with an authenticator that trusts the
 * token {@code user:project[:admin]} (the shape a Keystone authenticator will give).
 */
class MemberPolicyTest {
    static final Authenticator MEMBERS = (headers, requestId) -> {
        String token = headers.apply("X-Auth-Token");
        if (token == null) {
            throw new BasaltException(Fault.UNAUTHORIZED, "no token");
        }
        String[] parts = token.split(":");
        boolean admin = parts.length > 2 && parts[2].equals("admin");
        return new RequestContext(parts[0], parts[1], admin ? Set.of("admin") : Set.of("member"), admin, requestId);
    };
    static TestApi api;
    static String theirs;

    @BeforeAll
    static void start() {
        api = new TestApi(TestApi.settings(1000), MEMBERS);
        theirs = api.call("POST", "/v3/otherproject/volumes").token("bob:otherproject")
                .body("{\"volume\": {\"size\": 1, \"name\": \"theirs\"}}").send().json().get("volume").get("id").asText();
        api.types.create("secret", null, false, Map.of("volume_backend_name", "file", "multiattach", "<is> False"));
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void membersSeeOnlyTheirProject() {
        String mine = api.createVolume("mine", 1);
        assertThat(api.get(TestApi.p("/volumes/" + mine)).status()).isEqualTo(200);
        assertThat(api.get(TestApi.p("/volumes/" + theirs)).status()).isEqualTo(404);
        assertThat(api.delete(TestApi.p("/volumes/" + theirs)).status()).isEqualTo(404);
        assertThat(api.get(TestApi.p("/volumes?all_tenants=1")).json().get("volumes").toString()).doesNotContain(theirs);
        assertThat(api.get(TestApi.p("/volumes/" + mine)).json().get("volume").has("os-vol-host-attr:host")).isFalse();
        assertThat(api.get(TestApi.p("/volumes/" + mine)).json().get("volume").has("migration_status")).isFalse();
    }

    @Test
    void adminOnlyActionsAreForbidden() {
        TestApi.Reply create = api.post(TestApi.p("/types"), "{\"volume_type\": {\"name\": \"mine\"}}");
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.faultName()).isEqualTo("forbidden");
        assertThat(api.get(TestApi.p("/os-services")).status()).isEqualTo(403);
        assertThat(api.get(TestApi.p("/default-types"), "3.62").status()).isEqualTo(403);
        assertThat(api.get(TestApi.p("/default-types/" + TestApi.PROJECT), "3.62").status()).isEqualTo(404);
        assertThat(api.get(TestApi.p("/default-types/otherproject"), "3.62").status()).isEqualTo(403);
        String mine = api.createVolume("forced", 1);
        assertThat(api.delete(TestApi.p("/volumes/" + mine + "?force=true"), "3.23").status()).isEqualTo(403);
    }

    @Test
    void privateTypesAndSensitiveSpecsAreHidden() {
        assertThat(api.get(TestApi.p("/types?is_public=None")).json().toString()).doesNotContain("secret");
        String id = api.types.findByName("secret").orElseThrow().id();
        assertThat(api.get(TestApi.p("/types/" + id)).status()).isEqualTo(404);
        api.types.create("visible", null, true, Map.of("volume_backend_name", "file", "multiattach", "<is> False"));
        var dropped = api.get(TestApi.p("/types?name=visible")).json().get("volume_types");
        assertThat(dropped.size()).as("a member's name filter is dropped before 3.52").isGreaterThan(1);
        var all = api.get(TestApi.p("/types")).json().get("volume_types");
        for (var t : all) {
            if (t.get("name").asText().equals("visible")) {
                assertThat(TestApi.fieldNames(t.get("extra_specs"))).containsExactly("multiattach");
                assertThat(t.has("qos_specs_id")).isFalse();
            }
        }
    }

    @Test
    void unknownFiltersAreRejectedFrom331AndDroppedBefore() {
        TestApi.Reply strict = api.get(TestApi.p("/volumes?host=h1"), "3.31");
        assertThat(strict.status()).isEqualTo(400);
        assertThat(strict.faultMessage()).isEqualTo("Invalid filters host are found in query options.");
        assertThat(api.get(TestApi.p("/volumes?host=h1"), "3.30").status()).isEqualTo(200);
        assertThat(api.get(TestApi.p("/volumes?name=mine"), "3.31").status()).isEqualTo(200);
        assertThat(api.get(TestApi.p("/types?name=x"), "3.52").status()).isEqualTo(400);
    }

    @Test
    void adminTokenStillWorks() {
        TestApi.Reply r = api.call("GET", TestApi.p("/volumes/" + theirs)).token(TestApi.TOKEN + ":admin").send();
        assertThat(r.status()).isEqualTo(200);
    }
}
