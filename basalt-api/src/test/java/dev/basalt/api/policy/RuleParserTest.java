package dev.basalt.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** oslo.policy's check-string language: how rules parse, and what they decide for whom. */
class RuleParserTest {
    /** A member of project p1 (user u1), not an administrator. */
    static final Credentials MEMBER = new Credentials("u1", "default", "p1", "default", List.of("member", "reader"),
            false, true);
    /** An administrator of project p0. */
    static final Credentials ADMIN = new Credentials("u0", "default", "p0", "default",
            List.of("admin", "member", "reader"), true, true);
    static final Map<String, String> OWN = Map.of("project_id", "p1", "user_id", "u1");
    static final Map<String, String> OTHERS = Map.of("project_id", "p2", "user_id", "u2");
    static final Map<String, Check> RULES = Map.of(
            "admin_api", RuleParser.parse("is_admin:True or (role:admin and is_admin_project:True)"),
            "owner", RuleParser.parse("project_id:%(project_id)s"));

    static Stream<Arguments> parsedForms() {
        return Stream.of(
                Arguments.of("", "@"),
                Arguments.of("   ", "@"),
                Arguments.of("@", "@"),
                Arguments.of("!", "!"),
                Arguments.of("role:admin", "role:admin"),
                Arguments.of("rule:admin_api", "rule:admin_api"),
                Arguments.of("project_id:%(project_id)s", "project_id:%(project_id)s"),
                Arguments.of("role:a or role:b and role:c", "(role:a or (role:b and role:c))"),
                Arguments.of("(role:a or role:b) and role:c", "((role:a or role:b) and role:c)"),
                Arguments.of("not role:a and role:b", "(not role:a and role:b)"),
                Arguments.of("not (role:a and role:b)", "not (role:a and role:b)"),
                Arguments.of("role:a AND role:b OR NOT role:c", "((role:a and role:b) or not role:c)"),
                Arguments.of("((role:a))", "role:a"),
                Arguments.of("(role:admin) or (role:reader and project_id:%(project_id)s)",
                        "(role:admin or (role:reader and project_id:%(project_id)s))"),
                Arguments.of("'Member':%(role.name)s", "'Member':%(role.name)s"),
                Arguments.of("True:%(user.enabled)s", "True:%(user.enabled)s"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" parses as {1}")
    @MethodSource("parsedForms")
    void parsesWithOsloPrecedence(String text, String form) {
        assertThat(RuleParser.parse(text).toString()).isEqualTo(form);
    }

    static Stream<Arguments> decisions() {
        return Stream.of(
                // check string, credentials, target, allowed
                Arguments.of("@", MEMBER, OTHERS, true),
                Arguments.of("!", ADMIN, OWN, false),
                Arguments.of("", MEMBER, OTHERS, true),
                Arguments.of("role:member", MEMBER, OWN, true),
                Arguments.of("role:MEMBER", MEMBER, OWN, true),
                Arguments.of("role:admin", MEMBER, OWN, false),
                Arguments.of("role:%(role)s", MEMBER, Map.of("role", "reader"), true),
                Arguments.of("role:%(role)s", MEMBER, OWN, false),
                Arguments.of("project_id:%(project_id)s", MEMBER, OWN, true),
                Arguments.of("project_id:%(project_id)s", MEMBER, OTHERS, false),
                Arguments.of("project_id:%(missing)s", MEMBER, OWN, false),
                Arguments.of("user_id:u1", MEMBER, OTHERS, true),
                Arguments.of("user_id:%(user_id)s", MEMBER, OWN, true),
                Arguments.of("is_admin:True", ADMIN, OWN, true),
                Arguments.of("is_admin:True", MEMBER, OWN, false),
                Arguments.of("is_admin:False", MEMBER, OWN, true),
                Arguments.of("is_admin_project:True", MEMBER, OWN, true),
                Arguments.of("domain_id:%(project_id)s", MEMBER, OWN, false),
                Arguments.of("system_scope:all", ADMIN, OWN, false),
                Arguments.of("roles:reader", MEMBER, OWN, true),
                Arguments.of("no_such_credential:x", ADMIN, OWN, false),
                Arguments.of("'p1':%(project_id)s", MEMBER, OWN, true),
                Arguments.of("'p1':%(project_id)s", MEMBER, OTHERS, false),
                Arguments.of("True:%(flag)s", MEMBER, Map.of("flag", "True"), true),
                Arguments.of("project_id:%(project_id)s-%%", MEMBER, Map.of("project_id", "p1"), false),
                Arguments.of("rule:admin_api", ADMIN, OTHERS, true),
                Arguments.of("rule:admin_api", MEMBER, OWN, false),
                Arguments.of("rule:admin_api or rule:owner", MEMBER, OWN, true),
                Arguments.of("rule:admin_api or rule:owner", MEMBER, OTHERS, false),
                Arguments.of("rule:undefined", ADMIN, OWN, false),
                Arguments.of("not rule:admin_api", MEMBER, OWN, true),
                Arguments.of("role:member and not role:admin", MEMBER, OWN, true),
                Arguments.of("role:member and not role:admin", ADMIN, OWN, false),
                Arguments.of("(role:admin) or (role:reader and project_id:%(project_id)s)", MEMBER, OWN, true),
                Arguments.of("(role:admin) or (role:reader and project_id:%(project_id)s)", MEMBER, OTHERS, false),
                Arguments.of("(role:admin) or (role:reader and project_id:%(project_id)s)", ADMIN, OTHERS, true));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" for {1} on {2}: {3}")
    @MethodSource("decisions")
    void decidesAsOsloPolicy(String text, Credentials creds, Map<String, String> target, boolean allowed) {
        assertThat(RuleParser.parse(text).test(target, creds, RULES::get)).isEqualTo(allowed);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("role:a or", "it ends where a check was expected"),
                Arguments.of("(role:a", "a \"(\" is not closed"),
                Arguments.of("role:a)", "unexpected \")\""),
                Arguments.of("role:a role:b", "unexpected \"role:b\""),
                Arguments.of("and role:a", "unexpected \"and\""),
                Arguments.of("admin", "\"admin\" is not a check"),
                Arguments.of("'quoted'", "is a bare string"),
                Arguments.of("http:https://example/check", "http checks are not supported"),
                Arguments.of("project_id:%(project_id", "a % must start %(name)s"),
                Arguments.of("project_id:50%", "a % must start %(name)s"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" is refused: {1}")
    @MethodSource("refused")
    void refusesWhatOsloWouldDenyWithALoggedError(String text, String problem) {
        assertThatThrownBy(() -> RuleParser.parse(text)).isInstanceOf(PolicyException.class)
                .hasMessageContaining(problem).hasMessageStartingWith("\"" + text + "\"");
    }
}
