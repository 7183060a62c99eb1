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
 * token {@code user:project[:admin|:reader]} and gives the roles Keystone gives (implied roles
 * included: admin is a member, a member a reader).
 */
class MemberPolicyTest {
    static final Authenticator MEMBERS = (headers, requestId) -> {
        String token = headers.apply("X-Auth-Token");
        if (token == null) {
            throw new BasaltException(Fault.UNAUTHORIZED, "no token");
        }
        String[] parts = token.split(":");
        boolean admin = parts.length > 2 && parts[2].equals("admin");
        Set<String> roles = admin ? Set.of("admin", "member", "reader")
                : parts.length > 2 && parts[2].equals("reader") ? Set.of("reader") : Set.of("member", "reader");
        return new RequestContext(parts[0], parts[1], roles, admin, requestId);
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
        assertThat(api.get(TestApi.p("/volumes/" + mine)).json().get("volume").has("os-vol-mig-status-attr:migstat"))
                .isFalse();
        assertThat(api.get(TestApi.p("/volumes/" + mine)).json().get("volume").path("os-vol-tenant-attr:tenant_id")
                .asText()).as("project readers see the tenant attribute").isEqualTo(TestApi.PROJECT);
    }

    @Test
    void readersReadButCannotChange() {
        String mine = api.createVolume("read-only", 1);
        String reader = TestApi.USER + ":" + TestApi.PROJECT + ":reader";
        assertThat(api.call("GET", TestApi.p("/volumes/" + mine)).token(reader).send().status()).isEqualTo(200);
        assertThat(api.call("GET", TestApi.p("/volumes/" + mine + "/metadata")).token(reader).send().status())
                .isEqualTo(200);
        TestApi.Reply create = api.call("POST", TestApi.p("/volumes")).token(reader)
                .body("{\"volume\": {\"size\": 1}}").send();
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.faultMessage()).isEqualTo("Policy doesn't allow volume:create to be performed.");
        assertThat(api.call("PUT", TestApi.p("/volumes/" + mine)).token(reader)
                .body("{\"volume\": {\"name\": \"x\"}}").send().status()).isEqualTo(403);
        assertThat(api.call("DELETE", TestApi.p("/volumes/" + mine)).token(reader).send().status()).isEqualTo(403);
        assertThat(api.call("POST", TestApi.p("/volumes/" + mine + "/metadata")).token(reader)
                .body("{\"metadata\": {\"k\": \"v\"}}").send().status()).isEqualTo(403);
        assertThat(api.call("POST", TestApi.p("/volumes/" + mine + "/action")).token(reader)
                .body("{\"os-extend\": {\"new_size\": 2}}").send().status()).isEqualTo(403);
        assertThat(api.post(TestApi.p("/volumes/" + mine + "/action"), "{\"os-extend\": {\"new_size\": 2}}")
                .status()).as("a member passes the policy and extends").isEqualTo(202);
    }

    @Test
    void adminOnlyActionsAreForbidden() {
        TestApi.Reply create = api.post(TestApi.p("/types"), "{\"volume_type\": {\"name\": \"mine\"}}");
        assertThat(create.status()).isEqualTo(403);
        assertThat(create.faultName()).isEqualTo("forbidden");
        assertThat(api.get(TestApi.p("/os-services")).status()).isEqualTo(403);
        assertThat(api.get(TestApi.p("/default-types"), "3.62").status()).isEqualTo(403);
        assertThat(api.get(TestApi.p("/default-types/" + TestApi.PROJECT), "3.62").status())
                .as("rule:admin_api, even for the caller's own project").isEqualTo(403);
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
