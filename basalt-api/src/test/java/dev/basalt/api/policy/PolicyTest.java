package dev.basalt.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.api.RequestContext;
import dev.basalt.common.BasaltException;
import dev.basalt.common.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Cinder's default rules and personas, and an operator's overrides on top. */
class PolicyTest {
    static final Policy CINDER = Policy.cinderDefaults();

    /** Personas as Keystone's tokens carry them (implied roles included). */
    static Credentials persona(String name) {
        return switch (name) {
            case "admin" -> creds("p0", List.of("admin", "member", "reader"));
            case "member" -> creds("p1", List.of("member", "reader"));
            case "reader" -> creds("p1", List.of("reader"));
            case "other" -> creds("p2", List.of("member", "reader"));
            case "nobody" -> creds("p1", List.of());
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Credentials creds(String project, List<String> roles) {
        Credentials plain = new Credentials("u-" + project, "default", project, "default", roles, false, true);
        return new Credentials(plain.userId(), "default", project, "default", roles, CINDER.isAdmin(plain), true);
    }

    static Stream<Arguments> personas() {
        // rule, then whether admin (of another project), member, reader (of p1), a member of p2 and
        // a user with no role in p1 pass it on something of project p1
        return Stream.of(
                Arguments.of("volume:get", "+++--"),
                Arguments.of("volume:get_all", "+++--"),
                Arguments.of("volume:create", "++---"),
                Arguments.of("volume:update", "++---"),
                Arguments.of("volume:delete", "++---"),
                Arguments.of("volume:force_delete", "+----"),
                Arguments.of("volume_extension:volume_host_attribute", "+----"),
                Arguments.of("volume_extension:volume_mig_status_attribute", "+----"),
                Arguments.of("volume_extension:volume_tenant_attribute", "+++--"),
                Arguments.of("volume:get_volume_metadata", "+++--"),
                Arguments.of("volume:create_volume_metadata", "++---"),
                Arguments.of("volume:update_volume_metadata", "++---"),
                Arguments.of("volume:delete_volume_metadata", "++---"),
                Arguments.of("volume:extend", "++---"),
                Arguments.of("volume_extension:volume_admin_actions:reset_status", "+----"),
                Arguments.of("volume_extension:type_get_all", "+++--"),
                Arguments.of("volume_extension:type_get", "+++--"),
                Arguments.of("volume_extension:type_create", "+----"),
                Arguments.of("volume_extension:type_update", "+----"),
                Arguments.of("volume_extension:type_delete", "+----"),
                Arguments.of("volume_extension:access_types_extra_specs", "+++--"),
                Arguments.of("volume_extension:types_extra_specs:read_sensitive", "+----"),
                Arguments.of("volume_extension:types_extra_specs:index", "+++--"),
                Arguments.of("volume_extension:types_extra_specs:create", "+----"),
                Arguments.of("volume_extension:default_get", "+----"),
                Arguments.of("volume_extension:default_get_all", "+----"),
                Arguments.of("volume_extension:services:index", "+----"),
                Arguments.of("volume_extension:services:update", "+----"),
                Arguments.of("clusters:get_all", "+----"),
                Arguments.of("message:get_all", "+++--"),
                Arguments.of("message:get", "+++--"),
                Arguments.of("message:delete", "++---"),
                Arguments.of("context_is_admin", "+----"));
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @MethodSource("personas")
    void cindersPersonas(String rule, String expected) {
        String[] names = {"admin", "member", "reader", "other", "nobody"};
        StringBuilder actual = new StringBuilder();
        for (String name : names) {
            actual.append(CINDER.check(rule, Policy.target("p1", "u-p1"), persona(name)) ? '+' : '-');
        }
        assertThat(actual.toString()).as("admin, member, reader, other project, no role").isEqualTo(expected);
    }

    @Test
    void adminsAreWhoContextIsAdminSays() {
        assertThat(persona("admin").isAdmin()).isTrue();
        assertThat(persona("member").isAdmin()).isFalse();
        Policy readersAreAdmins = Policy.withOverrides(Map.of("context_is_admin", "role:reader"), "policy.yaml");
        assertThat(readersAreAdmins.isAdmin(creds("p1", List.of("reader")))).isTrue();
    }

    @Test
    void authorizeIsCindersForbidden() {
        RequestContext reader = new RequestContext("u1", "p1", Set.of("reader"), false, "req-1");
        assertThatThrownBy(() -> CINDER.authorize("volume:create", Policy.target("p1", "u1"), reader))
                .isInstanceOfSatisfying(BasaltException.class, e -> assertThat(e.fault()).isEqualTo(Fault.FORBIDDEN))
                .hasMessage("Policy doesn't allow volume:create to be performed.");
        CINDER.authorize("volume:get", Policy.target("p1", "u1"), reader);
        assertThatThrownBy(() -> CINDER.check("volume:no_such_action", Map.of(), reader))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void overridesReplaceRulesAndMayAddTheirOwn() {
        Map<String, String> file = new LinkedHashMap<>();
        file.put("project_admin", "role:admin and project_id:%(project_id)s");
        file.put("volume:create", "rule:project_admin");
        file.put("volume:get", "rule:admin_or_owner");
        Policy policy = Policy.withOverrides(file, "/etc/basalt/policy.yaml");

        assertThat(policy.check("volume:create", Policy.target("p1", null), persona("member"))).isFalse();
        assertThat(policy.check("volume:create", Policy.target("p1", null),
                creds("p1", List.of("admin", "member", "reader")))).isTrue();
        assertThat(policy.check("volume:get", Policy.target("p1", null), persona("nobody")))
                .as("admin_or_owner lets any role of the project read").isTrue();
        assertThat(policy.check("volume:delete", Policy.target("p1", null), persona("member")))
                .as("rules not overridden keep Cinder's default").isTrue();
        assertThat(policy.describe("volume:create")).isEqualTo("rule:project_admin");
    }

    @Test
    void aRuleThatRefersToNoRuleRefusesThePolicyNamingBoth() {
        assertThatThrownBy(() -> Policy.withOverrides(Map.of("volume:create", "role:member or rule:memebr_api"),
                "/etc/basalt/policy.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("policy rule \"volume:create\" (in /etc/basalt/policy.yaml) refers to rule:memebr_api,"
                        + " but no rule named \"memebr_api\" exists");
    }

    @Test
    void rulesThatReferToEachOtherInALoopAreRefused() {
        assertThatThrownBy(() -> Policy.withOverrides(Map.of("a", "rule:b", "b", "role:x or rule:a"), "p.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("loop").hasMessageContaining("rule").hasMessageMatching(".*(a -> b -> a|b -> a -> b).*");
    }

    @Test
    void aCheckStringThatDoesNotParseNamesItsRuleAndFile() {
        assertThatThrownBy(() -> Policy.withOverrides(Map.of("volume:get", "role:reader and"), "policy.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("policy rule \"volume:get\" (in policy.yaml) cannot be read:");
    }

    @Test
    void everyDefaultRuleParsesAndTheServedOnesAreThere() {
        assertThat(CINDER.names()).hasSizeGreaterThan(150)
                .contains("admin_api", "admin_or_owner", "xena_system_admin_or_project_reader",
                        "xena_system_admin_or_project_member", "volume_extension:quotas:show");
        assertThat(CINDER.describe("volume:create")).isEqualTo("rule:xena_system_admin_or_project_member");
    }

    @Test
    void policyFilesAreYamlOrJsonOfCheckStrings(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("policy.yaml"), """
                # comments are fine
                "volume:create": "rule:admin_api"
                "volume:delete": "!"
                "volume:get": ""
                """);
        assertThat(PolicyFile.read(yaml)).containsExactly(Map.entry("volume:create", "rule:admin_api"),
                Map.entry("volume:delete", "!"), Map.entry("volume:get", ""));
        Path json = Files.writeString(dir.resolve("policy.json"), "{\"volume:create\": \"role:admin\"}");
        assertThat(PolicyFile.read(json)).containsExactly(Map.entry("volume:create", "role:admin"));
        assertThat(PolicyFile.read(Files.writeString(dir.resolve("empty.yaml"), "# nothing\n"))).isEmpty();

        Path notString = Files.writeString(dir.resolve("bad.yaml"), "\"volume:create\":\n");
        assertThatThrownBy(() -> PolicyFile.read(notString)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("bad.yaml: rule \"volume:create\" must be a check string");
        Path list = Files.writeString(dir.resolve("list.yaml"), "\"volume:create\": [[\"role:admin\"]]\n");
        assertThatThrownBy(() -> PolicyFile.read(list)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("must be a check string");
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "\"volume:create: x\n");
        assertThatThrownBy(() -> PolicyFile.read(broken)).isInstanceOf(PolicyException.class)
                .hasMessageContaining("broken.yaml: not valid YAML");
    }
}
